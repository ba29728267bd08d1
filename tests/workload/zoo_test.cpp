// SPDX-License-Identifier: MIT
// The zoo against torchvision (tests/workload/torchvision_reference.json, written by
// tools/torchvision_reference.py from torchvision itself) and the transformers against the parameter
// counts their hyper-parameters give.
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {
namespace {

const nlohmann::json& reference() {
  static const nlohmann::json doc = [] {
    const auto path = std::filesystem::path(DEEPNVM_SOURCE_DIR) / "tests" / "workload" / "torchvision_reference.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return nlohmann::json::parse(in);
  }();
  return doc;
}

// A conv or linear layer as the reference file writes it.
nlohmann::json describe(const Network& net, const Layer& layer) {
  const Shape in = net.input_shapes(layer).at(0);
  const Shape out = net.output_shape(layer);
  if (const auto* c = std::get_if<Conv2d>(&layer.op))
    return {{"kind", "conv2d"},
            {"in_channels", c->in_channels},
            {"out_channels", c->out_channels},
            {"kernel", {c->kernel.h, c->kernel.w}},
            {"stride", {c->stride.h, c->stride.w}},
            {"padding", {c->padding.h, c->padding.w}},
            {"dilation", {c->dilation.h, c->dilation.w}},
            {"groups", c->groups},
            {"bias", c->bias},
            {"input", in},
            {"output", out}};
  const auto& l = std::get<Linear>(layer.op);
  return {{"kind", "linear"},
          {"in_features", l.in_features},
          {"out_features", l.out_features},
          {"bias", l.bias},
          {"input", in},
          {"output", out}};
}

class TorchvisionModel : public testing::TestWithParam<std::string> {};

TEST_P(TorchvisionModel, ParameterCountEqualsTorchvisions) {
  const auto& ref = reference()["models"][GetParam()];
  EXPECT_EQ(parameter_count(zoo_network(GetParam())), ref["parameters"].get<std::int64_t>());
}

TEST_P(TorchvisionModel, ConvAndLinearLayersMatchInOrderWithShapes) {
  const Network net = zoo_network(GetParam());
  const auto& expected = reference()["models"][GetParam()]["layers"];
  std::vector<const Layer*> ours;
  for (const Layer& l : net.layers)
    if (std::holds_alternative<Conv2d>(l.op) || std::holds_alternative<Linear>(l.op)) ours.push_back(&l);
  ASSERT_EQ(ours.size(), expected.size());
  for (std::size_t i = 0; i < ours.size(); ++i)
    EXPECT_EQ(describe(net, *ours[i]), expected[i]) << GetParam() << " layer " << i << " '" << ours[i]->name << "'";
}

TEST_P(TorchvisionModel, TakesAnImageAndGivesTheClassScores) {
  const Network net = zoo_network(GetParam());
  ASSERT_EQ(net.inputs.size(), 1u);
  EXPECT_EQ(net.tensor(net.inputs[0]).shape, (Shape{3, 224, 224}));
  ASSERT_EQ(net.outputs.size(), 1u);
  EXPECT_EQ(net.tensor(net.outputs[0]).shape, reference()["models"][GetParam()]["output"].get<Shape>());
}

INSTANTIATE_TEST_SUITE_P(Zoo, TorchvisionModel,
                         testing::Values("alexnet", "vgg16", "googlenet", "resnet18", "resnet50", "squeezenet1_1",
                                         "mobilenet_v2", "vit_b_16"));

TEST(Zoo, ReferenceFileCoversEveryTorchvisionNetworkAndNamesItsVersions) {
  EXPECT_EQ(reference()["models"].size(), 8u);
  EXPECT_EQ(reference()["torchvision_version"].get<std::string>().substr(0, 4), "0.14");
  for (const auto& [name, model] : reference()["models"].items()) EXPECT_FALSE(model["layers"].empty()) << name;
}

// The learn layer's Fashion-MNIST networks, by hand: LeNet-5 conv1 28·28·6·25, conv2 10·10·16·150, then
// 400·120 + 120·84 + 84·10; fmnist_cnn 28·28·16·9, 14·14·32·144, 7·7·64·288, 576·128, 128·10.
TEST(Zoo, FashionMnistNetworksHaveTheirHandCountedSizes) {
  const Network lenet = zoo_network("fmnist_lenet5");
  EXPECT_EQ(macs(lenet, 1), 117600 + 240000 + 48000 + 10080 + 840);
  EXPECT_EQ(parameter_count(lenet), 156 + 2416 + 48120 + 10164 + 850);
  EXPECT_EQ(lenet.tensor(lenet.outputs[0]).shape, (Shape{10}));
  const Network cnn = zoo_network("fmnist_cnn");
  EXPECT_EQ(macs(cnn, 1), 112896 + 903168 + 903168 + 73728 + 1280);
  EXPECT_EQ(parameter_count(cnn), 160 + 4640 + 18496 + 73856 + 1290);
  EXPECT_EQ(cnn.tensor(cnn.outputs[0]).shape, (Shape{10}));
  const Network mlp = zoo_network("fmnist_mlp");
  EXPECT_EQ(macs(mlp, 1), 784 * 256 + 256 * 10);
  EXPECT_EQ(parameter_count(mlp), 784 * 256 + 256 + 256 * 10 + 10);
}

TEST(Zoo, HasExactlyTheNamesOfTheIssue) {
  const std::vector<std::string> expected{"alexnet",       "bert_base",  "fmnist_cnn",   "fmnist_lenet5", "fmnist_mlp",
                                          "googlenet",     "gpt2_small", "mobilenet_v2", "resnet18",      "resnet50",
                                          "squeezenet1_1", "vgg16",      "vit_b_16"};
  EXPECT_EQ(builtin_networks().names(), expected);
  for (const auto& name : expected) {
    const Network net = zoo_network(name);
    EXPECT_EQ(net.name, name);
    EXPECT_FALSE(net.source.empty()) << name;
    std::set<std::string> names;
    for (const Layer& l : net.layers) EXPECT_TRUE(names.insert(l.name).second) << name << ": " << l.name;
  }
}

TEST(Zoo, UnknownNameIsAConfigErrorListingKnownNamesWithDidYouMean) {
  try {
    zoo_network("resnet5O");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.key(), "network");
    EXPECT_NE(what.find("unknown network 'resnet5O'"), std::string::npos) << what;
    EXPECT_NE(what.find("did you mean 'resnet50'"), std::string::npos) << what;
    EXPECT_NE(what.find("'gpt2_small'"), std::string::npos) << what;
  }
}

// Per layer of a BERT/GPT-2 block: Q, K, V and output projections, two FFN GEMMs, two LayerNorms.
std::int64_t transformer_layer(std::int64_t h, std::int64_t ffn) {
  return 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h) + 2 * (2 * h);
}

TEST(Zoo, BertBaseParameterCountFollowsFromItsHyperParameters) {
  const std::int64_t h = 768;
  const std::int64_t embeddings = (30522 + 512 + 2) * h + 2 * h;  // word, position, segment; LayerNorm
  const std::int64_t pooler = h * h + h;
  const std::int64_t expected = embeddings + 12 * transformer_layer(h, 3072) + pooler;
  EXPECT_EQ(expected, 109'482'240);  // the count usually quoted for bert-base-uncased's BertModel
  EXPECT_EQ(reference()["transformers"]["bert_base"]["parameters"].get<std::int64_t>(), expected);
  EXPECT_EQ(parameter_count(zoo_network("bert_base")), expected);
}

TEST(Zoo, Gpt2SmallParameterCountCountsTheTiedHeadOnce) {
  const std::int64_t h = 768;
  const std::int64_t expected = (50257 + 1024) * h + 12 * transformer_layer(h, 3072) + 2 * h;  // + final LayerNorm
  EXPECT_EQ(expected, 124'439'808);
  EXPECT_EQ(reference()["transformers"]["gpt2_small"]["parameters"].get<std::int64_t>(), expected);
  const Network net = zoo_network("gpt2_small");
  EXPECT_EQ(parameter_count(net), expected);
  // The LM head still costs its GEMM: 128 tokens x 768 x 50257, no bias.
  const Layer& head = net.layers.back();
  EXPECT_EQ(head.name, "lm_head");
  EXPECT_EQ(flops(net, head, 1), 2 * std::int64_t{128} * 768 * 50257);
  EXPECT_EQ(net.output_shape(head), (Shape{128, 50257}));
}

TEST(Zoo, TransformersTakeTheSequenceLengthAndRefuseTooLongOnes) {
  const Network bert = zoo_network("bert_base");
  EXPECT_EQ(bert.tensor(bert.outputs[0]).shape, (Shape{128, 768}));
  EXPECT_EQ(bert.tensor(bert.outputs[1]).shape, (Shape{768}));
  EXPECT_EQ(bert.tensor(bert.inputs[0]).dtype, DType::int64);
  const Network gpt = zoo_network("gpt2_small", {.sequence_length = 1024});
  EXPECT_EQ(gpt.tensor(gpt.outputs[0]).shape, (Shape{1024, 50257}));
  EXPECT_THROW(zoo_network("bert_base", {.sequence_length = 513}), ConfigError);
  EXPECT_THROW(zoo_network("gpt2_small", {.sequence_length = 0}), ConfigError);
  // Attention's score work grows with the square of the sequence, the GEMMs linearly.
  const Network bert256 = zoo_network("bert_base", {.sequence_length = 256});
  std::int64_t attention128 = 0, attention256 = 0;
  for (const Layer& l : bert.layers)
    if (std::holds_alternative<Attention>(l.op)) attention128 += flops(bert, l, 1);
  for (const Layer& l : bert256.layers)
    if (std::holds_alternative<Attention>(l.op)) attention256 += flops(bert256, l, 1);
  EXPECT_EQ(attention256, 4 * attention128);
}

TEST(Zoo, DtypeOptionSetsActivationsAndWeights) {
  const Network fp32 = zoo_network("resnet18");
  const Network bf16 = zoo_network("resnet18", {.dtype = DType::bf16});
  EXPECT_EQ(bf16.dtype, DType::bf16);
  EXPECT_EQ(bf16.tensor(bf16.outputs[0]).dtype, DType::bf16);
  EXPECT_EQ(parameter_bytes(bf16), 2 * parameter_count(fp32));
  EXPECT_EQ(flops(bf16, 8), flops(fp32, 8));
}

TEST(Zoo, GemmWorkMatchesTheWellKnownMultiplyAddCounts) {
  // Multiply-adds per 224x224 image as torchvision states them in its weights' metadata ("_ops",
  // the "GFLOPS" column of its model tables, which counts multiply-adds; torchvision >= 0.15, so not
  // in the reference file). An independent check of the graph: conv, linear and attention products
  // must reproduce the 3 decimals printed there.
  const std::vector<std::pair<std::string, double>> table{
      {"alexnet", 0.714},  {"vgg16", 15.470},        {"googlenet", 1.498},    {"resnet18", 1.814},
      {"resnet50", 4.089}, {"squeezenet1_1", 0.349}, {"mobilenet_v2", 0.301}, {"vit_b_16", 17.564}};
  for (const auto& [name, gmacs] : table)
    EXPECT_NEAR(static_cast<double>(macs(zoo_network(name), 1)) / 1e9, gmacs, 0.0015) << name;
}

}  // namespace
}  // namespace deepnvm
