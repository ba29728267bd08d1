// SPDX-License-Identifier: MIT
#pragma once

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"

namespace deepnvm {

/// Adds the tech layer's input kinds (technology node files) to `kinds`.
void register_builtin_tech(Registry<InputKind>& kinds);

}  // namespace deepnvm
