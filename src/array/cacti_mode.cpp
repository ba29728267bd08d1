// SPDX-License-Identifier: MIT
#include "deepnvm/array/cacti_mode.h"

#include <algorithm>
#include <limits>

namespace deepnvm {
namespace {

// The metrics of `f` in CACTI's objective order: delay, dynamic energy, leakage, cycle, area.
std::array<double, 5> metrics(const CactiFigures& f) { return {f.access, f.dynamic, f.leakage, f.cycle, f.area}; }

// CACTI's check_mem_org / check_uca_org: every metric within its deviation (percent) of the minimum.
bool within_deviation(const CactiFigures& f, const CactiFigures& min, const CactiObjective& o) {
  const auto v = metrics(f), m = metrics(min);
  for (std::size_t i = 0; i < v.size(); ++i)
    if ((v[i] - m[i]) / m[i] * 100.0 > o.deviation[i]) return false;
  return true;
}

// The weighted sum of metrics normalised to their minima; metrics of weight 0 are skipped (a zero
// minimum, e.g. no leakage, then costs nothing rather than NaN).
double weighted_cost(const CactiFigures& f, const CactiFigures& min, const CactiObjective& o) {
  const auto v = metrics(f), m = metrics(min);
  double cost = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (o.weight[i] != 0.0) cost += o.weight[i] * v[i] / m[i];
  return cost;
}

}  // namespace

Technology technology_for_model(circuit::CircuitModel model, const std::filesystem::path& data_dir, double node) {
  return find_technology(data_dir, model == circuit::CircuitModel::cacti ? "cacti" : default_table_set(node), node);
}

ModelWires cacti_default_wires() {
  ModelWires w;
  w.local = {WireType::local_conservative, RepeaterType::none, false};
  w.global = {WireType::semi_conservative, RepeaterType::penalty_30, false};
  return w;
}

CactiObjective cacti_objective_for(OptimizationTarget target) {
  CactiObjective o;
  switch (target) {
    case OptimizationTarget::read_edp:
    case OptimizationTarget::write_edp:
      o.weight = {100.0, 100.0, 0.0, 0.0, 0.0};
      o.ed = 1;
      break;
    case OptimizationTarget::read_energy:
    case OptimizationTarget::write_energy:
      o.weight = {0.0, 100.0, 0.0, 0.0, 0.0};
      break;
    case OptimizationTarget::leakage:
      o.weight = {0.0, 0.0, 100.0, 0.0, 0.0};
      break;
    case OptimizationTarget::area:
      o.weight = {0.0, 0.0, 0.0, 0.0, 100.0};
      break;
    default:
      o.weight = {100.0, 0.0, 0.0, 0.0, 0.0};
      break;
  }
  return o;
}

CactiFigures cacti_minima(std::span<const CactiFigures> candidates) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  CactiFigures m{inf, inf, inf, inf, inf};
  for (const CactiFigures& c : candidates) {
    m.access = std::min(m.access, c.access);
    m.dynamic = std::min(m.dynamic, c.dynamic);
    m.leakage = std::min(m.leakage, c.leakage);
    m.cycle = std::min(m.cycle, c.cycle);
    m.area = std::min(m.area, c.area);
  }
  return m;
}

std::size_t cacti_pick_tag(std::span<const CactiFigures> candidates, const CactiObjective& objective) {
  const CactiFigures min = cacti_minima(candidates);
  std::size_t best = candidates.size();
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!within_deviation(candidates[i], min, objective)) continue;
    const double cost = weighted_cost(candidates[i], min, objective);
    if (cost < best_cost) {
      best_cost = cost;
      best = i;
    }
  }
  return best;
}

bool cacti_keep_data(const CactiFigures& c, const CactiFigures& min) {
  return !((c.access - min.access) / min.access > 0.5 && (c.dynamic - min.dynamic) / min.dynamic > 0.5);
}

std::size_t cacti_pick(std::span<const CactiFigures> candidates, const CactiObjective& objective) {
  const CactiFigures min = cacti_minima(candidates);
  std::size_t best = candidates.size();
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const CactiFigures& c = candidates[i];
    double cost = 0.0;
    if (objective.ed == 1) {
      cost = (c.access / min.access) * (c.dynamic / min.dynamic);
    } else if (objective.ed == 2) {
      cost = (c.access / min.access) * (c.access / min.access) * (c.dynamic / min.dynamic);
    } else {
      if (!within_deviation(c, min, objective)) continue;
      cost = weighted_cost(c, min, objective);
    }
    if (cost < best_cost) {
      best_cost = cost;
      best = i;
    }
  }
  return best;
}

}  // namespace deepnvm
