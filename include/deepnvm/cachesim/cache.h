// SPDX-License-Identifier: MIT
#pragma once

// A sectored, set-associative, write-back L2: the direct simulation that the miss-ratio curves
// (mrc.h) are checked against, and the model for one L2 configuration.
//
// Organisation (docs/models/cachesim.md): 128 B lines of four 32 B sectors, each sector with its own
// valid and dirty bit. The sets are `slices` x `sets_per_slice`; a line goes to one slice and one set
// in it, by plain modulo or by a hash (NVIDIA does not publish its slice hash, gpus.md §1.2), so the
// total number of sets need not be a power of two (GTX 1080 Ti: 2816 KiB = 22 slices x 64 sets x 16
// ways x 128 B).
//
// Policy (gpus.md §1.2, measured by Accel-Sim's l2_write_policy microbenchmark):
// - read of a valid sector: hit. Read of an absent sector: a sector miss that fetches that sector
//   only (32 B from DRAM), whether or not the line's tag is present.
// - write: write-allocate without fetch. Our streams write whole sectors, so a written sector becomes
//   valid and dirty with nothing read from DRAM; hardware keeps per-byte masks for partial writes, which
//   we do not model (a later read of unwritten bytes would fetch on hardware, and hits here).
// - eviction (or flush) of a line writes back its dirty sectors, 32 B each.
//
// Counters are TrafficCounters (gpu/traffic.h) and count the way NVIDIA does: every write sector is an
// l2_write_hit, and the ones whose sector was absent are also l2_write_allocates. flops and time_s
// stay 0. The simulator is deterministic: the random policy draws from its own seeded generator.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "deepnvm/gpu/access.h"
#include "deepnvm/gpu/traffic.h"

namespace deepnvm::cachesim {

/// @brief Which way of a full set a miss replaces.
enum class ReplacementPolicy {
  lru,     ///< least recently used (tag hits and fills both make a line most recent)
  srrip,   ///< static re-reference interval prediction, 2-bit (Jaleel et al., ISCA 2010): fills insert at 2, hits set 0
  random,  ///< uniform over the ways, from a seeded splitmix64 generator (CacheSpec::seed)
};

/// @brief How a line picks its slice and its set within the slice.
enum class SetIndexing {
  modulo,  ///< slice = line mod slices, set = (line / slices) mod sets_per_slice
  hash,    ///< slice and set from two halves of a 64-bit mix of the line (and the seed): no power-of-two conflicts
};

std::string_view to_string(ReplacementPolicy policy);
std::string_view to_string(SetIndexing indexing);

/// @brief The shape of one simulated L2. Sizes in bytes.
struct CacheSpec {
  std::uint64_t capacity = 0;  ///< bytes; a multiple of slices x ways x 128 B
  int ways = 16;
  int slices = 1;
  ReplacementPolicy policy = ReplacementPolicy::lru;
  SetIndexing indexing = SetIndexing::modulo;
  std::uint64_t seed = 0;  ///< random policy and hash indexing

  bool operator==(const CacheSpec&) const = default;
};

/// @brief The fully associative cache of `capacity` bytes: one set, capacity/128 ways, LRU.
CacheSpec fully_associative(std::uint64_t capacity);

/// @brief The simulator. Feed it accesses (it is an AccessSink), read or take its counters.
class SectoredCache final : public AccessSink {
 public:
  /// Throws ConfigError when the spec does not divide into whole sets.
  explicit SectoredCache(const CacheSpec& spec);

  /// One request: popcount(access.sectors) sector lookups.
  void access(const L2Access& access);
  void consume(std::span<const L2Access> accesses) override;

  /// Writes back every dirty sector (counted in dram_write_bytes) and keeps the lines valid and clean:
  /// the end-of-run write-back that makes every written byte reach DRAM.
  void flush_dirty();
  /// Writes back every dirty sector, then invalidates every line and resets the replacement state:
  /// Nsight Compute's `--cache-control all` between kernels. The write-backs go to the current counters;
  /// take_counters() before this call leaves them out of the kernel just ended, as ncu does.
  void invalidate_all();

  const TrafficCounters& counters() const noexcept { return counters_; }
  /// Returns the counters and restarts them from zero (per-kernel traffic); the cache contents stay.
  TrafficCounters take_counters();

  const CacheSpec& spec() const noexcept { return spec_; }
  std::uint64_t sets_per_slice() const noexcept { return sets_per_slice_; }
  std::uint64_t set_count() const noexcept { return sets_; }
  /// Valid lines now (for tests).
  std::uint64_t valid_lines() const;
  /// Dirty sectors now (for tests).
  std::uint64_t dirty_sectors() const;

 private:
  std::uint64_t set_of(std::uint64_t line) const noexcept;
  std::uint32_t find(std::uint64_t set, std::uint64_t line) const noexcept;
  std::uint32_t allocate(std::uint64_t set, std::uint64_t line);
  void touch(std::uint64_t set, std::uint32_t way) noexcept;
  void index_insert(std::uint64_t line, std::uint32_t way);
  void index_erase(std::uint64_t line);
  void reset_contents();

  CacheSpec spec_;
  std::uint64_t ways_ = 0;
  std::uint64_t sets_ = 0;
  std::uint64_t sets_per_slice_ = 0;
  std::uint64_t slice_mask_ = 0;  // slices - 1 when a power of two, else 0
  std::uint64_t set_mask_ = 0;    // sets_per_slice - 1 when a power of two, else 0
  bool pow2_slices_ = false;
  bool pow2_sets_ = false;

  // One entry per way of every set (index set * ways + way).
  std::vector<std::uint64_t> tag_;          // line number, kNoLine when the way holds nothing
  std::vector<std::uint8_t> state_;         // bits 0-3 valid sectors, bits 4-7 dirty sectors
  std::vector<std::uint32_t> prev_, next_;  // LRU: doubly linked list per set, head = most recent
  std::vector<std::uint8_t> rrpv_;          // SRRIP re-reference prediction values
  // One entry per set.
  std::vector<std::uint32_t> fill_;  // ways in use; a set fills its ways in order (lines only leave on eviction)
  std::vector<std::uint32_t> head_, tail_;

  // Highly associative caches (ways > kScanWays) find a line through an open-addressing index
  // line -> global way instead of scanning the set.
  std::vector<std::uint64_t> index_key_;
  std::vector<std::uint32_t> index_way_;
  std::uint64_t index_mask_ = 0;
  bool indexed_ = false;

  std::uint64_t rng_ = 0;
  TrafficCounters counters_;
};

}  // namespace deepnvm::cachesim
