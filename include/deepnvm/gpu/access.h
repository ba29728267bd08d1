// SPDX-License-Identifier: MIT
#pragma once

// The L2 access stream: what kernel lowering produces and cache simulation consumes.
//
// Every GPU preset has 128-byte L2 lines of four 32-byte sectors (docs/models/traffic.md), so a
// request is a line index and the mask of the sectors it touches: one L2Access stands for
// popcount(sectors) sector lookups, the unit NVIDIA's counters use (lts__t_sectors_*).

#include <cstdint>
#include <span>

namespace deepnvm {

inline constexpr std::uint64_t kL2LineBytes = 128;
inline constexpr std::uint64_t kL2SectorBytes = 32;
inline constexpr int kSectorsPerLine = static_cast<int>(kL2LineBytes / kL2SectorBytes);

/// One request from the SMs to the L2.
struct L2Access {
  std::uint64_t line = 0;    // byte address / 128
  std::uint8_t sectors = 0;  // bit i set: sector i of the line (1..15)
  bool write = false;        // a store; writes allocate without fetching (per-sector masks)
  bool operator==(const L2Access&) const = default;
};

/// Receives a kernel's accesses in order, in chunks, so that no stream is ever held whole.
class AccessSink {
 public:
  virtual ~AccessSink() = default;
  virtual void consume(std::span<const L2Access> accesses) = 0;
};

}  // namespace deepnvm
