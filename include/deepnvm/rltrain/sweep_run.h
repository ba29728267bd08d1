// SPDX-License-Identifier: MIT
#pragma once

// `deepnvm rl sweep`: the short calibration runs, then every configuration of the sweep file, each
// a timed run of the trainer (docs/models/rl.md §4).

#include <atomic>
#include <filesystem>
#include <functional>

#include "deepnvm/rl/sweep_output.h"

namespace deepnvm::rltrain {

struct SweepCallbacks {
  /// Before each run: its index, the number of runs (calibration included) and its configuration.
  std::function<void(std::size_t, std::size_t, const rl::SystemConfig&, bool calibration)> starting;
  /// After each sweep point, with the result so far (calibrated, predicted, knees marked).
  std::function<void(const rl::RlSweepResult&)> finished_point;
  const std::atomic<bool>* stop = nullptr;
};

/// Calibration runs (the sweep's warm-up and window, at most 1 s and 2 s) and the sweep's points; stops early (result
/// marked interrupted) when `stop` is set.
rl::RlSweepResult run_rl_sweep(const rl::RlSweepSpec& spec, const std::filesystem::path& data_dir,
                               const SweepCallbacks& callbacks);

}  // namespace deepnvm::rltrain
