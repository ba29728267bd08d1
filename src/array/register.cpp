// SPDX-License-Identifier: MIT
#include "deepnvm/array/register.h"

#include "deepnvm/array/array_spec.h"

namespace deepnvm {

void register_builtin_array(Registry<InputKind>& kinds) {
  kinds.add("array", "Memory array or cache: cell, node, capacity, slices, organisation target",
            input_kind_of<ArraySpecFile>());
}

}  // namespace deepnvm
