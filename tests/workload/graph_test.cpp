// SPDX-License-Identifier: MIT
// The layer graph: shapes, FLOPs and parameter counts of single operators against their closed forms,
// and the builder's refusals.
#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm {
namespace {

// Output shape, FLOPs and MACs of one operator on one sample.
struct Eval {
  Shape out;
  std::int64_t flops, macs, params;
};
Eval eval(const Op& op, std::vector<Shape> in) {
  const Shape out = infer_output_shape(op, in);
  return {out, flops(op, in, out), macs(op, in, out), parameter_count(op)};
}

TEST(Conv2d, GroupedStridedDilatedConvMatchesTheClosedForm) {
  const Conv2d c{.in_channels = 32,
                 .out_channels = 64,
                 .kernel = {3, 5},
                 .stride = {2, 1},
                 .padding = {1, 2},
                 .dilation = {2, 1},
                 .groups = 4,
                 .bias = true};
  const Eval e = eval(c, {{32, 56, 57}});
  // Ho = floor((56 + 2 - 2*2 - 1) / 2) + 1 = 27, Wo = (57 + 4 - 4 - 1) / 1 + 1 = 57
  ASSERT_EQ(e.out, (Shape{64, 27, 57}));
  const std::int64_t outputs = 64 * 27 * 57;
  const std::int64_t macs = outputs * (32 / 4) * 3 * 5;
  EXPECT_EQ(e.macs, macs);
  EXPECT_EQ(e.flops, 2 * macs + outputs);  // 1 multiply-add = 2 FLOPs, plus the bias add
  EXPECT_EQ(e.params, 64 * (32 / 4) * 3 * 5 + 64);
}

TEST(Conv2d, DepthwiseConvHasOneFilterPerChannel) {
  const Conv2d c{.in_channels = 96,
                 .out_channels = 96,
                 .kernel = {3, 3},
                 .stride = {2, 2},
                 .padding = {1, 1},
                 .groups = 96,
                 .bias = false};
  const Eval e = eval(c, {{96, 112, 112}});
  ASSERT_EQ(e.out, (Shape{96, 56, 56}));
  EXPECT_EQ(e.params, 96 * 9);
  EXPECT_EQ(e.flops, 2 * 96 * 56 * 56 * 9);
}

TEST(Conv2d, RejectsWrongChannelsAndGroupsThatDoNotDivide) {
  EXPECT_THROW(eval(Conv2d{.in_channels = 3, .out_channels = 8}, {{4, 8, 8}}), ModelError);
  EXPECT_THROW(eval(Conv2d{.in_channels = 6, .out_channels = 8, .groups = 4}, {{6, 8, 8}}), ModelError);
  EXPECT_THROW(eval(Conv2d{.in_channels = 3, .out_channels = 8, .kernel = {9, 9}}, {{3, 8, 8}}), ModelError);
}

TEST(Linear, GemmOverEveryLeadingDimensionMatchesTheClosedForm) {
  const Eval e = eval(Linear{.in_features = 768, .out_features = 3072}, {{128, 768}});
  ASSERT_EQ(e.out, (Shape{128, 3072}));
  EXPECT_EQ(e.macs, std::int64_t{128} * 768 * 3072);
  EXPECT_EQ(e.flops, 2 * e.macs + 128 * 3072);
  EXPECT_EQ(e.params, 768 * 3072 + 3072);
  const Eval no_bias = eval(Linear{.in_features = 768, .out_features = 3072, .bias = false}, {{128, 768}});
  EXPECT_EQ(no_bias.flops, 2 * e.macs);
  EXPECT_EQ(no_bias.params, 768 * 3072);
}

TEST(MatMul, BatchedProductWithTransposedSecondOperand) {
  const Eval e = eval(MatMul{.transpose_b = true}, {{12, 128, 64}, {12, 128, 64}});
  ASSERT_EQ(e.out, (Shape{12, 128, 128}));
  EXPECT_EQ(e.flops, 2 * 12 * 128 * 128 * 64);
  EXPECT_EQ(e.params, 0);
  EXPECT_THROW(eval(MatMul{}, {{12, 128, 64}, {12, 128, 64}}), ModelError);  // 64 != 128
  EXPECT_THROW(eval(MatMul{}, {{12, 128, 64}, {6, 64, 128}}), ModelError);   // batch dims differ
}

TEST(Attention, CostsItsTwoBatchedProductsPlusScaleAndSoftmax) {
  const std::int64_t s = 197, e = 768, h = 12, d = e / h;
  const Eval a = eval(Attention{.heads = h}, {{s, e}, {s, e}, {s, e}});
  ASSERT_EQ(a.out, (Shape{s, e}));
  // Same as the decomposition: Q·Kᵀ and P·V per head, 1 FLOP scale and 5 FLOPs softmax per score.
  const Eval qk = eval(MatMul{.transpose_b = true}, {{h, s, d}, {h, s, d}});
  const Eval pv = eval(MatMul{}, {{h, s, s}, {h, s, d}});
  const Eval softmax = eval(Softmax{}, {{h, s, s}});
  EXPECT_EQ(a.macs, qk.macs + pv.macs);
  EXPECT_EQ(a.flops, qk.flops + pv.flops + softmax.flops + h * s * s);
  EXPECT_EQ(a.params, 0);
  EXPECT_THROW(eval(Attention{.heads = 5}, {{s, e}, {s, e}, {s, e}}), ModelError);  // 5 does not divide 768
}

TEST(Pool2d, CeilModeFollowsPyTorch) {
  const Pool2d p{.kind = PoolKind::max, .kernel = {3, 3}, .stride = {2, 2}, .ceil_mode = true};
  EXPECT_EQ(eval(p, {{64, 112, 112}}).out, (Shape{64, 56, 56}));
  EXPECT_EQ(eval(Pool2d{.kernel = {3, 3}, .stride = {2, 2}}, {{64, 112, 112}}).out, (Shape{64, 55, 55}));
  // torch: MaxPool2d(2, 2, padding=1, ceil_mode=True) on 5x5 gives 3x3, not 4x4: a window may not
  // start in the right padding.
  const Pool2d edge{.kernel = {2, 2}, .stride = {2, 2}, .padding = {1, 1}, .ceil_mode = true};
  EXPECT_EQ(eval(edge, {{1, 5, 5}}).out, (Shape{1, 3, 3}));
  EXPECT_EQ(eval(p, {{64, 112, 112}}).flops, 64 * 56 * 56 * 9);
}

TEST(AdaptivePool2d, CountsTheExactOverlappingWindows) {
  // 13 -> 6: windows [0,3) [2,5) [4,7) [6,9) [8,11) [10,13), 3 rows each, 18 in all (AlexNet's avgpool).
  const Eval e = eval(AdaptivePool2d{.kind = PoolKind::avg, .output = {6, 6}}, {{256, 13, 13}});
  EXPECT_EQ(e.out, (Shape{256, 6, 6}));
  EXPECT_EQ(e.flops, 256 * 18 * 18);
  EXPECT_EQ(eval(AdaptivePool2d{.output = {1, 1}}, {{2048, 7, 7}}).flops, 2048 * 49);
}

TEST(Normalization, ParametersAreScaleAndShift) {
  EXPECT_EQ(eval(BatchNorm{64}, {{64, 56, 56}}).params, 128);
  EXPECT_EQ(eval(BatchNorm{64}, {{64, 56, 56}}).flops, 2 * 64 * 56 * 56);
  EXPECT_EQ(eval(LayerNorm{768}, {{128, 768}}).params, 1536);
  EXPECT_EQ(eval(LayerNorm{768}, {{128, 768}}).flops, 8 * 128 * 768);
  EXPECT_THROW(eval(BatchNorm{64}, {{32, 56, 56}}), ModelError);
  EXPECT_THROW(eval(LayerNorm{768}, {{768, 128}}), ModelError);
}

TEST(Elementwise, AddConcatSoftmaxAndActivationsKeepOrJoinShapes) {
  EXPECT_EQ(eval(Add{}, {{8, 4}, {8, 4}, {8, 4}}).flops, 2 * 32);
  EXPECT_THROW(eval(Add{}, {{8, 4}, {4, 8}}), ModelError);
  EXPECT_THROW(eval(Add{}, {{8, 4}}), ModelError);
  EXPECT_EQ(eval(Concat{0}, {{64, 28, 28}, {128, 28, 28}}).out, (Shape{192, 28, 28}));
  EXPECT_THROW(eval(Concat{0}, {{64, 28, 28}, {128, 14, 14}}), ModelError);
  EXPECT_EQ(eval(Concat{-1}, {{2, 3}, {2, 5}}).out, (Shape{2, 8}));
  EXPECT_EQ(eval(Softmax{}, {{12, 128, 128}}).flops, 5 * 12 * 128 * 128);
  EXPECT_EQ(eval(Activation{ActivationKind::relu}, {{10}}).flops, 10);
  EXPECT_EQ(eval(Activation{ActivationKind::gelu_tanh}, {{10}}).flops, 90);
}

TEST(DataMovement, ReshapeTransposeSliceAndEmbeddingCostNoFlops) {
  const Eval r = eval(Reshape{{768, 196}}, {{768, 14, 14}});
  EXPECT_EQ(r.out, (Shape{768, 196}));
  EXPECT_EQ(r.flops, 0);
  EXPECT_THROW(eval(Reshape{{768, 195}}, {{768, 14, 14}}), ModelError);
  EXPECT_EQ(eval(Transpose{{1, 0}}, {{768, 196}}).out, (Shape{196, 768}));
  EXPECT_THROW(eval(Transpose{{0, 0}}, {{768, 196}}), ModelError);
  EXPECT_EQ(eval(Slice{.axis = -1, .start = 768, .length = 768}, {{197, 2304}}).out, (Shape{197, 768}));
  EXPECT_THROW(eval(Slice{.axis = -1, .start = 2000, .length = 768}, {{197, 2304}}), ModelError);
  const Eval emb = eval(Embedding{30522, 768}, {{128}});
  EXPECT_EQ(emb.out, (Shape{128, 768}));
  EXPECT_EQ(emb.flops, 0);
  EXPECT_EQ(emb.params, 30522 * 768);
  EXPECT_EQ(eval(Parameter{{197, 768}}, {}).params, 197 * 768);
}

TEST(DType, SizesNamesAndUnknownNames) {
  EXPECT_EQ(dtype_bytes(DType::fp32), 4u);
  EXPECT_EQ(dtype_bytes(DType::bf16), 2u);
  EXPECT_EQ(dtype_bytes(DType::int8), 1u);
  EXPECT_EQ(parse_dtype("fp16"), DType::fp16);
  try {
    parse_dtype("bf61");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'bf16'"), std::string::npos) << e.what();
  }
}

Network tiny(DType dtype = DType::fp32) {
  GraphBuilder g("tiny", "test", dtype);
  TensorId x = g.input("x", {3, 8, 8});
  x = g.add("conv", Conv2d{.in_channels = 3, .out_channels = 4, .kernel = {3, 3}, .padding = {1, 1}}, {x});
  x = g.add("relu", Activation{}, {x});
  x = g.add("flatten", Reshape{{256}}, {x});
  x = g.add("fc", Linear{.in_features = 256, .out_features = 10}, {x});
  return std::move(g).finish({x});
}

TEST(Network, FlopsScaleWithBatchAndShapesGainABatchDimension) {
  const Network net = tiny();
  const std::int64_t one = flops(net, 1);
  EXPECT_EQ(one, (2 * 4 * 64 * 27 + 4 * 64) + 4 * 64 + (2 * 256 * 10 + 10));
  EXPECT_EQ(flops(net, 32), 32 * one);
  EXPECT_EQ(parameter_count(net), (4 * 27 + 4) + (2560 + 10));
  EXPECT_EQ(with_batch(net.output_shape(net.layers.back()), 32), (Shape{32, 10}));
  EXPECT_EQ(parameter_bytes(tiny(DType::fp16)), 2 * parameter_count(net));
  EXPECT_EQ(net.tensor(net.layers.back().output).dtype, DType::fp32);
}

TEST(GraphBuilder, RefusesInconsistentGraphsNamingTheLayer) {
  GraphBuilder g("bad", "test");
  const TensorId x = g.input("x", {3, 8, 8});
  const TensorId ids = g.input("ids", {16}, DType::int64);
  try {
    g.add("conv", Conv2d{.in_channels = 4, .out_channels = 4}, {x});
    FAIL() << "no error";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 'conv' (conv2d)"), std::string::npos) << e.what();
  }
  g.add("relu", Activation{}, {x});
  EXPECT_THROW(g.add("relu", Activation{}, {x}), ModelError);   // duplicate name
  EXPECT_THROW(g.add("y", Activation{}, {99}), ModelError);     // no such tensor
  EXPECT_THROW(g.add("e", Embedding{10, 4}, {x}), ModelError);  // float ids
  EXPECT_THROW(g.add("r", Activation{}, {ids}), ModelError);    // integer activations
  const TensorId emb = g.add("emb", Embedding{100, 8}, {ids});
  EXPECT_THROW(g.add("head", Linear{.in_features = 8, .out_features = 99, .bias = false, .tied_to = "emb"}, {emb}),
               ModelError);  // [99, 8] is not the embedding's [100, 8]
  EXPECT_THROW(g.add("head", Linear{.in_features = 8, .out_features = 100, .tied_to = "nothing"}, {emb}), ModelError);
  const TensorId head =
      g.add("head", Linear{.in_features = 8, .out_features = 100, .bias = false, .tied_to = "emb"}, {emb});
  const Network net = std::move(g).finish({head});
  EXPECT_EQ(parameter_count(net), 100 * 8);  // the tied weight once
}

}  // namespace
}  // namespace deepnvm
