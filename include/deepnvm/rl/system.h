// SPDX-License-Identifier: MIT
#pragma once

// The actor-learner system's configurations, what a measurement of one records, and the sweep file
// that lists them (docs/models/rl.md §3-4). Plain data: the trainer that runs a configuration lives
// in the rltrain layer (libtorch), the ratio model in rl/ratio_model.h.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"

namespace deepnvm::rl {

/// Where the policy runs for the actors: a copy on every actor thread (IMPALA) or one batched
/// inference server beside the learner, on the learner's device (SEED RL).
enum class InferencePlacement { actor, central };
std::string_view placement_name(InferencePlacement p);
/// ConfigError-free parse for code paths that have checked the name: "actor" or "central".
InferencePlacement parse_placement(std::string_view name);

/// CPU cores this process may run on (its affinity mask).
int available_cores();

/// One configuration of the system.
struct SystemConfig {
  InferencePlacement inference = InferencePlacement::actor;
  int actors = 1;
  int cores_per_actor = 1;  ///< CPU cores each actor thread is pinned to (wrapping round when too few)
  int envs_per_actor = 1;   ///< environments an actor steps in turn, its inference batched over them
  int inference_batch = 1;  ///< central inference: observations the server waits for before a forward pass
  /// Cores given to actors per learner device: the CPU/GPU ratio (may exceed the machine's cores).
  double cpu_gpu_ratio(int learner_devices = 1) const {
    return static_cast<double>(actors) * cores_per_actor / learner_devices;
  }
};

/// What one run of a configuration measured over its measurement window (after the warm-up).
/// Timings are wall-clock; CPU shares are CPU seconds per wall second (1 = one busy core).
struct Measurement {
  SystemConfig config;
  std::string env;
  std::string learner_device;  ///< "cpu" or "cuda"
  int machine_cores = 0;       ///< CPU cores this process may run on
  double seconds = 0;          ///< measurement window
  std::int64_t frames = 0, updates = 0, episodes = 0;
  double frames_per_second = 0, updates_per_second = 0;
  double mean_inference_batch = 0;  ///< observations per forward pass (actor: its envs; central: the server's)
  double mean_inference_wait = 0;   ///< central: a request's time from submission to its forward pass, s
  double mean_unroll_wait = 0;      ///< an unroll's time in the learner's queue, s
  double actor_cpu = 0, learner_cpu = 0, inference_cpu = 0;  ///< CPU share of each role, cores
  // Per-event costs, the ratio model's calibration (thread CPU time of each role):
  double env_step = 0;         ///< s per environment step on an actor
  double actor_forward = 0;    ///< s per actor-side forward pass (mean batch: mean_inference_batch)
  double central_forward = 0;  ///< s per central forward pass
  double learner_update = 0;   ///< s per learner update
  std::int64_t frames_per_update = 0;
  std::optional<double> cpu_watts, gpu_watts, gpu_utilization;  ///< nullopt: no sensor (reason below)
  std::string cpu_power_missing, gpu_missing;
};

nlohmann::ordered_json to_json(const Measurement& m);
/// The inverse of to_json(); ConfigError naming `what` for a missing or mistyped field.
Measurement measurement_from_json(const nlohmann::json& j, const std::string& what);

/// A sweep of configurations (kind rl_sweep, `deepnvm rl sweep FILE.yaml`).
struct RlSweepSpec {
  std::string name;
  std::string env = "cartpole";
  std::vector<std::string> inference{"actor"};
  std::vector<std::int64_t> actors{1, 2, 4, 8}, cores_per_actor{1}, envs_per_actor{1}, inference_batch{8};
  double warmup = 1.0, seconds = 4.0;  ///< per point: warm-up, then the measurement window
  std::int64_t unroll = 20, batch_unrolls = 8, hidden = 64, seed = 1;
  std::string learner_device = "cpu";
  static const Schema<RlSweepSpec>& schema();
};

/// Strict loader (`kind: rl_sweep`): ConfigError with file, line and key; the environment must be known.
RlSweepSpec load_rl_sweep(const std::filesystem::path& path);

/// The configurations of a sweep in order: placement, envs per actor, cores per actor, inference
/// batch (central only; actor placement runs one point per combination), actors.
std::vector<SystemConfig> sweep_points(const RlSweepSpec& spec);

void register_builtin_rl(Registry<InputKind>& kinds);

}  // namespace deepnvm::rl
