// SPDX-License-Identifier: MIT
// Runs a sweep: calibration, then each configuration as a timed run of the trainer.
#include "deepnvm/rltrain/sweep_run.h"

#include <algorithm>

#include "deepnvm/rltrain/trainer.h"

namespace deepnvm::rltrain {

rl::RlSweepResult run_rl_sweep(const rl::RlSweepSpec& spec, const std::filesystem::path& data_dir,
                               const SweepCallbacks& cb) {
  rl::RlSweepResult r;
  r.spec = spec;
  const std::vector<rl::SystemConfig> calibration = rl::calibration_points(spec, rl::available_cores()),
                                      points = rl::sweep_points(spec);
  const std::size_t total = calibration.size() + points.size();
  auto stopped = [&] { return cb.stop && cb.stop->load(); };
  auto measure = [&](const rl::SystemConfig& config, double warmup, double seconds) {
    TrainerOptions o;
    o.env = spec.env;
    o.data_dir = data_dir;
    o.system = config;
    o.unroll = spec.unroll;
    o.batch_unrolls = spec.batch_unrolls;
    o.hidden = spec.hidden;
    o.seed = spec.seed;
    o.learner_device = spec.learner_device;
    o.warmup = warmup;
    o.seconds = seconds;
    o.stop = cb.stop;
    return train(o).measurement;
  };
  std::size_t done = 0;
  for (const rl::SystemConfig& c : calibration) {
    if (stopped()) break;
    if (cb.starting) cb.starting(done++, total, c, true);
    r.calibration_runs.push_back(measure(c, std::min(spec.warmup, 1.0), std::min(spec.seconds, 2.0)));
  }
  if (stopped()) {
    r.interrupted = true;
    return r;
  }
  r.calibration = rl::calibrate(r.calibration_runs);
  r.machine.cores = r.calibration_runs.front().machine_cores;
  r.machine.learner_on_cpu = spec.learner_device == "cpu";
  for (const rl::SystemConfig& c : points) {
    if (stopped()) break;
    if (cb.starting) cb.starting(done++, total, c, false);
    rl::SweepPoint p;
    p.measured = measure(c, spec.warmup, spec.seconds);
    if (stopped()) break;  // a cut-short window is not a measurement
    r.points.push_back(p);
    rl::predict_and_mark(r);
    if (cb.finished_point) cb.finished_point(r);
  }
  r.interrupted = stopped();
  return r;
}

}  // namespace deepnvm::rltrain
