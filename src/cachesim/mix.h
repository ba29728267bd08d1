// SPDX-License-Identifier: MIT
#pragma once

// The 64-bit mixing function of splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014; finaliser constants: Stafford's "Mix13"). Used for slice and set
// hashing, hash-table slots and SHARDS sampling: every output bit depends on every input bit, and it
// is a bijection, so distinct lines never collide before reduction.

#include <array>
#include <cstdint>

namespace deepnvm::cachesim::detail {

constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// The splitmix64 generator: advances the state and returns the next value.
constexpr std::uint64_t next_random(std::uint64_t& state) noexcept {
  state += 0x9e3779b97f4a7c15ULL;
  return mix64(state);
}

/// Lemire's multiply-shift reduction of a 32-bit value onto [0, n) without a division.
constexpr std::uint64_t reduce32(std::uint64_t x32, std::uint64_t n) noexcept { return (x32 * n) >> 32; }

/// Set bits of a 4-bit sector mask (std::popcount is a libgcc call without -mpopcnt).
constexpr int popcount4(unsigned mask) noexcept {
  constexpr std::array<std::uint8_t, 16> kCount = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
  return kCount[mask & 0xFu];
}

}  // namespace deepnvm::cachesim::detail
