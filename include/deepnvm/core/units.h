// SPDX-License-Identifier: MIT
#pragma once

// User-defined literals for readable SI constants inside the library: `8_MiB`, `22_nm`, `5_ns`,
// `40_uA`. Every literal yields a plain double in SI base units (bytes for capacities).

namespace deepnvm::literals {

#define DEEPNVM_UNIT_LITERAL(suffix, scale)                                                        \
  constexpr double operator""_##suffix(long double v) { return static_cast<double>(v) * (scale); } \
  constexpr double operator""_##suffix(unsigned long long v) { return static_cast<double>(v) * (scale); }

// information (binary and decimal prefixes are distinct on purpose)
DEEPNVM_UNIT_LITERAL(B, 1.0)
DEEPNVM_UNIT_LITERAL(KiB, 1024.0)
DEEPNVM_UNIT_LITERAL(MiB, 1024.0 * 1024.0)
DEEPNVM_UNIT_LITERAL(GiB, 1024.0 * 1024.0 * 1024.0)
DEEPNVM_UNIT_LITERAL(kB, 1e3)
DEEPNVM_UNIT_LITERAL(MB, 1e6)
DEEPNVM_UNIT_LITERAL(GB, 1e9)
// length and area
DEEPNVM_UNIT_LITERAL(m, 1.0)
DEEPNVM_UNIT_LITERAL(mm, 1e-3)
DEEPNVM_UNIT_LITERAL(um, 1e-6)
DEEPNVM_UNIT_LITERAL(nm, 1e-9)
DEEPNVM_UNIT_LITERAL(mm2, 1e-6)
DEEPNVM_UNIT_LITERAL(um2, 1e-12)
DEEPNVM_UNIT_LITERAL(nm2, 1e-18)
// time and frequency
DEEPNVM_UNIT_LITERAL(s, 1.0)
DEEPNVM_UNIT_LITERAL(ms, 1e-3)
DEEPNVM_UNIT_LITERAL(us, 1e-6)
DEEPNVM_UNIT_LITERAL(ns, 1e-9)
DEEPNVM_UNIT_LITERAL(ps, 1e-12)
DEEPNVM_UNIT_LITERAL(Hz, 1.0)
DEEPNVM_UNIT_LITERAL(MHz, 1e6)
DEEPNVM_UNIT_LITERAL(GHz, 1e9)
// electrical
DEEPNVM_UNIT_LITERAL(A, 1.0)
DEEPNVM_UNIT_LITERAL(mA, 1e-3)
DEEPNVM_UNIT_LITERAL(uA, 1e-6)
DEEPNVM_UNIT_LITERAL(nA, 1e-9)
DEEPNVM_UNIT_LITERAL(V, 1.0)
DEEPNVM_UNIT_LITERAL(mV, 1e-3)
DEEPNVM_UNIT_LITERAL(Ohm, 1.0)
DEEPNVM_UNIT_LITERAL(kOhm, 1e3)
DEEPNVM_UNIT_LITERAL(F, 1.0)
DEEPNVM_UNIT_LITERAL(pF, 1e-12)
DEEPNVM_UNIT_LITERAL(fF, 1e-15)
// energy and power
DEEPNVM_UNIT_LITERAL(J, 1.0)
DEEPNVM_UNIT_LITERAL(nJ, 1e-9)
DEEPNVM_UNIT_LITERAL(pJ, 1e-12)
DEEPNVM_UNIT_LITERAL(fJ, 1e-15)
DEEPNVM_UNIT_LITERAL(W, 1.0)
DEEPNVM_UNIT_LITERAL(mW, 1e-3)
DEEPNVM_UNIT_LITERAL(uW, 1e-6)
DEEPNVM_UNIT_LITERAL(nW, 1e-9)
// temperature
DEEPNVM_UNIT_LITERAL(K, 1.0)

#undef DEEPNVM_UNIT_LITERAL

}  // namespace deepnvm::literals
