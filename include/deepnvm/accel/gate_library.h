// SPDX-License-Identifier: MIT
#pragma once

// The analytical cell library a synthesized PE (netlist.h) is costed with: the inverter and the
// two-input NAND and NOR gate of the circuit layer (NVSim's formula.cpp: layout area, gate and drain
// capacitance, on-resistance, subthreshold leakage), sized at the chosen node and device, so PE
// figures come from the same device tables as the memory arrays. No foundry library is involved.
//
// Sizing: the inverter is minimum-width nMOS (1.5 F) with a pMOS pn_size_ratio times wider; each gate
// doubles the width of its series network so that its worst-case pull-down and pull-up match the
// inverter's (the textbook logical-effort sizing).

#include <array>

#include "deepnvm/accel/netlist.h"
#include "deepnvm/circuit/device.h"

namespace deepnvm::accel {

struct LibraryGate {
  GateKind kind = GateKind::inv;
  int inputs = 1;
  double width_n = 0.0, width_p = 0.0;  ///< m, each transistor of the network
  double area = 0.0;                    ///< m^2, NVSim's gate layout in a 20 F region
  double input_cap = 0.0;               ///< F, per input pin
  double output_cap = 0.0;              ///< F, drain capacitance at the output
  double leakage = 0.0;                 ///< W, subthreshold (NVSim's stack model) times Vdd
  double resistance = 0.0;              ///< Ohm, worst of the pull-down and pull-up networks
  double transconductance = 0.0;        ///< S, of one nMOS input transistor (Horowitz's beta)
};

struct GateLibrary {
  double vdd = 0.0;
  double feature_size = 0.0;
  std::array<LibraryGate, 3> gates{};  ///< indexed by GateKind
  const LibraryGate& operator[](GateKind kind) const { return gates[static_cast<std::size_t>(kind)]; }
};

/// @brief The library at `device` (from circuit::make_device_model at the node, flavour and temperature).
GateLibrary gate_library(const circuit::DeviceModel& device);

}  // namespace deepnvm::accel
