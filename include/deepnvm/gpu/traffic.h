// SPDX-License-Identifier: MIT
#pragma once

// L2 and DRAM traffic of a workload, per kernel and in total: the one type that both the traffic
// model (cachesim) and the profiler importers (profile) produce, so a study can use either.
//
// Counter semantics follow the hardware (docs/models/traffic.md maps each field to nvprof and
// Nsight Compute metrics):
// - l2_read_sectors / l2_write_sectors: 32-byte sector lookups by the SMs
//   (lts__t_sectors_srcunit_tex_op_read.sum / _op_write.sum).
// - l2_read_hits: read sectors found valid in the L2.
// - l2_write_hits: as NVIDIA counts them, every write sector whose lookup does not stall on DRAM:
//   true hits plus write-allocates (a write to an absent sector allocates it with a byte mask and
//   reads nothing; hardware reports it as a hit, Accel-Sim PR #141).
// - l2_write_allocates: the part of l2_write_hits that was an internal miss (sector absent).
// - dram_read_bytes / dram_write_bytes: sector fills and dirty-sector write-backs, 32 B each.

#include <cstdint>
#include <string>
#include <vector>

namespace deepnvm {

struct TrafficCounters {
  std::int64_t l2_read_sectors = 0;
  std::int64_t l2_write_sectors = 0;
  std::int64_t l2_read_hits = 0;
  std::int64_t l2_write_hits = 0;
  std::int64_t l2_write_allocates = 0;
  std::int64_t dram_read_bytes = 0;
  std::int64_t dram_write_bytes = 0;
  std::int64_t flops = 0;
  double time_s = 0;  // model: roofline over compute, L2 and DRAM bandwidth; measured: kernel duration

  TrafficCounters& operator+=(const TrafficCounters& other);
  bool operator==(const TrafficCounters&) const = default;
};

/// One kernel launch and the layer (and training pass) it belongs to.
struct KernelTraffic {
  std::string name;
  std::string layer;
  TrafficCounters counters;
  bool operator==(const KernelTraffic&) const = default;
};

/// A workload's traffic: kernels in launch order.
struct Traffic {
  std::string source;  // "model", "ncu" or "nvprof"
  std::vector<KernelTraffic> kernels;

  TrafficCounters total() const;
};

}  // namespace deepnvm
