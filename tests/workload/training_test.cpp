// SPDX-License-Identifier: MIT
// Training expansion: exact FLOPs per pass, GEMM shapes of the three convolution passes, data flow.
#include <set>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/training.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {
namespace {

ExecutionPlan plan_of(const Network& net, Mode mode, std::int64_t batch, Optimizer opt = Optimizer::sgd_momentum,
                      DType dtype = DType::fp32) {
  return expand(net, ExpansionOptions{.mode = mode, .batch = batch, .dtype = dtype, .optimizer = opt});
}

const std::vector<std::string>& zoo_names() {
  static const std::vector<std::string> names = builtin_networks().names();
  return names;
}

TEST(Training, InferenceStepsSumToNetworkFlopsForEveryZooNetwork) {
  for (const std::string& name : zoo_names()) {
    const Network net = zoo_network(name);
    const ExecutionPlan plan = plan_of(net, Mode::inference, 3);
    EXPECT_EQ(plan.flops(), flops(net, 3)) << name;
    for (const Step& s : plan.steps) EXPECT_EQ(s.pass, Pass::forward) << name << " " << s.name;
  }
}

TEST(Training, ConvolutionPassesHaveTheForwardMacsAndTheImplicitGemmShapes) {
  const Network net = resnet50();
  const ExecutionPlan plan = plan_of(net, Mode::training, 2);
  std::map<std::size_t, std::map<std::string, Gemm>> gemms;
  std::map<std::size_t, std::map<std::string, std::int64_t>> step_flops;
  for (const Step& s : plan.steps) {
    if (s.gemm) gemms[s.layer][s.name] = *s.gemm;
    step_flops[s.layer][s.name] = s.flops;
  }
  int convs = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const auto* c = std::get_if<Conv2d>(&net.layers[i].op);
    if (!c) continue;
    ++convs;
    const Shape in = net.input_shapes(net.layers[i]).at(0), out = net.output_shape(net.layers[i]);
    const std::int64_t fwd_macs = macs(net, net.layers[i], 2);
    const Gemm& f = gemms[i].at("fprop");
    EXPECT_EQ(f.m, 2 * out[1] * out[2]);  // N·P·Q
    EXPECT_EQ(f.n, c->out_channels);
    EXPECT_EQ(f.k, c->in_channels * c->kernel.h * c->kernel.w);
    EXPECT_EQ(f.macs(), fwd_macs);
    const Gemm& w = gemms[i].at("wgrad");
    EXPECT_EQ(w.m, c->out_channels);
    EXPECT_EQ(w.n, c->in_channels * c->kernel.h * c->kernel.w);
    EXPECT_EQ(w.k, 2 * out[1] * out[2]);
    EXPECT_EQ(w.macs(), fwd_macs);
    EXPECT_EQ(step_flops[i].at("wgrad"), 2 * fwd_macs);
    if (net.layers[i].inputs[0] == net.inputs[0]) {
      EXPECT_FALSE(gemms[i].count("dgrad")) << "the first layer needs no data gradient";
      continue;
    }
    const Gemm& d = gemms[i].at("dgrad");
    EXPECT_EQ(d.m, 2 * in[1] * in[2]);  // N·H·W
    EXPECT_EQ(d.n, c->in_channels);
    EXPECT_EQ(d.k, c->out_channels * c->kernel.h * c->kernel.w);
    // A strided convolution's dgrad GEMM spans every (pixel, tap) pair, of which only 1/(stride_h·stride_w)
    // meet an output pixel (the rest are skipped, gpus.md §3.1); the step's FLOPs count the useful ones.
    EXPECT_EQ(d.macs(), fwd_macs * c->stride.h * c->stride.w);
    EXPECT_EQ(step_flops[i].at("dgrad"), 2 * fwd_macs);
  }
  EXPECT_EQ(convs, 53);
}

TEST(Training, PassFlopsAreExact) {
  const Network net = resnet50();
  const std::int64_t batch = 4;
  const ExecutionPlan inf = plan_of(net, Mode::inference, batch);
  const ExecutionPlan tr = plan_of(net, Mode::training, batch);
  // Forward: batch norm computes batch statistics in training (8 instead of 2 FLOPs per element).
  std::int64_t bn_extra = 0, gemm_macs = 0, first_conv_macs = 0, biases = 0;
  for (const Layer& l : net.layers) {
    if (std::holds_alternative<BatchNorm>(l.op)) bn_extra += 6 * batch * element_count(net.output_shape(l));
    if (std::holds_alternative<Conv2d>(l.op) || std::holds_alternative<Linear>(l.op)) {
      gemm_macs += macs(net, l, batch);
      if (l.inputs[0] == net.inputs[0]) first_conv_macs = macs(net, l, batch);
    }
    if (const auto* lin = std::get_if<Linear>(&l.op); lin && lin->bias) biases += batch * lin->out_features;
  }
  EXPECT_EQ(tr.flops(Pass::forward), inf.flops() + bn_extra);
  // Data gradients: every GEMM step of dgrad is 2·MACs of its forward; the first conv has none.
  std::int64_t dgrad_gemm = 0, wgrad_gemm = 0;
  for (const Step& s : tr.steps) {
    if (s.kind != StepKind::gemm) continue;
    if (s.pass == Pass::backward_data) dgrad_gemm += s.flops;
    if (s.pass == Pass::backward_weight) wgrad_gemm += s.flops;
  }
  EXPECT_EQ(dgrad_gemm, 2 * (gemm_macs - first_conv_macs));
  EXPECT_EQ(wgrad_gemm, 2 * gemm_macs);
  EXPECT_EQ(tr.flops(Pass::update), 4 * parameter_count(net));
  EXPECT_EQ(plan_of(net, Mode::training, batch, Optimizer::adam).flops(Pass::update), 14 * parameter_count(net));
  EXPECT_EQ(tr.flops(), tr.flops(Pass::forward) + tr.flops(Pass::backward_data) + tr.flops(Pass::backward_weight) +
                            tr.flops(Pass::update));
  // Bias gradients are wgrad reductions of one add per output-gradient element (the fc layer here).
  std::int64_t bias_flops = 0;
  for (const Step& s : tr.steps)
    if (s.name == "bias_grad") bias_flops += s.flops;
  EXPECT_EQ(bias_flops, biases);
}

TEST(Training, UpdatesEveryParameterOnceEvenWhenTied) {
  // GPT-2's LM head reuses the token embedding: one update, two gradient contributions summed.
  const Network net = gpt2_small(ZooOptions{.dtype = DType::fp32, .sequence_length = 16});
  const ExecutionPlan plan = plan_of(net, Mode::training, 1, Optimizer::adam);
  EXPECT_EQ(plan.flops(Pass::update), 14 * parameter_count(net));
  int accumulations = 0;
  for (const Step& s : plan.steps)
    if (s.pass == Pass::backward_weight && s.name == "grad_accumulate") ++accumulations;
  EXPECT_EQ(accumulations, 1);
}

TEST(Training, AttentionBackwardIsTwiceItsForwardGemmWork) {
  const Network net = bert_base(ZooOptions{.dtype = DType::fp32, .sequence_length = 32});
  const ExecutionPlan plan = plan_of(net, Mode::training, 2);
  std::map<std::size_t, std::int64_t> fwd, bwd;
  for (const Step& s : plan.steps) {
    if (!std::holds_alternative<Attention>(net.layers[s.layer].op) || s.kind != StepKind::gemm) continue;
    (s.pass == Pass::forward ? fwd : bwd)[s.layer] += s.flops;
  }
  ASSERT_EQ(fwd.size(), 12u);
  for (const auto& [layer, f] : fwd) EXPECT_EQ(bwd.at(layer), 2 * f) << net.layers[layer].name;
}

// Every buffer a step reads holds data: an input, a parameter or optimizer state, a gradient seed
// of an output, or something an earlier step wrote. Every activation the backward reads is stashed
// (never overwritten: each buffer is written once in the forward pass).
TEST(Training, EveryReadFollowsAWriteOrIsGiven) {
  for (const char* name : {"resnet18", "googlenet", "mobilenet_v2", "vit_b_16", "gpt2_small"}) {
    const Network net = zoo_network(name, ZooOptions{.dtype = DType::fp32, .sequence_length = 16});
    const ExecutionPlan plan = plan_of(net, Mode::training, 2);
    std::set<BufferId> written;
    std::map<BufferId, int> forward_writes;
    for (const Step& s : plan.steps) {
      for (const Region& r : s.reads) {
        const Buffer& b = plan.buffers.at(r.buffer);
        const bool given =
            b.role == BufferRole::input || b.role == BufferRole::weight || b.role == BufferRole::optimizer_state ||
            (b.role == BufferRole::activation_grad && b.name.rfind("grad:", 0) == 0 && !written.count(r.buffer) &&
             std::any_of(net.outputs.begin(), net.outputs.end(),
                         [&](TensorId t) { return b.name == "grad:" + net.tensor(t).name; }));
        EXPECT_TRUE(given || written.count(r.buffer))
            << name << ": " << s.name << " of " << net.layers[s.layer].name << " reads unwritten " << b.name;
        EXPECT_LE(r.offset, b.bytes);
      }
      for (const Region& r : s.writes) {
        written.insert(r.buffer);
        if (s.pass == Pass::forward) ++forward_writes[r.buffer];
      }
    }
    for (const auto& [buffer, count] : forward_writes) EXPECT_EQ(count, 1) << name << " " << plan.buffers[buffer].name;
  }
}

TEST(Training, DtypeSetsTheBytesOfEveryFloatingBuffer) {
  const Network net = resnet18();
  const ExecutionPlan a = plan_of(net, Mode::training, 2, Optimizer::sgd_momentum, DType::fp32);
  const ExecutionPlan b = plan_of(net, Mode::training, 2, Optimizer::sgd_momentum, DType::bf16);
  ASSERT_EQ(a.buffers.size(), b.buffers.size());
  for (std::size_t i = 0; i < a.buffers.size(); ++i) {
    if (a.buffers[i].role == BufferRole::saved) continue;
    EXPECT_EQ(a.buffers[i].bytes, 2 * b.buffers[i].bytes) << a.buffers[i].name;
  }
}

TEST(Training, RejectsBadOptions) {
  const Network net = resnet18();
  EXPECT_THROW(plan_of(net, Mode::inference, 0), ModelError);
  EXPECT_THROW(plan_of(net, Mode::training, 1, Optimizer::sgd_momentum, DType::int8), ModelError);
  EXPECT_NO_THROW(plan_of(net, Mode::inference, 1, Optimizer::sgd_momentum, DType::int8));
  EXPECT_EQ(parse_mode("training"), Mode::training);
  EXPECT_EQ(parse_optimizer("sgd"), Optimizer::sgd_momentum);
  try {
    parse_mode("trainig");
    ADD_FAILURE() << "accepted a bad mode";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("training"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_optimizer("rmsprop"), ConfigError);
}

}  // namespace
}  // namespace deepnvm
