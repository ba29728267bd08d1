// SPDX-License-Identifier: MIT
// Compiled only by the layering test: core must not see the headers of layers below it.
#include "deepnvm/tech/register.h"
