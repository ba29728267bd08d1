// SPDX-License-Identifier: MIT
#pragma once

// The CPU/GPU-ratio model (docs/models/rl.md §5) of the actor-learner system. Three resources
// bound the frame rate: the actors (each a serial loop of environment steps, sampling and forward
// passes or waits for the server), the CPU cores they share (with the learner and server when those
// run on the CPU), and the learner's device (updates, and in the central placement the server's
// forward passes). With inference on the actors the roles overlap and the lowest bound holds (a
// roofline); with central inference actors and device take turns (an actor waits for its batch, a
// forward pass waits for the update in progress), so their times per frame add. Its inputs are
// per-event costs measured on short runs (Calibration), scaled to a target machine by its core and
// accelerator speeds; nothing is fitted to a sweep.

#include <string>
#include <vector>

#include "deepnvm/rl/system.h"

namespace deepnvm::rl {

/// Per-event CPU costs from a short measurement (thread CPU time of each role, so a role's waits
/// are not counted): runs of both placements with one actor, at one and at more environments.
struct Calibration {
  /// An actor's CPU time per frame with its own policy copy (IMPALA): frame + pass / envs, the
  /// forward pass and per-unroll work shared by its environments.
  double actor_frame = 0, actor_pass = 0;
  /// The same for an actor whose inference is central (SEED RL): stepping, sampling, submitting.
  double client_frame = 0, client_pass = 0;
  /// The inference server's time per forward pass of n observations: central_fixed + central_per_obs n.
  double central_fixed = 0, central_per_obs = 0;
  /// Central inference: what a round trip costs beyond the actor's work, the forward pass and the
  /// updates (the hand-overs between threads), s; from the central runs' measured frame rates.
  double central_handover = 0;
  double learner_update = 0;  ///< the learner's time per update
  /// How much more CPU time a frame costs when every core runs an actor than when one does (shared
  /// execution units, caches and memory of the cores; 1: none), from a run with one actor per core.
  double core_scaling = 1;
  std::int64_t frames_per_update = 0;
  bool learner_on_cpu = true;  ///< the learner and the inference server run on CPU cores
  int cores = 0;               ///< the calibration machine's cores
};

/// Fits the calibration from measurements of the same environment and network: each cost line
/// through its one-actor runs' points (a constant when all are at the same batch; a slope the noise
/// makes negative is read as none); the learner's cost averaged; the core scaling from the
/// actor-placement runs with more than one actor. ConfigError if a placement is missing.
Calibration calibrate(const std::vector<Measurement>& runs);

/// The machine to predict for, relative to the calibration machine.
struct TargetMachine {
  int cores = 0;               ///< CPU cores for actors (and the learner if it is on the CPU)
  double core_speed = 1.0;     ///< per-core speed relative to the calibration machine's
  double core_scaling = 0;     ///< as Calibration::core_scaling; 0: the calibration machine's
  double device_speed = 1.0;   ///< learner-device speed relative to the calibration's learner
  bool learner_on_cpu = true;  ///< the learner uses CPU cores (no accelerator)
  int learner_devices = 1;
};

struct Prediction {
  double frames_per_second = 0;
  std::string bound;  ///< "actors", "cpu" or "learner": the lowest bound
  double actor_bound = 0, cpu_bound = 0, learner_bound = 0;
};

Prediction predict(const Calibration& cal, const TargetMachine& target, const SystemConfig& config);

/// The knee: the fewest actors (cores_per_actor and the rest as in `base`) whose predicted frame
/// rate is within `fraction` of the best over 1..max_actors. The optimal CPU/GPU ratio is its
/// config.cpu_gpu_ratio().
struct Knee {
  SystemConfig config;
  Prediction prediction;
  double best_frames_per_second = 0;
};
Knee knee(const Calibration& cal, const TargetMachine& target, SystemConfig base, int max_actors,
          double fraction = 0.95);

/// The same rule on measured points of one series (same placement, envs, cores per actor, batch):
/// the index of the point with the fewest actors within `fraction` of the series' best frame rate.
std::size_t measured_knee(const std::vector<Measurement>& series, double fraction = 0.95);

}  // namespace deepnvm::rl
