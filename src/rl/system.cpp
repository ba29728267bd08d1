// SPDX-License-Identifier: MIT
// Configurations, measurements and sweep files of the actor-learner system.
#include "deepnvm/rl/system.h"

#include <sched.h>

#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "deepnvm/core/error.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/rl/env.h"

namespace deepnvm::rl {

std::string_view placement_name(InferencePlacement p) { return p == InferencePlacement::actor ? "actor" : "central"; }

InferencePlacement parse_placement(std::string_view name) {
  return name == "central" ? InferencePlacement::central : InferencePlacement::actor;
}

int available_cores() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return static_cast<int>(std::thread::hardware_concurrency());
  return CPU_COUNT(&allowed);
}

namespace {

void put_optional(nlohmann::ordered_json& j, const char* key, const std::optional<double>& v) {
  j[key] = v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& what) {
  const auto it = j.find(key);
  if (it == j.end()) throw ConfigError({what, 0}, key, "missing in a measurement");
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError({what, 0}, key, "wrong type in a measurement");
  }
}

std::optional<double> optional_field(const nlohmann::json& j, const char* key, const std::string& what) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return field<double>(j, key, what);
}

}  // namespace

nlohmann::ordered_json to_json(const Measurement& m) {
  nlohmann::ordered_json j;
  j["env"] = m.env;
  j["inference"] = placement_name(m.config.inference);
  j["actors"] = m.config.actors;
  j["cores_per_actor"] = m.config.cores_per_actor;
  j["envs_per_actor"] = m.config.envs_per_actor;
  j["inference_batch"] = m.config.inference_batch;
  j["cpu_gpu_ratio"] = m.config.cpu_gpu_ratio();
  j["learner_device"] = m.learner_device;
  j["machine_cores"] = m.machine_cores;
  j["seconds"] = m.seconds;
  j["frames"] = m.frames;
  j["updates"] = m.updates;
  j["episodes"] = m.episodes;
  j["frames_per_second"] = m.frames_per_second;
  j["updates_per_second"] = m.updates_per_second;
  j["mean_inference_batch"] = m.mean_inference_batch;
  j["mean_inference_wait_s"] = m.mean_inference_wait;
  j["mean_unroll_wait_s"] = m.mean_unroll_wait;
  j["actor_cpu_cores"] = m.actor_cpu;
  j["learner_cpu_cores"] = m.learner_cpu;
  j["inference_cpu_cores"] = m.inference_cpu;
  j["env_step_s"] = m.env_step;
  j["actor_forward_s"] = m.actor_forward;
  j["central_forward_s"] = m.central_forward;
  j["learner_update_s"] = m.learner_update;
  j["frames_per_update"] = m.frames_per_update;
  put_optional(j, "cpu_power_w", m.cpu_watts);
  put_optional(j, "gpu_power_w", m.gpu_watts);
  put_optional(j, "gpu_utilization_percent", m.gpu_utilization);
  j["cpu_power_missing"] = m.cpu_power_missing;
  j["gpu_missing"] = m.gpu_missing;
  return j;
}

Measurement measurement_from_json(const nlohmann::json& j, const std::string& what) {
  Measurement m;
  m.env = field<std::string>(j, "env", what);
  const auto placement = field<std::string>(j, "inference", what);
  if (placement != "actor" && placement != "central")
    throw ConfigError({what, 0}, "inference", "expected 'actor' or 'central', got '{}'", placement);
  m.config.inference = parse_placement(placement);
  m.config.actors = field<int>(j, "actors", what);
  m.config.cores_per_actor = field<int>(j, "cores_per_actor", what);
  m.config.envs_per_actor = field<int>(j, "envs_per_actor", what);
  m.config.inference_batch = field<int>(j, "inference_batch", what);
  m.learner_device = field<std::string>(j, "learner_device", what);
  m.machine_cores = field<int>(j, "machine_cores", what);
  m.seconds = field<double>(j, "seconds", what);
  m.frames = field<std::int64_t>(j, "frames", what);
  m.updates = field<std::int64_t>(j, "updates", what);
  m.episodes = field<std::int64_t>(j, "episodes", what);
  m.frames_per_second = field<double>(j, "frames_per_second", what);
  m.updates_per_second = field<double>(j, "updates_per_second", what);
  m.mean_inference_batch = field<double>(j, "mean_inference_batch", what);
  m.mean_inference_wait = field<double>(j, "mean_inference_wait_s", what);
  m.mean_unroll_wait = field<double>(j, "mean_unroll_wait_s", what);
  m.actor_cpu = field<double>(j, "actor_cpu_cores", what);
  m.learner_cpu = field<double>(j, "learner_cpu_cores", what);
  m.inference_cpu = field<double>(j, "inference_cpu_cores", what);
  m.env_step = field<double>(j, "env_step_s", what);
  m.actor_forward = field<double>(j, "actor_forward_s", what);
  m.central_forward = field<double>(j, "central_forward_s", what);
  m.learner_update = field<double>(j, "learner_update_s", what);
  m.frames_per_update = field<std::int64_t>(j, "frames_per_update", what);
  m.cpu_watts = optional_field(j, "cpu_power_w", what);
  m.gpu_watts = optional_field(j, "gpu_power_w", what);
  m.gpu_utilization = optional_field(j, "gpu_utilization_percent", what);
  m.cpu_power_missing = field<std::string>(j, "cpu_power_missing", what);
  m.gpu_missing = field<std::string>(j, "gpu_missing", what);
  return m;
}

const Schema<RlSweepSpec>& RlSweepSpec::schema() {
  static const Schema<RlSweepSpec> s = [] {
    Schema<RlSweepSpec> s("rl_sweep",
                          "Actor-learner configurations measured in turn: placements x envs x cores x batch x actors "
                          "(deepnvm rl sweep).");
    s.allow_key("kind");
    const RlSweepSpec d;
    s.field("name", &RlSweepSpec::name).desc("Name of the sweep (output files).");
    s.field("env", &RlSweepSpec::env)
        .default_value(d.env)
        .desc("Environment: cartpole, acrobot, pendulum, double_pendulum.");
    s.field("inference", &RlSweepSpec::inference)
        .one_of({"actor", "central"})
        .default_value(d.inference)
        .desc(
            "Inference placements: actor (IMPALA, a policy copy per actor), central (SEED RL, batched on the "
            "learner).");
    s.field("actors", &RlSweepSpec::actors).min(1).max(256).default_value(d.actors).desc("Actor threads.");
    s.field("cores_per_actor", &RlSweepSpec::cores_per_actor)
        .min(1)
        .max(1024)
        .default_value(d.cores_per_actor)
        .desc("CPU cores each actor is pinned to (wrapping round the machine's cores).");
    s.field("envs_per_actor", &RlSweepSpec::envs_per_actor)
        .min(1)
        .max(1024)
        .default_value(d.envs_per_actor)
        .desc("Environments each actor steps, its forward passes batched over them.");
    s.field("inference_batch", &RlSweepSpec::inference_batch)
        .min(1)
        .max(65536)
        .default_value(d.inference_batch)
        .desc("Central inference: observations per forward pass the server waits for.");
    s.field("warmup", &RlSweepSpec::warmup)
        .unit(dim::time)
        .min(0)
        .max(3600)
        .default_value(d.warmup)
        .desc("Per point: run time before the measurement window.");
    s.field("seconds", &RlSweepSpec::seconds)
        .unit(dim::time)
        .greater_than(0)
        .max(86400)
        .default_value(d.seconds)
        .desc("Per point: the measurement window.");
    s.field("unroll", &RlSweepSpec::unroll).min(1).max(10000).default_value(d.unroll).desc("Steps per unroll.");
    s.field("batch_unrolls", &RlSweepSpec::batch_unrolls)
        .min(1)
        .max(4096)
        .default_value(d.batch_unrolls)
        .desc("Unrolls per learner update.");
    s.field("hidden", &RlSweepSpec::hidden).min(1).max(65536).default_value(d.hidden).desc("Hidden units per layer.");
    s.field("seed", &RlSweepSpec::seed).min(0).default_value(d.seed).desc("Seed of weights and environments.");
    s.field("learner_device", &RlSweepSpec::learner_device)
        .one_of({"cpu", "cuda"})
        .default_value(d.learner_device)
        .desc("Device of the learner and the central inference server.");
    s.check([](const RlSweepSpec& spec, const ConfigNode& node) {
      if (!builtin_environments().contains(spec.env))
        throw ConfigError(where_is(node, "env"), "env", "unknown environment '{}'; known: {}", spec.env,
                          fmt::join(builtin_environments().names(), ", "));
      const std::pair<const char*, std::size_t> lists[] = {{"inference", spec.inference.size()},
                                                           {"actors", spec.actors.size()},
                                                           {"cores_per_actor", spec.cores_per_actor.size()},
                                                           {"envs_per_actor", spec.envs_per_actor.size()},
                                                           {"inference_batch", spec.inference_batch.size()}};
      for (const auto& [key, n] : lists)
        if (n == 0) throw ConfigError(where_is(node, key), key, "expected at least one value");
    });
    return s;
  }();
  return s;
}

RlSweepSpec load_rl_sweep(const std::filesystem::path& path) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "rl_sweep")
    throw ConfigError(root.location(), "kind", "expected 'kind: rl_sweep' in an RL sweep file");
  return RlSweepSpec::schema().parse(root);
}

std::vector<SystemConfig> sweep_points(const RlSweepSpec& spec) {
  std::vector<SystemConfig> points;
  for (const std::string& placement : spec.inference)
    for (std::int64_t envs : spec.envs_per_actor)
      for (std::int64_t cores : spec.cores_per_actor) {
        const InferencePlacement p = parse_placement(placement);
        const std::vector<std::int64_t> batches =
            p == InferencePlacement::central ? spec.inference_batch : std::vector<std::int64_t>{envs};
        for (std::int64_t batch : batches)
          for (std::int64_t actors : spec.actors)
            points.push_back({p, static_cast<int>(actors), static_cast<int>(cores), static_cast<int>(envs),
                              static_cast<int>(batch)});
      }
  return points;
}

void register_builtin_rl(Registry<InputKind>& kinds) {
  kinds.add("rl_sweep", RlSweepSpec::schema().info().description, input_kind_of<RlSweepSpec>());
}

}  // namespace deepnvm::rl
