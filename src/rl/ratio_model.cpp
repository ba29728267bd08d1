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

}  // namespace

Calibration calibrate(const std::vector<Measurement>& runs) {
  Calibration cal;
  std::vector<std::pair<double, double>> actor, client, server;  // (1 / envs, CPU s per frame); (batch, s per pass)
  double update = 0;
  int update_n = 0;
  for (const Measurement& m : runs) {
    if (m.frames <= 0 || m.seconds <= 0) continue;
    const double frames = static_cast<double>(m.frames), inv_envs = 1.0 / m.config.envs_per_actor;
    if (m.updates > 0 && m.learner_cpu > 0) update += m.learner_cpu * m.seconds / m.updates, ++update_n;
    if (m.config.inference == InferencePlacement::actor) {
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
    const double per_frame = (cal.actor_frame + cal.actor_pass / envs) / core;
    p.actor_bound = actor_cores / per_frame;
    p.learner_bound = target.learner_devices * frames_per_update / update;
    p.cpu_bound = cores / (per_frame + learner_cpu_per_frame);
  } else {
    const double per_frame = (cal.client_frame + cal.client_pass / envs) / core;
    // The server serves what is waiting: a full batch, or every actor's request when fewer are out.
    const double batch = std::min(static_cast<double>(c.inference_batch), n_actors * envs);
    const double forward = (cal.central_fixed + cal.central_per_obs * batch) / device;
    // An actor's cycle: its own work for its envs, then the wait for one forward pass.
    p.actor_bound = std::min(n_actors * envs / (envs * per_frame + forward), actor_cores / per_frame);
    p.learner_bound = target.learner_devices / (forward / batch + update / frames_per_update);
    p.cpu_bound = cores / (per_frame + (target.learner_on_cpu ? forward / batch : 0.0) + learner_cpu_per_frame);
  }
  p.frames_per_second = std::min({p.actor_bound, p.learner_bound, p.cpu_bound});
  p.bound = p.frames_per_second == p.actor_bound ? "actors" : p.frames_per_second == p.cpu_bound ? "cpu" : "learner";
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
