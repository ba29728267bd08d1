// SPDX-License-Identifier: MIT
#include "deepnvm/study/energy_delay.h"

#include <algorithm>
#include <cmath>

#include "deepnvm/core/error.h"

namespace deepnvm::study {

const char* bound_name(Bound bound) {
  switch (bound) {
    case Bound::compute:
      return "compute";
    case Bound::l2:
      return "l2";
    case Bound::dram:
      return "dram";
  }
  return "compute";
}

ArrayOps array_ops(const TrafficCounters& c) {
  ArrayOps ops;
  ops.reads = static_cast<double>(c.l2_read_sectors);
  ops.writes = static_cast<double>(c.l2_write_sectors);
  ops.fills = static_cast<double>(c.dram_read_bytes) / kSectorBytes;
  ops.writebacks = static_cast<double>(c.dram_write_bytes) / kSectorBytes;
  return ops;
}

PerDelay EnergyDelay::energy() const {
  return {dynamic + leakage.access_sum + dram, dynamic + leakage.roofline + dram};
}

PerDelay EnergyDelay::edp() const {
  const PerDelay e = energy();
  return {e.access_sum * delay.access_sum, e.roofline * delay.roofline};
}

double RooflineTime::time() const { return std::max({compute, l2, dram}); }

Bound RooflineTime::bound() const {
  if (compute >= l2 && compute >= dram) return Bound::compute;
  return l2 >= dram ? Bound::l2 : Bound::dram;
}

namespace {

void check_inputs(const L2Figures& l2, const SystemRates& rates) {
  if (!(l2.slices >= 1)) throw ModelError("L2 '{}': expected at least one slice, got {}", l2.technology, l2.slices);
  for (const auto& [what, v] : {std::pair{"read latency", l2.read_latency},
                                {"write latency", l2.write_latency},
                                {"read energy", l2.read_energy},
                                {"write energy", l2.write_energy},
                                {"leakage", l2.leakage}})
    if (!(v >= 0) || !std::isfinite(v))
      throw ModelError("L2 '{}': {} must be finite and >= 0, got {}", l2.technology, what, v);
  if (!(rates.peak_flops > 0) || !(rates.dram_bandwidth > 0) || !(rates.slice_cycle > 0) ||
      !(rates.dram_energy_per_bit >= 0))
    throw ModelError("system rates must be positive (peak {} FLOP/s, DRAM {} B/s, slice cycle {} s, DRAM {} J/bit)",
                     rates.peak_flops, rates.dram_bandwidth, rates.slice_cycle, rates.dram_energy_per_bit);
}

double dynamic_energy(const ArrayOps& ops, const L2Figures& l2) {
  // Fills write a sector into the array; write-backs read one out (docs/models/study.md §1).
  return ops.reads * l2.read_energy + ops.writes * l2.write_energy + ops.fills * l2.write_energy +
         ops.writebacks * l2.read_energy;
}

double dram_energy(const TrafficCounters& c, const SystemRates& rates) {
  return 8.0 * static_cast<double>(c.dram_read_bytes + c.dram_write_bytes) * rates.dram_energy_per_bit;
}

}  // namespace

double access_sum_delay(const TrafficCounters& c, const L2Figures& l2) {
  return static_cast<double>(c.l2_read_sectors) * l2.read_latency +
         static_cast<double>(c.l2_write_sectors) * l2.write_latency;
}

RooflineTime roofline_time(const TrafficCounters& c, const L2Figures& l2, const SystemRates& rates) {
  const ArrayOps ops = array_ops(c);
  // A slice accepts one access per cycle at best; an access that takes longer than a cycle holds its
  // slice (the array model builds one single-ported bank per slice), so NVM writes cost bandwidth.
  const double read_occupancy = std::max(l2.read_latency, rates.slice_cycle);
  const double write_occupancy = std::max(l2.write_latency, rates.slice_cycle);
  RooflineTime t;
  t.compute = static_cast<double>(c.flops) / rates.peak_flops;
  t.l2 = ((ops.reads + ops.writebacks) * read_occupancy + (ops.writes + ops.fills) * write_occupancy) /
         static_cast<double>(l2.slices);
  t.dram = static_cast<double>(c.dram_read_bytes + c.dram_write_bytes) / rates.dram_bandwidth;
  return t;
}

EnergyDelay evaluate_energy_delay(const Traffic& traffic, const L2Figures& l2, const SystemRates& rates,
                                  const EnergyDelayOptions& options) {
  check_inputs(l2, rates);
  EnergyDelay out;
  const TrafficCounters total = traffic.total();
  out.ops = array_ops(total);
  out.dynamic = dynamic_energy(out.ops, l2);
  out.dram = options.dram_energy ? dram_energy(total, rates) : 0.0;
  out.delay.access_sum = access_sum_delay(total, l2);
  if (options.kernels) out.kernels.reserve(traffic.kernels.size());
  for (const KernelTraffic& k : traffic.kernels) {
    const RooflineTime t = roofline_time(k.counters, l2, rates);
    out.delay.roofline += t.time();
    if (!options.kernels) continue;
    KernelEnergyDelay e;
    e.name = k.name;
    e.layer = k.layer;
    e.dynamic = dynamic_energy(array_ops(k.counters), l2);
    e.dram = options.dram_energy ? dram_energy(k.counters, rates) : 0.0;
    e.delay = {access_sum_delay(k.counters, l2), t.time()};
    e.leakage = {l2.leakage * e.delay.access_sum, l2.leakage * e.delay.roofline};
    e.bound = t.bound();
    out.kernels.push_back(std::move(e));
  }
  out.leakage = {l2.leakage * out.delay.access_sum, l2.leakage * out.delay.roofline};
  return out;
}

}  // namespace deepnvm::study
