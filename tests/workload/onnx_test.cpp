// SPDX-License-Identifier: MIT
// ONNX import against the zoo: every zoo network is exported from PyTorch at test time by
// tools/export_onnx.py (torchvision 0.14 for the CNNs and ViT, tools/torch_zoo.py for BERT and GPT-2;
// export_params=False, nothing downloaded) and imported; the imported graph must have the zoo graph's
// compute layers in the same order with the same shapes, and exactly its FLOPs and parameter count.
// Exports are cached in the build tree by the SHA-256 of the export scripts. Without a usable
// /usr/bin/python3 with torch the zoo comparisons skip, except under CI=true, where they fail.
//
// The error paths use small models written here with the protobuf classes.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/onnx_import.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 10> kZoo{"alexnet",       "vgg16",        "googlenet", "resnet18",  "resnet50",
                                           "squeezenet1_1", "mobilenet_v2", "vit_b_16",  "bert_base", "gpt2_small"};

std::string run_capture(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 256> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) out += buffer.data();
    pclose(pipe);
  }
  return out;
}

// The exported files, made once per test process: name -> path, or why there are none.
struct Exports {
  fs::path dir;
  std::string tag;
  std::string unavailable;  // non-empty: why the zoo comparisons cannot run
  fs::path path(const std::string& name) const { return dir / fmt::format("{}-{}.onnx", name, tag); }
};

const Exports& exports() {
  static const Exports e = [] {
    Exports x;
    x.dir = DEEPNVM_ONNX_CACHE_DIR;
    const fs::path tools = fs::path(DEEPNVM_SOURCE_DIR) / "tools";
    const std::string hash = run_capture(fmt::format("cat '{}' '{}' | sha256sum", (tools / "export_onnx.py").string(),
                                                     (tools / "torch_zoo.py").string()));
    if (hash.size() < 64) {
      x.unavailable = "cannot hash the export scripts with sha256sum";
      return x;
    }
    x.tag = hash.substr(0, 64);
    std::string missing;
    for (const char* name : kZoo)
      if (!fs::exists(x.path(name))) missing += std::string(" ") + name;
    if (missing.empty()) return x;
    if (std::system("/usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1") != 0) {
      x.unavailable =
          "/usr/bin/python3 cannot import torch and torchvision (scripts/install-deps installs python3-torch and "
          "python3-torchvision)";
      return x;
    }
    // ctest runs each test in its own process, possibly in parallel: one exports, the others wait on
    // the lock and then find the files there (the script skips existing ones).
    std::error_code ignored;
    fs::create_directories(x.dir, ignored);
    const std::string command =
        fmt::format("flock '{}' /usr/bin/python3 '{}' '{}' {}{} 2>&1", (x.dir / ".lock").string(),
                    (tools / "export_onnx.py").string(), x.dir.string(), x.tag, missing);
    const std::string log = run_capture(command + "; echo \"exit=$?\"");
    if (log.find("exit=0") == std::string::npos) x.unavailable = "tools/export_onnx.py failed:\n" + log;
    return x;
  }();
  return e;
}

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// A compute layer as the comparison sees it: kind, hyper-parameters and per-sample shapes.
std::string describe(const Network& net, const Layer& layer) {
  std::string inputs;
  for (const Shape& s : net.input_shapes(layer)) inputs += shape_text(s);
  std::string params;
  if (const auto* c = std::get_if<Conv2d>(&layer.op))
    params = fmt::format("in {} out {} k {}x{} s {}x{} p {}x{} d {}x{} g {} bias {}", c->in_channels, c->out_channels,
                         c->kernel.h, c->kernel.w, c->stride.h, c->stride.w, c->padding.h, c->padding.w, c->dilation.h,
                         c->dilation.w, c->groups, c->bias);
  else if (const auto* l = std::get_if<Linear>(&layer.op))
    params = fmt::format("in {} out {} bias {} tied {}", l->in_features, l->out_features, l->bias, !l->tied_to.empty());
  else if (const auto* m = std::get_if<MatMul>(&layer.op))
    params = fmt::format("transpose_b {}", m->transpose_b);
  else if (const auto* a = std::get_if<Attention>(&layer.op))
    params = fmt::format("heads {} causal {}", a->heads, a->causal);
  return fmt::format("{} {} {} -> {}", op_name(layer.op), params, inputs, shape_text(net.output_shape(layer)));
}

std::vector<std::string> compute_layers(const Network& net) {
  std::vector<std::string> out;
  for (const Layer& l : net.layers)
    if (std::holds_alternative<Conv2d>(l.op) || std::holds_alternative<Linear>(l.op) ||
        std::holds_alternative<MatMul>(l.op) || std::holds_alternative<Attention>(l.op))
      out.push_back(describe(net, l));
  return out;
}

std::vector<Shape> shapes_of(const Network& net, const std::vector<TensorId>& ids) {
  std::vector<Shape> out;
  for (const TensorId id : ids) out.push_back(net.tensor(id).shape);
  return out;
}

class OnnxZoo : public testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!exports().unavailable.empty()) {
      if (in_ci()) FAIL() << exports().unavailable;
      GTEST_SKIP() << exports().unavailable;
    }
  }
};

TEST_P(OnnxZoo, ImportedGraphEqualsZooGraph) {
  const std::string name = GetParam();
  const Network imported = import_onnx(exports().path(name), {.name = name});
  const Network zoo = zoo_network(name);
  const auto ours = compute_layers(imported), theirs = compute_layers(zoo);
  ASSERT_EQ(ours.size(), theirs.size()) << name;
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << name << " compute layer " << i;
  EXPECT_EQ(flops(imported, 1), flops(zoo, 1)) << name;
  EXPECT_EQ(flops(imported, 8), flops(zoo, 8)) << name;
  EXPECT_EQ(macs(imported, 1), macs(zoo, 1)) << name;
  EXPECT_EQ(parameter_count(imported), parameter_count(zoo)) << name;
  EXPECT_EQ(shapes_of(imported, imported.inputs), shapes_of(zoo, zoo.inputs)) << name;
  EXPECT_EQ(shapes_of(imported, imported.outputs), shapes_of(zoo, zoo.outputs)) << name;
  EXPECT_EQ(imported.name, name);
  EXPECT_NE(imported.source.find("pytorch"), std::string::npos) << imported.source;
}

INSTANTIATE_TEST_SUITE_P(Zoo, OnnxZoo, testing::ValuesIn(kZoo),
                         [](const testing::TestParamInfo<const char*>& p) { return std::string(p.param); });

// ---- hand-written models ------------------------------------------------------------------------

onnx::ValueInfoProto* add_value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name,
                                const std::vector<std::string>& dims, int type = onnx::TensorProto::FLOAT) {
  auto* v = list->Add();
  v->set_name(name);
  auto* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(type);
  for (const auto& d : dims) {
    auto* dim = t->mutable_shape()->add_dim();
    if (!d.empty() && std::isdigit(static_cast<unsigned char>(d[0])))
      dim->set_dim_value(std::stoll(d));
    else
      dim->set_dim_param(d);
  }
  return v;
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op, const std::string& name,
                          const std::vector<std::string>& inputs, const std::vector<std::string>& outputs) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return n;
}

void add_ints(onnx::NodeProto* n, const std::string& name, const std::vector<std::int64_t>& values) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (const auto v : values) a->add_ints(v);
}

void add_initializer(onnx::GraphProto* g, const std::string& name, const std::vector<std::int64_t>& dims,
                     const std::vector<float>& values = {}) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (const auto d : dims) t->add_dims(d);
  std::int64_t n = 1;
  for (const auto d : dims) n *= d;
  for (std::int64_t k = 0; k < n; ++k)
    t->add_float_data(values.empty() ? 0.01f * static_cast<float>(k % 7) : values[static_cast<std::size_t>(k)]);
}

onnx::ModelProto model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("onnx_test");
  m.add_opset_import()->set_version(14);
  m.mutable_graph()->set_name("test");
  return m;
}

fs::path write(const onnx::ModelProto& m, const std::string& file, std::size_t keep_bytes = std::string::npos) {
  const fs::path path = fs::path(testing::TempDir()) / file;
  std::string bytes;
  m.SerializeToString(&bytes);
  std::ofstream(path, std::ios::binary) << bytes.substr(0, keep_bytes);
  return path;
}

// Conv (initializer weights) -> Clip(0, 6) -> GlobalAveragePool -> Flatten -> Gemm, batch 1 static.
onnx::ModelProto small_cnn() {
  onnx::ModelProto m = model();
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "x", {"1", "3", "8", "8"});
  add_initializer(g, "w", {4, 3, 3, 3});
  add_initializer(g, "fc.w", {5, 4});
  add_initializer(g, "fc.b", {5});
  add_initializer(g, "lo", {}, {0.0f});
  add_initializer(g, "hi", {}, {6.0f});
  auto* conv = add_node(g, "Conv", "conv", {"x", "w"}, {"c"});
  add_ints(conv, "pads", {1, 1, 1, 1});
  add_ints(conv, "strides", {2, 2});
  add_node(g, "Clip", "relu6", {"c", "lo", "hi"}, {"r"});
  add_node(g, "GlobalAveragePool", "pool", {"r"}, {"p"});
  add_node(g, "Flatten", "flatten", {"p"}, {"f"});
  auto* gemm = add_node(g, "Gemm", "fc", {"f", "fc.w", "fc.b"}, {"y"});
  auto* tb = gemm->add_attribute();
  tb->set_name("transB");
  tb->set_type(onnx::AttributeProto::INT);
  tb->set_i(1);
  add_value(g->mutable_output(), "y", {"1", "5"});
  return m;
}

TEST(OnnxImport, ReadsInitializersAndAStaticBatchOfOne) {
  const Network net = import_onnx(write(small_cnn(), "small_cnn.onnx"));
  EXPECT_EQ(net.name, "small_cnn");
  ASSERT_EQ(net.layers.size(), 5u);
  EXPECT_EQ(net.tensor(net.inputs.at(0)).shape, (Shape{3, 8, 8}));
  const auto& conv = std::get<Conv2d>(net.layers[0].op);
  EXPECT_EQ(
      conv,
      (Conv2d{
          .in_channels = 3, .out_channels = 4, .kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}, .bias = false}));
  EXPECT_EQ(std::get<Activation>(net.layers[1].op).kind, ActivationKind::relu6);
  EXPECT_EQ(std::get<Linear>(net.layers[4].op), (Linear{.in_features = 4, .out_features = 5, .bias = true}));
  EXPECT_EQ(net.tensor(net.outputs.at(0)).shape, (Shape{5}));
  EXPECT_EQ(parameter_count(net), 4 * 3 * 9 + 5 * 4 + 5);
}

TEST(OnnxImport, LayerNormalizationOpAndTheSameBatchForEverySizeOfInput) {
  onnx::ModelProto m = model();
  m.mutable_opset_import(0)->set_version(17);
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "x", {"n", "10", "16"});
  add_initializer(g, "gamma", {16});
  add_initializer(g, "beta", {16});
  add_node(g, "LayerNormalization", "ln", {"x", "gamma", "beta"}, {"y"});
  add_value(g->mutable_output(), "y", {"n", "10", "16"});
  const Network net = import_onnx(write(m, "ln.onnx"));
  ASSERT_EQ(net.layers.size(), 1u);
  EXPECT_EQ(std::get<LayerNorm>(net.layers[0].op).features, 16);
  EXPECT_EQ(net.tensor(net.inputs.at(0)).shape, (Shape{10, 16}));
  EXPECT_EQ(parameter_count(net), 32);
}

template <class E, class F>
std::string error_of(F&& run) {
  try {
    run();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no error";
}

TEST(OnnxImport, UnsupportedOperatorNamesTheOpAndTheNode) {
  onnx::ModelProto m = model();
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "x", {"batch", "4"});
  add_node(g, "Relu", "act", {"x"}, {"r"});
  add_node(g, "Hardmax", "pick_one", {"r"}, {"y"});
  add_value(g->mutable_output(), "y", {"batch", "4"});
  const fs::path path = write(m, "unsupported.onnx");
  const std::string what = error_of<ModelError>([&] { import_onnx(path); });
  EXPECT_NE(what.find("Hardmax"), std::string::npos) << what;
  EXPECT_NE(what.find("pick_one"), std::string::npos) << what;
  EXPECT_NE(what.find(path.string()), std::string::npos) << what;
}

TEST(OnnxImport, ElementwiseMulOutsideAPatternIsUnsupported) {
  onnx::ModelProto m = model();
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "x", {"batch", "4"});
  add_initializer(g, "two", {}, {2.0f});
  add_node(g, "Mul", "scale", {"x", "two"}, {"y"});
  add_value(g->mutable_output(), "y", {"batch", "4"});
  const std::string what = error_of<ModelError>([&] { import_onnx(write(m, "mul.onnx")); });
  EXPECT_NE(what.find("Mul node 'scale'"), std::string::npos) << what;
}

TEST(OnnxImport, TruncatedFileIsAnErrorNamingTheFile) {
  onnx::ModelProto m = small_cnn();
  std::string bytes;
  m.SerializeToString(&bytes);
  const fs::path path = write(m, "truncated.onnx", bytes.size() / 2);
  const std::string what = error_of<ModelError>([&] { import_onnx(path); });
  EXPECT_NE(what.find(path.string()), std::string::npos) << what;
  EXPECT_NE(what.find("not a valid ONNX model"), std::string::npos) << what;
}

TEST(OnnxImport, MissingFileIsAnIoError) {
  const fs::path path = fs::path(testing::TempDir()) / "does_not_exist.onnx";
  const std::string what = error_of<IoError>([&] { import_onnx(path); });
  EXPECT_NE(what.find(path.string()), std::string::npos) << what;
}

TEST(OnnxImport, DynamicDimensionOtherThanTheBatchIsAnError) {
  onnx::ModelProto m = model();
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "tokens", {"batch", "sequence", "16"});
  add_node(g, "Relu", "act", {"tokens"}, {"y"});
  add_value(g->mutable_output(), "y", {"batch", "sequence", "16"});
  const std::string what = error_of<ModelError>([&] { import_onnx(write(m, "dynamic.onnx")); });
  EXPECT_NE(what.find("dynamic dimension 'sequence' at axis 1"), std::string::npos) << what;
  EXPECT_NE(what.find("dynamic.onnx"), std::string::npos) << what;
}

TEST(OnnxImport, ReshapeToADataDependentShapeIsAnError) {
  // Reshape whose target comes from the data (not from shapes): not known at import time.
  onnx::ModelProto m = model();
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "x", {"batch", "6"});
  add_value(g->mutable_input(), "target", {"batch", "2"}, onnx::TensorProto::INT64);
  add_node(g, "Reshape", "reshape", {"x", "target"}, {"y"});
  add_value(g->mutable_output(), "y", {"batch", "2", "3"});
  const std::string what = error_of<ModelError>([&] { import_onnx(write(m, "data_dependent.onnx")); });
  EXPECT_NE(what.find("Reshape node 'reshape'"), std::string::npos) << what;
}

}  // namespace
}  // namespace deepnvm
