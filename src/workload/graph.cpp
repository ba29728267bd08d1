// SPDX-License-Identifier: MIT
#include "deepnvm/workload/graph.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

// ---- dtypes and shapes -------------------------------------------------------------------------

namespace {
struct DTypeInfo {
  DType type;
  std::string_view name;
  std::size_t bytes;
  bool floating;
};
constexpr std::array<DTypeInfo, 6> kDTypes{{{DType::fp32, "fp32", 4, true},
                                            {DType::fp16, "fp16", 2, true},
                                            {DType::bf16, "bf16", 2, true},
                                            {DType::int8, "int8", 1, false},
                                            {DType::int32, "int32", 4, false},
                                            {DType::int64, "int64", 8, false}}};

const DTypeInfo& info(DType type) {
  for (const auto& i : kDTypes)
    if (i.type == type) return i;
  throw std::logic_error("unhandled DType");
}
}  // namespace

std::size_t dtype_bytes(DType type) { return info(type).bytes; }
std::string_view dtype_name(DType type) { return info(type).name; }
bool is_floating(DType type) { return info(type).floating; }

DType parse_dtype(std::string_view name) {
  std::vector<std::string> known;
  for (const auto& i : kDTypes) {
    if (i.name == name) return i.type;
    known.emplace_back(i.name);
  }
  throw ConfigError({}, "dtype", "unknown dtype '{}'{}; known: {}", name, did_you_mean(name, known),
                    quoted_list(known, ", "));
}

std::int64_t element_count(const Shape& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

Shape with_batch(const Shape& shape, std::int64_t batch) {
  Shape out{batch};
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

std::string shape_text(const Shape& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

// ---- per-operator rules ------------------------------------------------------------------------
// Each operator kind has an overload of out_shape; macs_of, extra_flops_of and params_of default to
// zero, so an operator states only the costs it has.

namespace {

void expect_inputs(std::span<const Shape> in, std::size_t count) {
  if (in.size() != count) throw ModelError("expects {} input{}, got {}", count, count == 1 ? "" : "s", in.size());
}

void expect_rank(const Shape& s, std::size_t rank, std::string_view what) {
  if (s.size() != rank) throw ModelError("{} must have rank {} per sample, got {}", what, rank, shape_text(s));
}

// Normalizes a possibly negative axis against `rank`.
std::int64_t axis_of(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) throw ModelError("axis {} is out of range for rank {}", axis, rank);
  return axis < 0 ? axis + r : axis;
}

std::int64_t window_output(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                           std::int64_t dilation, bool ceil_mode, std::string_view dim) {
  if (kernel < 1 || stride < 1 || pad < 0 || dilation < 1)
    throw ModelError("{}: kernel, stride and dilation must be >= 1 and padding >= 0", dim);
  const std::int64_t span = in + 2 * pad - dilation * (kernel - 1) - 1;
  if (span < 0)
    throw ModelError("{}: window {} (dilation {}) does not fit input {} with padding {}", dim, kernel, dilation, in,
                     pad);
  std::int64_t out = (span + (ceil_mode ? stride - 1 : 0)) / stride + 1;
  // PyTorch's pooling_output_shape: the last window must start inside the input or left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// Conv2d ---------------------------------------------------------------------------------------
Shape out_shape(const Conv2d& c, std::span<const Shape> in) {
  expect_inputs(in, 1);
  expect_rank(in[0], 3, "conv2d input");
  if (c.groups < 1 || c.in_channels % c.groups != 0 || c.out_channels % c.groups != 0)
    throw ModelError("groups {} must divide in_channels {} and out_channels {}", c.groups, c.in_channels,
                     c.out_channels);
  if (in[0][0] != c.in_channels)
    throw ModelError("input has {} channels, expected in_channels {}", in[0][0], c.in_channels);
  return {c.out_channels, window_output(in[0][1], c.kernel.h, c.stride.h, c.padding.h, c.dilation.h, false, "height"),
          window_output(in[0][2], c.kernel.w, c.stride.w, c.padding.w, c.dilation.w, false, "width")};
}
std::int64_t macs_of(const Conv2d& c, std::span<const Shape>, const Shape& out) {
  return element_count(out) * (c.in_channels / c.groups) * c.kernel.h * c.kernel.w;
}
std::int64_t extra_flops_of(const Conv2d& c, std::span<const Shape>, const Shape& out) {
  return c.bias ? element_count(out) : 0;
}
std::int64_t params_of(const Conv2d& c) {
  return c.out_channels * (c.in_channels / c.groups) * c.kernel.h * c.kernel.w + (c.bias ? c.out_channels : 0);
}

// Linear ---------------------------------------------------------------------------------------
Shape out_shape(const Linear& l, std::span<const Shape> in) {
  expect_inputs(in, 1);
  if (in[0].empty() || in[0].back() != l.in_features)
    throw ModelError("input {} must end in in_features {}", shape_text(in[0]), l.in_features);
  Shape out = in[0];
  out.back() = l.out_features;
  return out;
}
std::int64_t macs_of(const Linear& l, std::span<const Shape> in, const Shape&) {
  return element_count(in[0]) * l.out_features;  // rows · in · out
}
std::int64_t extra_flops_of(const Linear& l, std::span<const Shape>, const Shape& out) {
  return l.bias ? element_count(out) : 0;
}
std::int64_t params_of(const Linear& l) {
  return (l.tied_to.empty() ? l.in_features * l.out_features : 0) + (l.bias ? l.out_features : 0);
}

// MatMul ---------------------------------------------------------------------------------------
Shape out_shape(const MatMul& m, std::span<const Shape> in) {
  expect_inputs(in, 2);
  const Shape& a = in[0];
  const Shape& b = in[1];
  if (a.size() < 2 || a.size() != b.size())
    throw ModelError("operands {} and {} must have one rank >= 2", shape_text(a), shape_text(b));
  const std::size_t r = a.size();
  if (!std::equal(a.begin(), a.end() - 2, b.begin()))
    throw ModelError("leading dimensions of {} and {} differ", shape_text(a), shape_text(b));
  const std::int64_t k_b = m.transpose_b ? b[r - 1] : b[r - 2];
  const std::int64_t n = m.transpose_b ? b[r - 2] : b[r - 1];
  if (a[r - 1] != k_b) throw ModelError("inner dimensions differ: {} x {}", shape_text(a), shape_text(b));
  Shape out = a;
  out.back() = n;
  return out;
}
std::int64_t macs_of(const MatMul&, std::span<const Shape> in, const Shape& out) {
  return element_count(out) * in[0].back();
}

// Attention ------------------------------------------------------------------------------------
Shape out_shape(const Attention& a, std::span<const Shape> in) {
  expect_inputs(in, 3);
  for (const Shape& s : in) expect_rank(s, 2, "attention Q/K/V");
  const std::int64_t e = in[0][1];
  if (a.heads < 1 || e % a.heads != 0) throw ModelError("{} heads do not divide embedding width {}", a.heads, e);
  if (in[1] != in[2] || in[1][1] != e)
    throw ModelError("K {} and V {} must be [Sk, {}]", shape_text(in[1]), shape_text(in[2]), e);
  if (a.causal && in[0][0] != in[1][0]) throw ModelError("a causal mask needs Sq == Sk");
  return in[0];
}
std::int64_t macs_of(const Attention&, std::span<const Shape> in, const Shape&) {
  // Q·Kᵀ and P·V: each heads · Sq · Sk · (E/heads) = Sq · Sk · E.
  return 2 * in[0][0] * in[1][0] * in[0][1];
}
std::int64_t extra_flops_of(const Attention& a, std::span<const Shape> in, const Shape&) {
  return (1 + 5) * a.heads * in[0][0] * in[1][0];  // scale, then softmax, on every score
}

// Pooling --------------------------------------------------------------------------------------
Shape out_shape(const Pool2d& p, std::span<const Shape> in) {
  expect_inputs(in, 1);
  expect_rank(in[0], 3, "pool2d input");
  if (2 * p.padding.h > p.kernel.h || 2 * p.padding.w > p.kernel.w)
    throw ModelError("padding must be at most half the kernel");
  return {in[0][0], window_output(in[0][1], p.kernel.h, p.stride.h, p.padding.h, 1, p.ceil_mode, "height"),
          window_output(in[0][2], p.kernel.w, p.stride.w, p.padding.w, 1, p.ceil_mode, "width")};
}
std::int64_t extra_flops_of(const Pool2d& p, std::span<const Shape>, const Shape& out) {
  return element_count(out) * p.kernel.h * p.kernel.w;
}

std::int64_t adaptive_window_sum(std::int64_t in, std::int64_t out) {
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < out; ++i) sum += ((i + 1) * in + out - 1) / out - (i * in) / out;
  return sum;
}
Shape out_shape(const AdaptivePool2d& p, std::span<const Shape> in) {
  expect_inputs(in, 1);
  expect_rank(in[0], 3, "adaptive_pool2d input");
  if (p.output.h < 1 || p.output.w < 1) throw ModelError("output size must be >= 1");
  return {in[0][0], p.output.h, p.output.w};
}
std::int64_t extra_flops_of(const AdaptivePool2d& p, std::span<const Shape> in, const Shape&) {
  return in[0][0] * adaptive_window_sum(in[0][1], p.output.h) * adaptive_window_sum(in[0][2], p.output.w);
}

// Normalization --------------------------------------------------------------------------------
Shape out_shape(const BatchNorm& b, std::span<const Shape> in) {
  expect_inputs(in, 1);
  if (in[0].empty() || in[0][0] != b.channels)
    throw ModelError("input {} must have {} channels first", shape_text(in[0]), b.channels);
  return in[0];
}
std::int64_t extra_flops_of(const BatchNorm&, std::span<const Shape> in, const Shape&) {
  return 2 * element_count(in[0]);  // inference: statistics folded into one scale and shift
}
std::int64_t params_of(const BatchNorm& b) { return 2 * b.channels; }

Shape out_shape(const LayerNorm& l, std::span<const Shape> in) {
  expect_inputs(in, 1);
  if (in[0].empty() || in[0].back() != l.features)
    throw ModelError("input {} must end in {} features", shape_text(in[0]), l.features);
  return in[0];
}
std::int64_t extra_flops_of(const LayerNorm&, std::span<const Shape> in, const Shape&) {
  // mean 1, variance 3 (subtract, square, sum), normalize 2, scale and shift 2
  return 8 * element_count(in[0]);
}
std::int64_t params_of(const LayerNorm& l) { return 2 * l.features; }

// Elementwise ----------------------------------------------------------------------------------
std::int64_t activation_flops(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::relu:
      return 1;  // max(x, 0)
    case ActivationKind::relu6:
      return 2;  // min(max(x, 0), 6)
    case ActivationKind::sigmoid:
      return 4;  // negate, exp, add, divide
    case ActivationKind::tanh:
      return 4;  // as sigmoid
    case ActivationKind::gelu:
      return 8;  // x/√2, erf (counted 4), +1, ·x, ·½
    case ActivationKind::gelu_tanh:
      return 9;  // x³ (2), ·c, +x, ·√(2/π), tanh (counted 1), +1, ·x, ·½
  }
  throw std::logic_error("unhandled ActivationKind");
}
Shape out_shape(const Activation&, std::span<const Shape> in) {
  expect_inputs(in, 1);
  return in[0];
}
std::int64_t extra_flops_of(const Activation& a, std::span<const Shape> in, const Shape&) {
  return activation_flops(a.kind) * element_count(in[0]);
}

Shape out_shape(const Add&, std::span<const Shape> in) {
  if (in.size() < 2) throw ModelError("expects at least 2 inputs, got {}", in.size());
  for (const Shape& s : in)
    if (s != in[0]) throw ModelError("operand shapes differ: {} and {}", shape_text(in[0]), shape_text(s));
  return in[0];
}
std::int64_t extra_flops_of(const Add&, std::span<const Shape> in, const Shape& out) {
  return static_cast<std::int64_t>(in.size() - 1) * element_count(out);
}

Shape out_shape(const Concat& c, std::span<const Shape> in) {
  if (in.empty()) throw ModelError("expects at least 1 input");
  const std::int64_t axis = axis_of(c.axis, in[0].size());
  Shape out = in[0];
  for (std::size_t i = 1; i < in.size(); ++i) {
    Shape a = in[i], b = in[0];
    if (a.size() != b.size()) throw ModelError("operand ranks differ: {} and {}", shape_text(b), shape_text(a));
    out[axis] += a[axis];
    a[axis] = b[axis] = 0;
    if (a != b) throw ModelError("operands {} and {} differ off axis {}", shape_text(in[0]), shape_text(in[i]), axis);
  }
  return out;
}

Shape out_shape(const Softmax& s, std::span<const Shape> in) {
  expect_inputs(in, 1);
  axis_of(s.axis, in[0].size());
  return in[0];
}
std::int64_t extra_flops_of(const Softmax&, std::span<const Shape> in, const Shape&) {
  return 5 * element_count(in[0]);  // max, subtract, exp, sum, divide
}

// Data movement and lookups --------------------------------------------------------------------
Shape out_shape(const Embedding& e, std::span<const Shape> in) {
  expect_inputs(in, 1);
  if (e.num_embeddings < 1 || e.dim < 1) throw ModelError("num_embeddings and dim must be >= 1");
  Shape out = in[0];
  out.push_back(e.dim);
  return out;
}
std::int64_t params_of(const Embedding& e) { return e.num_embeddings * e.dim; }

Shape out_shape(const Reshape& r, std::span<const Shape> in) {
  expect_inputs(in, 1);
  if (std::any_of(r.shape.begin(), r.shape.end(), [](std::int64_t d) { return d < 1; }) ||
      element_count(r.shape) != element_count(in[0]))
    throw ModelError("cannot reshape {} to {}", shape_text(in[0]), shape_text(r.shape));
  return r.shape;
}

Shape out_shape(const Transpose& t, std::span<const Shape> in) {
  expect_inputs(in, 1);
  std::vector<std::int64_t> sorted = t.permutation;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> identity(in[0].size());
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity)
    throw ModelError("{} is not a permutation of the {} axes of {}", shape_text(t.permutation), in[0].size(),
                     shape_text(in[0]));
  Shape out;
  for (std::int64_t axis : t.permutation) out.push_back(in[0][static_cast<std::size_t>(axis)]);
  return out;
}

Shape out_shape(const Slice& s, std::span<const Shape> in) {
  expect_inputs(in, 1);
  const std::int64_t axis = axis_of(s.axis, in[0].size());
  if (s.start < 0 || s.length < 1 || s.start + s.length > in[0][axis])
    throw ModelError("range [{}, {}) is outside axis {} of {}", s.start, s.start + s.length, axis, shape_text(in[0]));
  Shape out = in[0];
  out[axis] = s.length;
  return out;
}

Shape out_shape(const Parameter& p, std::span<const Shape> in) {
  expect_inputs(in, 0);
  if (p.shape.empty() || std::any_of(p.shape.begin(), p.shape.end(), [](std::int64_t d) { return d < 1; }))
    throw ModelError("parameter shape {} must be non-empty and positive", shape_text(p.shape));
  return p.shape;
}
std::int64_t params_of(const Parameter& p) { return element_count(p.shape); }

// Defaults: no GEMM work, no other FLOPs, no parameters.
template <class T>
std::int64_t macs_of(const T&, std::span<const Shape>, const Shape&) {
  return 0;
}
template <class T>
std::int64_t extra_flops_of(const T&, std::span<const Shape>, const Shape&) {
  return 0;
}
template <class T>
std::int64_t params_of(const T&) {
  return 0;
}

template <class T>
constexpr std::string_view name_of() {
  if constexpr (std::is_same_v<T, Conv2d>) return "conv2d";
  if constexpr (std::is_same_v<T, Linear>) return "linear";
  if constexpr (std::is_same_v<T, MatMul>) return "matmul";
  if constexpr (std::is_same_v<T, Attention>) return "attention";
  if constexpr (std::is_same_v<T, Pool2d>) return "pool2d";
  if constexpr (std::is_same_v<T, AdaptivePool2d>) return "adaptive_pool2d";
  if constexpr (std::is_same_v<T, BatchNorm>) return "batch_norm";
  if constexpr (std::is_same_v<T, LayerNorm>) return "layer_norm";
  if constexpr (std::is_same_v<T, Activation>) return "activation";
  if constexpr (std::is_same_v<T, Add>) return "add";
  if constexpr (std::is_same_v<T, Concat>) return "concat";
  if constexpr (std::is_same_v<T, Softmax>) return "softmax";
  if constexpr (std::is_same_v<T, Embedding>) return "embedding";
  if constexpr (std::is_same_v<T, Reshape>) return "reshape";
  if constexpr (std::is_same_v<T, Transpose>) return "transpose";
  if constexpr (std::is_same_v<T, Slice>) return "slice";
  if constexpr (std::is_same_v<T, Parameter>) return "parameter";
}

}  // namespace

std::string_view op_name(const Op& op) {
  return std::visit([](const auto& o) { return name_of<std::decay_t<decltype(o)>>(); }, op);
}

std::string_view activation_name(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::relu:
      return "relu";
    case ActivationKind::relu6:
      return "relu6";
    case ActivationKind::gelu:
      return "gelu";
    case ActivationKind::gelu_tanh:
      return "gelu_tanh";
    case ActivationKind::sigmoid:
      return "sigmoid";
    case ActivationKind::tanh:
      return "tanh";
  }
  throw std::logic_error("unhandled ActivationKind");
}

Shape infer_output_shape(const Op& op, std::span<const Shape> inputs) {
  for (const Shape& s : inputs)
    if (std::any_of(s.begin(), s.end(), [](std::int64_t d) { return d < 1; }))
      throw ModelError("input shape {} has a dimension below 1", shape_text(s));
  return std::visit([&](const auto& o) { return out_shape(o, inputs); }, op);
}

std::int64_t macs(const Op& op, std::span<const Shape> inputs, const Shape& output) {
  return std::visit([&](const auto& o) { return macs_of(o, inputs, output); }, op);
}

std::int64_t flops(const Op& op, std::span<const Shape> inputs, const Shape& output) {
  return std::visit([&](const auto& o) { return 2 * macs_of(o, inputs, output) + extra_flops_of(o, inputs, output); },
                    op);
}

std::int64_t parameter_count(const Op& op) {
  return std::visit([](const auto& o) { return params_of(o); }, op);
}

// ---- Network -----------------------------------------------------------------------------------

std::vector<Shape> Network::input_shapes(const Layer& layer) const {
  std::vector<Shape> out;
  out.reserve(layer.inputs.size());
  for (TensorId id : layer.inputs) out.push_back(tensors.at(id).shape);
  return out;
}

std::int64_t flops(const Network& net, const Layer& layer, std::int64_t batch) {
  return batch * flops(layer.op, net.input_shapes(layer), net.output_shape(layer));
}
std::int64_t macs(const Network& net, const Layer& layer, std::int64_t batch) {
  return batch * macs(layer.op, net.input_shapes(layer), net.output_shape(layer));
}
std::int64_t flops(const Network& net, std::int64_t batch) {
  std::int64_t sum = 0;
  for (const Layer& layer : net.layers) sum += flops(net, layer, batch);
  return sum;
}
std::int64_t macs(const Network& net, std::int64_t batch) {
  std::int64_t sum = 0;
  for (const Layer& layer : net.layers) sum += macs(net, layer, batch);
  return sum;
}
std::int64_t parameter_count(const Network& net) {
  std::int64_t sum = 0;
  for (const Layer& layer : net.layers) sum += parameter_count(layer.op);
  return sum;
}
std::int64_t parameter_bytes(const Network& net) {
  return parameter_count(net) * static_cast<std::int64_t>(dtype_bytes(net.dtype));
}

// ---- GraphBuilder ------------------------------------------------------------------------------

GraphBuilder::GraphBuilder(std::string name, std::string source, DType dtype) {
  net_.name = std::move(name);
  net_.source = std::move(source);
  net_.dtype = dtype;
}

TensorId GraphBuilder::input(std::string name, Shape shape) {
  return input(std::move(name), std::move(shape), net_.dtype);
}

TensorId GraphBuilder::input(std::string name, Shape shape, DType dtype) {
  for (const Tensor& t : net_.tensors)
    if (t.name == name) throw ModelError("network '{}': a tensor named '{}' already exists", net_.name, name);
  if (shape.empty() || std::any_of(shape.begin(), shape.end(), [](std::int64_t d) { return d < 1; }))
    throw ModelError("network '{}': input '{}' shape {} must be non-empty and positive", net_.name, name,
                     shape_text(shape));
  net_.tensors.push_back(Tensor{std::move(name), std::move(shape), dtype});
  net_.inputs.push_back(net_.tensors.size() - 1);
  return net_.tensors.size() - 1;
}

TensorId GraphBuilder::add(std::string name, Op op, std::vector<TensorId> inputs) {
  const auto fail = [&](const std::string& why) {
    return ModelError("network '{}': layer '{}' ({}): {}", net_.name, name, op_name(op), why);
  };
  for (const Tensor& t : net_.tensors)
    if (t.name == name) throw fail("the name is taken");
  std::vector<Shape> shapes;
  for (TensorId id : inputs) {
    if (id >= net_.tensors.size()) throw fail(fmt::format("input tensor {} does not exist", id));
    shapes.push_back(net_.tensors[id].shape);
  }
  if (std::holds_alternative<Embedding>(op)) {
    if (is_floating(net_.tensors.at(inputs.at(0)).dtype)) throw fail("ids must be an integer tensor");
  } else {
    for (TensorId id : inputs)
      if (!is_floating(net_.tensors[id].dtype))
        throw fail(fmt::format("input '{}' is {}, not a floating tensor", net_.tensors[id].name,
                               dtype_name(net_.tensors[id].dtype)));
  }
  if (const auto* linear = std::get_if<Linear>(&op); linear && !linear->tied_to.empty()) {
    const auto it =
        std::find_if(net_.layers.begin(), net_.layers.end(), [&](const Layer& l) { return l.name == linear->tied_to; });
    if (it == net_.layers.end()) throw fail(fmt::format("tied_to '{}' is not an earlier layer", linear->tied_to));
    const auto* emb = std::get_if<Embedding>(&it->op);
    const auto* lin = std::get_if<Linear>(&it->op);
    const bool same = (emb && emb->num_embeddings == linear->out_features && emb->dim == linear->in_features) ||
                      (lin && lin->tied_to.empty() && lin->in_features == linear->in_features &&
                       lin->out_features == linear->out_features);
    if (!same)
      throw fail(fmt::format("its weight [{}, {}] cannot be shared with layer '{}'", linear->out_features,
                             linear->in_features, linear->tied_to));
  }
  Shape out;
  try {
    out = infer_output_shape(op, shapes);
  } catch (const ModelError& e) {
    throw fail(e.what());
  }
  net_.tensors.push_back(Tensor{name, std::move(out), net_.dtype});
  net_.layers.push_back(Layer{std::move(name), std::move(op), std::move(inputs), net_.tensors.size() - 1});
  return net_.tensors.size() - 1;
}

Network GraphBuilder::finish(std::vector<TensorId> outputs) && {
  if (outputs.empty()) throw ModelError("network '{}' has no outputs", net_.name);
  for (TensorId id : outputs)
    if (id >= net_.tensors.size()) throw ModelError("network '{}': output tensor {} does not exist", net_.name, id);
  net_.outputs = std::move(outputs);
  return std::move(net_);
}

}  // namespace deepnvm
