// SPDX-License-Identifier: MIT
#pragma once

// One accelerator design point (docs/models/accel.md §8): a hardware configuration priced by its
// components (fitted PE model, register-file scratchpads, array-model global buffer, NoC wires,
// DRAM), running every layer of a network with its dataflow's mapping (mapping.h). Layers run one
// after another; each reads its inputs and weights from DRAM and writes its outputs back.

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "deepnvm/accel/mapping.h"
#include "deepnvm/accel/pe.h"
#include "deepnvm/accel/pe_model.h"
#include "deepnvm/accel/storage.h"

namespace deepnvm::accel {

/// The hardware of one design point.
struct AccelConfig {
  std::string pe_name;  ///< as written in the sweep ("int8", "light1")
  PeSpec pe;
  MappingHardware array;
  std::uint64_t glb_bytes = 128 * 1024;
  std::string glb_cell = "sram";
  double dram_bandwidth = 25.6e9;  ///< bytes/s
  double clock = 500e6;            ///< Hz
};

/// What the components of one configuration cost (accel.md §8): per PE, per scratchpad and global
/// buffer access, per bit moved.
struct ComponentFigures {
  PeEstimate pe;
  StorageFigures ifmap_spad, filter_spad, psum_spad, glb;
  int glb_word_bits = 64;
  int glb_banks = 8;
  double pe_pitch = 0.0;             ///< m, side of a PE with its scratchpads
  double bus_energy_per_bit = 0.0;   ///< J per bit over an array-spanning bus
  double hop_energy_per_bit = 0.0;   ///< J per bit to a neighbouring PE
  double dram_energy_per_bit = 0.0;  ///< J
};

/// Wire capacitance and supply for the NoC: the node's wires at the gate library's Vdd.
struct NocWires {
  double cap_per_length = 0.0;  ///< F/m
  double vdd = 0.0;             ///< V
};

/// @brief The component figures of `config`: PE from `fit`; scratchpads from `library` with their
/// read ports from `ports` (ifmap words are activations, filter words weight codes, psum words
/// accumulators; ModelError for a shape the table lacks); the global buffer `glb` given
/// (global_buffers()); NoC energies from the PE pitch (random data: ½ of the bits toggle, ½CV² per
/// transition).
ComponentFigures component_figures(const AccelConfig& config, const PeModelFit& fit, const GateLibrary& library,
                                   const ReadPortTable& ports, const StorageFigures& glb, int glb_word_bits,
                                   int glb_banks, const NocWires& wires, double dram_energy_per_bit);

/// The scratchpad shapes (entries, word bits) of `config`: ifmap, filter, psum.
std::array<std::pair<std::int64_t, int>, 3> scratchpad_shapes(const AccelConfig& config);

/// Energy of one inference by component, J.
struct EnergyBreakdown {
  double mac = 0.0, spad = 0.0, glb = 0.0, noc = 0.0, dram = 0.0, leakage = 0.0;
  double total() const { return mac + spad + glb + noc + dram + leakage; }
};

/// The figures of one design point running one network (one inference of its batch).
struct DesignMetrics {
  bool feasible = true;
  std::string why;    ///< why not, naming the layer
  double area = 0.0;  ///< m^2
  double macs = 0.0;
  double compute_cycles = 0.0, stall_cycles = 0.0, cycles = 0.0;
  double latency = 0.0;      ///< s
  double utilization = 0.0;  ///< macs / (PEs · compute cycles)
  double dram_bytes = 0.0;
  EnergyBreakdown energy;
  double perf_per_area = 0.0;      ///< ops/s per m^2 (one MAC is 2 ops)
  double energy_efficiency = 0.0;  ///< ops/J
};

/// @brief `config` (priced by `parts`) running `layers`. Infeasible (not an exception) when the PE's
/// critical path exceeds the clock period or a layer cannot be mapped.
DesignMetrics evaluate_design(const AccelConfig& config, const ComponentFigures& parts, const NetworkLayers& layers);

}  // namespace deepnvm::accel
