// SPDX-License-Identifier: MIT
#pragma once

// A whole study run (docs/models/study.md §6): L2 builds of every technology (iso-capacity at the GPU's
// L2 capacity, the iso-area search, the scalability sweep), then every workload's traffic curve, then
// energy, delay and EDP of every (workload, mode, batch, technology, capacity). Units of work are
// cached on disk (result_cache.h) so a repeated or interrupted study resumes.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/gpu/traffic.h"
#include "deepnvm/study/capacity.h"
#include "deepnvm/study/energy_delay.h"
#include "deepnvm/study/result_cache.h"
#include "deepnvm/study/study_spec.h"
#include "deepnvm/study/traffic_curve.h"

namespace deepnvm::study {

/// One row of results: a workload iteration on one technology's L2 at one capacity.
struct StudyRecord {
  std::string workload;
  std::string mode;
  std::int64_t batch = 0;
  std::string traffic_source;  ///< "model", "ncu", "model scaled to ncu", ...
  L2Figures l2;
  EnergyDelay result;
  PerDelay edp_ratio;  ///< EDP of the baseline / EDP of this record (> 1: this technology is better)
};

/// The iso-area capacity of one technology.
struct IsoAreaCapacity {
  std::string technology;
  std::uint64_t capacity = 0;                               ///< bytes, all slices
  double capacity_gain = 0;                                 ///< capacity / baseline capacity
  double area = 0;                                          ///< m²
  double area_budget = 0;                                   ///< m², the baseline's area
  std::vector<std::pair<std::uint64_t, double>> evaluated;  ///< (slice bytes, L2 area) tried
};

struct StudyResults {
  std::string name, description, gpu, baseline;
  std::vector<std::string> technologies;
  std::uint64_t baseline_capacity = 0;
  int slices = 0;
  SystemRates rates;
  std::string dram_type;
  std::string dram_source;
  bool dram_energy = true;
  std::string inputs_hash;                 ///< of the normalized study inputs
  std::vector<L2Figures> iso_capacity_l2;  ///< per technology, at the baseline capacity
  std::vector<IsoAreaCapacity> iso_area_capacities;
  std::vector<StudyRecord> iso_capacity, iso_area, scalability;
  std::vector<std::string> notes;
};

/// How to run: where data and cache are, threads, and a progress callback (phase, done, total).
struct RunOptions {
  std::filesystem::path data_dir;
  ResultCache cache;
  unsigned threads = 0;
  const Registry<CellFactory>* cell_models = nullptr;
  std::function<void(const std::string& phase, std::size_t done, std::size_t total)> progress;
};

/// @brief Runs `spec`. ConfigError / ModelError / IoError on bad inputs.
StudyResults run_study(const StudySpec& spec, const RunOptions& options);

/// @brief Records of one workload at one capacity for every technology, with EDP ratios against
/// `baseline` (the first record whose technology is `baseline`). Exposed for tests.
std::vector<StudyRecord> compare_technologies(const Traffic& traffic, const std::vector<L2Figures>& l2,
                                              const std::string& baseline, const SystemRates& rates,
                                              const EnergyDelayOptions& options);

/// Statistics over workloads of one ratio (the headline numbers).
struct RatioStats {
  double max = 0;
  std::string max_workload;
  double mean = 0;  ///< arithmetic
  double geomean = 0;
  std::size_t count = 0;
};
RatioStats ratio_stats(const std::vector<std::pair<std::string, double>>& values);

/// The headline block of results.json: per technology and delay model, iso-capacity EDP and area
/// reductions, iso-area capacity gain and EDP reduction, scalability at the sweep's ends.
nlohmann::ordered_json headline_json(const StudyResults& results);

/// results.json (docs/json_format.md, `run`).
nlohmann::ordered_json results_json(const StudyResults& results);
/// results.csv: one row per record of every study.
std::string results_csv(const StudyResults& results);
/// kernels.csv: the per-kernel energy and delay breakdown of every iso-capacity record, in launch order.
std::string kernels_csv(const StudyResults& results);
/// report.md: setup, headline against the published figures, per-workload tables.
std::string report_markdown(const StudyResults& results);
/// The short terminal summary.
std::string summary_table(const StudyResults& results);

}  // namespace deepnvm::study
