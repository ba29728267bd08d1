// SPDX-License-Identifier: MIT
// The sectored L2 simulator: hand-computed tiny cases of each rule of the policy, set indexing,
// conservation of counts, determinism and the refusals.
#include <set>
#include <utility>

#include <gtest/gtest.h>

#include "deepnvm/cachesim/cache.h"
#include "deepnvm/core/error.h"
#include "streams.h"

namespace deepnvm::cachesim {
namespace {

L2Access rd(std::uint64_t line, std::uint8_t sectors) { return {.line = line, .sectors = sectors, .write = false}; }
L2Access wr(std::uint64_t line, std::uint8_t sectors) { return {.line = line, .sectors = sectors, .write = true}; }

// One set of `ways` ways.
CacheSpec one_set(int ways, ReplacementPolicy policy = ReplacementPolicy::lru) {
  return CacheSpec{.capacity = static_cast<std::uint64_t>(ways) * kL2LineBytes,
                   .ways = ways,
                   .slices = 1,
                   .policy = policy,
                   .indexing = SetIndexing::modulo,
                   .seed = 0};
}

TEST(SectoredCache, ReadOfAnAbsentSectorInAPresentLineFetchesThatSectorOnly) {
  SectoredCache cache(one_set(2));
  cache.access(rd(7, 0b0001));  // line miss: sector 0 fetched
  cache.access(rd(7, 0b0011));  // tag hit: sector 0 hits, sector 1 is a sector miss
  cache.access(rd(7, 0b0010));  // now a hit
  const TrafficCounters& c = cache.counters();
  EXPECT_EQ(c.l2_read_sectors, 4);
  EXPECT_EQ(c.l2_read_hits, 2);
  EXPECT_EQ(c.dram_read_bytes, 2 * 32);
  EXPECT_EQ(c.dram_write_bytes, 0);
  EXPECT_EQ(cache.valid_lines(), 1u);
}

TEST(SectoredCache, WriteAllocatesWithoutFetchAndCountsAsAHardwareWriteHit) {
  SectoredCache cache(one_set(2));
  cache.access(wr(5, 0xF));     // 4 write-allocates, nothing read
  cache.access(rd(5, 0xF));     // 4 read hits
  cache.access(wr(5, 0b0011));  // 2 true write hits
  cache.access(wr(5, 0b0000 | 0b1000));
  const TrafficCounters& c = cache.counters();
  EXPECT_EQ(c.l2_write_sectors, 7);
  EXPECT_EQ(c.l2_write_hits, 7);  // NVIDIA's count: hits + write-allocates (gpus.md P6)
  EXPECT_EQ(c.l2_write_allocates, 4);
  EXPECT_EQ(c.l2_read_hits, 4);
  EXPECT_EQ(c.dram_read_bytes, 0);
  EXPECT_EQ(cache.dirty_sectors(), 4u);
}

TEST(SectoredCache, EvictionWritesBackOnlyTheDirtySectors) {
  SectoredCache cache(one_set(2));
  cache.access(wr(0, 0b0101));  // line 0: sectors 0 and 2 dirty
  cache.access(rd(0, 0b0010));  // and sector 1 clean
  cache.access(rd(1, 0xF));
  cache.access(rd(2, 0xF));  // evicts line 0 (least recent): 2 dirty sectors
  EXPECT_EQ(cache.counters().dram_write_bytes, 2 * 32);
  cache.access(rd(3, 0x1));  // evicts line 1 (clean)
  EXPECT_EQ(cache.counters().dram_write_bytes, 2 * 32);
  cache.access(rd(0, 0b0001));  // line 0 is gone: its written data must come back from DRAM
  EXPECT_EQ(cache.counters().l2_read_hits, 0);
  cache.flush_dirty();
  EXPECT_EQ(cache.counters().dram_write_bytes, 2 * 32);
}

TEST(SectoredCache, FlushWritesBackAndInvalidateEmptiesTheCache) {
  SectoredCache cache(one_set(4));
  cache.access(wr(1, 0xF));
  cache.access(wr(2, 0x1));
  cache.flush_dirty();
  EXPECT_EQ(cache.counters().dram_write_bytes, 5 * 32);
  EXPECT_EQ(cache.dirty_sectors(), 0u);
  cache.access(rd(1, 0xF));  // still valid after a flush
  EXPECT_EQ(cache.counters().l2_read_hits, 4);
  cache.access(wr(2, 0x2));
  cache.invalidate_all();
  EXPECT_EQ(cache.counters().dram_write_bytes, 6 * 32);
  EXPECT_EQ(cache.valid_lines(), 0u);
  cache.access(rd(1, 0xF));  // cold again
  EXPECT_EQ(cache.counters().l2_read_hits, 4);
}

TEST(SectoredCache, TakeCountersRestartsTheCountsButKeepsTheContents) {
  SectoredCache cache(one_set(2));
  cache.access(wr(1, 0x3));
  const TrafficCounters first = cache.take_counters();
  EXPECT_EQ(first.l2_write_sectors, 2);
  EXPECT_EQ(cache.counters(), TrafficCounters{});
  cache.access(rd(1, 0x3));
  EXPECT_EQ(cache.counters().l2_read_hits, 2);
}

// A, A, B, C, A in two ways. LRU evicts A for C (B is more recent), so the last A misses. SRRIP promoted
// A to RRPV 0 on its hit and inserted B at 2: the victim search ages B to 3 first and keeps A.
TEST(SectoredCache, SrripKeepsAReusedLineThatLruEvicts) {
  const std::vector<L2Access> stream = {rd(10, 1), rd(10, 1), rd(20, 1), rd(30, 1), rd(10, 1)};
  SectoredCache lru(one_set(2, ReplacementPolicy::lru));
  SectoredCache srrip(one_set(2, ReplacementPolicy::srrip));
  lru.consume(stream);
  srrip.consume(stream);
  EXPECT_EQ(lru.counters().l2_read_hits, 1);
  EXPECT_EQ(srrip.counters().l2_read_hits, 2);
}

TEST(SectoredCache, LruEvictsTheLeastRecentlyUsedLine) {
  SectoredCache cache(one_set(3));
  for (const std::uint64_t line : {1, 2, 3, 1, 4}) cache.access(rd(line, 1));  // 4 evicts 2
  cache.access(rd(1, 1));
  cache.access(rd(3, 1));
  EXPECT_EQ(cache.counters().l2_read_hits, 3);
  cache.access(rd(2, 1));
  EXPECT_EQ(cache.counters().l2_read_hits, 3);
}

TEST(SectoredCache, ModuloIndexingMapsLinesToSetsByTheirLowBits) {
  // Two sets of one way: lines 0 and 2 share set 0; line 1 lives in set 1.
  SectoredCache cache(CacheSpec{.capacity = 2 * kL2LineBytes, .ways = 1, .slices = 1});
  cache.consume(std::vector<L2Access>{rd(0, 1), rd(1, 1), rd(0, 1), rd(2, 1), rd(1, 1), rd(0, 1)});
  EXPECT_EQ(cache.counters().l2_read_hits, 2);  // the 2nd access to 0 and the 2nd to 1; line 2 evicted 0
}

TEST(SectoredCache, SlicedCacheWithANonPowerOfTwoSetCountUsesEverySet) {
  // GTX 1080 Ti: 2816 KiB = 22 slices x 64 sets x 16 ways x 128 B (gpus.md §1.2).
  for (const SetIndexing indexing : {SetIndexing::modulo, SetIndexing::hash}) {
    const CacheSpec spec{.capacity = 2816 * 1024, .ways = 16, .slices = 22, .indexing = indexing};
    SectoredCache cache(spec);
    EXPECT_EQ(cache.set_count(), 1408u);
    EXPECT_EQ(cache.sets_per_slice(), 64u);
    // Exactly the capacity in consecutive lines: modulo fills every way of every set; a hash spreads
    // them so that most sets see between 8 and 24 of their 16.
    cache.consume(test::cyclic_stream(2816 * 1024 / kL2LineBytes, 1, 0));
    if (indexing == SetIndexing::modulo) {
      EXPECT_EQ(cache.valid_lines(), 2816u * 1024 / kL2LineBytes);
    } else {
      EXPECT_GT(cache.valid_lines(), 2816u * 1024 / kL2LineBytes * 8 / 10);
      EXPECT_LT(cache.valid_lines(), 2816u * 1024 / kL2LineBytes);
    }
  }
}

// Hits + misses = accesses, every written sector reaches DRAM by the end, and DRAM reads cover at least
// the sectors whose first access is a read (compulsory misses).
TEST(SectoredCache, CountsAreConserved) {
  const auto stream = test::random_stream(200000, 20000, 0.3, 11);
  std::set<std::pair<std::uint64_t, int>> touched, written;
  std::int64_t compulsory = 0, reads = 0, writes = 0;
  for (const L2Access& a : stream)
    for (int s = 0; s < 4; ++s) {
      if (((a.sectors >> s) & 1) == 0) continue;
      (a.write ? writes : reads) += 1;
      if (touched.insert({a.line, s}).second && !a.write) ++compulsory;
      if (a.write) written.insert({a.line, s});
    }
  for (const ReplacementPolicy policy : {ReplacementPolicy::lru, ReplacementPolicy::srrip, ReplacementPolicy::random}) {
    SectoredCache cache(CacheSpec{.capacity = 1 << 20, .ways = 16, .slices = 2, .policy = policy});
    cache.consume(stream);
    cache.flush_dirty();
    const TrafficCounters& c = cache.counters();
    EXPECT_EQ(c.l2_read_sectors, reads);
    EXPECT_EQ(c.l2_write_sectors, writes);
    EXPECT_EQ(c.l2_write_hits, writes);
    EXPECT_LE(c.l2_write_allocates, writes);
    EXPECT_LE(c.l2_read_hits, reads);
    EXPECT_EQ(c.dram_read_bytes, 32 * (reads - c.l2_read_hits));
    EXPECT_GE(c.dram_read_bytes, 32 * compulsory);
    EXPECT_GE(c.dram_write_bytes, 32 * static_cast<std::int64_t>(written.size()));
    EXPECT_EQ(cache.dirty_sectors(), 0u);
  }
}

TEST(SectoredCache, RunsAreDeterministicAndTheSeedPicksTheRandomVictims) {
  const auto stream = test::random_stream(100000, 30000, 0.3, 3);
  auto run = [&](ReplacementPolicy policy, std::uint64_t seed) {
    SectoredCache cache(CacheSpec{
        .capacity = 1 << 20, .ways = 16, .slices = 1, .policy = policy, .indexing = SetIndexing::hash, .seed = seed});
    cache.consume(stream);
    return cache.counters();
  };
  for (const ReplacementPolicy policy : {ReplacementPolicy::lru, ReplacementPolicy::srrip, ReplacementPolicy::random})
    EXPECT_EQ(run(policy, 1), run(policy, 1)) << to_string(policy);
  EXPECT_NE(run(ReplacementPolicy::random, 1), run(ReplacementPolicy::random, 2));
}

TEST(SectoredCache, HighlyAssociativeIndexAgreesWithAScannedSet) {
  // 64 ways (indexed) against 2 x 32-way halves is not the same cache; instead compare the 64-way
  // cache with a brute-force LRU model of the same 64 ways.
  const auto stream = test::random_stream(50000, 150, 0.2, 5);
  SectoredCache cache(one_set(64));
  std::vector<std::pair<std::uint64_t, unsigned>> lru;  // front = most recent; (line, valid mask)
  std::int64_t hits = 0;
  for (const L2Access& a : stream) {
    cache.access(a);
    auto it = std::find_if(lru.begin(), lru.end(), [&](const auto& e) { return e.first == a.line; });
    unsigned valid = 0;
    if (it != lru.end()) {
      valid = it->second;
      lru.erase(it);
    } else if (lru.size() == 64) {
      lru.pop_back();
    }
    if (!a.write) hits += std::popcount(a.sectors & valid);
    lru.insert(lru.begin(), {a.line, valid | a.sectors});
  }
  EXPECT_EQ(cache.counters().l2_read_hits, hits);
}

TEST(SectoredCache, RefusesSpecsThatDoNotDivideIntoSetsAndEmptyMasks) {
  EXPECT_THROW(SectoredCache(CacheSpec{.capacity = 1000, .ways = 16}), ConfigError);
  EXPECT_THROW(SectoredCache(CacheSpec{.capacity = 2816 * 1024, .ways = 16, .slices = 7}), ConfigError);
  EXPECT_THROW(SectoredCache(CacheSpec{.capacity = 1 << 20, .ways = 0}), ConfigError);
  SectoredCache cache(one_set(2));
  EXPECT_THROW(cache.access(rd(1, 0)), ModelError);
  EXPECT_THROW(cache.access(rd(1, 0x10)), ModelError);
}

}  // namespace
}  // namespace deepnvm::cachesim
