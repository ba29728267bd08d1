// SPDX-License-Identifier: MIT
#pragma once

// The energy/delay model of the DeepNVM++ studies (docs/models/study.md §1-§3): the traffic of one
// training iteration or one inference at the simulated L2, times the per-access figures of an L2 built
// from one technology at one capacity, gives energy, delay and EDP, per kernel and in total.
//
// - One 32-byte sector lookup is one array access (the arrays are evaluated with a 32 B access word).
// - L2 energy = read lookups x E_read + write lookups x E_write + fill sectors x E_write
//   + dirty write-backs x E_read + leakage x delay; DRAM energy = 8 x DRAM bytes x e_bit (switchable).
// - Delay `access_sum` = sum of reads x read latency + writes x write latency (exactly);
//   `roofline` = sum over kernels of max(compute, L2 throughput, DRAM) time, where the L2 throughput
//   time lets every slice serve one access per max(access latency, slice cycle), so slow writes cost
//   bandwidth. Each delay has its own leakage energy and EDP.
//
// Pure functions on plain values: no model is called here, so tests feed synthetic traffic.

#include <cstdint>
#include <string>
#include <vector>

#include "deepnvm/gpu/traffic.h"

namespace deepnvm::study {

/// Bytes of one L2 sector, the unit of every L2 counter (gpu/traffic.h).
inline constexpr double kSectorBytes = 32.0;

/// @brief Per-access figures of a whole L2 (all slices) of one technology at one capacity. SI units.
struct L2Figures {
  std::string technology;      ///< "sram", "stt_mram", ...
  std::uint64_t capacity = 0;  ///< bytes, all slices
  int slices = 1;              ///< identical slices; each serves its share of the accesses
  double area = 0;             ///< m², all slices
  double read_latency = 0;     ///< s per sector read (cache hit latency)
  double write_latency = 0;    ///< s per sector write
  double read_energy = 0;      ///< J per sector read (tag + data)
  double write_energy = 0;     ///< J per sector write (tag + data)
  double leakage = 0;          ///< W, all slices
  bool operator==(const L2Figures&) const = default;
};

/// @brief The GPU around the L2, for the roofline and DRAM energy.
struct SystemRates {
  double peak_flops = 0;           ///< FLOP/s of the workload's dtype
  double dram_bandwidth = 0;       ///< bytes/s
  double slice_cycle = 0;          ///< s: shortest time between two accesses of one slice (its port clock)
  double dram_energy_per_bit = 0;  ///< J per bit moved to or from DRAM
  bool operator==(const SystemRates&) const = default;
};

struct EnergyDelayOptions {
  bool dram_energy = true;  ///< add DRAM energy to the total (and so to the EDP)
  bool kernels = true;      ///< keep the per-kernel breakdown
};

/// A figure under each delay model.
struct PerDelay {
  double access_sum = 0;
  double roofline = 0;
  bool operator==(const PerDelay&) const = default;
};

/// What limits a kernel's roofline time.
enum class Bound { compute, l2, dram };
const char* bound_name(Bound bound);

/// Sector operations the L2 arrays perform.
struct ArrayOps {
  double reads = 0;       ///< read lookups
  double writes = 0;      ///< write lookups
  double fills = 0;       ///< sectors filled from DRAM (written into the array)
  double writebacks = 0;  ///< dirty sectors written back (read out of the array)
  bool operator==(const ArrayOps&) const = default;
};
ArrayOps array_ops(const TrafficCounters& counters);

/// Energy and delay of one kernel.
struct KernelEnergyDelay {
  std::string name, layer;
  double dynamic = 0;  ///< J
  double dram = 0;     ///< J (0 when DRAM energy is off)
  PerDelay delay;      ///< s
  PerDelay leakage;    ///< J
  Bound bound = Bound::compute;
};

/// @brief Energy and delay of one workload iteration.
struct EnergyDelay {
  ArrayOps ops;
  double dynamic = 0;  ///< J: the L2 arrays' dynamic energy
  double dram = 0;     ///< J: DRAM energy (0 when switched off)
  PerDelay delay;      ///< s
  PerDelay leakage;    ///< J: L2 leakage x each delay
  std::vector<KernelEnergyDelay> kernels;

  PerDelay energy() const;  ///< dynamic + leakage + dram, per delay model
  PerDelay edp() const;     ///< energy x delay, per delay model
};

/// The roofline time of one kernel and what bounds it.
struct RooflineTime {
  double compute = 0, l2 = 0, dram = 0;
  double time() const;
  Bound bound() const;
};
RooflineTime roofline_time(const TrafficCounters& counters, const L2Figures& l2, const SystemRates& rates);

/// The closed form of the access_sum delay: reads x read latency + writes x write latency.
double access_sum_delay(const TrafficCounters& counters, const L2Figures& l2);

/// @brief Evaluates `traffic` on `l2`. ModelError on non-positive rates or figures.
EnergyDelay evaluate_energy_delay(const Traffic& traffic, const L2Figures& l2, const SystemRates& rates,
                                  const EnergyDelayOptions& options = {});

}  // namespace deepnvm::study
