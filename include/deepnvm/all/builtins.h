// SPDX-License-Identifier: MIT
#pragma once

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {

/// @brief Every registry of the library, filled with the built-in implementations of each layer.
struct Builtins {
  Registry<InputKind> input_kinds{"input kind"};
  Registry<CellFactory> cell_models{"cell model"};
  Registry<NetworkFactory> networks{"network"};
};

/// Calls each layer's `register_builtin_<layer>` in layer order. Cheap; build one per process.
Builtins make_builtins();

}  // namespace deepnvm
