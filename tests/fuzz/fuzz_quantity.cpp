// SPDX-License-Identifier: MIT
// Fuzzes the quantity parser: it may reject input only with UnitError, and whatever it accepts
// must survive a format/parse round trip with the same dimension and value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "deepnvm/core/quantity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  deepnvm::Quantity q;
  try {
    q = deepnvm::parse_quantity(text);
  } catch (const deepnvm::UnitError&) {
    return 0;
  }
  if (!std::isfinite(q.value)) __builtin_trap();
  const deepnvm::Quantity back = deepnvm::parse_quantity(deepnvm::format_quantity(q.value, q.dimension, 17));
  if (!(back.dimension == q.dimension)) __builtin_trap();
  if (std::fabs(back.value - q.value) > 1e-12 * std::fabs(q.value)) __builtin_trap();
  return 0;
}
