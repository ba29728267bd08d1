// SPDX-License-Identifier: MIT
#pragma once

// The traffic model end to end: network -> kernels (gpu lowering) -> L2 access stream -> sectored L2
// simulation at one capacity and, on request, miss-ratio curves at every capacity.
//
// Traffic is one steady-state iteration: a warm-up iteration is simulated first and the second one is
// reported (TrafficOptions::cold opts out). The L2 is not flushed between kernels unless
// flush_between_kernels asks for it (Nsight Compute's default --cache-control all).
//
// docs/models/traffic.md "Cache simulation and the end-to-end model" has the details:
// - warm: no final flush; DRAM writes are the write-backs that happen in the reported iteration.
//   cold: the run ends with a write-back of everything dirty, charged to the last kernel.
// - the curve's warm-up kernels use the same indices 0..n-1 as the reported ones, with
//   MrcBuilder::start_measurement() between the iterations (the options' flush_between_kernels and
//   final_flush are set to match the simulation), so the exact curve at C equals a fully associative
//   LRU simulation of C, counter for counter.
// - each sink's warm-up starts late, where the rest of iteration 1 spans warmup_footprint_factor x its
//   largest capacity (checked equal to the full warm-up).
// - one thread generates each kernel's stream once; one thread per sink consumes it in order, so the
//   results are identical for any thread count.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "deepnvm/cachesim/cache.h"
#include "deepnvm/cachesim/mrc.h"
#include "deepnvm/gpu/gpu.h"
#include "deepnvm/gpu/lowering.h"
#include "deepnvm/gpu/traffic.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm {

struct TrafficOptions {
  LoweringOptions lowering;               ///< mode, batch, dtype, optimizer, split-K
  std::optional<std::uint64_t> l2_bytes;  ///< simulated L2 capacity; empty: the GPU's own
  cachesim::ReplacementPolicy policy = cachesim::ReplacementPolicy::lru;
  bool cold = false;  ///< report the first iteration (no warm-up)
  /// Write back and invalidate the L2 before every kernel, as Nsight Compute does outside the kernel:
  /// those write-backs are in no kernel's dram_write_bytes.
  bool flush_between_kernels = false;
  std::optional<cachesim::MrcOptions> mrc;  ///< also build a miss-ratio curve of the reported iteration
  /// Simulate the set-associative L2. false (allowed only with `mrc`): the curve alone, for callers that
  /// need traffic at many capacities (the study); TrafficResult::traffic then holds FLOPs and compute
  /// times only, every counter zero.
  bool simulate = true;
  int threads = 0;  ///< 0: all cores; results do not depend on it
  /// Warm-up tail: each sink's warm-up starts at the last kernel of iteration 1 from which the buffers
  /// the rest of the iteration touches span at least this many times the sink's largest capacity (the
  /// L2, or the curve's largest point); 0 simulates the whole warm-up. docs/models/traffic.md explains
  /// why the tail suffices and how it was checked against the full warm-up.
  double warmup_footprint_factor = 3;
};

/// @brief The reported iteration's traffic at the simulated L2, and its curve if one was asked for.
struct TrafficResult {
  std::string network;
  std::string gpu;
  std::uint64_t l2_bytes = 0;                   ///< the capacity `traffic` was simulated at
  Traffic traffic;                              ///< source "model"; kernels in launch order with time_s
  std::vector<Kernel> kernels;                  ///< the lowered kernels, index-aligned with traffic.kernels
  std::optional<cachesim::MissRatioCurve> mrc;  ///< kernel k of the curve is traffic.kernels[k]

  cachesim::CacheSpec l2;                   ///< the simulated L2 organisation (slices, ways, indexing, policy)
  bool warm = true;                         ///< false when TrafficOptions::cold
  std::size_t warmup_first_kernel = 0;      ///< first warm-up kernel the L2 simulation ran (kernels.size(): none)
  std::size_t mrc_warmup_first_kernel = 0;  ///< the same for the curve
  std::uint64_t footprint_bytes = 0;        ///< bytes of all buffers of the iteration (split-K workspace included)
  std::uint64_t measured_accesses = 0;      ///< L2Access records of the reported iteration
  std::uint64_t generated_accesses = 0;     ///< records generated in all (the warm-up tail included)
  /// With flush_between_kernels: bytes the flushes before the reported kernels wrote back. They are in
  /// those kernels' dram_write_bytes; Nsight Compute flushes outside the kernel and counts none of them.
  std::int64_t flush_write_bytes = 0;
  std::uint64_t simulated_accesses = 0;  ///< records the L2 simulation consumed (its warm-up tail included)
  std::uint64_t curve_accesses = 0;      ///< records the curve consumed (its warm-up tail included); 0 without
};

/// @brief The L2 organisation `model_traffic` simulates for `gpu` at `capacity` bytes: the preset's ways
/// when they make whole sets (else the most ways below them that do), the preset's slices when the sets
/// split evenly over them (else one slice), hashed set indexing unless the preset's slice hash is
/// unpublished, and `policy`. ConfigError when the capacity is not a positive multiple of 128 B.
cachesim::CacheSpec l2_cache_spec(const GpuSpec& gpu, std::uint64_t capacity, cachesim::ReplacementPolicy policy);

/// Called after each kernel the L2 simulation finishes (its warm-up ones included) with the kernels done
/// and in all; with threads > 1 it is called from the simulation's thread.
using TrafficProgress = std::function<void(std::size_t done, std::size_t total)>;

/// @brief Models the L2/DRAM traffic of `net` on `gpu`. Throws ConfigError / ModelError on bad
/// options.
TrafficResult model_traffic(const Network& net, const GpuSpec& gpu, const TrafficOptions& options,
                            const TrafficProgress& progress = {});

}  // namespace deepnvm
