// SPDX-License-Identifier: MIT
#pragma once

// A workload's traffic at every capacity a study asks for, all from one miss-ratio curve
// (docs/models/study.md §5): the baseline capacity, the iso-area candidates and the scalability sweep
// read the same curve, so their differences come from capacity alone.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/cachesim/mrc.h"
#include "deepnvm/gpu/traffic.h"

namespace deepnvm::study {

struct TrafficCurve {
  std::string source;                     ///< "model", or "model scaled to <ncu|nvprof>"
  std::vector<std::uint64_t> capacities;  ///< bytes, ascending
  std::vector<Traffic> traffic;           ///< index-aligned with capacities
  std::vector<std::string> notes;         ///< what a reader of the results must know (scaling, ...)

  /// The traffic at exactly `capacity`; ModelError listing the curve's range if it has no such point.
  const Traffic& at(std::uint64_t capacity) const;
};

/// @brief The curve's per-kernel counters at each of its capacities. `kernels` (the reported iteration of
/// the traffic model, index-aligned with the curve's kernels) gives names, layers and FLOPs.
TrafficCurve curve_from_mrc(const cachesim::MissRatioCurve& mrc, const Traffic& kernels);

/// @brief The model's curve scaled so that, at `measured_capacity`, its totals match `measured`: read and
/// write sectors by their measured-to-modelled ratios, the read miss ratio and the write-back ratio by
/// theirs, at every capacity and kernel (misses capped at the accesses). ModelError saying why when the
/// model cannot describe the measurement (it has no reads or writes, or no misses where misses were
/// measured), or when the curve lacks `measured_capacity`.
TrafficCurve scale_to_measured(const TrafficCurve& model, const Traffic& measured, std::uint64_t measured_capacity);

nlohmann::ordered_json to_json(const TrafficCurve& curve);
TrafficCurve traffic_curve_from_json(const nlohmann::ordered_json& json);

}  // namespace deepnvm::study
