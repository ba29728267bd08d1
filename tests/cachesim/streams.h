// SPDX-License-Identifier: MIT
#pragma once

// Synthetic L2 access streams for the cachesim tests: uniform random, a cyclic sweep (an LRU cliff),
// a skewed (hot/cold) mix and a tiled GEMM. Deterministic from their seeds.

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "deepnvm/gpu/access.h"

namespace deepnvm::cachesim::test {

/// Appends the accesses that cover bytes [address, address + bytes): one per line, masks of the 32 B
/// sectors touched.
inline void emit(std::vector<L2Access>& out, std::uint64_t address, std::uint64_t bytes, bool write) {
  std::uint64_t first = address / kL2SectorBytes;
  const std::uint64_t last = (address + bytes - 1) / kL2SectorBytes;
  while (first <= last) {
    const std::uint64_t line = first / kSectorsPerLine;
    std::uint8_t mask = 0;
    for (; first <= last && first / kSectorsPerLine == line; ++first)
      mask = static_cast<std::uint8_t>(mask | (1u << (first % kSectorsPerLine)));
    out.push_back(L2Access{.line = line, .sectors = mask, .write = write});
  }
}

/// Uniform lines over `footprint_lines`, random non-empty masks, writes with probability `write_share`.
inline std::vector<L2Access> random_stream(std::size_t n, std::uint64_t footprint_lines, double write_share,
                                           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> line(0, footprint_lines - 1);
  std::uniform_int_distribution<int> mask(1, 15);
  std::bernoulli_distribution write(write_share);
  std::vector<L2Access> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(L2Access{.line = line(rng), .sectors = static_cast<std::uint8_t>(mask(rng)), .write = write(rng)});
  return out;
}

/// `sweeps` passes over `footprint_lines` consecutive lines (full-line reads; every `write_every`-th
/// line written instead, 0 = never).
inline std::vector<L2Access> cyclic_stream(std::uint64_t footprint_lines, int sweeps, std::uint64_t write_every) {
  std::vector<L2Access> out;
  for (int s = 0; s < sweeps; ++s)
    for (std::uint64_t l = 0; l < footprint_lines; ++l)
      out.push_back(L2Access{.line = 1000 + l, .sectors = 0xF, .write = write_every != 0 && l % write_every == 0});
  return out;
}

/// 90 % of accesses to a hot set of `hot_lines`, the rest to `cold_lines`; one or two sectors each.
inline std::vector<L2Access> skewed_stream(std::size_t n, std::uint64_t hot_lines, std::uint64_t cold_lines,
                                           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> hot(0, hot_lines - 1), cold(0, cold_lines - 1);
  std::uniform_int_distribution<int> sector(0, 3);
  std::bernoulli_distribution is_hot(0.9), write(0.2), two(0.3);
  std::vector<L2Access> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t line = is_hot(rng) ? hot(rng) : hot_lines + cold(rng);
    const int s = sector(rng);
    std::uint8_t mask = static_cast<std::uint8_t>(1u << s);
    if (two(rng)) mask = static_cast<std::uint8_t>(mask | (1u << ((s + 1) % 4)));
    out.push_back(L2Access{.line = line, .sectors = mask, .write = write(rng)});
  }
  return out;
}

/// A GEMM C = A B in fp16 (2 B), row-major, tiled into CTAs of tm x tn with k-steps of tk, run in waves
/// of `wave` CTAs whose per-step tile reads interleave (gpus.md §3.3); each CTA writes its C tile at
/// the end. A, B and C lie one after the other from address 0.
inline std::vector<L2Access> gemm_stream(std::uint64_t m, std::uint64_t n, std::uint64_t k, std::uint64_t tm,
                                         std::uint64_t tn, std::uint64_t tk, std::uint64_t wave) {
  constexpr std::uint64_t b = 2;
  const std::uint64_t a_base = 0, b_base = m * k * b, c_base = b_base + k * n * b;
  const std::uint64_t tiles_m = m / tm, tiles_n = n / tn, ctas = tiles_m * tiles_n;
  std::vector<L2Access> out;
  for (std::uint64_t first = 0; first < ctas; first += wave) {
    const std::uint64_t last = std::min(ctas, first + wave);
    for (std::uint64_t step = 0; step < k / tk; ++step)
      for (std::uint64_t cta = first; cta < last; ++cta) {
        const std::uint64_t i = cta / tiles_n, j = cta % tiles_n;
        for (std::uint64_t r = 0; r < tm; ++r) emit(out, a_base + ((i * tm + r) * k + step * tk) * b, tk * b, false);
        for (std::uint64_t r = 0; r < tk; ++r) emit(out, b_base + ((step * tk + r) * n + j * tn) * b, tn * b, false);
      }
    for (std::uint64_t cta = first; cta < last; ++cta) {
      const std::uint64_t i = cta / tiles_n, j = cta % tiles_n;
      for (std::uint64_t r = 0; r < tm; ++r) emit(out, c_base + ((i * tm + r) * n + j * tn) * b, tn * b, true);
    }
  }
  return out;
}

}  // namespace deepnvm::cachesim::test
