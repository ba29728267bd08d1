// SPDX-License-Identifier: MIT
// The dataflow mappings: MACs conserved against an explicit walk over the folds, utilization at most
// 1, scratchpads and buffer within capacity, known small cases, and whole networks.
#include "deepnvm/accel/mapping.h"

#include <random>

#include <gtest/gtest.h>

#include "deepnvm/workload/zoo.h"

namespace deepnvm::accel {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

LayerShape conv(std::int64_t m, std::int64_t c, std::int64_t hw, std::int64_t k, std::int64_t stride) {
  LayerShape l;
  l.name = "conv";
  l.m = m;
  l.c = c;
  l.h = l.w = hw;
  l.r = l.s = k;
  l.stride_h = l.stride_w = stride;
  l.p = l.q = (hw - k) / stride + 1;
  return l;
}

// Row stationary, pass by pass: the (r, p, c, m) each pass covers, clipped at the layer's edges.
// Their MACs must add up to the layer's, and each pass must fit the array.
std::int64_t rs_walk(const LayerShape& l, const MappingHardware& hw, const LayerMapping& m) {
  const std::int64_t n_c = m.pe_channels, n_m = m.pe_filters;
  const std::int64_t fr = l.r <= hw.rows ? 1 : ceil_div(l.r, hw.rows), rt = ceil_div(l.r, fr);
  const std::int64_t cblock = m.replicas_v * n_c, mblock = m.replicas_h * n_m;
  std::int64_t macs = 0, passes = 0;
  for (std::int64_t n = 0; n < l.batch * l.groups; ++n)
    for (std::int64_t r0 = 0; r0 < l.r; r0 += rt)
      for (std::int64_t p0 = 0; p0 < l.p; p0 += hw.cols)
        for (std::int64_t c0 = 0; c0 < l.c; c0 += cblock)
          for (std::int64_t m0 = 0; m0 < l.m; m0 += mblock) {
            const std::int64_t r = std::min(rt, l.r - r0), p = std::min(hw.cols, l.p - p0);
            const std::int64_t c = std::min(cblock, l.c - c0), mm = std::min(mblock, l.m - m0);
            EXPECT_LE(r * m.replicas_v, hw.rows);
            EXPECT_LE(p * m.replicas_h, hw.cols);
            macs += r * p * c * mm * l.q * l.s;
            ++passes;
          }
  EXPECT_EQ(passes, m.passes);
  return macs;
}

// Weight and output stationary: tiles of (K, M) or (X, M).
std::int64_t gemm_walk(const LayerShape& l, const MappingHardware& hw, const LayerMapping& m) {
  const std::int64_t K = l.c * l.r * l.s, X = l.batch * l.p * l.q;
  const std::int64_t spatial = hw.dataflow == Dataflow::ws ? K : X;
  std::int64_t macs = 0, passes = 0, cycles = 0;
  for (std::int64_t g = 0; g < l.groups; ++g)
    for (std::int64_t a0 = 0; a0 < spatial; a0 += hw.rows)
      for (std::int64_t m0 = 0; m0 < l.m; m0 += hw.cols) {
        const std::int64_t a = std::min(hw.rows, spatial - a0), mm = std::min(hw.cols, l.m - m0);
        macs += a * mm * (hw.dataflow == Dataflow::ws ? X : K);
        cycles += hw.dataflow == Dataflow::ws ? X + a + mm - 2 : K;
        ++passes;
      }
  EXPECT_EQ(passes, m.passes);
  EXPECT_EQ(cycles, m.compute_cycles);
  return macs;
}

void check_invariants(const LayerShape& l, const MappingHardware& hw) {
  const LayerMapping m = map_layer(l, hw);
  SCOPED_TRACE(::testing::Message() << dataflow_name(hw.dataflow) << " " << hw.rows << "x" << hw.cols << " spads "
                                    << hw.ifmap_spad << "/" << hw.filter_spad << "/" << hw.psum_spad << " layer m"
                                    << l.m << " c" << l.c << " p" << l.p << " r" << l.r << " stride " << l.stride_h);
  if (!m.feasible) {
    EXPECT_EQ(hw.dataflow, Dataflow::rs);
    EXPECT_TRUE(hw.ifmap_spad < l.s || hw.filter_spad < l.s) << m.why;
    return;
  }
  EXPECT_EQ(m.macs, l.macs());
  EXPECT_EQ(hw.dataflow == Dataflow::rs ? rs_walk(l, hw, m) : gemm_walk(l, hw, m), l.macs());
  EXPECT_GT(m.utilization, 0.0);
  EXPECT_LE(m.utilization, 1.0 + 1e-12);
  EXPECT_LE(m.active_pes, hw.rows * hw.cols);
  EXPECT_LE(m.ifmap_spad_used, hw.ifmap_spad);
  EXPECT_LE(m.filter_spad_used, hw.filter_spad);
  EXPECT_LE(m.psum_spad_used, hw.psum_spad);
  // Every MAC reads its operands from the PE and accumulates once.
  EXPECT_EQ(m.psum_spad.writes, static_cast<double>(l.macs()));
  EXPECT_EQ(m.filter_spad.reads, static_cast<double>(l.macs()));
  // Every weight reaches the array at least once; every output leaves it once.
  EXPECT_GE(m.glb_filter.reads, static_cast<double>(l.weights()));
  EXPECT_GE(m.glb_psum.writes, static_cast<double>(l.outputs()));
  EXPECT_EQ(m.glb_psum.writes - m.glb_psum.reads, static_cast<double>(l.outputs()));
}

TEST(Mapping, InvariantsHoldOnRandomLayersAndArrays) {
  std::mt19937_64 rng(7);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int i = 0; i < 400; ++i) {
    const std::int64_t k = pick(1, 7), stride = pick(1, 3);
    LayerShape l = conv(pick(1, 70), pick(1, 70), k + pick(0, 30), k, stride);
    l.batch = pick(1, 3);
    l.groups = pick(1, 3);
    MappingHardware hw;
    hw.rows = pick(1, 20);
    hw.cols = pick(1, 20);
    hw.ifmap_spad = pick(1, 24);
    hw.filter_spad = pick(1, 256);
    hw.psum_spad = pick(1, 32);
    for (Dataflow d : {Dataflow::rs, Dataflow::ws, Dataflow::os}) {
      hw.dataflow = d;
      check_invariants(l, hw);
    }
  }
}

TEST(Mapping, WeightStationaryOneTileIsOneSkewedPass) {
  const LayerShape l = conv(8, 2, 6, 3, 1);  // K = 18, M = 8, X = 16
  const MappingHardware hw{Dataflow::ws, 32, 8, 12, 224, 24};
  const LayerMapping m = map_layer(l, hw);
  EXPECT_EQ(m.passes, 1);
  EXPECT_EQ(m.compute_cycles, 16 + 18 + 8 - 2);
  EXPECT_EQ(m.glb_psum.reads, 0.0);
  EXPECT_EQ(m.glb_ifmap.reads, 16.0 * 18);
}

TEST(Mapping, OutputStationaryNeverSpillsPartialSums) {
  const LayerShape l = conv(20, 16, 10, 3, 1);
  const LayerMapping m = map_layer(l, {Dataflow::os, 4, 4, 1, 1, 1});
  EXPECT_EQ(m.glb_psum.reads, 0.0);
  EXPECT_EQ(m.compute_cycles, ceil_div(64, 4) * ceil_div(20, 4) * 16 * 9);
}

TEST(Mapping, RowStationaryFillsScratchpadsAsEyerissDoes) {
  // AlexNet CONV3 (13x13 output, 3x3 kernel, 256 -> 384 channels) on Eyeriss's 12x14 array with
  // 12/224/24-entry scratchpads: 4 channels (12 / 3) and 18 filters (224 / 12) per PE, 4 vertical sets.
  LayerShape l = conv(384, 256, 15, 3, 1);
  const LayerMapping m = map_layer(l, {Dataflow::rs, 12, 14, 12, 224, 24});
  ASSERT_TRUE(m.feasible);
  EXPECT_EQ(m.pe_channels, 4);
  EXPECT_EQ(m.pe_filters, 18);
  EXPECT_EQ(m.replicas_v, 4);
  EXPECT_EQ(m.replicas_h, 1);
  EXPECT_EQ(m.filter_spad_used, 216);
  EXPECT_EQ(m.ifmap_spad_used, 12);
}

TEST(Mapping, RowStationaryRefusesAKernelWiderThanTheIfmapScratchpad) {
  const LayerMapping m = map_layer(conv(4, 3, 20, 11, 4), {Dataflow::rs, 12, 14, 8, 224, 24});
  EXPECT_FALSE(m.feasible);
  EXPECT_NE(m.why.find("11 taps"), std::string::npos) << m.why;
}

TEST(Mapping, EmptyArrayIsAConfigError) {
  EXPECT_THROW(map_layer(conv(4, 3, 8, 3, 1), {Dataflow::ws, 0, 4, 1, 1, 1}), ConfigError);
}

TEST(BufferTiling, PeakOccupancyWithinTheBufferAndDramAtLeastCompulsory) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> bytes(1.0, 4e6);
  for (int i = 0; i < 2000; ++i) {
    const double in = bytes(rng), w = bytes(rng), out = bytes(rng), buffer = 1024.0 * (1 << (i % 12));
    const BufferTiling t = buffer_tiling(in, w, out, buffer);
    EXPECT_LE(t.peak_occupancy, buffer * (1 + 1e-12));
    EXPECT_GE(t.dram_bytes, (in + w + out) * (1 - 1e-12));
    if (in + w + out <= buffer) {
      EXPECT_DOUBLE_EQ(t.dram_bytes, in + w + out);
    }
  }
  // Neither half fits: 4 output tiles re-read 800 B of weights (5200 B), 2 weight tiles re-read
  // 1000 B of inputs (3800 B): the weight tiles win.
  BufferTiling t = buffer_tiling(1000, 800, 1000, 1024);
  EXPECT_EQ(t.tiles, 2);
  EXPECT_EQ(t.dram_bytes, 800 + 1000 + 1000 * 2);
  // Small weights stay resident while the activations are tiled: DRAM sees everything once.
  t = buffer_tiling(3000, 100, 3000, 1024);
  EXPECT_EQ(t.tiles, 7);
  EXPECT_EQ(t.dram_bytes, 6100);
}

TEST(NetworkLayers, EveryMacOfTheNetworkIsMappedOrCountedAsUnmapped) {
  for (const char* name : {"resnet18", "mobilenet_v2", "bert_base"}) {
    const Network net = zoo_network(name);
    const NetworkLayers layers = network_layers(net, 2);
    std::int64_t mapped = 0;
    for (const LayerShape& l : layers.layers) mapped += l.macs();
    EXPECT_EQ(mapped + layers.unmapped_macs, macs(net, 2)) << name;
    EXPECT_EQ(layers.unmapped_macs == 0, std::string(name) != "bert_base") << name;
  }
}

}  // namespace
}  // namespace deepnvm::accel
