// SPDX-License-Identifier: MIT
#pragma once

// A measured sweep of the actor-learner system beside the ratio model's predictions: the result,
// its CSV/JSON files and plots, and the CSV read back (docs/models/rl.md §4-5).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/report/plot.h"
#include "deepnvm/rl/ratio_model.h"
#include "deepnvm/rl/system.h"

namespace deepnvm::rl {

struct SweepPoint {
  Measurement measured;
  Prediction predicted;
  bool knee = false;            ///< the measured knee of its series
  bool predicted_knee = false;  ///< the model's knee of its series
};

struct RlSweepResult {
  RlSweepSpec spec;
  std::vector<Measurement> calibration_runs;  ///< the short measurement the model is calibrated from
  Calibration calibration;
  TargetMachine machine;  ///< this machine, as the model sees it
  std::vector<SweepPoint> points;
  bool interrupted = false;
};

/// The short calibration runs for a sweep on a machine of `cores` cores: one actor, actor placement
/// at 1 and at the largest envs per actor, central inference at batch 1 and at the largest batch
/// (envs as large); then, with more than one core, one actor per core (actor placement, 1 env).
std::vector<SystemConfig> calibration_points(const RlSweepSpec& spec, int cores);

/// Predicts every point with `r.calibration` on `r.machine` and marks each series' knees (series:
/// same placement, envs, cores per actor and batch; knee: fewest actors within 95 % of the best).
void predict_and_mark(RlSweepResult& r);

/// Relative error of the predicted frame rate over the points, as fractions.
struct ModelError {
  double mean = 0, max = 0;
  std::size_t knees_matched = 0, series = 0;  ///< series whose predicted knee is the measured one
  /// The worst series' measured frame rate at the model's knee over its best measured one: what
  /// following the model's advice would have cost.
  double knee_throughput = 1;
};
ModelError model_error(const RlSweepResult& r);

/// One row per calibration run and per point (column `phase`); the numbers of to_json(Measurement)
/// and the prediction. Empty cells: no sensor.
std::string sweep_csv(const RlSweepResult& r);
nlohmann::ordered_json sweep_json(const RlSweepResult& r);
/// `NAME_throughput` (frames/s against the CPU/GPU ratio, measured and predicted, knees marked) and
/// `NAME_perf_per_watt` (frames per joule; a "no sensor" note when power was not measured).
std::vector<report::Plot> sweep_plots(const RlSweepResult& r);

/// Reads a CSV written by sweep_csv(): the calibration runs and the points' measurements (the
/// missing-sensor reasons are not in the CSV). ConfigError naming the file and line for a bad row.
struct SweepCsv {
  std::vector<Measurement> calibration_runs, points;
};
SweepCsv read_sweep_csv(const std::filesystem::path& path);

}  // namespace deepnvm::rl
