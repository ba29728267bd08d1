// SPDX-License-Identifier: MIT
#include "deepnvm/cachesim/cache.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "deepnvm/core/error.h"
#include "mix.h"

namespace deepnvm::cachesim {
namespace {

constexpr std::uint64_t kNoLine = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kScanWays = 32;  // above this, an index finds lines instead of a scan of the set
constexpr std::uint8_t kRrpvMax = 3;     // 2-bit SRRIP
constexpr std::uint8_t kRrpvInsert = 2;  // "long re-reference interval" insertion
constexpr std::int64_t kSectorBytes = static_cast<std::int64_t>(kL2SectorBytes);

bool is_pow2(std::uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

}  // namespace

std::string_view to_string(ReplacementPolicy policy) {
  switch (policy) {
    case ReplacementPolicy::lru:
      return "lru";
    case ReplacementPolicy::srrip:
      return "srrip";
    case ReplacementPolicy::random:
      return "random";
  }
  return "?";
}

std::string_view to_string(SetIndexing indexing) {
  switch (indexing) {
    case SetIndexing::modulo:
      return "modulo";
    case SetIndexing::hash:
      return "hash";
  }
  return "?";
}

CacheSpec fully_associative(std::uint64_t capacity) {
  return CacheSpec{.capacity = capacity,
                   .ways = static_cast<int>(capacity / kL2LineBytes),
                   .slices = 1,
                   .policy = ReplacementPolicy::lru,
                   .indexing = SetIndexing::modulo,
                   .seed = 0};
}

SectoredCache::SectoredCache(const CacheSpec& spec) : spec_(spec) {
  const SourceLocation where{"<cache spec>", 0};
  if (spec.ways < 1) throw ConfigError(where, "ways", "expected at least 1 way, got {}", spec.ways);
  if (spec.slices < 1) throw ConfigError(where, "slices", "expected at least 1 slice, got {}", spec.slices);
  const std::uint64_t set_bytes = static_cast<std::uint64_t>(spec.ways) * kL2LineBytes;
  const std::uint64_t slice_bytes = set_bytes * static_cast<std::uint64_t>(spec.slices);
  if (spec.capacity == 0 || spec.capacity % slice_bytes != 0)
    throw ConfigError(where, "capacity", "expected a positive multiple of slices x ways x 128 B = {} B, got {} B",
                      slice_bytes, spec.capacity);
  ways_ = static_cast<std::uint64_t>(spec.ways);
  sets_ = spec.capacity / set_bytes;
  sets_per_slice_ = sets_ / static_cast<std::uint64_t>(spec.slices);
  if (sets_ * ways_ >= kNone)
    throw ConfigError(where, "capacity", "at most 2^32 - 2 lines are supported, got {}", sets_ * ways_);
  pow2_slices_ = is_pow2(static_cast<std::uint64_t>(spec.slices));
  pow2_sets_ = is_pow2(sets_per_slice_);
  slice_mask_ = pow2_slices_ ? static_cast<std::uint64_t>(spec.slices) - 1 : 0;
  set_mask_ = pow2_sets_ ? sets_per_slice_ - 1 : 0;

  const std::uint64_t lines = sets_ * ways_;
  tag_.assign(lines, kNoLine);
  state_.assign(lines, 0);
  if (spec.policy == ReplacementPolicy::lru) {
    prev_.assign(lines, kNone);
    next_.assign(lines, kNone);
    head_.assign(sets_, kNone);
    tail_.assign(sets_, kNone);
  }
  if (spec.policy == ReplacementPolicy::srrip) rrpv_.assign(lines, kRrpvMax);
  fill_.assign(sets_, 0);
  indexed_ = ways_ > kScanWays;
  if (indexed_) {
    const std::uint64_t slots = std::bit_ceil(2 * lines);
    index_key_.assign(slots, kNoLine);
    index_way_.assign(slots, kNone);
    index_mask_ = slots - 1;
  }
  rng_ = spec.seed;
}

std::uint64_t SectoredCache::set_of(std::uint64_t line) const noexcept {
  if (spec_.indexing == SetIndexing::hash) {
    const std::uint64_t h = detail::mix64(line ^ detail::mix64(spec_.seed));
    const std::uint64_t slice = detail::reduce32(h & 0xffffffffULL, static_cast<std::uint64_t>(spec_.slices));
    const std::uint64_t set = detail::reduce32(h >> 32, sets_per_slice_);
    return slice * sets_per_slice_ + set;
  }
  std::uint64_t slice = 0;
  std::uint64_t rest = line;
  if (spec_.slices > 1) {
    if (pow2_slices_) {
      slice = line & slice_mask_;
      rest = line >> std::countr_zero(static_cast<std::uint64_t>(spec_.slices));
    } else {
      slice = line % static_cast<std::uint64_t>(spec_.slices);
      rest = line / static_cast<std::uint64_t>(spec_.slices);
    }
  }
  const std::uint64_t set = pow2_sets_ ? (rest & set_mask_) : rest % sets_per_slice_;
  return slice * sets_per_slice_ + set;
}

std::uint32_t SectoredCache::find(std::uint64_t set, std::uint64_t line) const noexcept {
  if (indexed_) {
    for (std::uint64_t slot = detail::mix64(line) & index_mask_;; slot = (slot + 1) & index_mask_) {
      if (index_key_[slot] == line) return index_way_[slot];
      if (index_key_[slot] == kNoLine) return kNone;
    }
  }
  const std::uint64_t base = set * ways_;
  const std::uint64_t* tags = tag_.data() + base;
  const std::uint32_t used = fill_[set];
  for (std::uint32_t w = 0; w < used; ++w)
    if (tags[w] == line) return static_cast<std::uint32_t>(base + w);
  return kNone;
}

void SectoredCache::index_insert(std::uint64_t line, std::uint32_t way) {
  std::uint64_t slot = detail::mix64(line) & index_mask_;
  while (index_key_[slot] != kNoLine) slot = (slot + 1) & index_mask_;
  index_key_[slot] = line;
  index_way_[slot] = way;
}

// Linear probing with backward-shift deletion (Knuth, TAOCP vol. 3, §6.4, Algorithm R): no tombstones.
void SectoredCache::index_erase(std::uint64_t line) {
  std::uint64_t slot = detail::mix64(line) & index_mask_;
  while (index_key_[slot] != line) slot = (slot + 1) & index_mask_;
  std::uint64_t hole = slot;
  for (std::uint64_t next = (hole + 1) & index_mask_; index_key_[next] != kNoLine; next = (next + 1) & index_mask_) {
    const std::uint64_t home = detail::mix64(index_key_[next]) & index_mask_;
    // Move `next` into the hole unless its home lies cyclically in (hole, next].
    const bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
    if (stays) continue;
    index_key_[hole] = index_key_[next];
    index_way_[hole] = index_way_[next];
    hole = next;
  }
  index_key_[hole] = kNoLine;
  index_way_[hole] = kNone;
}

void SectoredCache::touch(std::uint64_t set, std::uint32_t way) noexcept {
  switch (spec_.policy) {
    case ReplacementPolicy::lru: {
      if (head_[set] == way) return;
      // Unlink (way is not the head, so it has a predecessor) and push at the head.
      const std::uint32_t p = prev_[way];
      const std::uint32_t n = next_[way];
      next_[p] = n;
      if (n != kNone) {
        prev_[n] = p;
      } else {
        tail_[set] = p;
      }
      prev_[way] = kNone;
      next_[way] = head_[set];
      prev_[head_[set]] = way;
      head_[set] = way;
      return;
    }
    case ReplacementPolicy::srrip:
      rrpv_[way] = 0;
      return;
    case ReplacementPolicy::random:
      return;
  }
}

std::uint32_t SectoredCache::allocate(std::uint64_t set, std::uint64_t line) {
  std::uint32_t way = kNone;
  if (fill_[set] < ways_) {
    way = static_cast<std::uint32_t>(set * ways_ + fill_[set]++);
    if (spec_.policy == ReplacementPolicy::lru) {
      prev_[way] = kNone;
      next_[way] = head_[set];
      if (head_[set] != kNone) {
        prev_[head_[set]] = way;
      } else {
        tail_[set] = way;
      }
      head_[set] = way;
    }
  } else {
    const std::uint64_t base = set * ways_;
    switch (spec_.policy) {
      case ReplacementPolicy::lru:
        way = tail_[set];
        touch(set, way);
        break;
      case ReplacementPolicy::srrip:
        // The first way predicted "distant" (RRPV 3); age every way until one is.
        for (;;) {
          for (std::uint64_t w = 0; w < ways_ && way == kNone; ++w)
            if (rrpv_[base + w] == kRrpvMax) way = static_cast<std::uint32_t>(base + w);
          if (way != kNone) break;
          for (std::uint64_t w = 0; w < ways_; ++w) ++rrpv_[base + w];
        }
        break;
      case ReplacementPolicy::random:
        way = static_cast<std::uint32_t>(base + detail::reduce32(detail::next_random(rng_) >> 32, ways_));
        break;
    }
    counters_.dram_write_bytes += kSectorBytes * detail::popcount4(state_[way] >> 4u);
    if (indexed_) index_erase(tag_[way]);
  }
  if (spec_.policy == ReplacementPolicy::srrip) rrpv_[way] = kRrpvInsert;
  tag_[way] = line;
  state_[way] = 0;
  if (indexed_) index_insert(line, way);
  return way;
}

void SectoredCache::access(const L2Access& a) {
  const unsigned mask = a.sectors;
  if (mask == 0 || mask > 0xF)
    throw ModelError("L2 access to line {} has sector mask {:#x}: expected 1..0xf", a.line, mask);
  const std::uint64_t set = set_of(a.line);
  std::uint32_t way = find(set, a.line);
  if (way == kNone) {
    way = allocate(set, a.line);
  } else {
    touch(set, way);
  }
  const unsigned st = state_[way];
  const unsigned valid = st & 0xFu;
  const unsigned dirty = st >> 4;
  const int n = detail::popcount4(mask);
  if (a.write) {
    counters_.l2_write_sectors += n;
    counters_.l2_write_hits += n;
    counters_.l2_write_allocates += detail::popcount4(mask & ~valid);
    state_[way] = static_cast<std::uint8_t>((valid | mask) | ((dirty | mask) << 4));
  } else {
    const int hits = detail::popcount4(mask & valid);
    counters_.l2_read_sectors += n;
    counters_.l2_read_hits += hits;
    counters_.dram_read_bytes += kSectorBytes * (n - hits);
    state_[way] = static_cast<std::uint8_t>((valid | mask) | (dirty << 4));
  }
}

void SectoredCache::consume(std::span<const L2Access> accesses) {
  for (const L2Access& a : accesses) access(a);
}

void SectoredCache::flush_dirty() {
  for (std::uint8_t& st : state_) {
    counters_.dram_write_bytes += kSectorBytes * detail::popcount4(st >> 4u);
    st &= 0xF;
  }
}

void SectoredCache::invalidate_all() {
  flush_dirty();
  reset_contents();
}

void SectoredCache::reset_contents() {
  std::fill(tag_.begin(), tag_.end(), kNoLine);
  std::fill(state_.begin(), state_.end(), std::uint8_t{0});
  std::fill(fill_.begin(), fill_.end(), 0u);
  std::fill(head_.begin(), head_.end(), kNone);
  std::fill(tail_.begin(), tail_.end(), kNone);
  std::fill(rrpv_.begin(), rrpv_.end(), kRrpvMax);
  std::fill(index_key_.begin(), index_key_.end(), kNoLine);
  std::fill(index_way_.begin(), index_way_.end(), kNone);
}

TrafficCounters SectoredCache::take_counters() {
  const TrafficCounters out = counters_;
  counters_ = TrafficCounters{};
  return out;
}

std::uint64_t SectoredCache::valid_lines() const {
  std::uint64_t n = 0;
  for (const std::uint8_t st : state_) n += (st & 0xF) != 0;
  return n;
}

std::uint64_t SectoredCache::dirty_sectors() const {
  std::uint64_t n = 0;
  for (const std::uint8_t st : state_) n += static_cast<std::uint64_t>(detail::popcount4(st >> 4u));
  return n;
}

}  // namespace deepnvm::cachesim
