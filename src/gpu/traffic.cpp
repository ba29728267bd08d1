// SPDX-License-Identifier: MIT
#include "deepnvm/gpu/traffic.h"

namespace deepnvm {

TrafficCounters& TrafficCounters::operator+=(const TrafficCounters& other) {
  l2_read_sectors += other.l2_read_sectors;
  l2_write_sectors += other.l2_write_sectors;
  l2_read_hits += other.l2_read_hits;
  l2_write_hits += other.l2_write_hits;
  l2_write_allocates += other.l2_write_allocates;
  dram_read_bytes += other.dram_read_bytes;
  dram_write_bytes += other.dram_write_bytes;
  flops += other.flops;
  time_s += other.time_s;
  return *this;
}

TrafficCounters Traffic::total() const {
  TrafficCounters sum;
  for (const auto& kernel : kernels) sum += kernel.counters;
  return sum;
}

}  // namespace deepnvm
