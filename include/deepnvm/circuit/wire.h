// SPDX-License-Identifier: MIT
#pragma once

// NVSim's interconnect model (Wire.cpp, commit 6334d00; shared/docs/notes/array-model.md §2.1):
// per-length resistance and capacitance of one wire type, and the delay, dynamic energy and leakage of
// a wire of a given length driven unrepeated (full swing or low swing) or with repeaters (optimal or
// with an x % delay penalty). The same object serves the local wires of a subarray (only r and c are
// read there) and the global wires of the H-tree.

#include "deepnvm/circuit/device.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::circuit {

/// NVSim's WireRepeaterType: no repeaters, delay-optimal repeaters, or repeaters shrunk until the
/// delay is `x` % above the optimum (5, 10, 20, 30, 40, 50 %).
enum class RepeaterKind { none, optimal, penalty_5, penalty_10, penalty_20, penalty_30, penalty_40, penalty_50 };

/// The delay penalty of `kind` as a fraction (0.05 for penalty_5); 0 for none and optimal
/// [NVSim Wire.cpp Initialize; note §2.1].
double repeater_penalty(RepeaterKind kind);

/// @brief How a wire is driven. Low swing exists only unrepeated (NVSim exits on the combination; here
/// the model is returned with `valid == false`).
struct WireSpec {
  RepeaterKind repeater = RepeaterKind::none;
  bool low_swing = false;
  // Sense voltage of the low-swing receiver: the cell's MinSenseVoltage (NVSim passes cell->minSenseVoltage).
  double sense_voltage = 0.08;  // V
};

/// @brief One wire type at one operating point, with its repeater solution. Built once per wire
/// choice (not per organisation candidate); cheap to copy.
struct WireModel {
  bool valid = true;
  RepeaterKind repeater = RepeaterKind::none;
  bool low_swing = false;
  double sense_voltage = 0.08;  // V (low swing)

  double pitch = 0.0;           // m, the table's wire pitch
  double res_per_length = 0.0;  // Ohm/m at the device temperature
  double cap_per_length = 0.0;  // F/m

  // Repeated wires only (zero otherwise).
  double repeater_size = 0.0;     // in units of the reference inverter (N = W_min, P = r_pn W_min)
  double repeater_spacing = 0.0;  // m
  double repeater_height = 0.0;   // m, footprint of one repeater, swapped so that width >= height
  double repeater_width = 0.0;    // m
  double repeated_pitch = 0.0;    // m, pitch + repeater_width: the routing pitch of a repeated wire

  // Per-length figures of the repeated wire (zero if unrepeated).
  double delay_per_length = 0.0;    // s/m
  double energy_per_length = 0.0;   // J/m
  double leakage_per_length = 0.0;  // W/m

  DeviceModel device;  // the periphery device that drives the wire (repeaters, low-swing transmitter)
};

/// @brief Builds the wire model of table entry `wire` driven as `spec`, at `device`'s temperature
/// [NVSim Wire.cpp Initialize, findOptimalRepeater, findPenalizedRepeater; note §2.1]. The per-length
/// r and c come from tech/formulas.h. NVSim chooses the wire table of the next larger-or-equal table
/// node and forces F to that node inside the wire (quirk Q14); here the Technology's wire entry is
/// taken as given (find_technology / interpolate_technology already take the wires of the next larger
/// node) and only the repeaters use `device.feature_size`, as NVSim's repeaters use the global tech.
/// Repeaters: quirk Q15 (reference resistance R_n + R_p; the wire-resistance term charges the
/// repeater's own output cap) and quirk Q16 (penalised search explores sizes only at the first spacing).
WireModel make_wire_model(const DeviceModel& device, const Wire& wire, const WireSpec& spec);

/// The same from per-length r (Ohm/m), c (F/m) and pitch (m) given directly (tests, other table sets).
WireModel make_wire_model(const DeviceModel& device, double res_per_length, double cap_per_length, double pitch,
                          const WireSpec& spec);

/// Delay, dynamic energy per transition and leakage of one wire of a given length.
struct WireFigures {
  double delay = 0.0;    // s
  double energy = 0.0;   // J
  double leakage = 0.0;  // W
};

/// @brief Figures of one wire of `length` (m) [NVSim Wire.cpp CalculateLatencyAndPower; note §2.1]:
/// unrepeated full swing: delay 2.3 r c L^2 / 2, energy c L Vdd^2, leakage 0; repeated: the per-length
/// figures times L; low swing: NAND2 + inverter + NMOS driver into the differential wire loaded by a
/// sense amp. NVSim only sizes that sense amp (CalculateRC) and adds its never-computed latency, energy
/// and leakage, which are 0; reproduced: the receiver adds its input capacitance only. An invalid
/// model gives kInfinite in every figure.
WireFigures wire_figures(const WireModel& wire, double length);

/// The repeated-wire delay, energy and leakage per length for a repeater of `size` at `spacing`
/// [NVSim Wire.cpp getRepeatedWireUnit*]; exposed for tests and the penalised search.
WireFigures repeated_wire_per_length(const DeviceModel& device, double res_per_length, double cap_per_length,
                                     double size, double spacing);

}  // namespace deepnvm::circuit
