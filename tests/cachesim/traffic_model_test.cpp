// SPDX-License-Identifier: MIT
// The end-to-end traffic model: conservation, warm-up, flushes, thread-count invariance and the curve
// against the simulator, on a small residual CNN so that every test runs in well under a second.
#include "deepnvm/cachesim/traffic_model.h"

#include <bit>
#include <cstdio>
#include <unordered_map>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"

namespace deepnvm {
namespace {

const GpuSpec& gtx1080ti() {
  static const GpuSpec gpu = gpu_preset(DEEPNVM_DATA_DIR, "gtx1080ti");
  return gpu;
}

// input 16x32x32 -> conv3x3 32 -> bn -> relu -> conv3x3 32 -> bn, + conv1x1 shortcut -> relu -> pool -> fc 10
Network small_resnet() {
  GraphBuilder g("small_resnet", "unit test");
  const TensorId x = g.input("x", {16, 32, 32});
  const TensorId c1 = g.add("conv1",
                            Conv2d{.in_channels = 16,
                                   .out_channels = 32,
                                   .kernel = {3, 3},
                                   .stride = {1, 1},
                                   .padding = {1, 1},
                                   .dilation = {1, 1},
                                   .groups = 1,
                                   .bias = false},
                            {x});
  const TensorId b1 = g.add("bn1", BatchNorm{.channels = 32}, {c1});
  const TensorId r1 = g.add("relu1", Activation{.kind = ActivationKind::relu}, {b1});
  const TensorId c2 = g.add("conv2",
                            Conv2d{.in_channels = 32,
                                   .out_channels = 32,
                                   .kernel = {3, 3},
                                   .stride = {1, 1},
                                   .padding = {1, 1},
                                   .dilation = {1, 1},
                                   .groups = 1,
                                   .bias = false},
                            {r1});
  const TensorId b2 = g.add("bn2", BatchNorm{.channels = 32}, {c2});
  const TensorId sc = g.add("shortcut",
                            Conv2d{.in_channels = 16,
                                   .out_channels = 32,
                                   .kernel = {1, 1},
                                   .stride = {1, 1},
                                   .padding = {0, 0},
                                   .dilation = {1, 1},
                                   .groups = 1,
                                   .bias = false},
                            {x});
  const TensorId sum = g.add("add", Add{}, {b2, sc});
  const TensorId r2 = g.add("relu2", Activation{.kind = ActivationKind::relu}, {sum});
  const TensorId p = g.add("pool", AdaptivePool2d{.kind = PoolKind::avg, .output = {1, 1}}, {r2});
  const TensorId f = g.add("flatten", Reshape{.shape = {32}}, {p});
  const TensorId y = g.add("fc", Linear{.in_features = 32, .out_features = 10, .bias = true, .tied_to = {}}, {f});
  return std::move(g).finish({y});
}

// 22 slices x 8 sets x 16 ways x 128 B = 352 KiB: smaller than the network's footprint (a few MiB).
constexpr std::uint64_t kSmallL2 = 22 * 8 * 16 * 128;

TrafficOptions training(std::int64_t batch = 4) {
  TrafficOptions o;
  o.lowering.mode = Mode::training;
  o.lowering.batch = batch;
  o.l2_bytes = kSmallL2;
  o.threads = 1;
  return o;
}

// Sectors whose first touch in the iteration is a read: data that did not originate on the GPU in it.
struct FirstTouch final : AccessSink {
  std::unordered_map<std::uint64_t, std::uint8_t> touched;  // line -> sectors touched so far
  std::unordered_map<std::uint64_t, std::uint8_t> written;  // line -> sectors written so far
  std::int64_t compulsory_read_sectors = 0;
  std::int64_t written_sectors = 0;  // distinct
  void consume(std::span<const L2Access> accesses) override {
    for (const L2Access& a : accesses) {
      std::uint8_t& seen = touched[a.line];
      const unsigned fresh = a.sectors & ~seen;
      if (a.write) {
        std::uint8_t& w = written[a.line];
        written_sectors += std::popcount(static_cast<unsigned>(a.sectors & ~w));
        w = static_cast<std::uint8_t>(w | a.sectors);
      } else {
        compulsory_read_sectors += std::popcount(fresh);
      }
      seen = static_cast<std::uint8_t>(seen | a.sectors);
    }
  }
};

FirstTouch first_touch(const TrafficResult& r) {
  FirstTouch sink;
  for (const Kernel& k : r.kernels) stream_accesses(k, gtx1080ti(), sink);
  return sink;
}

TEST(TrafficModel, CountsAreConservedPerKernel) {
  const TrafficResult r = model_traffic(small_resnet(), gtx1080ti(), training());
  ASSERT_EQ(r.traffic.kernels.size(), r.kernels.size());
  ASSERT_GT(r.kernels.size(), 10u);
  EXPECT_EQ(r.traffic.source, "model");
  EXPECT_EQ(r.l2_bytes, kSmallL2);
  TrafficCounters sum;
  for (std::size_t k = 0; k < r.kernels.size(); ++k) {
    const TrafficCounters& c = r.traffic.kernels[k].counters;
    SCOPED_TRACE(r.kernels[k].name);
    EXPECT_EQ(r.traffic.kernels[k].name, r.kernels[k].name);
    EXPECT_EQ(r.traffic.kernels[k].layer, r.kernels[k].layer);
    EXPECT_LE(c.l2_read_hits, c.l2_read_sectors);
    EXPECT_GE(c.l2_read_hits, 0);
    EXPECT_EQ(c.l2_write_hits, c.l2_write_sectors);  // NVIDIA counts every write sector as a hit
    EXPECT_LE(c.l2_write_allocates, c.l2_write_sectors);
    // hits + misses = accesses: each read miss fetches one 32 B sector.
    EXPECT_EQ(c.dram_read_bytes, 32 * (c.l2_read_sectors - c.l2_read_hits));
    EXPECT_EQ(c.dram_write_bytes % 32, 0);
    EXPECT_EQ(c.flops, r.kernels[k].flops);
    EXPECT_GT(c.time_s, 0);
    EXPECT_DOUBLE_EQ(c.time_s, roofline_time(r.kernels[k], gtx1080ti(), c));
    sum += c;
  }
  EXPECT_EQ(sum, r.traffic.total());
  EXPECT_EQ(sum.l2_read_sectors + sum.l2_write_sectors > 0, true);
  EXPECT_GT(r.measured_accesses, 0u);
  EXPECT_GT(r.generated_accesses, r.measured_accesses);  // the warm-up tail was generated too
}

TEST(TrafficModel, ColdDramReadsCoverCompulsoryReadsAndEqualThemWhenEverythingFits) {
  TrafficOptions o = training();
  o.cold = true;
  const TrafficResult small = model_traffic(small_resnet(), gtx1080ti(), o);
  const FirstTouch touch = first_touch(small);
  const std::int64_t compulsory = 32 * touch.compulsory_read_sectors;
  ASSERT_GT(compulsory, 0);
  EXPECT_GT(small.traffic.total().dram_read_bytes, compulsory);  // 352 KiB is far smaller than the footprint

  o.l2_bytes = 22 * 1024 * 16 * 128;  // 44 MiB: the whole iteration fits
  ASSERT_GT(*o.l2_bytes, small.footprint_bytes);
  const TrafficResult big = model_traffic(small_resnet(), gtx1080ti(), o);
  EXPECT_EQ(big.traffic.total().dram_read_bytes, compulsory);
  // A cold iteration ends with the write-back of everything still dirty: every written sector once.
  EXPECT_EQ(big.traffic.total().dram_write_bytes, 32 * touch.written_sectors);
}

TEST(TrafficModel, WarmIterationReadsNoMoreFromDramThanACold) {
  for (const std::uint64_t l2 : {kSmallL2, std::uint64_t{22} * 64 * 16 * 128}) {
    TrafficOptions o = training();
    o.l2_bytes = l2;
    const TrafficCounters warm = model_traffic(small_resnet(), gtx1080ti(), o).traffic.total();
    o.cold = true;
    const TrafficCounters cold = model_traffic(small_resnet(), gtx1080ti(), o).traffic.total();
    EXPECT_LE(warm.dram_read_bytes, cold.dram_read_bytes) << l2;
    EXPECT_EQ(warm.l2_read_sectors, cold.l2_read_sectors);
    EXPECT_EQ(warm.l2_write_sectors, cold.l2_write_sectors);
  }
  // When the whole iteration fits, the steady state reads nothing from DRAM and writes nothing back.
  TrafficOptions o = training();
  o.l2_bytes = 22 * 1024 * 16 * 128;
  const TrafficCounters fits = model_traffic(small_resnet(), gtx1080ti(), o).traffic.total();
  EXPECT_EQ(fits.dram_read_bytes, 0);
  EXPECT_EQ(fits.dram_write_bytes, 0);
}

TEST(TrafficModel, FlushingBetweenKernelsNeverReadsLessFromDram) {
  for (const bool cold : {false, true}) {
    TrafficOptions o = training();
    o.cold = cold;
    o.l2_bytes = 22 * 64 * 16 * 128;  // 2816 KiB, the GPU's own
    const TrafficCounters kept = model_traffic(small_resnet(), gtx1080ti(), o).traffic.total();
    o.flush_between_kernels = true;
    const TrafficCounters flushed = model_traffic(small_resnet(), gtx1080ti(), o).traffic.total();
    EXPECT_GT(flushed.dram_read_bytes, kept.dram_read_bytes) << cold;
    EXPECT_GE(flushed.dram_write_bytes, kept.dram_write_bytes) << cold;
    const TrafficResult with_flush = model_traffic(small_resnet(), gtx1080ti(), o);
    EXPECT_GT(with_flush.flush_write_bytes, 0) << cold;
    EXPECT_LE(with_flush.flush_write_bytes, with_flush.traffic.total().dram_write_bytes) << cold;
  }
}

TEST(TrafficModel, ResultsDoNotDependOnTheThreadCount) {
  for (const cachesim::MrcMethod method : {cachesim::MrcMethod::sampled, cachesim::MrcMethod::exact}) {
    TrafficOptions o = training();
    o.mrc = cachesim::MrcOptions{};
    o.mrc->method = method;
    std::optional<TrafficResult> first;
    for (const int threads : {1, 2, 3}) {
      o.threads = threads;
      TrafficResult r = model_traffic(small_resnet(), gtx1080ti(), o);
      ASSERT_TRUE(r.mrc);
      ASSERT_EQ(r.mrc->kernel_count(), r.kernels.size());
      if (!first) {
        first = std::move(r);
        continue;
      }
      EXPECT_EQ(r.traffic.kernels, first->traffic.kernels) << threads;
      EXPECT_EQ(r.mrc->points(), first->mrc->points()) << threads;
      EXPECT_EQ(r.mrc->error_bound(), first->mrc->error_bound()) << threads;
      for (std::size_t k = 0; k < r.kernels.size(); ++k)
        EXPECT_EQ(r.mrc->kernel_counters(k, 3), first->mrc->kernel_counters(k, 3)) << threads;
    }
  }
}

// A preset whose L2 is one fully associative LRU set of `capacity`: what the curve models.
GpuSpec fully_associative_gpu(std::uint64_t capacity) {
  GpuSpec gpu = gtx1080ti();
  gpu.l2_slices = 1;
  gpu.l2_ways = static_cast<int>(capacity / 128);
  gpu.l2_slice_hash = "none (fully associative test preset)";
  return gpu;
}

// The exact curve equals a fully associative simulation, warm (start_measurement) and cold (final flush),
// with and without flushes between kernels: every total, and read misses and allocates per kernel.
TEST(TrafficModel, ExactCurveEqualsFullyAssociativeSimulation) {
  for (const std::uint64_t capacity : {std::uint64_t{256} << 10, std::uint64_t{1} << 20}) {
    for (const bool cold : {false, true}) {
      for (const bool flush : {false, true}) {
        SCOPED_TRACE(testing::Message() << capacity << (cold ? " cold" : " warm") << (flush ? " flush" : ""));
        TrafficOptions o = training();
        o.l2_bytes = capacity;
        o.cold = cold;
        o.flush_between_kernels = flush;
        o.warmup_footprint_factor = 0;
        o.mrc = cachesim::MrcOptions{};
        o.mrc->method = cachesim::MrcMethod::exact;
        o.mrc->capacities = {capacity};
        const TrafficResult r = model_traffic(small_resnet(), fully_associative_gpu(capacity), o);
        ASSERT_TRUE(r.mrc);
        TrafficCounters sim = r.traffic.total();
        sim.flops = 0;
        sim.time_s = 0;
        EXPECT_EQ(r.mrc->counters(0), sim);
        for (std::size_t k = 0; k < r.kernels.size(); ++k) {
          const TrafficCounters curve = r.mrc->kernel_counters(k, 0);
          const TrafficCounters& c = r.traffic.kernels[k].counters;
          EXPECT_EQ(curve.l2_read_hits, c.l2_read_hits) << k;
          EXPECT_EQ(curve.l2_write_allocates, c.l2_write_allocates) << k;
        }
      }
    }
  }
}

// The study's mode: the curve alone, without the set-associative simulation, is the same curve (its
// warm-up tail depends on the curve's largest capacity only), and the traffic holds FLOPs alone.
TEST(TrafficModel, CurveWithoutSimulationIsTheSameCurve) {
  for (const auto method : {cachesim::MrcMethod::exact, cachesim::MrcMethod::sampled}) {
    TrafficOptions o = training();
    o.mrc = cachesim::MrcOptions{};
    o.mrc->method = method;
    o.mrc->sampling_rate = 0.25;
    o.mrc->capacities = {std::uint64_t{128} << 10, std::uint64_t{512} << 10, std::uint64_t{2} << 20};
    const TrafficResult both = model_traffic(small_resnet(), gtx1080ti(), o);
    o.simulate = false;
    const TrafficResult alone = model_traffic(small_resnet(), gtx1080ti(), o);
    ASSERT_TRUE(both.mrc && alone.mrc);
    ASSERT_EQ(alone.traffic.kernels.size(), both.traffic.kernels.size());
    EXPECT_EQ(alone.simulated_accesses, 0u);
    EXPECT_EQ(alone.curve_accesses, both.curve_accesses);
    for (std::size_t c = 0; c < o.mrc->capacities.size(); ++c)
      for (std::size_t k = 0; k < both.kernels.size(); ++k)
        EXPECT_EQ(alone.mrc->kernel_counters(k, c), both.mrc->kernel_counters(k, c)) << c << " " << k;
    for (std::size_t k = 0; k < alone.traffic.kernels.size(); ++k) {
      const TrafficCounters& a = alone.traffic.kernels[k].counters;
      EXPECT_EQ(a.flops, both.traffic.kernels[k].counters.flops);
      EXPECT_EQ(a.l2_read_sectors + a.l2_write_sectors + a.dram_read_bytes + a.dram_write_bytes, 0) << k;
    }
  }
  TrafficOptions nothing = training();
  nothing.simulate = false;
  EXPECT_THROW(model_traffic(small_resnet(), gtx1080ti(), nothing), ConfigError);
}

// Reported, not asserted (docs/models/cachesim.md §4): the GPU's 16-way hashed L2 against the curve.
TEST(TrafficModel, ReportsSetAssociativeAgainstCurveAtTheGpuCapacity) {
  TrafficOptions o = training(8);
  o.l2_bytes.reset();  // the GPU's 2816 KiB
  o.mrc = cachesim::MrcOptions{};
  o.mrc->method = cachesim::MrcMethod::exact;
  o.mrc->capacities = {static_cast<std::uint64_t>(gtx1080ti().l2_capacity)};
  const TrafficResult r = model_traffic(small_resnet(), gtx1080ti(), o);
  const TrafficCounters sim = r.traffic.total();
  const TrafficCounters fa = r.mrc->counters(0);
  const auto miss = [](const TrafficCounters& c) {
    return 1 - static_cast<double>(c.l2_read_hits) / static_cast<double>(c.l2_read_sectors);
  };
  std::printf(
      "small_resnet training b8, 2816 KiB: read miss ratio 16-way hashed %.4f, fully associative %.4f; "
      "DRAM write bytes %lld vs %lld\n",
      miss(sim), miss(fa), static_cast<long long>(sim.dram_write_bytes), static_cast<long long>(fa.dram_write_bytes));
  RecordProperty("set_associative_read_miss_ratio", std::to_string(miss(sim)));
  RecordProperty("fully_associative_read_miss_ratio", std::to_string(miss(fa)));
  EXPECT_EQ(sim.l2_read_sectors, fa.l2_read_sectors);
}

// The warm-up tail (docs/models/traffic.md): starting the warm-up late gives the same steady state as
// simulating the whole warm-up iteration.
TEST(TrafficModel, WarmupTailMatchesFullWarmup) {
  for (const std::uint64_t l2 : {kSmallL2, std::uint64_t{22} * 16 * 16 * 128}) {
    TrafficOptions o = training(8);
    o.l2_bytes = l2;
    o.mrc = cachesim::MrcOptions{};
    o.mrc->method = cachesim::MrcMethod::exact;
    o.mrc->capacities = {256 << 10, 512 << 10, 1 << 20};
    const TrafficResult tail = model_traffic(small_resnet(), gtx1080ti(), o);
    o.warmup_footprint_factor = 0;
    const TrafficResult full = model_traffic(small_resnet(), gtx1080ti(), o);
    EXPECT_EQ(full.warmup_first_kernel, 0u);
    EXPECT_GT(tail.warmup_first_kernel, 0u) << l2;  // the tail is shorter than the iteration
    EXPECT_EQ(tail.traffic.kernels, full.traffic.kernels) << l2;
    EXPECT_EQ(tail.mrc->points(), full.mrc->points()) << l2;
  }
}

TEST(TrafficModel, OrganisationFollowsThePreset) {
  const cachesim::CacheSpec own = l2_cache_spec(gtx1080ti(), 2816 * 1024, cachesim::ReplacementPolicy::lru);
  EXPECT_EQ(own.slices, 22);
  EXPECT_EQ(own.ways, 16);
  EXPECT_EQ(own.indexing, cachesim::SetIndexing::hash);  // "random (Accel-Sim partition_indexing 4)"
  // 4 MiB is not a whole number of 22 slices: one slice of the same ways, recorded in the spec.
  const cachesim::CacheSpec four = l2_cache_spec(gtx1080ti(), 4 << 20, cachesim::ReplacementPolicy::srrip);
  EXPECT_EQ(four.slices, 1);
  EXPECT_EQ(four.ways, 16);
  EXPECT_EQ(four.policy, cachesim::ReplacementPolicy::srrip);
  // V100: 24 ways; 4 MiB is 32768 lines, not a multiple of 24: 16 ways (the most that divide), 64 slices.
  const cachesim::CacheSpec v100 =
      l2_cache_spec(gpu_preset(DEEPNVM_DATA_DIR, "v100"), 4 << 20, cachesim::ReplacementPolicy::lru);
  EXPECT_EQ(v100.ways, 16);
  EXPECT_EQ(v100.slices, 64);
  EXPECT_THROW(l2_cache_spec(gtx1080ti(), 1000, cachesim::ReplacementPolicy::lru), ConfigError);
  TrafficOptions o = training();
  o.l2_bytes = 3000;
  EXPECT_THROW(model_traffic(small_resnet(), gtx1080ti(), o), ConfigError);
}

TEST(TrafficModel, ProgressCountsWarmupAndMeasuredKernels) {
  std::size_t calls = 0, last_done = 0, last_total = 0;
  const TrafficResult r =
      model_traffic(small_resnet(), gtx1080ti(), training(), [&](std::size_t done, std::size_t total) {
        ++calls;
        EXPECT_EQ(done, last_done + 1);
        last_done = done;
        last_total = total;
      });
  EXPECT_EQ(last_total, r.kernels.size() - r.warmup_first_kernel + r.kernels.size());
  EXPECT_EQ(calls, last_total);
}

}  // namespace
}  // namespace deepnvm
