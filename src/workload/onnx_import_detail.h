// SPDX-License-Identifier: MIT
#pragma once

// Private to the ONNX importer (src/workload/onnx_import*.cpp): constant tensors and their folding.
// Exporters compute reshape targets at run time (Shape -> Gather -> Unsqueeze -> Concat -> Reshape)
// even when every shape is static; the importer evaluates that arithmetic once, here.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "deepnvm/workload/graph.h"

namespace deepnvm::onnx_detail {

/// A tensor whose values are known at import time. Integer tensors (shapes, indices, booleans) keep
/// exact int64 values; floating tensors are held as double.
struct Value {
  Shape dims;
  bool integer = true;
  std::vector<std::int64_t> ints;
  std::vector<double> reals;

  std::size_t size() const { return integer ? ints.size() : reals.size(); }
  double real(std::size_t k) const { return integer ? static_cast<double>(ints[k]) : reals[k]; }
  std::int64_t integral(std::size_t k) const;  // throws ModelError on a non-integral real
};

/// Folding stops at this many elements: shape arithmetic and attention masks are far smaller.
inline constexpr std::int64_t kMaxFoldedElements = std::int64_t{1} << 22;

/// The values of an initializer or Constant tensor, or nullopt when the file does not hold them
/// (exported without parameters, external data) or they are too many to fold.
std::optional<Value> read_tensor(const onnx::TensorProto& tensor);

// Attribute access by name, with a default when absent.
const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const std::string& name);
std::int64_t attribute_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
float attribute_float(const onnx::NodeProto& node, const std::string& name, float fallback);
std::vector<std::int64_t> attribute_ints(const onnx::NodeProto& node, const std::string& name);

/// Evaluates `node` when it is a folding op (shape arithmetic, elementwise arithmetic, Where, Trilu,
/// ...) and every input is known; nullopt for other ops. `inputs` has nullptr for an absent optional
/// input. Shape and Size are not here: they need only the input's shape (onnx_import.cpp).
std::optional<Value> evaluate(const onnx::NodeProto& node, std::span<const Value* const> inputs);

/// numpy broadcasting of two shapes; ModelError when they do not broadcast.
Shape broadcast_shape(const Shape& a, const Shape& b);

/// The output of ONNX Reshape of `in` to `spec` (0 copies a dimension unless allow_zero, -1 infers).
Shape reshape_target(const Shape& in, const std::vector<std::int64_t>& spec, bool allow_zero);

/// Normalizes a possibly negative axis for `rank`; ModelError when out of range.
std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank);

}  // namespace deepnvm::onnx_detail
