// SPDX-License-Identifier: MIT
#pragma once

// Miss-ratio curves: the traffic of one access stream at every L2 capacity, from one pass.
//
// Model: a fully associative, sectored LRU L2 with the policy of cache.h (sector fills, write-allocate
// without fetch, write-back of dirty sectors). LRU's inclusion property (Mattson, Gecsei, Slutz and
// Traiger, IBM Systems Journal 9(2), 1970) makes one histogram of stack distances give the hits of every
// capacity. Lines are stacked at 128 B granularity and sectors get the "max line distance since the
// sector's last access" of gpus.md §5, so a sector miss in a present line is counted exactly.
//
// - exact:   every line is tracked; distances come from a 64-ary counting tree over last-access times
//            (O(log64 M) per access, compacted when the time axis fills). Equals SectoredCache with
//            fully_associative(C) at every capacity C of the curve.
// - sampled: SHARDS (Waldspurger, Park, Garthwaite and Ahmad, FAST 2015), fixed rate: a line is tracked
//            iff the top 24 bits of a salted mix64(line) (salt from the seed) fall below R * 2^24, and a
//            distance d_s measured among tracked lines stands for (d_s - 1) / R + 1 lines. The sector
//            totals are counted over all accesses, so only the ratios are estimated. Each point carries
//            an error bound on its ratios (docs/models/cachesim.md §3.5).
//
// Kernels: call begin_kernel(i) before kernel i's accesses; every result exists per kernel and in total.
// Read misses and write-allocates belong to the kernel whose access made them. A dirty write-back
// belongs to the kernel that wrote the data (the producer), because the eviction time of a line differs
// between capacities and a stack pass does not see it; totals are exact either way, and with
// flush_between_kernels the producer is also the kernel in which the write-back happens.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "deepnvm/gpu/access.h"
#include "deepnvm/gpu/traffic.h"

namespace deepnvm::cachesim {

/// @brief The capacities of the curve, in bytes, ascending: 2^k x {1, 1.25, 1.5, 1.75} from 256 KiB
/// up to 1 GiB (49 points).
std::vector<std::uint64_t> capacity_points();

enum class MrcMethod { exact, sampled };
std::string_view to_string(MrcMethod method);

struct MrcOptions {
  MrcMethod method = MrcMethod::sampled;
  double sampling_rate = 1.0 / 16;        ///< SHARDS rate R in (0, 1], rounded to a multiple of 2^-24; sampled only
  std::uint64_t seed = 0;                 ///< salt of the sampling hash
  std::vector<std::uint64_t> capacities;  ///< bytes, ascending multiples of 128 B; empty: capacity_points()
  /// Nsight Compute's --cache-control all: begin_kernel() writes back and invalidates the whole cache
  /// (SectoredCache::invalidate_all).
  bool flush_between_kernels = false;
  /// finish() writes back what is still dirty (SectoredCache::flush_dirty at the end of the run); without
  /// it only the write-backs of evictions before the end count.
  bool final_flush = true;
  /// Probability that the error bound of one point fails (the bound's confidence is 1 - delta).
  double delta = 1e-3;
};

/// @brief Traffic of the whole stream (or one kernel) at one capacity.
struct MrcPoint {
  std::uint64_t capacity_bytes = 0;
  double read_miss_ratio = 0;   ///< read sector misses / read sectors
  double write_miss_ratio = 0;  ///< write-allocates / write sectors
  double dram_read_bytes = 0;   ///< 32 B per read sector miss
  double dram_write_bytes = 0;  ///< 32 B per dirty sector written back
  bool operator==(const MrcPoint&) const = default;
};

/// @brief Error bounds of one point of a sampled curve (all 0 for an exact curve): with probability at
/// least 1 - delta the exact ratio lies within the estimate +- the bound.
struct MrcErrorBound {
  double read_miss_ratio = 0;
  double write_miss_ratio = 0;
  double writeback_ratio = 0;  ///< on dram_write_bytes / (32 x write sectors)
  bool operator==(const MrcErrorBound&) const = default;
};

/// @brief The raw result for one kernel: counts of sector events per distance bucket. Bucket b holds the
/// events whose (max) line distance d satisfies edge[b-1] < d <= edge[b]; the last bucket (index
/// edges.size()) holds d = infinity (first touch, or flushed). Sampled curves count tracked lines only.
struct MrcHistograms {
  std::vector<std::int64_t> read;       ///< read sectors by distance
  std::vector<std::int64_t> write;      ///< write sectors by distance
  std::vector<std::int64_t> writeback;  ///< dirty episodes by the largest distance before they ended
  std::int64_t read_sectors = 0;        ///< every read sector of the kernel, tracked or not
  std::int64_t write_sectors = 0;       ///< every write sector of the kernel, tracked or not
};

class MrcBuilder;

/// @brief The result of one pass: per-kernel and total traffic at every capacity of the curve.
class MissRatioCurve {
 public:
  MrcMethod method() const noexcept { return method_; }
  /// The rate actually used (1 for exact).
  double sampling_rate() const noexcept { return rate_; }
  const std::vector<std::uint64_t>& capacities() const noexcept { return capacities_; }
  std::size_t kernel_count() const noexcept { return kernels_.size(); }
  /// Lines tracked (all distinct lines when exact).
  std::uint64_t tracked_lines() const noexcept { return tracked_lines_; }

  std::vector<MrcPoint> points() const;
  MrcPoint point(std::size_t capacity_index) const;
  MrcPoint kernel_point(std::size_t kernel, std::size_t capacity_index) const;
  /// The counters the simulator would give (hits rounded to whole sectors when sampled).
  TrafficCounters counters(std::size_t capacity_index) const;
  TrafficCounters kernel_counters(std::size_t kernel, std::size_t capacity_index) const;

  /// Bounds on the whole stream's ratios at each capacity (per-kernel ratios rest on fewer samples).
  const std::vector<MrcErrorBound>& error_bounds() const noexcept { return bounds_; }
  /// The largest of all bounds: the curve's `mrc_error_bound`.
  double error_bound() const;

 private:
  friend class MrcBuilder;
  using Histograms = MrcHistograms;
  struct Ratios {
    double read = 0, write = 0, writeback = 0;
  };
  Ratios ratios(const Histograms& h, std::size_t capacity_index) const;
  MrcPoint make_point(const Histograms& h, std::size_t capacity_index) const;
  TrafficCounters make_counters(const Histograms& h, std::size_t capacity_index) const;
  Histograms total() const;

  MrcMethod method_ = MrcMethod::exact;
  double rate_ = 1;
  std::vector<std::uint64_t> capacities_;
  std::vector<std::uint64_t> edges_;        // bucket edges in lines, ascending; includes every capacity
  std::vector<std::size_t> capacity_edge_;  // capacities_[i] / 128 == edges_[capacity_edge_[i]]
  std::vector<Histograms> kernels_;
  std::vector<MrcErrorBound> bounds_;
  std::uint64_t tracked_lines_ = 0;
};

/// @brief Builds a curve from a stream fed in order; an AccessSink, so a kernel lowering can stream
/// into it. One builder makes one curve.
class MrcBuilder final : public AccessSink {
 public:
  /// Throws ConfigError on a bad rate or capacity list.
  explicit MrcBuilder(MrcOptions options = {});
  ~MrcBuilder() override;
  MrcBuilder(const MrcBuilder&) = delete;
  MrcBuilder& operator=(const MrcBuilder&) = delete;

  /// The accesses that follow belong to kernel `kernel` (0 before the first call). Indices need not be
  /// consecutive; the result has max index + 1 kernels.
  void begin_kernel(std::size_t kernel);
  void access(const L2Access& access);
  void consume(std::span<const L2Access> accesses) override;
  /// Ends a warm-up: the stack and every line's state stay, every count restarts from zero (the kernels
  /// keep their indices, so a warm-up iteration fed as kernels 0..n-1 and the measured one fed again as
  /// 0..n-1 give the measured iteration alone). Dirty data carried over counts as written back at a
  /// capacity only if its line is evicted after this call (then it is charged to its writer's index): the
  /// steady-state write-backs of the measured iteration, as SectoredCache counts them when its counters
  /// are taken after the warm-up. Use it with final_flush = false for a steady state.
  void start_measurement();
  /// Ends the run (final flush policy, error bounds). The builder is spent afterwards.
  MissRatioCurve finish();

 private:
  struct State;
  std::unique_ptr<State> state_;  // the tracking structures stay out of this header
};

/// @brief One-call form: the curve of a whole stream as a single kernel.
MissRatioCurve build_mrc(std::span<const L2Access> accesses, const MrcOptions& options = {});

}  // namespace deepnvm::cachesim
