// SPDX-License-Identifier: MIT
// Constant folding for the ONNX importer: reading tensors, and evaluating the shape-arithmetic and
// elementwise ops on values known at import time (ONNX operator semantics, numpy broadcasting).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "deepnvm/core/error.h"
#include "onnx_import_detail.h"

namespace deepnvm::onnx_detail {

namespace {

using onnx::TensorProto_DataType;

bool is_integer_type(int type) {
  switch (type) {
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
    case onnx::TensorProto::BOOL:
      return true;
    default:
      return false;
  }
}

template <class T>
void append_raw(const std::string& raw, Value& v) {
  const std::size_t n = raw.size() / sizeof(T);
  for (std::size_t k = 0; k < n; ++k) {
    T x;
    std::memcpy(&x, raw.data() + k * sizeof(T), sizeof(T));
    if constexpr (std::is_integral_v<T>)
      v.ints.push_back(static_cast<std::int64_t>(x));
    else
      v.reals.push_back(static_cast<double>(x));
  }
}

Value make(Shape dims, bool integer) {
  Value v;
  v.dims = std::move(dims);
  v.integer = integer;
  return v;
}

Value scalar_int(std::int64_t x) {
  Value v = make({}, true);
  v.ints.push_back(x);
  return v;
}

std::vector<std::int64_t> as_ints(const Value& v) {
  std::vector<std::int64_t> out;
  for (std::size_t k = 0; k < v.size(); ++k) out.push_back(v.integral(k));
  return out;
}

std::vector<std::int64_t> strides_of(const Shape& dims) {
  std::vector<std::int64_t> s(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

// Index into `in` (right-aligned, size-1 axes broadcast) of the element at flat index k of `out`.
std::size_t broadcast_index(const Shape& out, const Shape& in, std::size_t k) {
  const auto out_strides = strides_of(out);
  const auto in_strides = strides_of(in);
  const std::size_t offset = out.size() - in.size();
  std::size_t index = 0;
  auto rest = static_cast<std::int64_t>(k);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t coordinate = rest / out_strides[i];
    rest %= out_strides[i];
    if (i >= offset && in[i - offset] != 1) index += static_cast<std::size_t>(coordinate * in_strides[i - offset]);
  }
  return index;
}

bool too_big(const Shape& dims) {
  std::int64_t n = 1;
  for (const std::int64_t d : dims) {
    if (d < 0 || (d > 0 && n > kMaxFoldedElements / d)) return true;
    n *= d;
  }
  return false;
}

// Elementwise n-ary op with broadcasting; `integer` says whether the result is integral.
template <class F>
std::optional<Value> elementwise(std::span<const Value* const> in, bool integer, F f) {
  Shape out = in[0]->dims;
  for (std::size_t i = 1; i < in.size(); ++i) out = broadcast_shape(out, in[i]->dims);
  if (too_big(out)) return std::nullopt;
  Value v = make(out, integer);
  const auto n = static_cast<std::size_t>(element_count(out));
  std::vector<std::size_t> idx(in.size());
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < in.size(); ++i) idx[i] = broadcast_index(out, in[i]->dims, k);
    f(v, idx);
  }
  return v;
}

std::optional<Value> arithmetic(const std::string& op, const Value& a, const Value& b) {
  const Value* in[] = {&a, &b};
  const bool integer = a.integer && b.integer;
  if (integer) {
    return elementwise(in, true, [&](Value& v, const std::vector<std::size_t>& i) {
      const std::int64_t x = a.ints[i[0]], y = b.ints[i[1]];
      std::int64_t r = 0;
      if (op == "Add")
        r = x + y;
      else if (op == "Sub")
        r = x - y;
      else if (op == "Mul")
        r = x * y;
      else if (op == "Div") {
        if (y == 0) throw ModelError("integer division by zero");
        r = x / y;  // ONNX integer Div truncates
      } else if (op == "Mod")
        r = y == 0 ? 0 : x % y;
      else if (op == "Min")
        r = std::min(x, y);
      else if (op == "Max")
        r = std::max(x, y);
      else if (op == "Pow")
        r = static_cast<std::int64_t>(std::pow(static_cast<double>(x), static_cast<double>(y)));
      else if (op == "Equal")
        r = x == y;
      else if (op == "Less")
        r = x < y;
      else if (op == "Greater")
        r = x > y;
      else if (op == "And")
        r = (x != 0) && (y != 0);
      else if (op == "Or")
        r = (x != 0) || (y != 0);
      v.ints.push_back(r);
    });
  }
  const bool comparison = op == "Equal" || op == "Less" || op == "Greater";
  return elementwise(in, comparison, [&](Value& v, const std::vector<std::size_t>& i) {
    const double x = a.real(i[0]), y = b.real(i[1]);
    if (comparison) {
      v.ints.push_back(op == "Equal" ? x == y : op == "Less" ? x < y : x > y);
      return;
    }
    double r = 0;
    if (op == "Add")
      r = x + y;
    else if (op == "Sub")
      r = x - y;
    else if (op == "Mul")
      r = x * y;
    else if (op == "Div")
      r = x / y;
    else if (op == "Pow")
      r = std::pow(x, y);
    else if (op == "Min")
      r = std::min(x, y);
    else if (op == "Max")
      r = std::max(x, y);
    else if (op == "Mod")
      r = std::fmod(x, y);
    v.reals.push_back(r);
  });
}

Value take(const Value& src, Shape dims, const std::vector<std::size_t>& indices) {
  Value v = make(std::move(dims), src.integer);
  for (const std::size_t k : indices) {
    if (src.integer)
      v.ints.push_back(src.ints[k]);
    else
      v.reals.push_back(src.reals[k]);
  }
  return v;
}

Value reshaped(Value v, Shape dims) {
  v.dims = std::move(dims);
  return v;
}

std::vector<std::int64_t> axes_input(const onnx::NodeProto& node, std::span<const Value* const> in) {
  if (in.size() > 1 && in[1] != nullptr) return as_ints(*in[1]);
  return attribute_ints(node, "axes");
}

std::optional<Value> gather(const onnx::NodeProto& node, const Value& data, const Value& indices) {
  const auto rank = static_cast<std::int64_t>(data.dims.size());
  const std::int64_t axis = normalize_axis(attribute_int(node, "axis", 0), rank);
  Shape out(data.dims.begin(), data.dims.begin() + axis);
  out.insert(out.end(), indices.dims.begin(), indices.dims.end());
  out.insert(out.end(), data.dims.begin() + axis + 1, data.dims.end());
  if (too_big(out)) return std::nullopt;
  const std::int64_t outer = element_count(Shape(data.dims.begin(), data.dims.begin() + axis));
  const std::int64_t inner = element_count(Shape(data.dims.begin() + axis + 1, data.dims.end()));
  const std::int64_t extent = data.dims[static_cast<std::size_t>(axis)];
  std::vector<std::size_t> picks;
  for (std::int64_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < indices.size(); ++i) {
      std::int64_t j = indices.integral(i);
      if (j < 0) j += extent;
      if (j < 0 || j >= extent)
        throw ModelError("Gather index {} is out of range [0, {})", indices.integral(i), extent);
      for (std::int64_t r = 0; r < inner; ++r) picks.push_back(static_cast<std::size_t>((o * extent + j) * inner + r));
    }
  return take(data, out, picks);
}

std::optional<Value> slice(const onnx::NodeProto& node, std::span<const Value* const> in) {
  const Value& data = *in[0];
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (in.size() >= 3) {
    starts = as_ints(*in[1]);
    ends = as_ints(*in[2]);
    if (in.size() > 3 && in[3] != nullptr) axes = as_ints(*in[3]);
    if (in.size() > 4 && in[4] != nullptr) steps = as_ints(*in[4]);
  } else {
    starts = attribute_ints(node, "starts");
    ends = attribute_ints(node, "ends");
    axes = attribute_ints(node, "axes");
  }
  const auto rank = static_cast<std::int64_t>(data.dims.size());
  if (axes.empty())
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  std::vector<std::int64_t> begin(data.dims.size(), 0), step(data.dims.size(), 1);
  Shape out = data.dims;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const auto a = static_cast<std::size_t>(normalize_axis(axes[i], rank));
    const std::int64_t dim = data.dims[a];
    if (steps[i] <= 0) return std::nullopt;
    std::int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
    std::int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    s = std::clamp<std::int64_t>(s, 0, dim);
    e = std::clamp<std::int64_t>(e, 0, dim);
    begin[a] = s;
    step[a] = steps[i];
    out[a] = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
  }
  const auto out_strides = strides_of(out);
  const auto in_strides = strides_of(data.dims);
  std::vector<std::size_t> picks;
  for (std::int64_t k = 0; k < element_count(out); ++k) {
    std::int64_t rest = k, index = 0;
    for (std::size_t a = 0; a < out.size(); ++a) {
      const std::int64_t c = rest / out_strides[a];
      rest %= out_strides[a];
      index += (begin[a] + c * step[a]) * in_strides[a];
    }
    picks.push_back(static_cast<std::size_t>(index));
  }
  return take(data, out, picks);
}

std::optional<Value> transpose(const onnx::NodeProto& node, const Value& data) {
  std::vector<std::int64_t> perm = attribute_ints(node, "perm");
  const std::size_t rank = data.dims.size();
  if (perm.empty())
    for (std::size_t i = 0; i < rank; ++i) perm.push_back(static_cast<std::int64_t>(rank - 1 - i));
  Shape out;
  for (const std::int64_t p : perm) out.push_back(data.dims.at(static_cast<std::size_t>(p)));
  const auto out_strides = strides_of(out);
  const auto in_strides = strides_of(data.dims);
  std::vector<std::size_t> picks;
  for (std::int64_t k = 0; k < element_count(out); ++k) {
    std::int64_t rest = k, index = 0;
    for (std::size_t a = 0; a < rank; ++a) {
      const std::int64_t c = rest / out_strides[a];
      rest %= out_strides[a];
      index += c * in_strides[static_cast<std::size_t>(perm[a])];
    }
    picks.push_back(static_cast<std::size_t>(index));
  }
  return take(data, out, picks);
}

}  // namespace

Shape broadcast_shape(const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t x = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::int64_t y = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (x != y && x != 1 && y != 1) throw ModelError("shapes {} and {} do not broadcast", shape_text(a), shape_text(b));
    out[i] = x == 1 ? y : x;
  }
  return out;
}

Shape reshape_target(const Shape& in, const std::vector<std::int64_t>& spec, bool allow_zero) {
  Shape out;
  std::int64_t known = 1;
  int infer = -1;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    std::int64_t d = spec[i];
    if (d == 0 && !allow_zero) d = in.at(i);
    if (d == -1) {
      if (infer >= 0) throw ModelError("Reshape target {} has two -1 entries", shape_text(spec));
      infer = static_cast<int>(i);
    } else {
      known *= d;
    }
    out.push_back(d);
  }
  if (infer >= 0) {
    if (known == 0 || element_count(in) % known != 0)
      throw ModelError("cannot reshape {} to {}", shape_text(in), shape_text(spec));
    out[static_cast<std::size_t>(infer)] = element_count(in) / known;
  }
  if (element_count(out) != element_count(in))
    throw ModelError("cannot reshape {} to {}", shape_text(in), shape_text(spec));
  return out;
}

std::int64_t Value::integral(std::size_t k) const {
  if (integer) return ints.at(k);
  const double x = reals.at(k);
  if (x != std::floor(x) || std::abs(x) > 9.0e15) throw ModelError("expected an integer, got {}", x);
  return static_cast<std::int64_t>(x);
}

std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank) {
  if (axis < -rank || axis >= rank) throw ModelError("axis {} is out of range for rank {}", axis, rank);
  return axis < 0 ? axis + rank : axis;
}

std::optional<Value> read_tensor(const onnx::TensorProto& t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL) return std::nullopt;
  Shape dims(t.dims().begin(), t.dims().end());
  if (too_big(dims)) return std::nullopt;
  Value v = make(dims, is_integer_type(t.data_type()));
  const std::string& raw = t.raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (!raw.empty()) append_raw<float>(raw, v);
      for (const float x : t.float_data()) v.reals.push_back(x);
      break;
    case onnx::TensorProto::DOUBLE:
      if (!raw.empty()) append_raw<double>(raw, v);
      for (const double x : t.double_data()) v.reals.push_back(x);
      break;
    case onnx::TensorProto::INT64:
      if (!raw.empty()) append_raw<std::int64_t>(raw, v);
      for (const std::int64_t x : t.int64_data()) v.ints.push_back(x);
      break;
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::BOOL:
      if (!raw.empty()) {
        if (t.data_type() == onnx::TensorProto::INT32)
          append_raw<std::int32_t>(raw, v);
        else if (t.data_type() == onnx::TensorProto::INT16)
          append_raw<std::int16_t>(raw, v);
        else if (t.data_type() == onnx::TensorProto::UINT16)
          append_raw<std::uint16_t>(raw, v);
        else if (t.data_type() == onnx::TensorProto::INT8)
          append_raw<std::int8_t>(raw, v);
        else
          append_raw<std::uint8_t>(raw, v);
      }
      for (const std::int32_t x : t.int32_data()) v.ints.push_back(x);
      break;
    default:
      return std::nullopt;  // fp16 / bf16 constants: never shape arithmetic
  }
  if (static_cast<std::int64_t>(v.size()) != element_count(dims)) return std::nullopt;  // no data in the file
  return v;
}

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::int64_t attribute_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
  const auto* a = find_attribute(node, name);
  return a != nullptr ? a->i() : fallback;
}

float attribute_float(const onnx::NodeProto& node, const std::string& name, float fallback) {
  const auto* a = find_attribute(node, name);
  return a != nullptr ? a->f() : fallback;
}

std::vector<std::int64_t> attribute_ints(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = find_attribute(node, name);
  if (a == nullptr) return {};
  return {a->ints().begin(), a->ints().end()};
}

std::optional<Value> evaluate(const onnx::NodeProto& node, std::span<const Value* const> in) {
  const std::string& op = node.op_type();
  if (op == "Constant") {
    if (const auto* a = find_attribute(node, "value")) return read_tensor(a->t());
    if (const auto* a = find_attribute(node, "value_int")) return scalar_int(a->i());
    if (const auto* a = find_attribute(node, "value_ints")) {
      Value v = make({a->ints_size()}, true);
      v.ints.assign(a->ints().begin(), a->ints().end());
      return v;
    }
    if (const auto* a = find_attribute(node, "value_float")) {
      Value v = make({}, false);
      v.reals.push_back(a->f());
      return v;
    }
    if (const auto* a = find_attribute(node, "value_floats")) {
      Value v = make({a->floats_size()}, false);
      v.reals.assign(a->floats().begin(), a->floats().end());
      return v;
    }
    return std::nullopt;
  }
  if (in.empty() || in[0] == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (in[i] == nullptr && !(op == "Slice" || op == "Unsqueeze" || op == "Squeeze" || op == "Clip"))
      return std::nullopt;
  const Value& x = *in[0];
  if (op == "Identity" || op == "Dropout") return x;
  if (op == "Cast") {
    const bool integer = is_integer_type(static_cast<int>(attribute_int(node, "to", onnx::TensorProto::FLOAT)));
    Value v = make(x.dims, integer);
    const bool to_bool = attribute_int(node, "to", 0) == onnx::TensorProto::BOOL;
    for (std::size_t k = 0; k < x.size(); ++k) {
      if (integer)
        v.ints.push_back(to_bool ? (x.real(k) != 0)
                                 : (x.integer ? x.ints[k] : static_cast<std::int64_t>(std::trunc(x.reals[k]))));
      else
        v.reals.push_back(x.real(k));
    }
    return v;
  }
  if (op == "Neg" || op == "Sqrt" || op == "Floor" || op == "Ceil" || op == "Not" || op == "Reciprocal") {
    Value v = make(x.dims, x.integer && op != "Sqrt" && op != "Reciprocal");
    for (std::size_t k = 0; k < x.size(); ++k) {
      if (v.integer)
        v.ints.push_back(op == "Neg" ? -x.ints[k] : op == "Not" ? (x.ints[k] == 0) : x.ints[k]);
      else {
        const double y = x.real(k);
        v.reals.push_back(op == "Neg"     ? -y
                          : op == "Sqrt"  ? std::sqrt(y)
                          : op == "Floor" ? std::floor(y)
                          : op == "Ceil"  ? std::ceil(y)
                                          : 1.0 / y);
      }
    }
    return v;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" || op == "Equal" || op == "Less" ||
      op == "Greater" || op == "And" || op == "Or" || op == "Mod" || op == "Min" || op == "Max") {
    if (in.size() != 2) return std::nullopt;
    return arithmetic(op, x, *in[1]);
  }
  if (op == "Where") {
    if (in.size() != 3) return std::nullopt;
    const Value &a = *in[1], &b = *in[2];
    const bool integer = a.integer && b.integer;
    return elementwise(in, integer, [&](Value& v, const std::vector<std::size_t>& i) {
      const bool pick_a = x.real(i[0]) != 0;
      if (integer)
        v.ints.push_back(pick_a ? a.ints[i[1]] : b.ints[i[2]]);
      else
        v.reals.push_back(pick_a ? a.real(i[1]) : b.real(i[2]));
    });
  }
  if (op == "Gather") return in.size() == 2 ? gather(node, x, *in[1]) : std::nullopt;
  if (op == "Unsqueeze") {
    std::vector<std::int64_t> axes = axes_input(node, in);
    const auto rank = static_cast<std::int64_t>(x.dims.size() + axes.size());
    for (auto& a : axes) a = normalize_axis(a, rank);
    std::sort(axes.begin(), axes.end());
    Shape out = x.dims;
    for (const std::int64_t a : axes) out.insert(out.begin() + a, 1);
    return reshaped(x, out);
  }
  if (op == "Squeeze") {
    std::vector<std::int64_t> axes = axes_input(node, in);
    const auto rank = static_cast<std::int64_t>(x.dims.size());
    Shape out;
    for (std::int64_t i = 0; i < rank; ++i) {
      const bool listed = axes.empty() ? x.dims[static_cast<std::size_t>(i)] == 1
                                       : std::any_of(axes.begin(), axes.end(),
                                                     [&](std::int64_t a) { return normalize_axis(a, rank) == i; });
      if (!listed) out.push_back(x.dims[static_cast<std::size_t>(i)]);
    }
    return reshaped(x, out);
  }
  if (op == "Reshape") {
    if (in.size() != 2) return std::nullopt;
    return reshaped(x, reshape_target(x.dims, as_ints(*in[1]), attribute_int(node, "allowzero", 0) != 0));
  }
  if (op == "Flatten") {
    const auto rank = static_cast<std::int64_t>(x.dims.size());
    const std::int64_t axis =
        attribute_int(node, "axis", 1) < 0 ? attribute_int(node, "axis", 1) + rank : attribute_int(node, "axis", 1);
    const std::int64_t outer = element_count(Shape(x.dims.begin(), x.dims.begin() + axis));
    return reshaped(x, {outer, element_count(x.dims) / std::max<std::int64_t>(outer, 1)});
  }
  if (op == "Concat") {
    const auto rank = static_cast<std::int64_t>(x.dims.size());
    const auto axis = static_cast<std::size_t>(normalize_axis(attribute_int(node, "axis", 0), rank));
    Shape out = x.dims;
    out[axis] = 0;
    for (const Value* v : in) out[axis] += v->dims.at(axis);
    const std::int64_t outer = element_count(Shape(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(axis)));
    Value v = make(out, std::all_of(in.begin(), in.end(), [](const Value* p) { return p->integer; }));
    for (std::int64_t o = 0; o < outer; ++o)
      for (const Value* part : in) {
        const std::int64_t block = element_count(part->dims) / std::max<std::int64_t>(outer, 1);
        for (std::int64_t r = 0; r < block; ++r) {
          const auto k = static_cast<std::size_t>(o * block + r);
          if (v.integer)
            v.ints.push_back(part->ints[k]);
          else
            v.reals.push_back(part->real(k));
        }
      }
    return v;
  }
  if (op == "Slice") return slice(node, in);
  if (op == "Transpose") return transpose(node, x);
  if (op == "ConstantOfShape") {
    const Shape dims = as_ints(x);
    if (too_big(dims)) return std::nullopt;
    Value fill = make({}, false);
    fill.reals.push_back(0.0);
    if (const auto* a = find_attribute(node, "value")) {
      const auto t = read_tensor(a->t());
      if (!t || t->size() != 1) return std::nullopt;
      fill = *t;
    }
    Value v = make(dims, fill.integer);
    const auto n = static_cast<std::size_t>(element_count(dims));
    if (v.integer)
      v.ints.assign(n, fill.ints[0]);
    else
      v.reals.assign(n, fill.reals[0]);
    return v;
  }
  if (op == "Expand") {
    if (in.size() != 2) return std::nullopt;
    Value target = make(as_ints(*in[1]), x.integer);
    target.ints.clear();
    const Value* parts[] = {&x, &target};
    return elementwise(std::span<const Value* const>(parts, 2), x.integer,
                       [&](Value& v, const std::vector<std::size_t>& i) {
                         if (x.integer)
                           v.ints.push_back(x.ints[i[0]]);
                         else
                           v.reals.push_back(x.reals[i[0]]);
                       });
  }
  if (op == "Range") {
    if (in.size() != 3) return std::nullopt;
    const Value &limit = *in[1], &delta = *in[2];
    const bool integer = x.integer && limit.integer && delta.integer;
    const double start = x.real(0), stop = limit.real(0), step = delta.real(0);
    if (step == 0) throw ModelError("Range with step 0");
    const auto n = static_cast<std::int64_t>(std::max(0.0, std::ceil((stop - start) / step)));
    if (n > kMaxFoldedElements) return std::nullopt;
    Value v = make({n}, integer);
    for (std::int64_t k = 0; k < n; ++k) {
      if (integer)
        v.ints.push_back(x.ints[0] + k * delta.ints[0]);
      else
        v.reals.push_back(start + static_cast<double>(k) * step);
    }
    return v;
  }
  if (op == "Trilu") {
    if (x.dims.size() < 2) return std::nullopt;
    const std::int64_t k = in.size() > 1 && in[1] != nullptr ? in[1]->integral(0) : 0;
    const bool upper = attribute_int(node, "upper", 1) != 0;
    const std::int64_t rows = x.dims[x.dims.size() - 2], cols = x.dims.back();
    Value v = x;
    for (std::size_t e = 0; e < v.size(); ++e) {
      const auto flat = static_cast<std::int64_t>(e);
      const std::int64_t i = (flat / cols) % rows, j = flat % cols;
      const bool keep = upper ? j - i >= k : j - i <= k;
      if (!keep) {
        if (v.integer)
          v.ints[e] = 0;
        else
          v.reals[e] = 0.0;
      }
    }
    return v;
  }
  return std::nullopt;
}

}  // namespace deepnvm::onnx_detail
