// SPDX-License-Identifier: MIT
#pragma once
// NVSim's integer log2, (int)(log2(n) + 0.1), shared by the array sources: exact and fast for the
// powers of two a search mostly meets, NVSim's rounding otherwise (e.g. 15 -> 4).
#include <bit>
#include <cmath>
#include <cstdint>

namespace deepnvm {

inline int nvsim_log2(double n) {
  if (n >= 1.0 && n < 9.2e18) {
    const auto i = static_cast<std::uint64_t>(n);
    if (static_cast<double>(i) == n && std::has_single_bit(i)) return std::countr_zero(i);
  }
  return static_cast<int>(std::log2(n) + 0.1);
}

}  // namespace deepnvm
