// SPDX-License-Identifier: MIT
// Miss-ratio curves: the capacity list, hand-computed distances, the exact curve against direct
// fully associative simulation (totals and per kernel, with and without flushes), monotonicity,
// determinism and the refusals. Sampled-versus-exact checks on larger streams: mrc_slow_test.cpp.
#include <gtest/gtest.h>

#include "deepnvm/cachesim/cache.h"
#include "deepnvm/cachesim/mrc.h"
#include "deepnvm/core/error.h"
#include "streams.h"

namespace deepnvm::cachesim {
namespace {

constexpr std::uint64_t KiB = 1024;

L2Access rd(std::uint64_t line, std::uint8_t sectors) { return {.line = line, .sectors = sectors, .write = false}; }
L2Access wr(std::uint64_t line, std::uint8_t sectors) { return {.line = line, .sectors = sectors, .write = true}; }

MrcOptions exact(std::vector<std::uint64_t> capacities = {}) {
  MrcOptions o;
  o.method = MrcMethod::exact;
  o.capacities = std::move(capacities);
  return o;
}

TEST(CapacityPoints, PowersOfTwoAndQuartersFrom256KiBTo1GiB) {
  const auto points = capacity_points();
  ASSERT_EQ(points.size(), 49u);
  EXPECT_EQ(points.front(), 256 * KiB);
  EXPECT_EQ(points[1], 320 * KiB);
  EXPECT_EQ(points[2], 384 * KiB);
  EXPECT_EQ(points[3], 448 * KiB);
  EXPECT_EQ(points[4], 512 * KiB);
  EXPECT_EQ(points.back(), KiB * KiB * KiB);
  for (std::size_t i = 1; i < points.size(); ++i) EXPECT_LT(points[i - 1], points[i]);
}

// Four lines in a fully associative cache of 2 and of 3 lines, by hand:
//   a b c a  -> the second a has line distance 3: a miss at 2 lines, a hit at 3.
//   then a write to d, a read of b (distance 4: a miss at both), and a write of a's sector 1 that was never
//   read (write-allocate at every capacity).
TEST(Mrc, HandComputedDistancesAtTwoCapacities) {
  const std::vector<L2Access> stream = {rd(1, 0x1), rd(2, 0x1), rd(3, 0x1), rd(1, 0x1),
                                        wr(4, 0xF), rd(2, 0x1), wr(1, 0x2)};
  const MissRatioCurve curve = build_mrc(stream, exact({2 * 128, 3 * 128}));
  const TrafficCounters two = curve.counters(0), three = curve.counters(1);
  EXPECT_EQ(two.l2_read_sectors, 5);
  EXPECT_EQ(two.l2_read_hits, 0);
  EXPECT_EQ(three.l2_read_hits, 1);
  EXPECT_EQ(two.l2_write_allocates, 5);
  EXPECT_EQ(three.l2_write_allocates, 5);
  EXPECT_EQ(two.dram_write_bytes, 5 * 32);  // final flush: every written sector once
  EXPECT_DOUBLE_EQ(curve.point(1).read_miss_ratio, 4.0 / 5);
  EXPECT_EQ(curve.error_bound(), 0);
}

// A sector's hit depends on the largest line distance since that sector's last access, not on the
// line's last distance: sector 0 of line 1 is read, then line 1 is re-touched (sector 1) from distance
// 3 — evicted from a 2-line cache — and then sector 0 read again from distance 1.
TEST(Mrc, SectorMissInAPresentLineUsesTheMaxDistanceSinceTheSectorsLastAccess) {
  const std::vector<L2Access> stream = {rd(1, 0x1), rd(2, 0x1), rd(3, 0x1), rd(1, 0x2), rd(1, 0x1)};
  const MissRatioCurve curve = build_mrc(stream, exact({2 * 128, 3 * 128}));
  EXPECT_EQ(curve.counters(0).l2_read_hits, 0);  // the last read's line distance is 1, yet it misses
  EXPECT_EQ(curve.counters(1).l2_read_hits, 1);
  for (std::size_t i = 0; i < 2; ++i) {
    SectoredCache cache(fully_associative(curve.capacities()[i]));
    cache.consume(stream);
    EXPECT_EQ(cache.counters().l2_read_hits, curve.counters(i).l2_read_hits);
  }
}

// The exact curve is the fully associative LRU simulator at every capacity: each counter, whole stream.
void expect_equals_simulation(const std::vector<L2Access>& stream, const std::vector<std::uint64_t>& capacities,
                              bool final_flush) {
  MrcOptions options = exact(capacities);
  options.final_flush = final_flush;
  const MissRatioCurve curve = build_mrc(stream, options);
  for (std::size_t i = 0; i < capacities.size(); ++i) {
    SectoredCache cache(fully_associative(capacities[i]));
    cache.consume(stream);
    if (final_flush) cache.flush_dirty();
    EXPECT_EQ(curve.counters(i), cache.counters()) << capacities[i] / KiB << " KiB, final flush " << final_flush;
  }
}

TEST(Mrc, ExactCurveEqualsFullyAssociativeSimulationOnARandomStream) {
  const auto stream = test::random_stream(60000, 6000, 0.3, 1);
  expect_equals_simulation(stream, {16 * KiB, 64 * KiB, 256 * KiB, 320 * KiB, 512 * KiB, 768 * KiB}, true);
  expect_equals_simulation(stream, {16 * KiB, 64 * KiB, 256 * KiB, 320 * KiB, 512 * KiB, 768 * KiB}, false);
}

TEST(Mrc, ExactCurveEqualsFullyAssociativeSimulationOnAGemm) {
  const auto stream = test::gemm_stream(256, 256, 256, 64, 64, 32, 8);  // A, B, C: 128 KiB each
  expect_equals_simulation(stream, {32 * KiB, 128 * KiB, 160 * KiB, 256 * KiB, 384 * KiB, 448 * KiB}, true);
  expect_equals_simulation(stream, {32 * KiB, 128 * KiB, 160 * KiB, 256 * KiB, 384 * KiB, 448 * KiB}, false);
}

TEST(Mrc, ExactCurveEqualsFullyAssociativeSimulationAtTheCliffOfACyclicSweep) {
  // 4096 lines swept three times: LRU misses everything below 512 KiB and only the first sweep from
  // 512 KiB on.
  const auto stream = test::cyclic_stream(4096, 3, 5);
  expect_equals_simulation(stream, {448 * KiB, 512 * KiB - 128, 512 * KiB, 640 * KiB}, true);
  const MissRatioCurve curve = build_mrc(stream, exact({512 * KiB - 128, 512 * KiB}));
  EXPECT_DOUBLE_EQ(curve.point(0).read_miss_ratio, 1.0);
  EXPECT_NEAR(curve.point(1).read_miss_ratio, 1.0 / 3, 1e-12);
}

// Per kernel: read misses and write-allocates belong to the kernel that made them. With Nsight-style
// flushes every counter matches the simulator that invalidates between kernels.
void expect_kernels_equal_simulation(const std::vector<L2Access>& stream, const std::vector<std::size_t>& cuts,
                                     const std::vector<std::uint64_t>& capacities) {
  for (const bool flush : {true, false}) {
    MrcOptions options = exact(capacities);
    options.flush_between_kernels = flush;
    MrcBuilder builder(options);
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      builder.begin_kernel(k);
      builder.consume(std::span(stream).subspan(cuts[k], cuts[k + 1] - cuts[k]));
    }
    const MissRatioCurve curve = builder.finish();
    ASSERT_EQ(curve.kernel_count(), cuts.size() - 1);
    for (std::size_t i = 0; i < capacities.size(); ++i) {
      SectoredCache cache(fully_associative(capacities[i]));
      TrafficCounters total;
      for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        cache.consume(std::span(stream).subspan(cuts[k], cuts[k + 1] - cuts[k]));
        if (k + 2 == cuts.size()) {
          cache.flush_dirty();
        } else if (flush) {
          cache.invalidate_all();  // its write-backs belong to the kernel just ended
        }
        const TrafficCounters sim = cache.take_counters();
        const TrafficCounters mrc = curve.kernel_counters(k, i);
        total += sim;
        EXPECT_EQ(mrc.l2_read_sectors, sim.l2_read_sectors);
        EXPECT_EQ(mrc.l2_read_hits, sim.l2_read_hits) << "kernel " << k << " capacity " << capacities[i];
        EXPECT_EQ(mrc.l2_write_allocates, sim.l2_write_allocates);
        EXPECT_EQ(mrc.dram_read_bytes, sim.dram_read_bytes);
        if (flush) {
          EXPECT_EQ(mrc.dram_write_bytes, sim.dram_write_bytes) << "kernel " << k;
        }
      }
      EXPECT_EQ(curve.counters(i), total) << "flush " << flush;
    }
  }
}

TEST(Mrc, PerKernelCountsEqualSimulationWithFlushesBetweenKernels) {
  expect_kernels_equal_simulation(test::random_stream(40000, 3000, 0.35, 9), {0, 7000, 15000, 26000, 40000},
                                  {32 * KiB, 128 * KiB, 256 * KiB, 512 * KiB});
  // 250k accesses compact the time axis (64k positions) several times, flush epochs included.
  expect_kernels_equal_simulation(test::random_stream(250000, 8000, 0.3, 10),
                                  {0, 20000, 70000, 71000, 150000, 249999, 250000}, {128 * KiB, 512 * KiB, 1024 * KiB});
}

TEST(Mrc, ExactCurveIsMonotoneInCapacity) {
  const auto stream = test::skewed_stream(100000, 1500, 40000, 4);
  const MissRatioCurve curve = build_mrc(stream, exact());
  const auto points = curve.points();
  ASSERT_EQ(points.size(), 49u);
  for (std::size_t i = 1; i < points.size(); ++i) {
    EXPECT_LE(points[i].read_miss_ratio, points[i - 1].read_miss_ratio);
    EXPECT_LE(points[i].write_miss_ratio, points[i - 1].write_miss_ratio);
    EXPECT_LE(points[i].dram_read_bytes, points[i - 1].dram_read_bytes);
    EXPECT_LE(points[i].dram_write_bytes, points[i - 1].dram_write_bytes);
  }
  EXPECT_GT(points.front().read_miss_ratio, points.back().read_miss_ratio);  // the stream has reuse to find
}

TEST(Mrc, CompactionOfTheTimeAxisKeepsDistancesExact) {
  // 300k accesses over 50k lines pass the 64k-position time axis several times.
  const auto stream = test::random_stream(300000, 50000, 0.25, 21);
  expect_equals_simulation(stream, {256 * KiB, 2048 * KiB, 4096 * KiB}, true);
}

TEST(Mrc, SampledAtRateOneIsTheExactCurve) {
  const auto stream = test::random_stream(50000, 5000, 0.3, 2);
  MrcOptions sampled;
  sampled.sampling_rate = 1;
  const MissRatioCurve a = build_mrc(stream, sampled), b = build_mrc(stream, exact());
  EXPECT_EQ(a.points(), b.points());
  EXPECT_EQ(a.error_bound(), 0);
}

TEST(Mrc, CurvesAreDeterministic) {
  const auto stream = test::random_stream(50000, 20000, 0.3, 8);
  EXPECT_EQ(build_mrc(stream, exact()).points(), build_mrc(stream, exact()).points());
  const MissRatioCurve a = build_mrc(stream), b = build_mrc(stream);
  EXPECT_EQ(a.points(), b.points());
  EXPECT_EQ(a.error_bounds(), b.error_bounds());
  MrcOptions other;
  other.seed = 99;
  EXPECT_NE(build_mrc(stream, other).points(), a.points());  // another sample of lines
}

TEST(Mrc, RefusesBadOptionsAndUseAfterFinish) {
  MrcOptions o;
  o.sampling_rate = 0;
  EXPECT_THROW(MrcBuilder{o}, ConfigError);
  o.sampling_rate = 1.5;
  EXPECT_THROW(MrcBuilder{o}, ConfigError);
  EXPECT_THROW(MrcBuilder{exact({256 * KiB, 128 * KiB})}, ConfigError);
  EXPECT_THROW(MrcBuilder{exact({100})}, ConfigError);
  MrcBuilder builder(exact());
  EXPECT_THROW(builder.access(rd(1, 0)), ModelError);
  builder.access(rd(1, 1));
  (void)builder.finish();
  EXPECT_THROW(builder.access(rd(1, 1)), ModelError);
  EXPECT_THROW((void)builder.finish(), ModelError);
}

}  // namespace
}  // namespace deepnvm::cachesim
