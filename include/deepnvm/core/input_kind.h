// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "deepnvm/core/config.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// @brief A kind of input document (`kind: technology` at the top of a file): its declared schema
/// and a strict loader that returns the normalized values (SI units) as JSON.
struct InputKind {
  std::function<SchemaInfo()> info;
  std::function<nlohmann::ordered_json(const ConfigNode&)> load;
};

/// The InputKind of a struct with a declared schema.
template <HasSchema T>
InputKind input_kind_of() {
  return InputKind{[] { return T::schema().info(); },
                   [](const ConfigNode& node) { return T::schema().to_json(T::schema().parse(node)); }};
}

}  // namespace deepnvm
