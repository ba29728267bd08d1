// SPDX-License-Identifier: MIT
// The CPU/GPU-ratio roofline of the actor-learner system (docs/models/rl.md §5).
#include "deepnvm/rl/ratio_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "deepnvm/core/error.h"

namespace deepnvm::rl {

namespace {

// Least-squares line y = a + b x through (x, y) points, as (a, b); a constant if every x is equal.
std::pair<double, double> line_through(const std::vector<std::pair<double, double>>& points) {
  double sn = 0, sc = 0;
  for (const auto& [n, c] : points) sn += n, sc += c;
  const double k = static_cast<double>(points.size()), mn = sn / k, mc = sc / k;
  double snn = 0, snc = 0;
  for (const auto& [n, c] : points) snn += (n - mn) * (n - mn), snc += (n - mn) * (c - mc);
  if (snn <= 1e-12 * std::max(1.0, mn * mn)) return {mc, 0.0};
  // Costs are not negative: a slope the noise makes negative is read as none, and an intercept
  // below zero as a line through the origin.
  const double slope = snc / snn;
  if (slope <= 0) return {mc, 0.0};
  if (mc - slope * mn >= 0) return {mc - slope * mn, slope};
  double sxx = 0, sxy = 0;
  for (const auto& [x, y] : points) sxx += x * x, sxy += x * y;
  return {0.0, sxy / sxx};
}

// Central inference with every actor in lock-step: the time for the N E frames of one round (the
// actors' work on their cores, the forward passes, the hand-over) plus the updates' share of the
// device, which the server waits for. `core` and `device` are the speed factors, `cores` the actor cores.
double central_round(const Calibration& cal, const SystemConfig& c, double core, double device, double handover,
                     double cores = 1.0, double* actor_part = nullptr) {
  const double frames = static_cast<double>(c.actors) * c.envs_per_actor;
  const double passes = std::ceil(frames / c.inference_batch), batch = frames / passes;
  const double work = frames * (cal.client_frame + cal.client_pass / c.envs_per_actor) / core / cores;
  const double forward = passes * (cal.central_fixed + cal.central_per_obs * batch) / device;
  const double updates = frames * cal.learner_update / device / static_cast<double>(cal.frames_per_update);
  if (actor_part) *actor_part = work + handover;
  return work + forward + handover + updates;
}

}  // namespace

Calibration calibrate(const std::vector<Measurement>& runs) {
  Calibration cal;
  std::vector<std::pair<double, double>> actor, client, server;  // (1 / envs, CPU s per frame); (batch, s per pass)
  std::vector<const Measurement*> crowded;                       // actor placement, several actors
  double update = 0;
  int update_n = 0;
  for (const Measurement& m : runs) {
    if (m.frames <= 0 || m.seconds <= 0) continue;
    const double frames = static_cast<double>(m.frames), inv_envs = 1.0 / m.config.envs_per_actor;
    if (m.updates > 0 && m.learner_cpu > 0) update += m.learner_cpu * m.seconds / m.updates, ++update_n;
    if (m.config.inference == InferencePlacement::actor && m.config.actors > 1) {
      crowded.push_back(&m);
    } else if (m.config.inference == InferencePlacement::actor) {
      actor.emplace_back(inv_envs, m.actor_cpu * m.seconds / frames);
    } else {
      client.emplace_back(inv_envs, m.actor_cpu * m.seconds / frames);
      if (m.mean_inference_batch > 0)
        server.emplace_back(m.mean_inference_batch, m.inference_cpu * m.seconds / (frames / m.mean_inference_batch));
    }
    cal.frames_per_update = m.frames_per_update;
    cal.learner_on_cpu = m.learner_device == "cpu";
    cal.cores = m.machine_cores;
  }
  if (actor.empty() || client.empty() || server.empty() || update_n == 0)
    throw ConfigError({"<calibration>", 0}, "inference",
                      "the calibration needs measured runs of both placements (actor and central)");
  cal.learner_update = update / update_n;
  std::tie(cal.actor_frame, cal.actor_pass) = line_through(actor);
  std::tie(cal.client_frame, cal.client_pass) = line_through(client);
  std::tie(cal.central_fixed, cal.central_per_obs) = line_through(server);
  // The hand-over: each central run's measured round time less the parts the model counts.
  double handover = 0;
  int handover_n = 0;
  for (const Measurement& m : runs)
    if (m.config.inference == InferencePlacement::central && m.frames_per_second > 0) {
      SystemConfig one = m.config;
      one.actors = 1;
      const double counted = central_round(cal, one, 1.0, 1.0, 0.0);
      handover += m.config.envs_per_actor / m.frames_per_second - counted, ++handover_n;
    }
  cal.central_handover = handover_n > 0 ? std::max(0.0, handover / handover_n) : 0.0;
  // Core scaling: a frame's CPU time with several actors busy over the one-actor line's. Sharing
  // cores does not make work cheaper: below 1 is noise.
  double scaling = 0;
  for (const Measurement* m : crowded)
    scaling += m->actor_cpu * m->seconds / static_cast<double>(m->frames) /
               (cal.actor_frame + cal.actor_pass / m->config.envs_per_actor) / static_cast<double>(crowded.size());
  cal.core_scaling = crowded.empty() ? 1.0 : std::max(1.0, scaling);
  return cal;
}

Prediction predict(const Calibration& cal, const TargetMachine& target, const SystemConfig& c) {
  const double core = target.core_speed, device = target.learner_on_cpu ? target.core_speed : target.device_speed;
  const double update = cal.learner_update / device, frames_per_update = static_cast<double>(cal.frames_per_update);
  const double n_actors = c.actors, envs = c.envs_per_actor, cores = target.cores;
  // Actors are single threads pinned to actors x cores_per_actor cores, wrapping round the machine.
  const double actor_cores = std::min({n_actors, n_actors * c.cores_per_actor, cores});
  const double learner_cpu_per_frame = target.learner_on_cpu ? update / frames_per_update : 0.0;

  Prediction p;
  if (c.inference == InferencePlacement::actor) {
    // Busy actors share the cores' execution units, caches and memory: a frame costs more the more
    // cores run one, up to core_scaling with every core busy (linear in between).
    const double full = target.core_scaling > 0 ? target.core_scaling : cal.core_scaling;
    const double crowding = cores > 1 ? 1 + (full - 1) * (std::min(n_actors, cores) - 1) / (cores - 1) : 1.0;
    const double per_frame = (cal.actor_frame + cal.actor_pass / envs) / core * crowding;
    const double learner = target.learner_on_cpu ? crowding : 1.0;
    p.actor_bound = actor_cores / per_frame;
    p.learner_bound = target.learner_devices * frames_per_update / (update * learner);
    p.cpu_bound = cores / (per_frame + learner_cpu_per_frame * learner);
    p.frames_per_second = std::min({p.actor_bound, p.learner_bound, p.cpu_bound});
    p.bound = p.frames_per_second == p.actor_bound ? "actors" : p.frames_per_second == p.cpu_bound ? "cpu" : "learner";
  } else {
    const double per_frame = (cal.client_frame + cal.client_pass / envs) / core;
    const double frames = n_actors * envs, batch = frames / std::ceil(frames / c.inference_batch);
    double actor_part = 0;
    const double round = central_round(cal, c, core, device, cal.central_handover, actor_cores, &actor_part);
    p.actor_bound = frames / actor_part;
    p.learner_bound = target.learner_devices * frames / (round - actor_part);
    const double server_cpu = target.learner_on_cpu ? (cal.central_fixed / batch + cal.central_per_obs) / device : 0.0;
    p.cpu_bound = cores / (per_frame + server_cpu + learner_cpu_per_frame);
    const double turns = frames / (actor_part + (round - actor_part) / target.learner_devices);
    p.frames_per_second = std::min(turns, p.cpu_bound);
    p.bound = p.frames_per_second == p.cpu_bound ? "cpu" : actor_part >= round - actor_part ? "actors" : "learner";
  }
  return p;
}

Knee knee(const Calibration& cal, const TargetMachine& target, SystemConfig base, int max_actors, double fraction) {
  std::vector<Prediction> curve;
  double best = 0;
  for (int n = 1; n <= max_actors; ++n) {
    base.actors = n;
    curve.push_back(predict(cal, target, base));
    best = std::max(best, curve.back().frames_per_second);
  }
  for (int n = 1; n <= max_actors; ++n)
    if (curve[n - 1].frames_per_second >= fraction * best) {
      base.actors = n;
      return {base, curve[n - 1], best};
    }
  base.actors = max_actors;
  return {base, curve.back(), best};
}

std::size_t measured_knee(const std::vector<Measurement>& series, double fraction) {
  double best = 0;
  for (const Measurement& m : series) best = std::max(best, m.frames_per_second);
  std::size_t knee = 0;
  int fewest = std::numeric_limits<int>::max();
  for (std::size_t i = 0; i < series.size(); ++i)
    if (series[i].frames_per_second >= fraction * best && series[i].config.actors < fewest)
      knee = i, fewest = series[i].config.actors;
  return knee;
}

}  // namespace deepnvm::rl
