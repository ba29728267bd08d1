// SPDX-License-Identifier: MIT
#include "deepnvm/study/capacity.h"

#include <algorithm>
#include <bit>

#include "deepnvm/core/error.h"

namespace deepnvm::study {

std::vector<std::uint64_t> slice_grid(std::uint64_t lo, std::uint64_t hi) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t p = 4; p != 0 && p <= hi; p <<= 1)
    for (const std::uint64_t quarters : {4u, 5u, 6u, 7u}) {
      const std::uint64_t c = p / 4 * quarters;
      if (c >= lo && c <= hi) out.push_back(c);
    }
  return out;
}

std::vector<std::uint64_t> sweep_cover(std::uint64_t lo, std::uint64_t hi) {
  if (lo == 0 || hi < lo) throw ModelError("capacity range [{}, {}] B is empty", lo, hi);
  std::vector<std::uint64_t> out;
  std::uint64_t p = std::bit_floor(lo);
  for (; p < hi; p <<= 1) out.push_back(p);
  // The top: the smallest grid point at or above `hi`; below 2p it is built from parts already swept.
  std::uint64_t top = p;
  if (!out.empty() && out.back() >= 4)
    for (const std::uint64_t quarters : {7u, 6u, 5u})
      if (out.back() / 4 * quarters >= hi) top = out.back() / 4 * quarters;
  out.push_back(top);
  return out;
}

std::vector<std::uint64_t> slice_parts(std::uint64_t slice_bytes) {
  if (slice_bytes == 0) throw ModelError("a slice of 0 B");
  const std::uint64_t top = std::bit_floor(slice_bytes);
  const std::uint64_t rest = slice_bytes - top;
  if (top < 4 || rest % (top / 4) != 0)
    throw ModelError("slice capacity {} B is not 2^k x {{1, 1.25, 1.5, 1.75}}", slice_bytes);
  std::vector<std::uint64_t> parts{top};
  for (std::uint64_t part = top / 2; part >= top / 4 && part != 0; part /= 2)
    if (rest & part) parts.push_back(part);
  return parts;
}

L2Figures combine_parts(std::span<const L2Figures> parts) {
  if (parts.empty()) throw ModelError("an L2 of no parts");
  if (parts.size() == 1) return parts.front();
  L2Figures out;
  out.technology = parts.front().technology;
  out.slices = parts.front().slices;
  double capacity = 0;
  for (const L2Figures& p : parts) {
    if (p.slices != out.slices || p.technology != out.technology)
      throw ModelError("parts of one L2 must share technology and slice count ('{}' x {} vs '{}' x {})", p.technology,
                       p.slices, out.technology, out.slices);
    capacity += static_cast<double>(p.capacity);
  }
  for (const L2Figures& p : parts) {
    const double share = static_cast<double>(p.capacity) / capacity;
    out.capacity += p.capacity;
    out.area += p.area;
    out.leakage += p.leakage;
    out.read_energy += share * p.read_energy;
    out.write_energy += share * p.write_energy;
    out.read_latency = std::max(out.read_latency, p.read_latency);
    out.write_latency = std::max(out.write_latency, p.write_latency);
  }
  return out;
}

IsoAreaResult iso_area_search(double area_budget, std::uint64_t start_slice, std::uint64_t min_slice,
                              std::uint64_t max_slice, const SliceBuilder& build) {
  if (!(area_budget > 0)) throw ModelError("iso-area: the area budget must be positive, got {} m^2", area_budget);
  if (min_slice == 0 || max_slice < min_slice)
    throw ModelError("iso-area: empty slice range [{}, {}] B", min_slice, max_slice);
  IsoAreaResult out;
  out.area_budget = area_budget;
  auto fits = [&](std::uint64_t slice) {
    L2Figures f = build(slice);
    out.evaluated.emplace_back(slice, f.area);
    const bool ok = f.area <= area_budget;
    if (ok && slice > out.slice_bytes) {
      out.slice_bytes = slice;
      out.figures = std::move(f);
    }
    return ok;
  };
  const std::uint64_t lo = std::bit_ceil(min_slice);
  const std::uint64_t hi = std::bit_floor(max_slice);
  std::uint64_t p = std::clamp(std::bit_floor(std::max<std::uint64_t>(start_slice, 1)), lo, hi);
  if (fits(p)) {
    while (p * 2 <= hi && fits(p * 2)) p *= 2;
  } else {
    while (p / 2 >= lo && !fits(p / 2)) p /= 2;
    p /= 2;
    if (p < lo)
      throw ModelError("iso-area: even the smallest slice ({} B) exceeds the baseline's area {} m^2", lo, area_budget);
  }
  for (const std::uint64_t quarters : {7u, 6u, 5u}) {
    const std::uint64_t c = p / 4 * quarters;
    if (p >= 4 && c <= max_slice && fits(c)) break;
  }
  return out;
}

}  // namespace deepnvm::study
