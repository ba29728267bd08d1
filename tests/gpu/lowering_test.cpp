// SPDX-License-Identifier: MIT
// Lowering and the L2 access stream: exact analytic sector counts of single GEMMs and convolutions
// (gpus.md §3.3), FLOP conservation, and properties of the stream.
#include <bit>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/gpu/lowering.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {
namespace {

const std::filesystem::path kData = DEEPNVM_DATA_DIR;

const GpuSpec& preset(const std::string& name) {
  static const std::map<std::string, GpuSpec> all = [] {
    std::map<std::string, GpuSpec> m;
    for (const std::string& n : gpu_preset_names(kData)) m.emplace(n, gpu_preset(kData, n));
    return m;
  }();
  return all.at(name);
}

// Counts sector lookups, checks masks and chunk sizes, and remembers the address range touched.
class CountingSink : public AccessSink {
 public:
  std::int64_t read_sectors = 0, write_sectors = 0, accesses = 0;
  std::uint64_t min_line = ~0ull, max_line = 0;
  std::size_t largest_chunk = 0;
  bool bad_mask = false;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> write_ranges;  // allowed [first, last] lines for writes
  bool write_outside = false;

  void consume(std::span<const L2Access> chunk) override {
    largest_chunk = std::max(largest_chunk, chunk.size());
    for (const L2Access& a : chunk) {
      ++accesses;
      if (a.sectors == 0 || a.sectors > 0xF) bad_mask = true;
      (a.write ? write_sectors : read_sectors) += std::popcount(static_cast<unsigned>(a.sectors));
      min_line = std::min(min_line, a.line);
      max_line = std::max(max_line, a.line);
      if (a.write && !write_ranges.empty() &&
          std::none_of(write_ranges.begin(), write_ranges.end(),
                       [&](const auto& r) { return a.line >= r.first && a.line <= r.second; }))
        write_outside = true;
    }
  }
};

CountingSink count(const Kernel& k, const GpuSpec& gpu) {
  CountingSink sink;
  stream_accesses(k, gpu, sink);
  return sink;
}

Network single_linear(std::int64_t in, std::int64_t out) {
  GraphBuilder g("gemm", "unit test");
  const TensorId x = g.input("x", {in});
  const TensorId y = g.add("fc", Linear{.in_features = in, .out_features = out, .bias = false}, {x});
  return std::move(g).finish({y});
}

Network single_conv(Conv2d c, std::int64_t h, std::int64_t w) {
  GraphBuilder g("conv", "unit test");
  const TensorId x = g.input("x", {c.in_channels, h, w});
  const TensorId y = g.add("conv", c, {x});
  return std::move(g).finish({y});
}

LoweringOptions inference(std::int64_t batch, DType dtype = DType::fp32) {
  return LoweringOptions{
      .mode = Mode::inference, .batch = batch, .dtype = dtype, .optimizer = Optimizer::sgd_momentum, .split_k = false};
}

// gpus.md §3.3: reads = ceil(M/TM)·ceil(N/TN)·K·(TM+TN)·b/32, writes = M·N·b/32.
std::int64_t gemm_reads(std::int64_t m, std::int64_t n, std::int64_t k, GemmTile t, std::int64_t b) {
  return ((m + t.m - 1) / t.m) * ((n + t.n - 1) / t.n) * k * (t.m + t.n) * b / 32;
}

TEST(Lowering, GemmSectorCountsAreExactlyAnalytic) {
  struct Case {
    const char* gpu;
    DType dtype;
    std::int64_t m, n, k;
  };
  for (const Case& c : {Case{"gtx1080ti", DType::fp32, 1024, 1024, 512}, Case{"v100", DType::fp16, 512, 768, 1024},
                        Case{"a100", DType::bf16, 256, 1024, 4096}, Case{"h100_sxm", DType::fp16, 384, 256, 640}}) {
    const GpuSpec& gpu = preset(c.gpu);
    const auto kernels = lower(single_linear(c.k, c.n), gpu, inference(c.m, c.dtype));
    ASSERT_EQ(kernels.size(), 1u);
    const Kernel& k = kernels[0];
    const std::int64_t b = static_cast<std::int64_t>(dtype_bytes(c.dtype));
    const CountingSink s = count(k, gpu);
    EXPECT_EQ(s.read_sectors, gemm_reads(c.m, c.n, c.k, gpu.tile(c.dtype), b)) << c.gpu;
    EXPECT_EQ(s.write_sectors, c.m * c.n * b / 32) << c.gpu;
    EXPECT_EQ(s.read_sectors, k.analytic_read_sectors);
    EXPECT_EQ(s.write_sectors, k.analytic_write_sectors);
    // Every row segment of a tile is a whole number of lines here: one access per 4 sectors.
    EXPECT_EQ(4 * s.accesses, s.read_sectors + s.write_sectors) << c.gpu;
    EXPECT_FALSE(s.bad_mask);
  }
}

TEST(Lowering, ConvolutionSectorCountsAreExactlyAnalytic) {
  // 1x1 (a ResNet bottleneck expansion) and 3x3 without padding: every tap of every row is loaded.
  struct Case {
    Conv2d conv;
    std::int64_t h, w, batch;
  };
  const Case cases[] = {
      {Conv2d{.in_channels = 64, .out_channels = 256, .kernel = {1, 1}, .bias = false}, 56, 56, 2},
      {Conv2d{.in_channels = 64, .out_channels = 128, .kernel = {3, 3}, .bias = false}, 18, 18, 2},
      {Conv2d{.in_channels = 128, .out_channels = 128, .kernel = {3, 3}, .stride = {2, 2}, .bias = false}, 33, 33, 8},
  };
  const GpuSpec& gpu = preset("gtx1080ti");
  for (const Case& c : cases) {
    const Network net = single_conv(c.conv, c.h, c.w);
    const auto kernels = lower(net, gpu, inference(c.batch));
    ASSERT_EQ(kernels.size(), 1u);
    const Shape out = net.output_shape(net.layers[0]);
    const std::int64_t m = c.batch * out[1] * out[2], n = c.conv.out_channels;
    const std::int64_t k = c.conv.in_channels * c.conv.kernel.h * c.conv.kernel.w;
    ASSERT_EQ(m % 128, 0) << "the case must be tile-aligned";
    const CountingSink s = count(kernels[0], gpu);
    EXPECT_EQ(s.read_sectors, gemm_reads(m, n, k, gpu.tile(DType::fp32), 4));
    EXPECT_EQ(s.write_sectors, m * n * 4 / 32);
    EXPECT_EQ(kernels[0].flops, flops(net, c.batch));
  }
}

TEST(Lowering, PaddingAndPartialTilesOnlyRemoveLoads) {
  // Zero padding and rows beyond M are predicated off: never more than the aligned count.
  const Network net = single_conv(
      Conv2d{.in_channels = 64, .out_channels = 64, .kernel = {3, 3}, .padding = {1, 1}, .bias = false}, 56, 56);
  const GpuSpec& gpu = preset("gtx1080ti");
  const auto kernels = lower(net, gpu, inference(1));
  const CountingSink s = count(kernels[0], gpu);
  const std::int64_t m = 56 * 56, tiles_m = (m + 127) / 128;
  EXPECT_LT(s.read_sectors, gemm_reads(m, 64, 576, gpu.tile(DType::fp32), 4));
  // Without padding: M rows of A, and only the N = 64 valid columns of each B tile.
  const std::int64_t unpadded = m * 576 * 4 / 32 + tiles_m * 576 * 64 * 4 / 32;
  EXPECT_LT(s.read_sectors, unpadded);
  EXPECT_GT(s.read_sectors, unpadded * 95 / 100);  // a one-pixel border drops about 3.5 % of the taps
  EXPECT_EQ(s.write_sectors, m * 64 * 4 / 32);
}

TEST(Lowering, KernelFlopsSumToTheNetworkInInferenceAndToThePlanInTraining) {
  for (const std::string& name : builtin_networks().names()) {
    const Network net = zoo_network(name, ZooOptions{.dtype = DType::fp32, .sequence_length = 32});
    std::int64_t sum = 0;
    for (const Kernel& k : lower(net, preset("v100"), inference(2, DType::fp16))) sum += k.flops;
    EXPECT_EQ(sum, flops(net, 2)) << name;
  }
  const Network net = resnet50();
  const LoweringOptions train{
      .mode = Mode::training, .batch = 4, .dtype = DType::fp32, .optimizer = Optimizer::adam, .split_k = true};
  const LoweredWorkload w = lower_workload(net, preset("gtx1080ti"), train);
  std::map<Pass, std::int64_t> by_pass;
  for (const Kernel& k : w.kernels) by_pass[k.pass] += k.flops;
  for (Pass p : {Pass::forward, Pass::backward_data, Pass::backward_weight, Pass::update})
    EXPECT_EQ(by_pass[p], w.plan.flops(p)) << pass_name(p);
  EXPECT_EQ(by_pass[Pass::update], 14 * parameter_count(net));
}

TEST(Lowering, SplitKFillsAWaveAndConservesTheProduct) {
  // A wgrad-like GEMM: small M x N, long K. Without split-K it is 1 CTA; with it, a wave's worth.
  const GpuSpec& gpu = preset("gtx1080ti");
  const Network net = single_linear(128, 128);
  LoweringOptions opt = inference(8192);
  opt.split_k = true;
  const auto kernels = lower(net, gpu, opt);
  ASSERT_EQ(kernels.size(), 1u);  // 64 x 1 tiles already fill the wave: no split
  GraphBuilder g("wg", "unit test");
  const TensorId a = g.input("a", {128, 8192});
  const TensorId b = g.input("b", {8192, 128});
  const TensorId y = g.add("mm", MatMul{}, {a, b});
  const Network mm = std::move(g).finish({y});
  opt.batch = 1;
  const auto split = lower(mm, gpu, opt);
  ASSERT_EQ(split.size(), 2u);
  const Kernel& k = split[0];
  ASSERT_TRUE(k.gemm);
  EXPECT_GT(k.gemm->split_k, 1);
  EXPECT_EQ(k.ctas, std::min<std::int64_t>(k.wave_ctas, 32));  // one wave, at most 32 slices
  EXPECT_EQ(split[1].kind, KernelKind::split_k_reduce);
  EXPECT_EQ(split[0].flops + split[1].flops, flops(mm, 1));
  const CountingSink s = count(k, gpu);
  EXPECT_EQ(s.read_sectors, gemm_reads(128, 128, 8192, gpu.tile(DType::fp32), 4));
  EXPECT_EQ(s.write_sectors, k.gemm->split_k * 128 * 128 * 4 / 32);  // fp32 partials
  const CountingSink r = count(split[1], gpu);
  EXPECT_EQ(r.read_sectors, s.write_sectors);
  EXPECT_EQ(r.write_sectors, 128 * 128 * 4 / 32);
}

TEST(Lowering, StreamKernelsTouchEachByteOnceAndWriteOnlyTheirOutputs) {
  const Network net = resnet18();
  const LoweringOptions train{
      .mode = Mode::training, .batch = 2, .dtype = DType::fp16, .optimizer = Optimizer::sgd_momentum, .split_k = true};
  const GpuSpec& gpu = preset("a100");
  const LoweredWorkload w = lower_workload(net, gpu, train);
  std::map<std::uint64_t, const Allocation*> by_address;
  for (const Allocation& a : w.allocations) by_address[a.address] = &a;
  int streams = 0;
  for (const Kernel& k : w.kernels) {
    CountingSink s;
    if (k.kind == KernelKind::gemm) {
      s.write_ranges.emplace_back(k.gemm->c.address / 128, k.gemm->c.address / 128 + (1ull << 40));
    } else {
      for (const StreamOperand& op : k.operands)
        if (op.write)
          s.write_ranges.emplace_back(op.address / 128, (op.address + static_cast<std::uint64_t>(op.period) - 1) / 128);
    }
    stream_accesses(k, gpu, s);
    EXPECT_FALSE(s.bad_mask) << k.name;
    EXPECT_LE(s.largest_chunk, kAccessChunk);
    EXPECT_GE(s.min_line, kAllocationBase / 128);
    if (k.kind != KernelKind::gemm) {
      ++streams;
      EXPECT_EQ(s.read_sectors, k.analytic_read_sectors) << k.name << " " << k.layer;
      EXPECT_EQ(s.write_sectors, k.analytic_write_sectors) << k.name << " " << k.layer;
      EXPECT_FALSE(s.write_outside) << k.name << " " << k.layer;
    }
  }
  EXPECT_GT(streams, 100);
}

TEST(Lowering, TrainingConvPassesReadTheirOperandsAndWriteTheGradients) {
  // Stride 1, no padding: dgrad gathers dy through the flipped filter (border taps fall outside dy),
  // wgrad reads every (pixel, tap) of x and every dy element once per tile.
  const Network net =
      single_conv(Conv2d{.in_channels = 64, .out_channels = 64, .kernel = {3, 3}, .bias = false}, 18, 18);
  const GpuSpec& gpu = preset("gtx1080ti");
  const LoweringOptions train{
      .mode = Mode::training, .batch = 2, .dtype = DType::fp32, .optimizer = Optimizer::sgd_momentum, .split_k = false};
  const auto kernels = lower(net, gpu, train);
  std::map<std::string, const Kernel*> by;
  for (const Kernel& k : kernels) by[std::string(pass_name(k.pass)) + ":" + k.name] = &k;
  ASSERT_TRUE(by.count("wgrad:conv2d_wgrad_128x128x8"));
  EXPECT_FALSE(by.count("dgrad:conv2d_dgrad_128x128x8")) << "the input layer needs no data gradient";
  const Kernel& wg = *by.at("wgrad:conv2d_wgrad_128x128x8");
  const CountingSink s = count(wg, gpu);
  // M = 64 (one partial tile of 128 rows), N = 576, K = 2·16·16 = 512: A rows are 64 channels of dy.
  const std::int64_t tiles_n = (576 + 127) / 128;
  EXPECT_EQ(s.read_sectors,
            tiles_n * 512 * 64 * 4 / 32 + tiles_n * 512 * 128 * 4 / 32 - 512 * (5 * 128 - 576) * 4 / 32);
  EXPECT_EQ(s.write_sectors, 64 * 576 * 4 / 32);
}

TEST(Lowering, ResidencyFollowsTheTightestLimit) {
  const GpuSpec& p = preset("gtx1080ti");
  EXPECT_EQ(resident_ctas_per_sm(p, 256, 128, 16 * 1024), 2);  // registers: 65536 / (256·128)
  EXPECT_EQ(resident_ctas_per_sm(p, 256, 32, 40 * 1024), 2);   // shared memory: 96 KiB / 40 KiB
  EXPECT_EQ(resident_ctas_per_sm(p, 64, 16, 0), 32);           // the CTA limit
  EXPECT_EQ(resident_ctas_per_sm(p, 1024, 16, 0), 2);          // threads
}

TEST(Lowering, RooflineIsTheSlowestOfComputeL2AndDram) {
  const GpuSpec& gpu = preset("v100");
  Kernel k;
  k.kind = KernelKind::gemm;
  k.dtype = DType::fp16;
  k.flops = static_cast<std::int64_t>(*gpu.peak_fp16);  // 1 s of compute
  TrafficCounters c;
  EXPECT_DOUBLE_EQ(roofline_time(k, gpu, c), 1.0);
  c.dram_read_bytes = static_cast<std::int64_t>(2 * gpu.dram_bandwidth);
  EXPECT_DOUBLE_EQ(roofline_time(k, gpu, c), 2.0);
  c.l2_read_sectors = static_cast<std::int64_t>(3 * gpu.l2_bandwidth / 32);
  EXPECT_NEAR(roofline_time(k, gpu, c), 3.0, 1e-9);
  k.kind = KernelKind::stream;  // CUDA cores: the fp32 peak
  c = {};
  EXPECT_NEAR(roofline_time(k, gpu, c), *gpu.peak_fp16 / *gpu.peak_fp32, 1e-9);
}

// Folds the whole stream into one value, in order.
class HashingSink : public AccessSink {
 public:
  std::uint64_t hash = 1469598103934665603ull;
  void consume(std::span<const L2Access> chunk) override {
    for (const L2Access& a : chunk)
      hash = (hash ^ (a.line * 31 + a.sectors * 2 + (a.write ? 1 : 0))) * 1099511628211ull;
  }
};

TEST(Lowering, StreamsAreDeterministicAndEveryPrecisionLowers) {
  const Network net = vit_b_16();
  const GpuSpec& gpu = preset("h100_sxm");
  const LoweringOptions train{
      .mode = Mode::training, .batch = 1, .dtype = DType::bf16, .optimizer = Optimizer::adam, .split_k = true};
  const auto a = lower(net, gpu, train), b = lower(net, gpu, train);
  ASSERT_EQ(a, b);
  HashingSink ha, hb;
  for (std::size_t i = 0; i < a.size(); i += 37) {
    stream_accesses(a[i], gpu, ha);
    stream_accesses(b[i], gpu, hb);
  }
  EXPECT_EQ(ha.hash, hb.hash);
  for (const std::string& name : gpu_preset_names(kData))
    for (DType d : {DType::fp32, DType::fp16, DType::bf16, DType::int8}) {
      const GpuSpec& g = preset(name);
      if (!g.sources.count(fmt::format("tile_{}", dtype_name(d)))) continue;
      EXPECT_NO_THROW(lower(resnet18(), g, inference(2, d))) << name << " " << dtype_name(d);
    }
}

TEST(Lowering, PresetWithoutThePrecisionIsAnError) {
  EXPECT_THROW(lower(resnet18(), preset("gtx1080ti"), inference(1, DType::bf16)), ModelError);
}

}  // namespace
}  // namespace deepnvm
