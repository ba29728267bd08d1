// SPDX-License-Identifier: MIT
#include "deepnvm/tech/register.h"

namespace deepnvm {

void register_builtin_tech(Registry<InputKind>&) {}

}  // namespace deepnvm
