// SPDX-License-Identifier: MIT
// ONNX import (include/deepnvm/workload/onnx_import.h). Three passes over the nodes, which ONNX
// stores in a valid execution order:
//   1. analysis: full shapes (with the batch), which tensors are the same for every sample (weights,
//      constants, shape arithmetic; their values folded where known) and, for the others, which axis
//      holds the batch;
//   2. fusion: the exporter's decompositions (LayerNorm, GELU, attention, MatMul + bias) are matched
//      and marked, each to be emitted as one layer at its last node;
//   3. emission: the remaining nodes become layers of a GraphBuilder on per-sample shapes, each
//      checked against the shape pass 1 found.
#include "deepnvm/workload/onnx_import.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "onnx_import_detail.h"

namespace deepnvm {

namespace {

using onnx_detail::attribute_float;
using onnx_detail::attribute_int;
using onnx_detail::attribute_ints;
using onnx_detail::normalize_axis;
using onnx_detail::Value;

// The batch size put in place of a symbolic batch dimension while shapes are computed. Any value
// works; one unlike the other dimensions keeps error messages readable.
constexpr std::int64_t kSymbolicBatch = 11;

struct Info {
  bool defined = false;
  Shape shape;  // full, with the batch
  DType dtype = DType::fp32;
  bool is_static = true;       // the same for every sample: weights, constants, shape arithmetic
  std::optional<Value> value;  // known values of a static tensor
  bool parameter = false;      // a learned tensor (or a transpose of one), values not needed
  std::string root;            // the learned tensor it comes from, for tied weights
  // Non-static tensors: the axis holding the batch, whose extent is outer * batch * inner (outer and
  // inner are other dimensions merged with it by a reshape, e.g. [S*N, E] or [S, N*heads, d]).
  std::int64_t batch_axis = -1;
  std::int64_t outer = 1, inner = 1;
};

struct Fused {
  std::string name;
  Op op;
  std::vector<std::string> inputs;
  std::string output;
  std::string weight;  // Linear: the weight tensor, for tying
};

DType dtype_of_element(int type, DType network) {
  switch (type) {
    case onnx::TensorProto::INT64:
      return DType::int64;
    case onnx::TensorProto::INT32:
      return DType::int32;
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
      return DType::int8;
    default:
      return network;
  }
}

bool is_elementwise_unary(const std::string& op) {
  static constexpr std::string_view ops[] = {
      "Relu", "Sigmoid", "Tanh",       "Erf",   "Sqrt", "Clip", "Dropout", "Identity",           "Cast",
      "Neg",  "Softmax", "Reciprocal", "Floor", "Ceil", "Not",  "Trilu",   "LayerNormalization", "BatchNormalization"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

bool is_elementwise_binary(const std::string& op) {
  static constexpr std::string_view ops[] = {"Add",     "Sub",   "Mul", "Div", "Pow", "Equal", "Less",
                                             "Greater", "Where", "And", "Or",  "Mod", "Min",   "Max"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, const OnnxImportOptions& options, std::string name, std::string source)
      : graph_(model.graph()), options_(options), name_(std::move(name)), source_(std::move(source)) {}

  Network run() {
    index_graph();
    find_inputs();
    for (std::size_t i = 0; i < nodes(); ++i) {
      try {
        analyze(i);
      } catch (const ModelError& e) {
        throw ModelError("{} node '{}': {}", node(i).op_type(), node_name(i), e.what());
      }
    }
    consumed_.assign(nodes(), false);
    fuse_linear_bias();
    fuse_layer_norm();
    fuse_attention();
    fuse_gelu();
    return emit();
  }

 private:
  // ---- graph indexing ---------------------------------------------------------------------------
  std::size_t nodes() const { return static_cast<std::size_t>(graph_.node_size()); }
  const onnx::NodeProto& node(std::size_t i) const { return graph_.node(static_cast<int>(i)); }
  std::string node_name(std::size_t i) const {
    return node(i).name().empty() ? fmt::format("{}_{}", node(i).op_type(), i) : node(i).name();
  }
  const std::string& op(std::size_t i) const { return node(i).op_type(); }
  // A fused layer takes the name of the module that holds its nodes ("/blocks.0/ln_1/ReduceMean"
  // -> "/blocks.0/ln_1", as PyTorch's exporter names nodes), else the first node's name.
  std::string scope_name(std::size_t i) const {
    const std::string name = node_name(i);
    const auto slash = name.rfind('/');
    return slash == std::string::npos || slash == 0 ? name : name.substr(0, slash);
  }
  std::size_t n_in(std::size_t i) const { return static_cast<std::size_t>(node(i).input_size()); }
  const std::string& in_name(std::size_t i, std::size_t k) const { return node(i).input(static_cast<int>(k)); }
  bool has_in(std::size_t i, std::size_t k) const { return k < n_in(i) && !in_name(i, k).empty(); }
  const std::string& out_name(std::size_t i, std::size_t k = 0) const { return node(i).output(static_cast<int>(k)); }

  Info& info(const std::string& name) {
    const auto it = info_.find(name);
    if (it == info_.end() || !it->second.defined) throw ModelError("tensor '{}' is used before it is defined", name);
    return it->second;
  }
  Info& in(std::size_t i, std::size_t k) { return info(in_name(i, k)); }

  void index_graph() {
    for (const auto& init : graph_.initializer()) {
      Info t;
      t.defined = true;
      t.shape.assign(init.dims().begin(), init.dims().end());
      t.value = onnx_detail::read_tensor(init);
      t.parameter = true;
      t.root = init.name();
      info_[init.name()] = std::move(t);
    }
    for (std::size_t i = 0; i < nodes(); ++i) {
      for (const auto& name : node(i).input())
        if (!name.empty()) consumers_[name].push_back(i);
      for (const auto& name : node(i).output())
        if (!name.empty()) producer_[name] = i;
    }
    for (const auto& out : graph_.output()) graph_outputs_.insert(out.name());
  }

  // Whether some node uses `name` as a weight (so a graph input is a parameter, not data).
  bool used_as_weight(const std::string& name) const {
    const auto it = consumers_.find(name);
    if (it == consumers_.end()) return false;
    for (const std::size_t i : it->second) {
      const std::string& o = op(i);
      for (std::size_t k = 0; k < n_in(i); ++k) {
        if (in_name(i, k) != name) continue;
        if ((o == "Conv" || o == "Gemm" || o == "LayerNormalization" || o == "MatMul") && k >= 1) return true;
        if (o == "BatchNormalization" && k >= 1) return true;
        if (o == "Gather" && k == 0) return true;
        if (o == "Transpose" || o == "Identity") return true;
      }
    }
    return false;
  }

  void find_inputs() {
    std::set<std::string> initializers;
    for (const auto& init : graph_.initializer()) initializers.insert(init.name());
    std::vector<const onnx::ValueInfoProto*> candidates;
    for (const auto& input : graph_.input())
      if (!initializers.count(input.name())) candidates.push_back(&input);
    const auto symbolic = [](const onnx::TensorShapeProto_Dimension& d) {
      return !d.has_dim_value() || d.dim_value() < 1;
    };
    const auto dims_of = [](const onnx::ValueInfoProto& v) { return v.type().tensor_type().shape().dim(); };
    std::set<std::string> data;
    if (!options_.data_inputs.empty()) {
      for (const auto& name : options_.data_inputs) {
        if (std::none_of(candidates.begin(), candidates.end(), [&](auto* c) { return c->name() == name; }))
          throw ConfigError({}, "data_inputs", "'{}' is not a graph input of the model", name);
        data.insert(name);
      }
    } else {
      for (const auto* c : candidates)
        if (dims_of(*c).size() > 0 && symbolic(dims_of(*c)[0])) data.insert(c->name());
      if (data.empty())
        for (const auto* c : candidates)
          if (!used_as_weight(c->name())) data.insert(c->name());
    }
    if (data.empty()) throw ModelError("the model has no data input");
    batch_ = 0;
    for (const auto* c : candidates) {
      Info t;
      t.defined = true;
      t.dtype = dtype_of_element(c->type().tensor_type().elem_type(), options_.dtype);
      const bool is_data = data.count(c->name()) > 0;
      int axis = 0;
      for (const auto& d : dims_of(*c)) {
        if (symbolic(d)) {
          if (!is_data || axis != 0)
            throw ModelError(
                "input '{}' has a dynamic dimension {} at axis {}; only the leading (batch) dimension of "
                "a data input may be dynamic: export with static shapes",
                c->name(), d.has_dim_param() ? "'" + d.dim_param() + "'" : "(unnamed)", axis);
          t.shape.push_back(kSymbolicBatch);
        } else {
          t.shape.push_back(d.dim_value());
        }
        ++axis;
      }
      if (is_data) {
        if (t.shape.empty()) throw ModelError("data input '{}' is a scalar; expected a batch dimension", c->name());
        if (batch_ == 0) batch_ = t.shape[0];
        if (t.shape[0] != batch_)
          throw ModelError("data inputs disagree on the batch size: '{}' has {}, expected {}", c->name(), t.shape[0],
                           batch_);
        t.is_static = false;
        t.batch_axis = 0;
        data_inputs_.push_back(c->name());
      } else {
        t.parameter = true;
        t.root = c->name();
      }
      info_[c->name()] = std::move(t);
    }
  }

  // ---- pass 1: analysis -------------------------------------------------------------------------
  std::vector<std::int64_t> known_ints(std::size_t i, std::size_t k, std::string_view what) {
    const Info& t = in(i, k);
    if (!t.value)
      throw ModelError("its {} ('{}') is not known at import time (a dynamic shape); export with static shapes", what,
                       in_name(i, k));
    std::vector<std::int64_t> v;
    for (std::size_t e = 0; e < t.value->size(); ++e) v.push_back(t.value->integral(e));
    return v;
  }

  std::vector<std::int64_t> axes_of(std::size_t i, std::size_t input) {
    if (has_in(i, input)) return known_ints(i, input, "axes");
    return attribute_ints(node(i), "axes");
  }

  // Output shapes of node i (full shapes).
  std::vector<Shape> infer_shapes(std::size_t i) {
    const std::string& o = op(i);
    const auto& nd = node(i);
    const Shape& x = in(i, 0).shape;
    const auto rank = static_cast<std::int64_t>(x.size());
    if (o == "Conv" || o == "MaxPool" || o == "AveragePool") {
      if (rank != 4) throw ModelError("only 2-D {} (rank-4 input) is supported, got {}", o, shape_text(x));
      const auto auto_pad = onnx_detail::find_attribute(nd, "auto_pad");
      if (auto_pad != nullptr && auto_pad->s() != "NOTSET")
        throw ModelError("auto_pad '{}' is not supported; export with explicit pads", auto_pad->s());
      Shape kernel = attribute_ints(nd, "kernel_shape");
      std::int64_t channels = x[1];
      if (o == "Conv") {
        const Shape& w = in(i, 1).shape;
        kernel = {w.at(2), w.at(3)};
        channels = w.at(0);
      }
      Shape strides = attribute_ints(nd, "strides"), pads = attribute_ints(nd, "pads"),
            dilations = attribute_ints(nd, "dilations");
      if (strides.empty()) strides = {1, 1};
      if (pads.empty()) pads = {0, 0, 0, 0};
      if (dilations.empty()) dilations = {1, 1};
      const bool ceil = attribute_int(nd, "ceil_mode", 0) != 0;
      Shape out{x[0], channels};
      for (std::size_t a = 0; a < 2; ++a) {
        const std::int64_t span = x[2 + a] + pads[a] + pads[a + 2] - dilations[a] * (kernel.at(a) - 1) - 1;
        if (span < 0) throw ModelError("window does not fit input {}", shape_text(x));
        std::int64_t n = (ceil ? (span + strides[a] - 1) / strides[a] : span / strides[a]) + 1;
        if (ceil && (n - 1) * strides[a] >= x[2 + a] + pads[a]) --n;
        out.push_back(n);
      }
      return {out};
    }
    if (o == "GlobalAveragePool" || o == "GlobalMaxPool") {
      Shape out = x;
      for (std::size_t a = 2; a < out.size(); ++a) out[a] = 1;
      return {out};
    }
    if (is_elementwise_unary(o)) {
      std::vector<Shape> outs(static_cast<std::size_t>(nd.output_size()), x);
      return outs;
    }
    if (is_elementwise_binary(o)) {
      Shape out = x;
      for (std::size_t k = 1; k < n_in(i); ++k) out = onnx_detail::broadcast_shape(out, in(i, k).shape);
      return {out};
    }
    if (o == "Gemm") {
      const Shape& b = in(i, 1).shape;
      if (x.size() != 2 || b.size() != 2) throw ModelError("Gemm operands must be matrices");
      const bool ta = attribute_int(nd, "transA", 0) != 0, tb = attribute_int(nd, "transB", 0) != 0;
      return {{ta ? x[1] : x[0], tb ? b[0] : b[1]}};
    }
    if (o == "MatMul") {
      const Shape& b = in(i, 1).shape;
      if (x.size() < 2 || b.size() < 2) throw ModelError("MatMul of vectors is not supported");
      if (x.back() != b[b.size() - 2])
        throw ModelError("inner dimensions differ: {} x {}", shape_text(x), shape_text(b));
      Shape lead = onnx_detail::broadcast_shape(Shape(x.begin(), x.end() - 2), Shape(b.begin(), b.end() - 2));
      lead.push_back(x[x.size() - 2]);
      lead.push_back(b.back());
      return {lead};
    }
    if (o == "Flatten") {
      const std::int64_t axis = normalize_axis(attribute_int(nd, "axis", 1), rank + 1);
      const std::int64_t outer = element_count(Shape(x.begin(), x.begin() + axis));
      return {{outer, element_count(x) / outer}};
    }
    if (o == "Reshape")
      return {onnx_detail::reshape_target(x, known_ints(i, 1, "target shape"), attribute_int(nd, "allowzero", 0) != 0)};
    if (o == "Transpose") {
      std::vector<std::int64_t> perm = attribute_ints(nd, "perm");
      if (perm.empty())
        for (std::int64_t a = rank - 1; a >= 0; --a) perm.push_back(a);
      Shape out;
      for (const std::int64_t p : perm) out.push_back(x.at(static_cast<std::size_t>(p)));
      return {out};
    }
    if (o == "Unsqueeze") {
      std::vector<std::int64_t> axes = axes_of(i, 1);
      const auto r = static_cast<std::int64_t>(x.size() + axes.size());
      for (auto& a : axes) a = normalize_axis(a, r);
      std::sort(axes.begin(), axes.end());
      Shape out = x;
      for (const std::int64_t a : axes) out.insert(out.begin() + a, 1);
      return {out};
    }
    if (o == "Squeeze") {
      std::vector<std::int64_t> axes = axes_of(i, 1);
      for (auto& a : axes) a = normalize_axis(a, rank);
      Shape out;
      for (std::int64_t a = 0; a < rank; ++a) {
        const bool listed =
            axes.empty() ? x[static_cast<std::size_t>(a)] == 1 : std::find(axes.begin(), axes.end(), a) != axes.end();
        if (!listed) out.push_back(x[static_cast<std::size_t>(a)]);
      }
      return {out};
    }
    if (o == "Concat") {
      const auto axis = static_cast<std::size_t>(normalize_axis(attribute_int(nd, "axis", 0), rank));
      Shape out = x;
      for (std::size_t k = 1; k < n_in(i); ++k) out[axis] += in(i, k).shape.at(axis);
      return {out};
    }
    if (o == "Slice") {
      const SliceSpec s = slice_spec(i);
      Shape out = x;
      for (const auto& r : s) out[static_cast<std::size_t>(r.axis)] = r.length;
      return {out};
    }
    if (o == "Split") {
      const auto axis = static_cast<std::size_t>(normalize_axis(attribute_int(nd, "axis", 0), rank));
      std::vector<std::int64_t> sizes = has_in(i, 1) ? known_ints(i, 1, "split sizes") : attribute_ints(nd, "split");
      const auto parts = static_cast<std::int64_t>(nd.output_size());
      if (sizes.empty()) sizes.assign(static_cast<std::size_t>(parts), x[axis] / parts);
      std::vector<Shape> outs;
      for (const std::int64_t s : sizes) {
        Shape out = x;
        out[axis] = s;
        outs.push_back(out);
      }
      return outs;
    }
    if (o == "Gather") {
      const Shape& idx = in(i, 1).shape;
      const auto axis = normalize_axis(attribute_int(nd, "axis", 0), rank);
      Shape out(x.begin(), x.begin() + axis);
      out.insert(out.end(), idx.begin(), idx.end());
      out.insert(out.end(), x.begin() + axis + 1, x.end());
      return {out};
    }
    if (o == "Expand") {
      const auto target = known_ints(i, 1, "target shape");
      return {onnx_detail::broadcast_shape(x, Shape(target.begin(), target.end()))};
    }
    if (o == "ReduceMean") {
      std::vector<std::int64_t> axes = axes_of(i, 1);
      for (auto& a : axes) a = normalize_axis(a, rank);
      const bool keep = attribute_int(nd, "keepdims", 1) != 0;
      Shape out;
      for (std::int64_t a = 0; a < rank; ++a) {
        const bool reduced = axes.empty() || std::find(axes.begin(), axes.end(), a) != axes.end();
        if (!reduced)
          out.push_back(x[static_cast<std::size_t>(a)]);
        else if (keep)
          out.push_back(1);
      }
      return {out};
    }
    throw ModelError("unsupported operator");
  }

  struct SliceRange {
    std::int64_t axis, start, length;
  };
  using SliceSpec = std::vector<SliceRange>;

  SliceSpec slice_spec(std::size_t i) {
    const Shape& x = in(i, 0).shape;
    const auto rank = static_cast<std::int64_t>(x.size());
    std::vector<std::int64_t> starts, ends, axes, steps;
    if (has_in(i, 1)) {
      starts = known_ints(i, 1, "starts");
      ends = known_ints(i, 2, "ends");
      if (has_in(i, 3)) axes = known_ints(i, 3, "axes");
      if (has_in(i, 4)) steps = known_ints(i, 4, "steps");
    } else {
      starts = attribute_ints(node(i), "starts");
      ends = attribute_ints(node(i), "ends");
      axes = attribute_ints(node(i), "axes");
    }
    if (axes.empty())
      for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<std::int64_t>(k));
    SliceSpec spec;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      if (!steps.empty() && steps[k] != 1) throw ModelError("a Slice step other than 1 is not supported");
      const std::int64_t a = normalize_axis(axes[k], rank);
      const std::int64_t dim = x[static_cast<std::size_t>(a)];
      std::int64_t s = starts[k] < 0 ? starts[k] + dim : starts[k];
      std::int64_t e = ends[k] < 0 ? ends[k] + dim : ends[k];
      s = std::clamp<std::int64_t>(s, 0, dim);
      e = std::clamp<std::int64_t>(e, 0, dim);
      if (e <= s) throw ModelError("empty slice of axis {}", a);
      spec.push_back({a, s, e - s});
    }
    return spec;
  }

  // The batch axis of a reshape's output: the axis that holds the flat position of the batch.
  void track_reshape(const Info& src, Info& dst) const {
    const Shape& a = src.shape;
    const Shape& b = dst.shape;
    const std::int64_t before = element_count(Shape(a.begin(), a.begin() + src.batch_axis)) * src.outer;
    std::int64_t prefix = 1;
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (prefix * b[j] >= before * batch_) {
        if (before % prefix != 0 || b[j] % ((before / prefix) * batch_) != 0) break;
        dst.batch_axis = static_cast<std::int64_t>(j);
        dst.outer = before / prefix;
        dst.inner = b[j] / (dst.outer * batch_);
        return;
      }
      prefix *= b[j];
    }
    throw ModelError("cannot follow the batch dimension from {} to {}", shape_text(a), shape_text(b));
  }

  // The non-static input whose batch axis the output inherits, aligned to the output rank.
  void inherit_aligned(std::size_t i, Info& dst) {
    for (std::size_t k = 0; k < n_in(i); ++k) {
      if (!has_in(i, k) || in(i, k).is_static) continue;
      const Info& src = in(i, k);
      dst.batch_axis =
          src.batch_axis + static_cast<std::int64_t>(dst.shape.size()) - static_cast<std::int64_t>(src.shape.size());
      dst.outer = src.outer;
      dst.inner = src.inner;
      return;
    }
  }

  void analyze(std::size_t i) {
    const std::string& o = op(i);
    const auto& nd = node(i);
    std::vector<Info> outs(static_cast<std::size_t>(nd.output_size()));
    bool all_static = true;
    std::vector<const Value*> values;
    for (std::size_t k = 0; k < n_in(i); ++k) {
      if (!has_in(i, k)) {
        values.push_back(nullptr);
        continue;
      }
      const Info& t = in(i, k);
      all_static = all_static && t.is_static;
      values.push_back(t.value ? &*t.value : nullptr);
    }
    if (o == "Constant") {
      outs[0].value = onnx_detail::evaluate(nd, values);
      if (!outs[0].value) throw ModelError("its value cannot be read");
      outs[0].shape = outs[0].value->dims;
    } else if (o == "Shape" || o == "Size") {
      const Shape& x = in(i, 0).shape;
      Value v;
      v.integer = true;
      if (o == "Size") {
        v.ints = {element_count(x)};
      } else {
        const auto rank = static_cast<std::int64_t>(x.size());
        std::int64_t start = attribute_int(nd, "start", 0), end = attribute_int(nd, "end", rank);
        start = std::clamp<std::int64_t>(start < 0 ? start + rank : start, 0, rank);
        end = std::clamp<std::int64_t>(end < 0 ? end + rank : end, 0, rank);
        v.ints.assign(x.begin() + start, x.begin() + std::max(start, end));
        v.dims = {static_cast<std::int64_t>(v.ints.size())};
      }
      outs[0].shape = v.dims;
      outs[0].value = std::move(v);
    } else if (o == "ConstantOfShape" || o == "Range") {
      if (!all_static) throw ModelError("its shape depends on the data (a dynamic shape)");
      outs[0].value = onnx_detail::evaluate(nd, values);
      if (!outs[0].value) throw ModelError("its inputs are not known at import time (a dynamic shape)");
      outs[0].shape = outs[0].value->dims;
    } else {
      const std::vector<Shape> shapes = infer_shapes(i);
      for (std::size_t k = 0; k < outs.size() && k < shapes.size(); ++k) outs[k].shape = shapes[k];
      const Info& x = in(i, 0);
      if (all_static) {
        bool creates_batch = false;
        if (o == "Expand" && x.parameter && !x.value && batch_ > 1 && !outs[0].shape.empty() &&
            outs[0].shape[0] == batch_) {
          creates_batch = true;  // a learned tensor broadcast over the batch (ViT's class token)
          outs[0].is_static = false;
          outs[0].batch_axis = 0;
        }
        if (!creates_batch) {
          if (outs.size() == 1) outs[0].value = onnx_detail::evaluate(nd, values);
          if ((o == "Transpose" || o == "Identity" || o == "Cast" || o == "Unsqueeze" || o == "Reshape") &&
              x.parameter) {
            outs[0].parameter = true;
            // The exporter merges parameters with equal values into one and writes Identity for the
            // others: distinct learned tensors, so an Identity starts a new root.
            outs[0].root = o == "Identity" ? out_name(i) : x.root;
          }
        }
      } else {
        for (auto& out : outs) out.is_static = false;
        batch_rule(i, outs);
      }
    }
    for (std::size_t k = 0; k < outs.size(); ++k) {
      if (out_name(i, k).empty()) continue;
      outs[k].defined = true;
      if (outs[k].value) {
        outs[k].is_static = true;
        outs[k].dtype = outs[k].value->integer ? DType::int64 : options_.dtype;
      } else if (n_in(i) > 0 && has_in(i, 0)) {
        outs[k].dtype = in(i, 0).dtype;
      }
      if (o == "Cast" && !outs[k].is_static)
        outs[k].dtype = dtype_of_element(static_cast<int>(attribute_int(nd, "to", 1)), options_.dtype);
      info_[out_name(i, k)] = std::move(outs[k]);
    }
  }

  void batch_rule(std::size_t i, std::vector<Info>& outs) {
    const std::string& o = op(i);
    const auto& nd = node(i);
    Info& x = in(i, 0);
    Info& y = outs[0];
    if (o == "Reshape" || o == "Flatten" || o == "Squeeze" || o == "Unsqueeze") {
      if (x.is_static) throw ModelError("reshaping a per-sample shape tensor is not supported");
      track_reshape(x, y);
    } else if (o == "Transpose") {
      const std::vector<std::int64_t> perm = attribute_ints(nd, "perm");
      const auto rank = static_cast<std::int64_t>(x.shape.size());
      for (std::int64_t a = 0; a < rank; ++a) {
        const std::int64_t p = perm.empty() ? rank - 1 - a : perm[static_cast<std::size_t>(a)];
        if (p == x.batch_axis) y.batch_axis = a;
      }
      y.outer = x.outer;
      y.inner = x.inner;
    } else if (o == "Gather") {
      const auto axis = normalize_axis(attribute_int(nd, "axis", 0), static_cast<std::int64_t>(x.shape.size()));
      const Info& idx = in(i, 1);
      if (x.is_static) {  // an embedding lookup: the batch comes from the indices
        y.batch_axis = axis + idx.batch_axis;
        y.outer = idx.outer;
        y.inner = idx.inner;
      } else {
        if (!idx.is_static) throw ModelError("gathering with per-sample indices from per-sample data is not supported");
        if (axis == x.batch_axis) throw ModelError("gathering along the batch axis is not supported");
        const auto idx_rank = static_cast<std::int64_t>(idx.shape.size());
        y.batch_axis = x.batch_axis < axis ? x.batch_axis : x.batch_axis - 1 + idx_rank;
        y.outer = x.outer;
        y.inner = x.inner;
      }
    } else if (o == "ReduceMean") {
      std::vector<std::int64_t> axes = axes_of(i, 1);
      const auto rank = static_cast<std::int64_t>(x.shape.size());
      for (auto& a : axes) a = normalize_axis(a, rank);
      if (axes.empty() || std::find(axes.begin(), axes.end(), x.batch_axis) != axes.end())
        throw ModelError("reducing over the batch axis is not supported");
      const bool keep = attribute_int(nd, "keepdims", 1) != 0;
      y.batch_axis = x.batch_axis;
      if (!keep)
        y.batch_axis -= std::count_if(axes.begin(), axes.end(), [&](std::int64_t a) { return a < x.batch_axis; });
      y.outer = x.outer;
      y.inner = x.inner;
    } else if (o == "Slice" || o == "Split" || o == "Concat") {
      inherit_aligned(i, y);
      for (auto& out : outs) {
        out.batch_axis = y.batch_axis;
        out.outer = y.outer;
        out.inner = y.inner;
        if (out.shape.at(static_cast<std::size_t>(y.batch_axis)) !=
                in(i, 0).shape.at(static_cast<std::size_t>(y.batch_axis)) &&
            o != "Concat")
          throw ModelError("slicing along the batch axis is not supported");
      }
      if (o == "Concat" &&
          normalize_axis(attribute_int(nd, "axis", 0), static_cast<std::int64_t>(y.shape.size())) == y.batch_axis)
        throw ModelError("concatenating along the batch axis is not supported");
    } else if (o == "Gemm" || o == "Conv" || o == "MaxPool" || o == "AveragePool" || o == "GlobalAveragePool" ||
               o == "GlobalMaxPool") {
      if (x.is_static || x.batch_axis != 0) throw ModelError("the batch must be the first axis of its input");
      for (std::size_t k = 1; k < n_in(i); ++k)
        if (has_in(i, k) && !in(i, k).is_static) throw ModelError("per-sample weights are not supported");
      y.batch_axis = 0;
      y.outer = x.outer;
      y.inner = x.inner;
    } else {
      for (auto& out : outs) inherit_aligned(i, out);
    }
    for (auto& out : outs)
      if (out.batch_axis < 0 || out.batch_axis >= static_cast<std::int64_t>(out.shape.size()))
        throw ModelError("lost track of the batch dimension");
  }

  // ---- helpers on analysed tensors --------------------------------------------------------------
  bool pure(const Info& t) const { return t.outer == 1 && t.inner == 1; }

  Shape per_sample(const Info& t) const {
    if (t.is_static || t.batch_axis < 0) return t.shape;
    Shape s = t.shape;
    if (pure(t))
      s.erase(s.begin() + t.batch_axis);
    else
      s[static_cast<std::size_t>(t.batch_axis)] = t.outer * t.inner;
    return s;
  }
  Shape per_sample(const std::string& name) { return per_sample(info(name)); }

  // The per-sample axis of full axis `axis` of t (which must not be the batch axis when pure).
  std::int64_t sample_axis(const Info& t, std::int64_t axis) const {
    axis = normalize_axis(axis, static_cast<std::int64_t>(t.shape.size()));
    if (pure(t) && axis == t.batch_axis) throw ModelError("the operation runs along the batch axis");
    return pure(t) && t.batch_axis < axis ? axis - 1 : axis;
  }

  std::optional<double> scalar(const std::string& name) {
    const auto it = info_.find(name);
    if (it == info_.end() || !it->second.value || it->second.value->size() != 1) return std::nullopt;
    return it->second.value->real(0);
  }
  bool is_static(const std::string& name) { return info(name).is_static; }
  bool is_weight(const std::string& name) {
    const Info& t = info(name);
    return t.is_static && (t.parameter || t.value);
  }

  // The node consuming `name`, when it has exactly one consumer, is not a graph output and is free.
  std::optional<std::size_t> sole_consumer(const std::string& name) const {
    if (graph_outputs_.count(name)) return std::nullopt;
    const auto it = consumers_.find(name);
    if (it == consumers_.end() || it->second.size() != 1 || consumed_[it->second[0]]) return std::nullopt;
    return it->second[0];
  }
  std::optional<std::size_t> producer(const std::string& name) const {
    const auto it = producer_.find(name);
    if (it == producer_.end() || consumed_[it->second]) return std::nullopt;
    return it->second;
  }
  // For a binary node with `name` as one input, the other input.
  std::string other_input(std::size_t i, const std::string& name) const {
    if (n_in(i) != 2) return {};
    return in_name(i, 0) == name ? in_name(i, 1) : in_name(i, 1) == name ? in_name(i, 0) : std::string{};
  }

  void mark(const std::vector<std::size_t>& group, Fused fused) {
    const std::size_t anchor = *std::max_element(group.begin(), group.end());
    for (const std::size_t i : group) consumed_[i] = true;
    fused_.emplace(anchor, std::move(fused));
  }

  // ---- pass 2: fusion ---------------------------------------------------------------------------
  // MatMul(x, W) + b -> Linear with bias.
  void fuse_linear_bias() {
    for (std::size_t i = 0; i < nodes(); ++i) {
      if (consumed_[i] || op(i) != "MatMul" || is_static(out_name(i)) || is_static(in_name(i, 0))) continue;
      if (!is_weight(in_name(i, 1)) || info(in_name(i, 1)).shape.size() != 2) continue;
      const auto add = sole_consumer(out_name(i));
      if (!add || op(*add) != "Add") continue;
      const std::string bias = other_input(*add, out_name(i));
      if (bias.empty() || !is_weight(bias)) continue;
      const Shape& w = info(in_name(i, 1)).shape;
      if (element_count(info(bias).shape) != w[1]) continue;
      mark({i, *add}, {node_name(i),
                       Linear{.in_features = w[0], .out_features = w[1], .bias = true},
                       {in_name(i, 0)},
                       out_name(*add),
                       in_name(i, 1)});
    }
  }

  // ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div[-Mul-Add] -> LayerNorm.
  void fuse_layer_norm() {
    const auto last_axis_mean = [&](std::size_t i) {
      if (op(i) != "ReduceMean") return false;
      const auto axes = axes_of(i, 1);
      const auto rank = static_cast<std::int64_t>(in(i, 0).shape.size());
      return axes.size() == 1 && normalize_axis(axes[0], rank) == rank - 1 &&
             attribute_int(node(i), "keepdims", 1) != 0;
    };
    for (std::size_t r1 = 0; r1 < nodes(); ++r1) {
      if (consumed_[r1] || !last_axis_mean(r1) || is_static(in_name(r1, 0))) continue;
      const std::string x = in_name(r1, 0);
      const auto sub = sole_consumer(out_name(r1));
      if (!sub || op(*sub) != "Sub" || in_name(*sub, 0) != x || in_name(*sub, 1) != out_name(r1)) continue;
      const std::string d = out_name(*sub);
      const auto it = consumers_.find(d);
      if (it == consumers_.end() || it->second.size() != 2 || graph_outputs_.count(d)) continue;
      std::optional<std::size_t> pow, div;
      for (const std::size_t c : it->second) {
        if (op(c) == "Pow" && in_name(c, 0) == d && scalar(in_name(c, 1)) == 2.0) pow = c;
        if (op(c) == "Mul" && in_name(c, 0) == d && in_name(c, 1) == d) pow = c;
        if (op(c) == "Div" && in_name(c, 0) == d) div = c;
      }
      if (!pow || !div) continue;
      const auto r2 = sole_consumer(out_name(*pow));
      if (!r2 || !last_axis_mean(*r2)) continue;
      const auto eps = sole_consumer(out_name(*r2));
      if (!eps || op(*eps) != "Add" || !scalar(other_input(*eps, out_name(*r2)))) continue;
      const auto sqrt = sole_consumer(out_name(*eps));
      if (!sqrt || op(*sqrt) != "Sqrt" || in_name(*div, 1) != out_name(*sqrt)) continue;
      std::vector<std::size_t> group{r1, *sub, *pow, *r2, *eps, *sqrt, *div};
      std::string out = out_name(*div);
      const auto affine = [&](const char* kind) {
        const auto n = sole_consumer(out);
        if (!n || op(*n) != kind) return;
        const std::string w = other_input(*n, out);
        if (w.empty() || !is_weight(w)) return;
        group.push_back(*n);
        out = out_name(*n);
      };
      affine("Mul");
      affine("Add");
      mark(group, {scope_name(r1), LayerNorm{info(x).shape.back()}, {x}, out, {}});
    }
  }

  // Walks from `name` through head split/merge data movement (and a scalar scale) until a tensor
  // of per-sample rank 2 ([S, E]); `backward` follows producers, otherwise sole consumers.
  std::optional<std::string> walk(std::string name, bool backward, std::vector<std::size_t>& group) {
    static constexpr std::string_view movers[] = {"Transpose", "Reshape", "Squeeze", "Unsqueeze", "Identity",
                                                  "Dropout",   "Div",     "Mul",     "Cast"};
    for (int steps = 0; steps < 8; ++steps) {
      if (per_sample(name).size() == 2) return name;
      const auto n = backward ? producer(name) : sole_consumer(name);
      if (!n || std::find(std::begin(movers), std::end(movers), op(*n)) == std::end(movers)) return std::nullopt;
      std::string next = backward ? in_name(*n, 0) : out_name(*n);
      if (op(*n) == "Div" || op(*n) == "Mul") {  // a scale folded into Q or K
        if (!scalar(in_name(*n, 1)) && !(op(*n) == "Mul" && scalar(in_name(*n, 0)))) return std::nullopt;
        if (backward && scalar(next)) next = in_name(*n, 1);
      }
      if (backward && !forward_only_to(out_name(*n), group)) return std::nullopt;
      group.push_back(*n);
      name = next;
    }
    return std::nullopt;
  }
  // Whether every consumer of `name` is in `group` or is the node about to be added (backward walks
  // must not swallow a tensor used elsewhere).
  bool forward_only_to(const std::string& name, const std::vector<std::size_t>& group) const {
    if (graph_outputs_.count(name)) return false;
    const auto it = consumers_.find(name);
    if (it == consumers_.end()) return true;
    return std::all_of(it->second.begin(), it->second.end(),
                       [&](std::size_t c) { return std::find(group.begin(), group.end(), c) != group.end(); });
  }

  // MatMul(Q, Kᵀ) [scale] [+ mask] Softmax MatMul(·, V) between head split and merge -> Attention.
  void fuse_attention() {
    for (std::size_t s = 0; s < nodes(); ++s) {
      if (consumed_[s] || op(s) != "Softmax" || is_static(in_name(s, 0))) continue;
      const Info& scores_info = in(s, 0);
      if (normalize_axis(attribute_int(node(s), "axis", -1), static_cast<std::int64_t>(scores_info.shape.size())) !=
          static_cast<std::int64_t>(scores_info.shape.size()) - 1)
        continue;
      std::vector<std::size_t> group{s};
      std::string t = in_name(s, 0);
      std::optional<Value> mask;
      bool has_mask = false;
      auto p = producer(t);
      if (p && op(*p) == "Add" && forward_only_to(t, group)) {
        const std::string a = in_name(*p, 0), b = in_name(*p, 1);
        const bool a_scores =
            producer(a) && (op(*producer(a)) == "MatMul" || op(*producer(a)) == "Div" || op(*producer(a)) == "Mul");
        const std::string m = a_scores ? b : a;
        has_mask = true;
        if (info(m).value) mask = info(m).value;
        group.push_back(*p);
        t = a_scores ? a : b;
        p = producer(t);
      }
      if (p && (op(*p) == "Div" || op(*p) == "Mul") && scalar(in_name(*p, 1)) && forward_only_to(t, group)) {
        group.push_back(*p);
        t = in_name(*p, 0);
        p = producer(t);
      }
      if (!p || op(*p) != "MatMul" || !forward_only_to(t, group)) continue;
      const std::size_t m1 = *p;
      group.push_back(m1);
      std::string probs = out_name(s);
      std::optional<std::size_t> m2;
      for (int steps = 0; steps < 3; ++steps) {
        const auto c = sole_consumer(probs);
        if (!c) break;
        if (op(*c) == "MatMul" && in_name(*c, 0) == probs) {
          m2 = c;
          break;
        }
        if (op(*c) != "Dropout" && op(*c) != "Identity" && op(*c) != "Cast") break;
        group.push_back(*c);
        probs = out_name(*c);
      }
      if (!m2 || is_static(in_name(m1, 0)) || is_static(in_name(m1, 1)) || is_static(in_name(*m2, 1))) continue;
      group.push_back(*m2);
      const auto q = walk(in_name(m1, 0), true, group);
      const auto k = walk(in_name(m1, 1), true, group);
      const auto v = walk(in_name(*m2, 1), true, group);
      const auto out = walk(out_name(*m2), false, group);
      if (!q || !k || !v || !out) continue;
      const Shape sq = per_sample(*q), sk = per_sample(*k), sv = per_sample(*v), so = per_sample(*out);
      if (sk != sv || sq.back() != sk.back() || so != sq) continue;
      const std::int64_t per_head = sq[0] * sk[0];
      const std::int64_t heads = element_count(per_sample(scores_info)) / per_head;
      if (heads < 1 || heads * per_head != element_count(per_sample(scores_info)) || sq[1] % heads != 0) continue;
      bool causal = false;
      if (has_mask && mask && mask->dims.size() >= 2) {
        const std::int64_t rows = mask->dims[mask->dims.size() - 2], cols = mask->dims.back();
        causal = rows == sq[0] && cols == sk[0] && rows == cols;
        for (std::size_t e = 0; causal && e < mask->size(); ++e) {
          const auto flat = static_cast<std::int64_t>(e);
          const std::int64_t r = (flat / cols) % rows, c = flat % cols;
          const double m = mask->real(e);
          causal = c > r ? m <= -1e4 : m == 0.0;
        }
      }
      mark(group, {scope_name(s), Attention{.heads = heads, .causal = causal}, {*q, *k, *v}, *out, {}});
    }
  }

  // x·½·(1 + erf(x/√2)) -> gelu; x·½·(1 + tanh(√(2/π)(x + 0.044715x³))) -> gelu_tanh.
  void fuse_gelu() {
    for (std::size_t e = 0; e < nodes(); ++e) {
      if (consumed_[e] || (op(e) != "Erf" && op(e) != "Tanh") || is_static(in_name(e, 0))) continue;
      std::vector<std::size_t> group{e};
      std::string cur = out_name(e), x;
      bool plus_one = false, times_x = false, half = false;
      for (int steps = 0; steps < 3 && !(plus_one && times_x && half); ++steps) {
        const auto n = sole_consumer(cur);
        if (!n || (op(*n) != "Add" && op(*n) != "Mul")) break;
        const std::string other = other_input(*n, cur);
        if (other.empty()) break;
        if (const auto c = scalar(other)) {
          if (op(*n) == "Add" && *c == 1.0)
            plus_one = true;
          else if (op(*n) == "Mul" && std::abs(*c - 0.5) < 1e-6)
            half = true;
          else
            break;
        } else if (op(*n) == "Mul" && !times_x) {
          times_x = true;
          x = other;
          const auto h = producer(other);
          if (h && op(*h) == "Mul" && scalar(in_name(*h, 1)) && std::abs(*scalar(in_name(*h, 1)) - 0.5) < 1e-6 &&
              consumers_.at(other).size() == 1) {
            half = true;
            x = in_name(*h, 0);
            group.push_back(*h);
          }
        } else {
          break;
        }
        group.push_back(*n);
        cur = out_name(*n);
      }
      if (!(plus_one && times_x && half)) continue;
      // The argument of erf / tanh must be a function of x alone, through these nodes.
      std::vector<std::size_t> inner;
      if (!argument_of(in_name(e, 0), x, inner) || inner.empty()) continue;
      if (op(e) == "Tanh" && inner.size() < 3) continue;  // √(2/π)(x + 0.044715·x³) takes at least three
      group.insert(group.end(), inner.begin(), inner.end());
      const bool escapes =
          std::any_of(inner.begin(), inner.end(), [&](std::size_t n) { return !forward_only_to(out_name(n), group); });
      if (escapes) continue;
      mark(group,
           {node_name(e), Activation{op(e) == "Erf" ? ActivationKind::gelu : ActivationKind::gelu_tanh}, {x}, cur, {}});
    }
  }
  bool argument_of(const std::string& name, const std::string& x, std::vector<std::size_t>& nodes_out) {
    if (name == x || scalar(name)) return true;
    const auto p = producer(name);
    if (!p) return false;
    static constexpr std::string_view ops[] = {"Mul", "Add", "Div", "Pow"};
    if (std::find(std::begin(ops), std::end(ops), op(*p)) == std::end(ops)) return false;
    if (std::find(nodes_out.begin(), nodes_out.end(), *p) == nodes_out.end()) nodes_out.push_back(*p);
    for (std::size_t k = 0; k < n_in(*p); ++k)
      if (!argument_of(in_name(*p, k), x, nodes_out)) return false;
    return nodes_out.size() <= 8;
  }

  // ---- pass 3: emission -------------------------------------------------------------------------
  std::string unique(std::string name) {
    std::string candidate = name;
    for (int k = 1; used_names_.count(candidate); ++k) candidate = fmt::format("{}_{}", name, k);
    used_names_.insert(candidate);
    return candidate;
  }

  // The per-sample tensor for an activation operand; a learned tensor used as an operand becomes a
  // Parameter layer, shaped as it broadcasts against `context` (its batch position dropped).
  TensorId operand(GraphBuilder& g, const std::string& name, const Info& context) {
    if (const auto it = ids_.find(name); it != ids_.end()) return it->second;
    const Info& t = info(name);
    if (!t.is_static) throw ModelError("tensor '{}' has no layer (internal error)", name);
    if (!t.parameter) throw ModelError("a constant operand ('{}') is not supported", name);
    Shape s = t.shape;
    const std::int64_t offset = static_cast<std::int64_t>(context.shape.size()) - static_cast<std::int64_t>(s.size());
    const std::int64_t at = context.batch_axis - offset;
    if (context.batch_axis >= 0 && pure(context) && at >= 0 && at < static_cast<std::int64_t>(s.size())) {
      if (s[static_cast<std::size_t>(at)] != 1)
        throw ModelError("learned tensor '{}' varies along the batch axis", name);
      s.erase(s.begin() + at);
    }
    const TensorId id = g.add(unique(t.root.empty() ? name : t.root), Parameter{s}, {});
    ids_[name] = id;
    return id;
  }

  TensorId add_layer(GraphBuilder& g, std::size_t i, const std::string& name, Op op_, std::vector<TensorId> inputs,
                     const std::string& output) {
    last_layer_ = unique(name);
    const TensorId id = g.add(last_layer_, std::move(op_), std::move(inputs));
    const Shape expected = per_sample(output);
    if (g.shape(id) != expected)
      throw ModelError("{} node '{}': the layer's per-sample output {} differs from the model's {}", op(i),
                       node_name(i), shape_text(g.shape(id)), shape_text(expected));
    ids_[output] = id;
    return id;
  }

  void alias(const std::string& from, const std::string& to) { ids_[to] = ids_.at(from); }

  std::string tie_for(const std::string& weight) {
    const Info& w = info(weight);
    if (w.root.empty()) return {};
    const auto it = weight_owner_.find(w.root);
    return it == weight_owner_.end() ? std::string{} : it->second;
  }

  Op linear_op(const Fused& f) {
    Linear l = std::get<Linear>(f.op);
    l.tied_to = tie_for(f.weight);
    return l;
  }

  Network emit() {
    GraphBuilder g(name_, source_, options_.dtype);
    for (const auto& name : data_inputs_) {
      const Info& t = info(name);
      ids_[name] = g.input(unique(name), per_sample(t), t.dtype);
    }
    for (std::size_t i = 0; i < nodes(); ++i) {
      try {
        if (const auto f = fused_.find(i); f != fused_.end()) {
          emit_fused(g, i, f->second);
          continue;
        }
        if (consumed_[i]) continue;
        if (nd_static(i)) continue;
        emit_node(g, i);
      } catch (const ModelError& e) {
        throw ModelError("{} node '{}': {}", op(i), node_name(i), e.what());
      }
    }
    std::vector<TensorId> outputs;
    for (const auto& out : graph_.output()) {
      const auto it = ids_.find(out.name());
      if (it == ids_.end()) throw ModelError("graph output '{}' does not depend on the inputs", out.name());
      outputs.push_back(it->second);
    }
    return std::move(g).finish(outputs);
  }

  bool nd_static(std::size_t i) {
    for (const auto& out : node(i).output())
      if (!out.empty() && !info(out).is_static) return false;
    return true;
  }

  void emit_fused(GraphBuilder& g, std::size_t i, const Fused& f) {
    std::vector<TensorId> inputs;
    for (const auto& name : f.inputs) inputs.push_back(operand(g, name, info(f.output)));
    const bool linear = std::holds_alternative<Linear>(f.op);
    add_layer(g, i, f.name, linear ? linear_op(f) : f.op, std::move(inputs), f.output);
    if (linear && !info(f.weight).root.empty() && !weight_owner_.count(info(f.weight).root))
      weight_owner_[info(f.weight).root] = last_layer_;
  }

  [[noreturn]] void unsupported(std::string_view why) {
    throw ModelError("{}", why.empty() ? std::string("unsupported operator") : std::string(why));
  }

  void emit_node(GraphBuilder& g, std::size_t i) {
    const std::string& o = op(i);
    const auto& nd = node(i);
    const std::string name = node_name(i);
    const std::string& y = out_name(i);
    const Info& yi = info(y);
    const auto x = [&](std::size_t k) { return operand(g, in_name(i, k), yi); };
    const auto same_shape_alias = [&](std::size_t k) {
      const TensorId id = x(k);
      if (g.shape(id) != per_sample(y)) return false;
      ids_[y] = id;
      return true;
    };
    if (o == "Identity" || o == "Dropout" || o == "Cast") {
      if (!same_shape_alias(0)) unsupported("");
      return;
    }
    if (o == "Conv") {
      const Shape& w = in(i, 1).shape;
      Shape pads = attribute_ints(nd, "pads"), strides = attribute_ints(nd, "strides"),
            dilations = attribute_ints(nd, "dilations");
      if (pads.empty()) pads = {0, 0, 0, 0};
      if (strides.empty()) strides = {1, 1};
      if (dilations.empty()) dilations = {1, 1};
      if (pads[0] != pads[2] || pads[1] != pads[3]) unsupported("asymmetric padding is not supported");
      const std::int64_t groups = attribute_int(nd, "group", 1);
      const Conv2d c{.in_channels = w[1] * groups,
                     .out_channels = w[0],
                     .kernel = {w[2], w[3]},
                     .stride = {strides[0], strides[1]},
                     .padding = {pads[0], pads[1]},
                     .dilation = {dilations[0], dilations[1]},
                     .groups = groups,
                     .bias = has_in(i, 2)};
      add_layer(g, i, name, c, {x(0)}, y);
      return;
    }
    if (o == "MaxPool" || o == "AveragePool") {
      Shape pads = attribute_ints(nd, "pads"), strides = attribute_ints(nd, "strides");
      const Shape kernel = attribute_ints(nd, "kernel_shape");
      if (pads.empty()) pads = {0, 0, 0, 0};
      if (strides.empty()) strides = {1, 1};
      if (pads[0] != pads[2] || pads[1] != pads[3]) unsupported("asymmetric padding is not supported");
      for (const std::int64_t d : attribute_ints(nd, "dilations"))
        if (d != 1) unsupported("dilated pooling is not supported");
      const Pool2d p{.kind = o == "MaxPool" ? PoolKind::max : PoolKind::avg,
                     .kernel = {kernel.at(0), kernel.at(1)},
                     .stride = {strides[0], strides[1]},
                     .padding = {pads[0], pads[1]},
                     .ceil_mode = attribute_int(nd, "ceil_mode", 0) != 0};
      add_layer(g, i, name, p, {x(0)}, y);
      return;
    }
    if (o == "GlobalAveragePool" || o == "GlobalMaxPool") {
      add_layer(g, i, name,
                AdaptivePool2d{.kind = o == "GlobalMaxPool" ? PoolKind::max : PoolKind::avg, .output = {1, 1}}, {x(0)},
                y);
      return;
    }
    if (o == "BatchNormalization") {
      add_layer(g, i, name, BatchNorm{in(i, 1).shape.at(0)}, {x(0)}, y);
      return;
    }
    if (o == "LayerNormalization") {
      const auto rank = static_cast<std::int64_t>(in(i, 0).shape.size());
      if (normalize_axis(attribute_int(nd, "axis", -1), rank) != rank - 1)
        unsupported("LayerNormalization over more than the last axis is not supported");
      add_layer(g, i, name, LayerNorm{in(i, 0).shape.back()}, {x(0)}, y);
      return;
    }
    if (o == "Relu" || o == "Sigmoid" || o == "Tanh") {
      const ActivationKind kind = o == "Relu"      ? ActivationKind::relu
                                  : o == "Sigmoid" ? ActivationKind::sigmoid
                                                   : ActivationKind::tanh;
      add_layer(g, i, name, Activation{kind}, {x(0)}, y);
      return;
    }
    if (o == "Clip") {
      std::optional<double> lo, hi;
      if (has_in(i, 1)) lo = scalar(in_name(i, 1));
      if (has_in(i, 2)) hi = scalar(in_name(i, 2));
      if (!has_in(i, 1) && onnx_detail::find_attribute(nd, "min")) lo = attribute_float(nd, "min", 0);
      if (!has_in(i, 2) && onnx_detail::find_attribute(nd, "max")) hi = attribute_float(nd, "max", 0);
      if (lo == 0.0 && hi == 6.0)
        add_layer(g, i, name, Activation{ActivationKind::relu6}, {x(0)}, y);
      else if (lo == 0.0 && (!hi || std::isinf(*hi)))
        add_layer(g, i, name, Activation{ActivationKind::relu}, {x(0)}, y);
      else
        unsupported("Clip other than to [0, 6] (ReLU6) or [0, inf) (ReLU) is not supported");
      return;
    }
    if (o == "Softmax") {
      add_layer(g, i, name, Softmax{sample_axis(in(i, 0), attribute_int(nd, "axis", -1))}, {x(0)}, y);
      return;
    }
    if (o == "Add") {
      const TensorId a = x(0), b = x(1);
      if (g.shape(a) != g.shape(b))
        unsupported(fmt::format("adding {} and {} needs broadcasting, which is not supported", shape_text(g.shape(a)),
                                shape_text(g.shape(b))));
      add_layer(g, i, name, Add{}, {a, b}, y);
      return;
    }
    if (o == "Concat") {
      std::vector<TensorId> parts;
      for (std::size_t k = 0; k < n_in(i); ++k) parts.push_back(x(k));
      add_layer(g, i, name, Concat{sample_axis(yi, attribute_int(nd, "axis", 0))}, std::move(parts), y);
      return;
    }
    if (o == "Gemm") {
      if (attribute_int(nd, "transA", 0) != 0) unsupported("Gemm with transA is not supported");
      const bool tb = attribute_int(nd, "transB", 0) != 0;
      if (is_weight(in_name(i, 1))) {
        const Shape& w = in(i, 1).shape;
        Fused f{name,
                Linear{.in_features = tb ? w[1] : w[0], .out_features = tb ? w[0] : w[1], .bias = has_in(i, 2)},
                {in_name(i, 0)},
                y,
                in_name(i, 1)};
        emit_fused(g, i, f);
      } else {
        if (has_in(i, 2)) unsupported("Gemm of two activations with a bias is not supported");
        add_layer(g, i, name, MatMul{.transpose_b = tb}, {x(0), x(1)}, y);
      }
      return;
    }
    if (o == "MatMul") {
      if (is_weight(in_name(i, 1)) && in(i, 1).shape.size() == 2) {
        const Shape& w = in(i, 1).shape;
        emit_fused(g, i,
                   {name,
                    Linear{.in_features = w[0], .out_features = w[1], .bias = false},
                    {in_name(i, 0)},
                    y,
                    in_name(i, 1)});
      } else if (is_static(in_name(i, 0)) || is_static(in_name(i, 1))) {
        unsupported("MatMul with a learned left operand or a batched weight is not supported");
      } else {
        add_layer(g, i, name, MatMul{}, {x(0), x(1)}, y);
      }
      return;
    }
    if (o == "Gather") {
      if (is_static(in_name(i, 0))) {
        const Shape& table = in(i, 0).shape;
        if (table.size() != 2 || attribute_int(nd, "axis", 0) != 0 || !info(in_name(i, 0)).parameter)
          unsupported("only embedding lookups (rows of a learned 2-D table) gather per-sample indices");
        add_layer(g, i, name, Embedding{table[0], table[1]}, {x(1)}, y);
        const std::string& root = info(in_name(i, 0)).root;
        if (!root.empty() && !weight_owner_.count(root)) weight_owner_[root] = last_layer_;
        return;
      }
      const Info& data = in(i, 0);
      const Info& idx = in(i, 1);
      if (!idx.value) unsupported("gathering with indices not known at import time is not supported");
      const std::int64_t axis =
          normalize_axis(attribute_int(nd, "axis", 0), static_cast<std::int64_t>(data.shape.size()));
      const std::int64_t extent = data.shape[static_cast<std::size_t>(axis)];
      std::vector<std::int64_t> picks;
      for (std::size_t e = 0; e < idx.value->size(); ++e) {
        const std::int64_t j = idx.value->integral(e);
        picks.push_back(j < 0 ? j + extent : j);
      }
      for (std::size_t e = 1; e < picks.size(); ++e)
        if (picks[e] != picks[0] + static_cast<std::int64_t>(e))
          unsupported("only contiguous Gather indices are supported");
      TensorId id = g.add(
          unique(name + (idx.shape.empty() ? "/slice" : "")),
          Slice{
              .axis = sample_axis(data, axis), .start = picks.at(0), .length = static_cast<std::int64_t>(picks.size())},
          {x(0)});
      if (g.shape(id) != per_sample(y)) id = g.add(unique(name), Reshape{per_sample(y)}, {id});
      ids_[y] = id;
      return;
    }
    if (o == "Slice") {
      TensorId id = x(0);
      const Info& data = in(i, 0);
      const SliceSpec spec = slice_spec(i);
      for (std::size_t k = 0; k < spec.size(); ++k) {
        const SliceRange& r = spec[k];
        if (r.start == 0 && r.length == data.shape[static_cast<std::size_t>(r.axis)]) continue;
        id = g.add(unique(k + 1 == spec.size() ? name : fmt::format("{}/{}", name, k)),
                   Slice{.axis = sample_axis(data, r.axis), .start = r.start, .length = r.length}, {id});
      }
      ids_[y] = id;
      return;
    }
    if (o == "Split") {
      const Info& data = in(i, 0);
      const std::int64_t axis = attribute_int(nd, "axis", 0);
      std::int64_t start = 0;
      const TensorId src = x(0);
      for (int k = 0; k < nd.output_size(); ++k) {
        const Info& part = info(nd.output(k));
        const std::int64_t length =
            part.shape.at(static_cast<std::size_t>(normalize_axis(axis, static_cast<std::int64_t>(data.shape.size()))));
        add_layer(g, i, fmt::format("{}/{}", name, k),
                  Slice{.axis = sample_axis(data, axis), .start = start, .length = length}, {src}, nd.output(k));
        start += length;
      }
      return;
    }
    if (o == "Reshape" || o == "Flatten" || o == "Squeeze" || o == "Unsqueeze") {
      if (!same_shape_alias(0)) add_layer(g, i, name, Reshape{per_sample(y)}, {x(0)}, y);
      return;
    }
    if (o == "Transpose") {
      const Info& data = in(i, 0);
      const auto rank = static_cast<std::int64_t>(data.shape.size());
      std::vector<std::int64_t> perm = attribute_ints(nd, "perm");
      if (perm.empty())
        for (std::int64_t a = rank - 1; a >= 0; --a) perm.push_back(a);
      std::vector<std::int64_t> sample_perm;
      for (const std::int64_t p : perm) {
        if (pure(data) && p == data.batch_axis) continue;
        sample_perm.push_back(pure(data) && p > data.batch_axis ? p - 1 : p);
      }
      bool identity = true;
      for (std::size_t a = 0; a < sample_perm.size(); ++a)
        identity = identity && sample_perm[a] == static_cast<std::int64_t>(a);
      if (identity)
        ids_[y] = x(0);
      else
        add_layer(g, i, name, Transpose{sample_perm}, {x(0)}, y);
      return;
    }
    if (o == "Expand") {
      if (!same_shape_alias(0)) unsupported("Expand other than over the batch is not supported");
      return;
    }
    if (o == "Erf" || o == "Sub" || o == "Mul" || o == "Div" || o == "Pow" || o == "Sqrt" || o == "ReduceMean" ||
        o == "Where" || o == "Equal" || o == "Neg" || o == "Reciprocal")
      unsupported(
          fmt::format("{} outside a recognized pattern (LayerNorm, GELU, attention scale) is not supported", o));
    unsupported("");
  }

  const onnx::GraphProto& graph_;
  const OnnxImportOptions& options_;
  std::string name_, source_;
  std::int64_t batch_ = 0;
  std::unordered_map<std::string, Info> info_;
  std::unordered_map<std::string, std::size_t> producer_;
  std::unordered_map<std::string, std::vector<std::size_t>> consumers_;
  std::set<std::string> graph_outputs_;
  std::vector<std::string> data_inputs_;
  std::vector<bool> consumed_;
  std::map<std::size_t, Fused> fused_;
  std::unordered_map<std::string, TensorId> ids_;
  std::set<std::string> used_names_;
  std::unordered_map<std::string, std::string> weight_owner_;  // learned tensor -> first layer using it
  std::string last_layer_;                                     // name of the layer add_layer made last
};

}  // namespace

Network import_onnx(const std::filesystem::path& file, const OnnxImportOptions& options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string(), "cannot open the ONNX file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes.str()))
    throw ModelError("{}: not a valid ONNX model (the protobuf does not parse; truncated or not ONNX)", file.string());
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw ModelError("{}: not a valid ONNX model (no graph nodes)", file.string());
  std::int64_t opset = 0;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  const std::string name = options.name.empty() ? file.stem().string() : options.name;
  const std::string source = fmt::format("ONNX file {} ({} {}, opset {})", file.filename().string(),
                                         model.producer_name().empty() ? "unknown producer" : model.producer_name(),
                                         model.producer_version(), opset);
  try {
    return Importer(model, options, name, source).run();
  } catch (const ModelError& e) {
    throw ModelError("{}: {}", file.string(), e.what());
  }
}

}  // namespace deepnvm
