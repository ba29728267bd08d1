// SPDX-License-Identifier: MIT
#include "deepnvm/workload/training.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

std::string_view mode_name(Mode mode) { return mode == Mode::inference ? "inference" : "training"; }

std::string_view optimizer_name(Optimizer opt) { return opt == Optimizer::adam ? "adam" : "sgd_momentum"; }

std::string_view pass_name(Pass pass) {
  switch (pass) {
    case Pass::forward:
      return "fwd";
    case Pass::backward_data:
      return "dgrad";
    case Pass::backward_weight:
      return "wgrad";
    case Pass::update:
      return "update";
  }
  throw std::logic_error("unhandled Pass");
}

Mode parse_mode(std::string_view name) {
  if (name == "inference") return Mode::inference;
  if (name == "training") return Mode::training;
  const std::vector<std::string> known{"inference", "training"};
  throw ConfigError({}, "mode", "unknown mode '{}'{}; known: {}", name, did_you_mean(name, known), quoted_list(known));
}

Optimizer parse_optimizer(std::string_view name) {
  if (name == "sgd" || name == "sgd_momentum") return Optimizer::sgd_momentum;
  if (name == "adam") return Optimizer::adam;
  const std::vector<std::string> known{"sgd_momentum", "sgd", "adam"};
  throw ConfigError({}, "optimizer", "unknown optimizer '{}'{}; known: {}", name, did_you_mean(name, known),
                    quoted_list(known));
}

std::int64_t update_flops_per_parameter(Optimizer opt) { return opt == Optimizer::adam ? 14 : 4; }
int optimizer_state_count(Optimizer opt) { return opt == Optimizer::adam ? 2 : 1; }

std::string_view buffer_role_name(BufferRole role) {
  switch (role) {
    case BufferRole::input:
      return "input";
    case BufferRole::activation:
      return "activation";
    case BufferRole::weight:
      return "weight";
    case BufferRole::activation_grad:
      return "activation_grad";
    case BufferRole::weight_grad:
      return "weight_grad";
    case BufferRole::optimizer_state:
      return "optimizer_state";
    case BufferRole::saved:
      return "saved";
    case BufferRole::workspace:
      return "workspace";
  }
  throw std::logic_error("unhandled BufferRole");
}

std::string_view step_kind_name(StepKind kind) {
  switch (kind) {
    case StepKind::gemm:
      return "gemm";
    case StepKind::elementwise:
      return "elementwise";
    case StepKind::reduction:
      return "reduction";
    case StepKind::gather:
      return "gather";
    case StepKind::copy:
      return "copy";
    case StepKind::update:
      return "update";
  }
  throw std::logic_error("unhandled StepKind");
}

std::int64_t ExecutionPlan::flops() const {
  std::int64_t sum = 0;
  for (const Step& s : steps) sum += s.flops;
  return sum;
}

std::int64_t ExecutionPlan::flops(Pass pass) const {
  std::int64_t sum = 0;
  for (const Step& s : steps)
    if (s.pass == pass) sum += s.flops;
  return sum;
}

namespace {

// Nominal FLOPs per element of an activation's backward (dy times the derivative): relu 1 (select),
// relu6 2, sigmoid 3 (y(1-y)dy), tanh 3 ((1-y^2)dy), gelu 14 (Phi(x) 7, x·pdf(x) 5, add, ·dy),
// gelu_tanh 16 (tanh form and its derivative). Nominal, like the forward costs in graph.h.
std::int64_t activation_backward_flops(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::relu:
      return 1;
    case ActivationKind::relu6:
      return 2;
    case ActivationKind::sigmoid:
    case ActivationKind::tanh:
      return 3;
    case ActivationKind::gelu:
      return 14;
    case ActivationKind::gelu_tanh:
      return 16;
  }
  throw std::logic_error("unhandled ActivationKind");
}

// The derivative of relu, relu6, sigmoid and tanh is a function of the output; gelu's of the input.
bool backward_reads_output(ActivationKind kind) {
  return kind != ActivationKind::gelu && kind != ActivationKind::gelu_tanh;
}

// Normalization costs per element (docs/models/traffic.md): statistics 4 (mean 1, variance 3),
// normalize-scale-shift 4; parameter gradients 5 (x̂ 2, dy·x̂ 2, sum dy 1); data gradient of batch
// norm 6, of layer norm 9 (its row means are computed inside the kernel).
constexpr std::int64_t kNormStatsFlops = 4;
constexpr std::int64_t kNormApplyFlops = 4;
constexpr std::int64_t kNormParamGradFlops = 5;
constexpr std::int64_t kBatchNormDgradFlops = 6;
constexpr std::int64_t kLayerNormDgradFlops = 9;
constexpr std::int64_t kSoftmaxBackwardFlops = 4;      // dy·y, row sum, subtract, ·y
constexpr std::int64_t kAttentionSoftmaxFlops = 6;     // scale 1 + softmax 5 per score (graph.h)
constexpr std::int64_t kAttentionSoftmaxBwdFlops = 5;  // softmax backward 4 + scale 1 per score
constexpr std::int64_t kIndexBytes = 8;                // PyTorch keeps max-pool indices as int64
constexpr std::int64_t kStatBytes = 4;                 // saved mean / inverse std in fp32

IndexMap stride(std::int64_t elements) { return IndexMap{.lo_count = 0, .lo_stride = elements, .hi_stride = 0}; }
IndexMap split(std::int64_t lo_count, std::int64_t lo_stride, std::int64_t hi_stride) {
  return IndexMap{.lo_count = lo_count, .lo_stride = lo_stride, .hi_stride = hi_stride};
}

Operand dense(BufferId buffer, IndexMap rows, IndexMap cols, IndexMap batches = {}, std::int64_t offset = 0) {
  return Operand{.buffer = buffer, .offset = offset, .rows = rows, .cols = cols, .batches = batches, .im2col = {}};
}

class Expander {
 public:
  Expander(const Network& net, const ExpansionOptions& options) : net_(net), opt_(options) {
    if (options.batch < 1) throw ModelError("batch size must be at least 1, got {}", options.batch);
    if (options.mode == Mode::training && !is_floating(options.dtype))
      throw ModelError("training in {} is not modelled: int8 is an inference format here", dtype_name(options.dtype));
    plan_.options = options;
  }

  ExecutionPlan run() && {
    const std::size_t n_tensors = net_.tensors.size();
    plan_.tensor_buffer.assign(n_tensors, kNone);
    requires_grad_.assign(n_tensors, false);
    for (TensorId t : net_.inputs)
      plan_.tensor_buffer[t] = add_buffer(net_.tensor(t).name, BufferRole::input, tensor_bytes(t));
    for (std::size_t i = 0; i < net_.layers.size(); ++i) forward(i);
    if (opt_.mode == Mode::training) {
      for (TensorId t : net_.outputs)
        if (requires_grad_[t])
          act_grad_[t] = add_buffer("grad:" + net_.tensor(t).name, BufferRole::activation_grad, tensor_bytes(t));
      for (std::size_t i = net_.layers.size(); i-- > 0;) backward(i);
      for (const ParamTensor& p : params_) update(p);
    }
    return std::move(plan_);
  }

 private:
  static constexpr BufferId kNone = static_cast<BufferId>(-1);

  struct ParamTensor {
    std::size_t layer;
    BufferId weight;
    std::int64_t elements;
  };
  struct LayerParams {
    BufferId weight = kNone, bias = kNone;
  };

  // ---- sizes and buffers ----------------------------------------------------------------------
  std::int64_t elem_bytes(TensorId t) const {
    const DType d = net_.tensor(t).dtype;
    return static_cast<std::int64_t>(is_floating(d) ? dtype_bytes(opt_.dtype) : dtype_bytes(d));
  }
  std::int64_t b() const { return static_cast<std::int64_t>(dtype_bytes(opt_.dtype)); }
  std::int64_t elements(TensorId t) const { return element_count(net_.tensor(t).shape); }
  std::int64_t tensor_bytes(TensorId t) const { return opt_.batch * elements(t) * elem_bytes(t); }
  bool training() const { return opt_.mode == Mode::training; }

  BufferId add_buffer(std::string name, BufferRole role, std::int64_t bytes) {
    plan_.buffers.push_back(Buffer{.name = std::move(name), .role = role, .bytes = bytes});
    return plan_.buffers.size() - 1;
  }
  Region whole(BufferId id) const {
    return Region{.buffer = id, .offset = 0, .bytes = plan_.buffers[id].bytes, .gather_row_bytes = 0};
  }
  // The forward value of tensor t as a batch-sized byte range (wraps around a batch-free parameter).
  Region value(TensorId t) const {
    return Region{.buffer = plan_.tensor_buffer[t], .offset = 0, .bytes = tensor_bytes(t), .gather_row_bytes = 0};
  }
  Region grad(TensorId t) const { return Region{.buffer = act_grad_.at(t), .offset = 0, .bytes = tensor_bytes(t)}; }

  Step& emit(std::size_t layer, Pass pass, std::string name, StepKind kind, std::int64_t flops,
             std::vector<Region> reads, std::vector<Region> writes) {
    plan_.steps.push_back(Step{.layer = layer,
                               .pass = pass,
                               .name = std::move(name),
                               .kind = kind,
                               .flops = flops,
                               .reads = std::move(reads),
                               .writes = std::move(writes),
                               .gemm = {}});
    return plan_.steps.back();
  }
  Step& emit_gemm(std::size_t layer, Pass pass, std::string name, std::int64_t flops, Gemm g) {
    std::vector<Region> reads{whole(g.a.buffer), whole(g.b.buffer)};
    if (g.bias) reads.push_back(whole(*g.bias));
    Step& s = emit(layer, pass, std::move(name), StepKind::gemm, flops, std::move(reads), {whole(g.c.buffer)});
    s.gemm = std::move(g);
    return s;
  }

  BufferId new_output(std::size_t i) {
    const Layer& layer = net_.layers[i];
    return plan_.tensor_buffer[layer.output] =
               add_buffer(layer.name, BufferRole::activation, tensor_bytes(layer.output));
  }
  BufferId new_grad(TensorId t) {
    return add_buffer("grad:" + net_.tensor(t).name + (act_grad_.count(t) ? "#" + std::to_string(++grad_serial_) : ""),
                      BufferRole::activation_grad, tensor_bytes(t));
  }
  BufferId weight_grad_buffer(BufferId weight) {
    return add_buffer("grad:" + plan_.buffers[weight].name, BufferRole::weight_grad, plan_.buffers[weight].bytes);
  }

  // Adds a gradient contribution to tensor t; a second contribution is summed by an accumulate step.
  void contribute(std::size_t layer, TensorId t, BufferId contribution) {
    const auto it = act_grad_.find(t);
    if (it == act_grad_.end()) {
      act_grad_[t] = contribution;
      return;
    }
    const BufferId sum = add_buffer("grad:" + net_.tensor(t).name + "#sum" + std::to_string(++grad_serial_),
                                    BufferRole::activation_grad, tensor_bytes(t));
    emit(layer, Pass::backward_data, "grad_accumulate", StepKind::elementwise, opt_.batch * elements(t),
         {Region{.buffer = it->second, .offset = 0, .bytes = tensor_bytes(t)},
          Region{.buffer = contribution, .offset = 0, .bytes = tensor_bytes(t)}},
         {whole(sum)});
    it->second = sum;
  }
  // The buffer a layer's data gradient for input t goes to (fresh; `contribute` then files it).
  BufferId dgrad_target(TensorId t) { return new_grad(t); }

  void add_weight_grad(std::size_t layer, BufferId weight, BufferId contribution) {
    const auto it = weight_grad_.find(weight);
    if (it == weight_grad_.end()) {
      weight_grad_[weight] = contribution;
      return;
    }
    const std::int64_t bytes = plan_.buffers[weight].bytes;
    const BufferId sum = add_buffer(plan_.buffers[contribution].name + "#sum", BufferRole::weight_grad, bytes);
    emit(layer, Pass::backward_weight, "grad_accumulate", StepKind::elementwise, bytes / b(),
         {whole(it->second), whole(contribution)}, {whole(sum)});
    it->second = sum;
  }

  LayerParams& params_of(std::size_t i) { return layer_params_[i]; }
  BufferId add_param(std::size_t i, const std::string& suffix, std::int64_t elements) {
    const BufferId id = add_buffer(net_.layers[i].name + "." + suffix, BufferRole::weight, elements * b());
    params_.push_back(ParamTensor{.layer = i, .weight = id, .elements = elements});
    return id;
  }

  // ---- forward ----------------------------------------------------------------------------------
  void forward(std::size_t i) {
    const Layer& layer = net_.layers[i];
    bool rg = false;
    for (TensorId t : layer.inputs) rg = rg || requires_grad_[t];
    std::visit([&](const auto& op) { rg = forward_op(i, op) || rg; }, layer.op);
    requires_grad_[layer.output] = rg && training();
  }

  std::int64_t layer_flops(std::size_t i) const { return flops(net_, net_.layers[i], opt_.batch); }
  TensorId in(std::size_t i, std::size_t k = 0) const { return net_.layers[i].inputs.at(k); }
  TensorId out(std::size_t i) const { return net_.layers[i].output; }

  // Each forward_op emits the forward steps and returns whether the layer has learned parameters.
  bool forward_op(std::size_t i, const Conv2d& c) {
    LayerParams& p = params_of(i);
    const std::int64_t cg = c.in_channels / c.groups, kg = c.out_channels / c.groups;
    p.weight = add_param(i, "weight", c.out_channels * cg * c.kernel.h * c.kernel.w);
    if (c.bias) p.bias = add_param(i, "bias", c.out_channels);
    const BufferId y = new_output(i);
    if (is_depthwise(c)) {
      std::vector<Region> reads{value(in(i)), whole(p.weight)};
      if (c.bias) reads.push_back(whole(p.bias));
      emit(i, Pass::forward, "depthwise_fprop", StepKind::elementwise, layer_flops(i), std::move(reads), {whole(y)});
      return true;
    }
    const ConvDims d = dims(i, c);
    const std::int64_t rsc = c.kernel.h * c.kernel.w * cg;
    Gemm g{.m = opt_.batch * d.p * d.q,
           .n = kg,
           .k = rsc,
           .batch = c.groups,
           .a = im2col_operand(plan_.tensor_buffer[in(i)], forward_geometry(c, d), cg),
           .b = dense(p.weight, stride(1), stride(rsc), stride(kg * rsc)),
           .c = dense(y, stride(c.out_channels), stride(1), stride(kg)),
           .bias = c.bias ? std::optional<BufferId>(p.bias) : std::nullopt};
    emit_gemm(i, Pass::forward, "fprop", layer_flops(i), std::move(g));
    return true;
  }
  bool forward_op(std::size_t i, const Linear& l) {
    LayerParams& p = params_of(i);
    if (l.tied_to.empty()) {
      p.weight = add_param(i, "weight", l.in_features * l.out_features);
    } else {
      const auto it = std::find_if(net_.layers.begin(), net_.layers.end(),
                                   [&](const Layer& other) { return other.name == l.tied_to; });
      if (it == net_.layers.end())
        throw ModelError("layer '{}' is tied to unknown layer '{}'", net_.layers[i].name, l.tied_to);
      p.weight = params_of(static_cast<std::size_t>(it - net_.layers.begin())).weight;
    }
    if (l.bias) p.bias = add_param(i, "bias", l.out_features);
    const BufferId y = new_output(i);
    const std::int64_t rows = opt_.batch * elements(in(i)) / l.in_features;
    Gemm g{.m = rows,
           .n = l.out_features,
           .k = l.in_features,
           .batch = 1,
           .a = dense(plan_.tensor_buffer[in(i)], stride(l.in_features), stride(1)),
           .b = dense(p.weight, stride(1), stride(l.in_features)),
           .c = dense(y, stride(l.out_features), stride(1)),
           .bias = l.bias ? std::optional<BufferId>(p.bias) : std::nullopt};
    emit_gemm(i, Pass::forward, "fprop", layer_flops(i), std::move(g));
    return true;
  }
  struct MatDims {
    std::int64_t batches, m, k, n;
  };
  MatDims matmul_dims(std::size_t i, const MatMul& mm) const {
    const Shape& a = net_.tensor(in(i, 0)).shape;
    const Shape& bs = net_.tensor(in(i, 1)).shape;
    const std::size_t r = a.size();
    const std::int64_t n = mm.transpose_b ? bs[r - 2] : bs[r - 1];
    return MatDims{opt_.batch * element_count(a) / (a[r - 2] * a[r - 1]), a[r - 2], a[r - 1], n};
  }
  bool forward_op(std::size_t i, const MatMul& mm) {
    const BufferId y = new_output(i);
    const MatDims d = matmul_dims(i, mm);
    Gemm g{.m = d.m,
           .n = d.n,
           .k = d.k,
           .batch = d.batches,
           .a = dense(plan_.tensor_buffer[in(i, 0)], stride(d.k), stride(1), stride(d.m * d.k)),
           .b = mm.transpose_b ? dense(plan_.tensor_buffer[in(i, 1)], stride(1), stride(d.k), stride(d.k * d.n))
                               : dense(plan_.tensor_buffer[in(i, 1)], stride(d.n), stride(1), stride(d.k * d.n)),
           .c = dense(y, stride(d.n), stride(1), stride(d.m * d.n)),
           .bias = std::nullopt};
    emit_gemm(i, Pass::forward, "fprop", layer_flops(i), std::move(g));
    return false;
  }
  struct AttnDims {
    std::int64_t sq, sk, e, h, dh;
  };
  AttnDims attention_dims(std::size_t i, const Attention& a) const {
    const Shape& q = net_.tensor(in(i, 0)).shape;
    const Shape& k = net_.tensor(in(i, 1)).shape;
    return AttnDims{q[0], k[0], q[1], a.heads, q[1] / a.heads};
  }
  // Head h of sample n of a [S, E] tensor: batch index n·heads + h.
  IndexMap heads(const AttnDims& d, std::int64_t seq) const { return split(d.h, d.dh, seq * d.e); }
  bool forward_op(std::size_t i, const Attention& a) {
    const AttnDims d = attention_dims(i, a);
    const std::int64_t bh = opt_.batch * d.h, scores = bh * d.sq * d.sk;
    const BufferId s = add_buffer(net_.layers[i].name + ".scores", BufferRole::workspace, scores * b());
    const BufferId p = add_buffer(net_.layers[i].name + ".probs",
                                  training() ? BufferRole::saved : BufferRole::workspace, scores * b());
    probs_[i] = p;
    const BufferId y = new_output(i);
    const BufferId q = plan_.tensor_buffer[in(i, 0)], k = plan_.tensor_buffer[in(i, 1)],
                   v = plan_.tensor_buffer[in(i, 2)];
    const std::int64_t gemm_flops = 2 * bh * d.sq * d.sk * d.dh;
    emit_gemm(i, Pass::forward, "scores", gemm_flops,
              Gemm{.m = d.sq,
                   .n = d.sk,
                   .k = d.dh,
                   .batch = bh,
                   .a = dense(q, stride(d.e), stride(1), heads(d, d.sq)),
                   .b = dense(k, stride(1), stride(d.e), heads(d, d.sk)),
                   .c = dense(s, stride(d.sk), stride(1), stride(d.sq * d.sk)),
                   .bias = std::nullopt});
    emit(i, Pass::forward, "softmax", StepKind::reduction, kAttentionSoftmaxFlops * scores, {whole(s)}, {whole(p)});
    emit_gemm(i, Pass::forward, "context", gemm_flops,
              Gemm{.m = d.sq,
                   .n = d.dh,
                   .k = d.sk,
                   .batch = bh,
                   .a = dense(p, stride(d.sk), stride(1), stride(d.sq * d.sk)),
                   .b = dense(v, stride(d.e), stride(1), heads(d, d.sk)),
                   .c = dense(y, stride(d.e), stride(1), heads(d, d.sq)),
                   .bias = std::nullopt});
    return false;
  }
  bool forward_op(std::size_t i, const Pool2d& pool) { return pooling(i, pool.kind); }
  bool forward_op(std::size_t i, const AdaptivePool2d& pool) { return pooling(i, pool.kind); }
  bool pooling(std::size_t i, PoolKind kind) {
    const BufferId y = new_output(i);
    std::vector<Region> writes{whole(y)};
    if (training() && kind == PoolKind::max) {
      indices_[i] =
          add_buffer(net_.layers[i].name + ".indices", BufferRole::saved, opt_.batch * elements(out(i)) * kIndexBytes);
      writes.push_back(whole(indices_[i]));
    }
    emit(i, Pass::forward, kind == PoolKind::max ? "max_pool" : "avg_pool", StepKind::reduction, layer_flops(i),
         {value(in(i))}, std::move(writes));
    return false;
  }
  bool forward_op(std::size_t i, const BatchNorm& bn) {
    LayerParams& p = params_of(i);
    p.weight = add_param(i, "weight", bn.channels);
    p.bias = add_param(i, "bias", bn.channels);
    const BufferId y = new_output(i);
    const std::int64_t n = opt_.batch * elements(in(i));
    if (!training()) {
      emit(i, Pass::forward, "batch_norm", StepKind::elementwise, layer_flops(i),
           {value(in(i)), whole(p.weight), whole(p.bias)}, {whole(y)});
      return true;
    }
    const BufferId stats = add_buffer(net_.layers[i].name + ".stats", BufferRole::saved, 2 * bn.channels * kStatBytes);
    stats_[i] = stats;
    emit(i, Pass::forward, "bn_stats", StepKind::reduction, kNormStatsFlops * n, {value(in(i))}, {whole(stats)});
    emit(i, Pass::forward, "bn_apply", StepKind::elementwise, kNormApplyFlops * n,
         {value(in(i)), whole(stats), whole(p.weight), whole(p.bias)}, {whole(y)});
    return true;
  }
  bool forward_op(std::size_t i, const LayerNorm& ln) {
    LayerParams& p = params_of(i);
    p.weight = add_param(i, "weight", ln.features);
    p.bias = add_param(i, "bias", ln.features);
    const BufferId y = new_output(i);
    std::vector<Region> writes{whole(y)};
    if (training()) {
      const std::int64_t rows = opt_.batch * elements(in(i)) / ln.features;
      stats_[i] = add_buffer(net_.layers[i].name + ".stats", BufferRole::saved, 2 * rows * kStatBytes);
      writes.push_back(whole(stats_[i]));
    }
    emit(i, Pass::forward, "layer_norm", StepKind::reduction, layer_flops(i),
         {value(in(i)), whole(p.weight), whole(p.bias)}, std::move(writes));
    return true;
  }
  bool forward_op(std::size_t i, const Activation& a) {
    const BufferId y = new_output(i);
    emit(i, Pass::forward, std::string(activation_name(a.kind)), StepKind::elementwise, layer_flops(i), {value(in(i))},
         {whole(y)});
    return false;
  }
  bool forward_op(std::size_t i, const Add&) {
    const BufferId y = new_output(i);
    std::vector<Region> reads;
    for (TensorId t : net_.layers[i].inputs) reads.push_back(value(t));
    emit(i, Pass::forward, "add", StepKind::elementwise, layer_flops(i), std::move(reads), {whole(y)});
    return false;
  }
  bool forward_op(std::size_t i, const Concat&) {
    const BufferId y = new_output(i);
    std::vector<Region> reads;
    for (TensorId t : net_.layers[i].inputs) reads.push_back(value(t));
    emit(i, Pass::forward, "concat", StepKind::copy, 0, std::move(reads), {whole(y)});
    return false;
  }
  bool forward_op(std::size_t i, const Softmax&) {
    const BufferId y = new_output(i);
    emit(i, Pass::forward, "softmax", StepKind::reduction, layer_flops(i), {value(in(i))}, {whole(y)});
    return false;
  }
  bool forward_op(std::size_t i, const Embedding& e) {
    LayerParams& p = params_of(i);
    p.weight = add_param(i, "weight", e.num_embeddings * e.dim);
    const BufferId y = new_output(i);
    const Region rows{.buffer = p.weight, .offset = 0, .bytes = tensor_bytes(out(i)), .gather_row_bytes = e.dim * b()};
    emit(i, Pass::forward, "embedding", StepKind::gather, 0, {value(in(i)), rows}, {whole(y)});
    return true;
  }
  bool forward_op(std::size_t i, const Reshape&) {
    plan_.tensor_buffer[out(i)] = plan_.tensor_buffer[in(i)];  // a view
    return false;
  }
  bool forward_op(std::size_t i, const Transpose&) {
    const BufferId y = new_output(i);
    emit(i, Pass::forward, "transpose", StepKind::copy, 0, {value(in(i))}, {whole(y)});
    return false;
  }
  std::int64_t slice_offset(std::size_t i, const Slice& s) const {
    const Shape& shape = net_.tensor(in(i)).shape;
    const std::size_t axis =
        static_cast<std::size_t>(s.axis < 0 ? s.axis + static_cast<std::int64_t>(shape.size()) : s.axis);
    std::int64_t inner = 1;
    for (std::size_t k = axis + 1; k < shape.size(); ++k) inner *= shape[k];
    return s.start * inner * elem_bytes(in(i));
  }
  bool forward_op(std::size_t i, const Slice& s) {
    const BufferId y = new_output(i);
    // Modelled as a contiguous copy of the output's size from the slice's first element (docs).
    const Region src{.buffer = plan_.tensor_buffer[in(i)], .offset = slice_offset(i, s), .bytes = tensor_bytes(out(i))};
    emit(i, Pass::forward, "slice", StepKind::copy, 0, {src}, {whole(y)});
    return false;
  }
  bool forward_op(std::size_t i, const Parameter& prm) {
    LayerParams& p = params_of(i);
    p.weight = add_param(i, "weight", element_count(prm.shape));
    plan_.tensor_buffer[out(i)] = p.weight;  // the output is the parameter itself
    return true;
  }

  // ---- convolution geometry ---------------------------------------------------------------------
  struct ConvDims {
    std::int64_t h, w, p, q;
  };
  ConvDims dims(std::size_t i, const Conv2d&) const {
    const Shape& x = net_.tensor(in(i)).shape;
    const Shape& y = net_.tensor(out(i)).shape;
    return ConvDims{x[1], x[2], y[1], y[2]};
  }
  static bool is_depthwise(const Conv2d& c) { return c.groups > 1 && c.groups == c.in_channels; }
  static Im2col forward_geometry(const Conv2d& c, const ConvDims& d) {
    return Im2col{.in_h = d.h,
                  .in_w = d.w,
                  .out_h = d.p,
                  .out_w = d.q,
                  .channels = c.in_channels / c.groups,
                  .pixel_stride = c.in_channels,
                  .kernel = c.kernel,
                  .stride = c.stride,
                  .padding = c.padding,
                  .dilation = c.dilation,
                  .transposed = false};
  }
  static Im2col dgrad_geometry(const Conv2d& c, const ConvDims& d) {
    return Im2col{.in_h = d.p,
                  .in_w = d.q,
                  .out_h = d.h,
                  .out_w = d.w,
                  .channels = c.out_channels / c.groups,
                  .pixel_stride = c.out_channels,
                  .kernel = c.kernel,
                  .stride = c.stride,
                  .padding = c.padding,
                  .dilation = c.dilation,
                  .transposed = true};
  }
  static Operand im2col_operand(BufferId buffer, const Im2col& geometry, std::int64_t group_channels) {
    Operand o = dense(buffer, {}, {}, stride(group_channels));
    o.im2col = geometry;
    return o;
  }

  // ---- backward ---------------------------------------------------------------------------------
  void backward(std::size_t i) {
    const TensorId y = out(i);
    if (!requires_grad_[y] || !act_grad_.count(y)) return;  // no gradient flows through this layer
    std::visit([&](const auto& op) { backward_op(i, op); }, net_.layers[i].op);
  }
  bool wants_grad(TensorId t) const { return requires_grad_[t]; }
  // The per-input data-gradient step of an elementwise-like op: reads dy (+ extra), writes dx.
  void simple_dgrad(std::size_t i, TensorId x, const std::string& name, StepKind kind, std::int64_t flops,
                    std::vector<Region> extra) {
    if (!wants_grad(x)) return;
    const BufferId dx = dgrad_target(x);
    std::vector<Region> reads{grad(out(i))};
    for (Region& r : extra) reads.push_back(r);
    emit(i, Pass::backward_data, name, kind, flops, std::move(reads), {whole(dx)});
    contribute(i, x, dx);
  }
  void weight_step(std::size_t i, BufferId weight, const std::string& name, StepKind kind, std::int64_t flops,
                   std::vector<Region> reads) {
    const BufferId dw = weight_grad_buffer(weight);
    emit(i, Pass::backward_weight, name, kind, flops, std::move(reads), {whole(dw)});
    add_weight_grad(i, weight, dw);
  }
  void weight_gemm(std::size_t i, BufferId weight, const std::string& name, std::int64_t flops, Gemm g) {
    const BufferId dw = weight_grad_buffer(weight);
    g.c.buffer = dw;
    emit_gemm(i, Pass::backward_weight, name, flops, std::move(g));
    add_weight_grad(i, weight, dw);
  }
  void bias_grad(std::size_t i, BufferId bias) {
    if (bias == kNone) return;
    weight_step(i, bias, "bias_grad", StepKind::reduction, opt_.batch * elements(out(i)), {grad(out(i))});
  }

  void backward_op(std::size_t i, const Conv2d& c) {
    const LayerParams& p = params_of(i);
    const std::int64_t macs2 = 2 * macs(net_, net_.layers[i], opt_.batch);
    const TensorId x = in(i);
    if (is_depthwise(c)) {
      simple_dgrad(i, x, "depthwise_dgrad", StepKind::elementwise, macs2, {whole(p.weight)});
      weight_step(i, p.weight, "depthwise_wgrad", StepKind::reduction, macs2, {grad(out(i)), value(x)});
      bias_grad(i, p.bias);
      return;
    }
    const ConvDims d = dims(i, c);
    const std::int64_t cg = c.in_channels / c.groups, kg = c.out_channels / c.groups;
    const std::int64_t rs = c.kernel.h * c.kernel.w;
    const BufferId dy = act_grad_.at(out(i));
    if (wants_grad(x)) {
      const BufferId dx = dgrad_target(x);
      emit_gemm(i, Pass::backward_data, "dgrad", macs2,
                Gemm{.m = opt_.batch * d.h * d.w,
                     .n = cg,
                     .k = rs * kg,
                     .batch = c.groups,
                     .a = im2col_operand(dy, dgrad_geometry(c, d), kg),
                     // k = (r, s, k_out) with k_out fastest: filter [K][R][S][C/g] read along K.
                     .b = dense(p.weight, split(kg, rs * cg, cg), stride(1), stride(kg * rs * cg)),
                     .c = dense(dx, stride(c.in_channels), stride(1), stride(cg)),
                     .bias = std::nullopt});
      contribute(i, x, dx);
    }
    weight_gemm(i, p.weight, "wgrad", macs2,
                Gemm{.m = kg,
                     .n = rs * cg,
                     .k = opt_.batch * d.p * d.q,
                     .batch = c.groups,
                     .a = dense(dy, stride(1), stride(c.out_channels), stride(kg)),
                     .b = im2col_operand(plan_.tensor_buffer[x], forward_geometry(c, d), cg),
                     .c = dense(kNone, stride(rs * cg), stride(1), stride(kg * rs * cg)),
                     .bias = std::nullopt});
    bias_grad(i, p.bias);
  }
  void backward_op(std::size_t i, const Linear& l) {
    const LayerParams& p = params_of(i);
    const std::int64_t rows = opt_.batch * elements(in(i)) / l.in_features;
    const std::int64_t macs2 = 2 * macs(net_, net_.layers[i], opt_.batch);
    const BufferId dy = act_grad_.at(out(i));
    const TensorId x = in(i);
    if (wants_grad(x)) {
      const BufferId dx = dgrad_target(x);
      emit_gemm(i, Pass::backward_data, "dgrad", macs2,
                Gemm{.m = rows,
                     .n = l.in_features,
                     .k = l.out_features,
                     .batch = 1,
                     .a = dense(dy, stride(l.out_features), stride(1)),
                     .b = dense(p.weight, stride(l.in_features), stride(1)),
                     .c = dense(dx, stride(l.in_features), stride(1)),
                     .bias = std::nullopt});
      contribute(i, x, dx);
    }
    weight_gemm(i, p.weight, "wgrad", macs2,
                Gemm{.m = l.out_features,
                     .n = l.in_features,
                     .k = rows,
                     .batch = 1,
                     .a = dense(dy, stride(1), stride(l.out_features)),
                     .b = dense(plan_.tensor_buffer[x], stride(l.in_features), stride(1)),
                     .c = dense(kNone, stride(l.in_features), stride(1)),
                     .bias = std::nullopt});
    bias_grad(i, p.bias);
  }
  void backward_op(std::size_t i, const MatMul& mm) {
    const MatDims d = matmul_dims(i, mm);
    const std::int64_t macs2 = 2 * d.batches * d.m * d.n * d.k;
    const BufferId dc = act_grad_.at(out(i));
    const TensorId a = in(i, 0), bt = in(i, 1);
    const BufferId av = plan_.tensor_buffer[a], bv = plan_.tensor_buffer[bt];
    if (wants_grad(a)) {  // dA[m,k] = dC[m,n]·Bᵀ
      const BufferId da = dgrad_target(a);
      emit_gemm(i, Pass::backward_data, "dgrad_a", macs2,
                Gemm{.m = d.m,
                     .n = d.k,
                     .k = d.n,
                     .batch = d.batches,
                     .a = dense(dc, stride(d.n), stride(1), stride(d.m * d.n)),
                     .b = mm.transpose_b ? dense(bv, stride(d.k), stride(1), stride(d.k * d.n))
                                         : dense(bv, stride(1), stride(d.n), stride(d.k * d.n)),
                     .c = dense(da, stride(d.k), stride(1), stride(d.m * d.k)),
                     .bias = std::nullopt});
      contribute(i, a, da);
    }
    if (wants_grad(bt)) {
      const BufferId db = dgrad_target(bt);
      if (!mm.transpose_b) {  // dB[k,n] = Aᵀ·dC
        emit_gemm(i, Pass::backward_data, "dgrad_b", macs2,
                  Gemm{.m = d.k,
                       .n = d.n,
                       .k = d.m,
                       .batch = d.batches,
                       .a = dense(av, stride(1), stride(d.k), stride(d.m * d.k)),
                       .b = dense(dc, stride(d.n), stride(1), stride(d.m * d.n)),
                       .c = dense(db, stride(d.n), stride(1), stride(d.k * d.n)),
                       .bias = std::nullopt});
      } else {  // dB[n,k] = dCᵀ·A
        emit_gemm(i, Pass::backward_data, "dgrad_b", macs2,
                  Gemm{.m = d.n,
                       .n = d.k,
                       .k = d.m,
                       .batch = d.batches,
                       .a = dense(dc, stride(1), stride(d.n), stride(d.m * d.n)),
                       .b = dense(av, stride(d.k), stride(1), stride(d.m * d.k)),
                       .c = dense(db, stride(d.k), stride(1), stride(d.k * d.n)),
                       .bias = std::nullopt});
      }
      contribute(i, bt, db);
    }
  }
  void backward_op(std::size_t i, const Attention& a) {
    const AttnDims d = attention_dims(i, a);
    const std::int64_t bh = opt_.batch * d.h, scores = bh * d.sq * d.sk;
    const std::int64_t gemm_flops = 2 * bh * d.sq * d.sk * d.dh;
    const TensorId tq = in(i, 0), tk = in(i, 1), tv = in(i, 2);
    const BufferId q = plan_.tensor_buffer[tq], k = plan_.tensor_buffer[tk], v = plan_.tensor_buffer[tv];
    const BufferId p = probs_.at(i), dout = act_grad_.at(out(i));
    const std::string& name = net_.layers[i].name;
    const IndexMap score_batches = stride(d.sq * d.sk);
    if (wants_grad(tv)) {  // dV = Pᵀ·dO
      const BufferId dv = dgrad_target(tv);
      emit_gemm(i, Pass::backward_data, "dgrad_v", gemm_flops,
                Gemm{.m = d.sk,
                     .n = d.dh,
                     .k = d.sq,
                     .batch = bh,
                     .a = dense(p, stride(1), stride(d.sk), score_batches),
                     .b = dense(dout, stride(d.e), stride(1), heads(d, d.sq)),
                     .c = dense(dv, stride(d.e), stride(1), heads(d, d.sk)),
                     .bias = std::nullopt});
      contribute(i, tv, dv);
    }
    if (!wants_grad(tq) && !wants_grad(tk)) return;
    const BufferId dp = add_buffer(name + ".dprobs", BufferRole::workspace, scores * b());
    emit_gemm(i, Pass::backward_data, "dgrad_probs", gemm_flops,  // dP = dO·Vᵀ
              Gemm{.m = d.sq,
                   .n = d.sk,
                   .k = d.dh,
                   .batch = bh,
                   .a = dense(dout, stride(d.e), stride(1), heads(d, d.sq)),
                   .b = dense(v, stride(1), stride(d.e), heads(d, d.sk)),
                   .c = dense(dp, stride(d.sk), stride(1), score_batches),
                   .bias = std::nullopt});
    const BufferId ds = add_buffer(name + ".dscores", BufferRole::workspace, scores * b());
    emit(i, Pass::backward_data, "softmax_backward", StepKind::reduction, kAttentionSoftmaxBwdFlops * scores,
         {whole(p), whole(dp)}, {whole(ds)});
    if (wants_grad(tq)) {  // dQ = dS·K
      const BufferId dq = dgrad_target(tq);
      emit_gemm(i, Pass::backward_data, "dgrad_q", gemm_flops,
                Gemm{.m = d.sq,
                     .n = d.dh,
                     .k = d.sk,
                     .batch = bh,
                     .a = dense(ds, stride(d.sk), stride(1), score_batches),
                     .b = dense(k, stride(d.e), stride(1), heads(d, d.sk)),
                     .c = dense(dq, stride(d.e), stride(1), heads(d, d.sq)),
                     .bias = std::nullopt});
      contribute(i, tq, dq);
    }
    if (wants_grad(tk)) {  // dK = dSᵀ·Q
      const BufferId dk = dgrad_target(tk);
      emit_gemm(i, Pass::backward_data, "dgrad_k", gemm_flops,
                Gemm{.m = d.sk,
                     .n = d.dh,
                     .k = d.sq,
                     .batch = bh,
                     .a = dense(ds, stride(1), stride(d.sk), score_batches),
                     .b = dense(q, stride(d.e), stride(1), heads(d, d.sq)),
                     .c = dense(dk, stride(d.e), stride(1), heads(d, d.sk)),
                     .bias = std::nullopt});
      contribute(i, tk, dk);
    }
  }
  void backward_op(std::size_t i, const Pool2d& pool) { pooling_backward(i, pool.kind); }
  void backward_op(std::size_t i, const AdaptivePool2d& pool) { pooling_backward(i, pool.kind); }
  void pooling_backward(std::size_t i, PoolKind kind) {
    std::vector<Region> extra;
    if (kind == PoolKind::max) extra.push_back(whole(indices_.at(i)));
    simple_dgrad(i, in(i), kind == PoolKind::max ? "max_pool_backward" : "avg_pool_backward", StepKind::reduction,
                 layer_flops(i), std::move(extra));
  }
  void norm_backward(std::size_t i, bool batch_norm) {
    const LayerParams& p = params_of(i);
    const TensorId x = in(i);
    const std::int64_t n = opt_.batch * elements(x);
    const BufferId stats = stats_.at(i);
    auto param_grads = [&] {
      const BufferId dg = weight_grad_buffer(p.weight), db = weight_grad_buffer(p.bias);
      emit(i, Pass::backward_weight, batch_norm ? "bn_param_grad" : "ln_param_grad", StepKind::reduction,
           kNormParamGradFlops * n, {grad(out(i)), value(x), whole(stats)}, {whole(dg), whole(db)});
      add_weight_grad(i, p.weight, dg);
      add_weight_grad(i, p.bias, db);
    };
    // Batch norm's data gradient needs the two parameter-gradient sums first (cuDNN and PyTorch
    // reduce, then apply); layer norm computes its row sums inside its data-gradient kernel.
    if (batch_norm) param_grads();
    simple_dgrad(i, x, batch_norm ? "bn_dgrad" : "ln_dgrad", batch_norm ? StepKind::elementwise : StepKind::reduction,
                 (batch_norm ? kBatchNormDgradFlops : kLayerNormDgradFlops) * n,
                 {value(x), whole(stats), whole(p.weight)});
    if (!batch_norm) param_grads();
  }
  void backward_op(std::size_t i, const BatchNorm&) { norm_backward(i, true); }
  void backward_op(std::size_t i, const LayerNorm&) { norm_backward(i, false); }
  void backward_op(std::size_t i, const Activation& a) {
    const TensorId x = in(i);
    const Region saved = backward_reads_output(a.kind) ? value(out(i)) : value(x);
    simple_dgrad(i, x, std::string(activation_name(a.kind)) + "_backward", StepKind::elementwise,
                 activation_backward_flops(a.kind) * opt_.batch * elements(x), {saved});
  }
  void backward_op(std::size_t i, const Add&) {
    // The gradient of a sum passes to every operand unchanged: no kernel, the same buffer.
    for (TensorId t : net_.layers[i].inputs)
      if (wants_grad(t)) contribute(i, t, act_grad_.at(out(i)));
  }
  void backward_op(std::size_t i, const Concat&) {
    std::int64_t offset = 0;
    for (TensorId t : net_.layers[i].inputs) {
      const std::int64_t bytes = tensor_bytes(t);
      if (wants_grad(t)) {
        const BufferId dx = dgrad_target(t);
        emit(i, Pass::backward_data, "concat_backward", StepKind::copy, 0,
             {Region{.buffer = act_grad_.at(out(i)), .offset = offset, .bytes = bytes}}, {whole(dx)});
        contribute(i, t, dx);
      }
      offset += bytes;
    }
  }
  void backward_op(std::size_t i, const Softmax&) {
    simple_dgrad(i, in(i), "softmax_backward", StepKind::reduction,
                 kSoftmaxBackwardFlops * opt_.batch * elements(in(i)), {value(out(i))});
  }
  void backward_op(std::size_t i, const Embedding&) {
    // Dense gradient (PyTorch's default): the whole table gradient is written, one add per dy element.
    const BufferId w = params_of(i).weight;
    weight_step(i, w, "embedding_backward", StepKind::gather, opt_.batch * elements(out(i)),
                {grad(out(i)), value(in(i))});
  }
  void backward_op(std::size_t i, const Reshape&) {
    if (wants_grad(in(i))) contribute(i, in(i), act_grad_.at(out(i)));
  }
  void backward_op(std::size_t i, const Transpose&) {
    simple_dgrad(i, in(i), "transpose_backward", StepKind::copy, 0, {});
  }
  void backward_op(std::size_t i, const Slice&) {
    // PyTorch's slice_backward writes a zero-filled gradient of the input's size around the slice.
    simple_dgrad(i, in(i), "slice_backward", StepKind::copy, 0, {});
  }
  void backward_op(std::size_t i, const Parameter&) {
    // Shared by every sample: its gradient sums the batch's, one add per gradient element.
    weight_step(i, params_of(i).weight, "parameter_grad", StepKind::reduction, opt_.batch * elements(out(i)),
                {grad(out(i))});
  }

  // ---- optimizer ----------------------------------------------------------------------------------
  void update(const ParamTensor& p) {
    const auto g = weight_grad_.find(p.weight);
    if (g == weight_grad_.end()) return;  // no gradient reached it
    std::vector<Region> reads{whole(p.weight), whole(g->second)};
    std::vector<Region> writes{whole(p.weight)};
    const int n_states = optimizer_state_count(opt_.optimizer);
    for (int s = 0; s < n_states; ++s) {
      const char* suffix = opt_.optimizer == Optimizer::adam ? (s == 0 ? ".exp_avg" : ".exp_avg_sq") : ".momentum";
      const BufferId state =
          add_buffer(plan_.buffers[p.weight].name + suffix, BufferRole::optimizer_state, plan_.buffers[p.weight].bytes);
      reads.push_back(whole(state));
      writes.push_back(whole(state));
    }
    emit(p.layer, Pass::update, std::string(optimizer_name(opt_.optimizer)), StepKind::update,
         update_flops_per_parameter(opt_.optimizer) * p.elements, std::move(reads), std::move(writes));
  }

  const Network& net_;
  ExpansionOptions opt_;
  ExecutionPlan plan_;
  std::vector<bool> requires_grad_;
  std::map<TensorId, BufferId> act_grad_;
  std::map<BufferId, BufferId> weight_grad_;
  std::map<std::size_t, LayerParams> layer_params_;
  std::map<std::size_t, BufferId> probs_, indices_, stats_;
  std::vector<ParamTensor> params_;
  int grad_serial_ = 0;
};

}  // namespace

ExecutionPlan expand(const Network& net, const ExpansionOptions& options) { return Expander(net, options).run(); }

}  // namespace deepnvm
