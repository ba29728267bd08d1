// SPDX-License-Identifier: MIT
#pragma once

// Capacities of the studies (docs/models/study.md §4-§5): the slice-capacity grid, slices of
// non-power-of-two capacity built from power-of-two parts, and the iso-area search.
//
// The array model's address decoding needs a power-of-two array, so a slice of 2^k x {1.25, 1.5, 1.75}
// is built as the power-of-two parts of its binary representation (160 KiB = 128 KiB + 32 KiB), each a
// complete cache array: areas and leakages add, an access goes to one part (energy: capacity-weighted
// mean, addresses being spread evenly), and the slice runs at its slowest part's latency.

#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "deepnvm/study/energy_delay.h"

namespace deepnvm::study {

/// @brief Slice capacities 2^k x {1, 1.25, 1.5, 1.75} within [lo, hi], ascending (lo and hi in bytes).
std::vector<std::uint64_t> slice_grid(std::uint64_t lo, std::uint64_t hi);

/// @brief The scalability sweep over [lo, hi]: powers of two from the largest one <= lo while below hi,
/// then the smallest grid point (2^k x {1, 1.25, 1.5, 1.75}) >= hi. That top point is the sum of two or
/// three smaller swept powers of two (slice_parts), so it costs no array build of its own.
std::vector<std::uint64_t> sweep_cover(std::uint64_t lo, std::uint64_t hi);

/// @brief The power-of-two parts of a grid capacity, largest first; ModelError if `slice_bytes` is not
/// 2^k x {1, 1.25, 1.5, 1.75}.
std::vector<std::uint64_t> slice_parts(std::uint64_t slice_bytes);

/// @brief One L2 whose every slice holds one array of each part: area and leakage add, energies are
/// the capacity-weighted means, latencies the largest. `parts` share technology and slice count.
L2Figures combine_parts(std::span<const L2Figures> parts);

/// Builds the whole L2 (all slices) at one slice capacity of the grid.
using SliceBuilder = std::function<L2Figures(std::uint64_t slice_bytes)>;

struct IsoAreaResult {
  std::uint64_t slice_bytes = 0;                            ///< the largest grid capacity found whose area fits
  L2Figures figures;                                        ///< of the whole L2 at that capacity
  double area_budget = 0;                                   ///< m²: the baseline's area
  std::vector<std::pair<std::uint64_t, double>> evaluated;  ///< (slice bytes, area) in search order
};

/// @brief The largest slice capacity of the grid in [min_slice, max_slice] whose L2 area fits
/// `area_budget`: powers of two are walked from `start_slice` (up while they fit, down while they do
/// not), then the octave above the largest fitting power is refined at 1.75, 1.5, 1.25. ModelError if
/// even min_slice does not fit. Assumes area grows with capacity inside one octave (recorded in
/// `evaluated`, so a report can show it).
IsoAreaResult iso_area_search(double area_budget, std::uint64_t start_slice, std::uint64_t min_slice,
                              std::uint64_t max_slice, const SliceBuilder& build);

}  // namespace deepnvm::study
