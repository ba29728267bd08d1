// SPDX-License-Identifier: MIT
#include "deepnvm/tech/register.h"

#include "deepnvm/tech/technology.h"

namespace deepnvm {

void register_builtin_tech(Registry<InputKind>& kinds) {
  kinds.add("technology", "Technology node: device flavours (Vdd, Vth, caps, Ion/Ioff over temperature) and wires",
            input_kind_of<Technology>());
}

}  // namespace deepnvm
