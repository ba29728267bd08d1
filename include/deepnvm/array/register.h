// SPDX-License-Identifier: MIT
#pragma once

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"

namespace deepnvm {

/// Adds the `array` input kind (check, schema).
void register_builtin_array(Registry<InputKind>& kinds);

}  // namespace deepnvm
