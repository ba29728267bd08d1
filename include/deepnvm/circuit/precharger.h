// SPDX-License-Identifier: MIT
#pragma once

// NVSim's bitline precharger (Precharger.cpp, commit 6334d00; shared/docs/notes/array-model.md §2.5):
// per column two 6F precharge PMOS, a W_min equaliser PMOS and an inverter driving them, all enabled
// through one latency-first OutputDriver chain.

#include <string_view>

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"
#include "deepnvm/circuit/output_driver.h"

namespace deepnvm::circuit {

/// Bitline precharge PMOS width in units of F [NVSim Precharger.cpp].
inline constexpr double kPrechargePmosWidthF = 6.0;

/// @brief The precharger of one subarray.
struct PrechargerSpec {
  double precharge_voltage = 0.0;    // V; NVSim's callers always pass Vdd (quirk Q27)
  long long columns = 0;             // N_col
  double bitline_cap = 0.0;          // F, C_bl of one column
  double bitline_resistance = 0.0;   // Ohm, R_bl of one column
  double wire_cap_per_column = 0.0;  // F, enable-wire load per column: cell width x local-wire c_w
};

/// @brief The sized precharger. `figures`: height, width, read energy (write energy 0: no precharge on
/// writes) and leakage; latencies come from precharger_delay().
struct Precharger {
  bool valid = false;
  std::string_view invalid_reason;
  OutputDriver driver;              // the enable chain
  double inverter_width_n = 0.0;    // m, W_min
  double inverter_width_p = 0.0;    // m, r_pn W_min
  double inverter_load_cap = 0.0;   // F, what one column inverter drives
  double bitline_output_cap = 0.0;  // F, drains of the 6F precharge and the equaliser PMOS
  double bitline_cap = 0.0;         // F, copied from the spec
  double bitline_resistance = 0.0;  // Ohm, copied from the spec
  BlockFigures figures;
};

/// @brief Sizes the precharger and evaluates area, energy and leakage [NVSim Precharger.cpp; note
/// §2.5]. Read energy = chain + N_col (C_g(W_min) + 2 C_g(6F) + inverter drains) Vdd^2; leakage = chain
/// + N_col Vdd I_INV(inverter) + N_col V_p I_off,p 6F with V_p the spec's precharge voltage, which NVSim
/// passes as Vdd also for SRAM and for MRAM/PCM/ReRAM (quirk Q27). Area: per column max(2 w(6F) +
/// w(equaliser), w(inverter)) x N_col, at least the chain width; height max(PMOS heights) + inverter
/// height, at least the chain height (a wide precharger is not folded: quirk Q25, in the subarray).
Precharger size_precharger(const DeviceModel& device, const PrechargerSpec& spec);

/// Latencies of the precharger for one input slope.
struct PrechargerDelay {
  double enable_latency = 0.0;  // s, chain + column inverter
  Delay precharge;              // bitline restore through the 6F PMOS: NVSim's "Precharge Latency"
};

/// @brief Enable and precharge latency for input slope `ramp_in` [NVSim Precharger.cpp
/// CalculateLatency]: enable = chain + Horowitz(R_on,n(W_min) C_inv,load); precharge = Horowitz(
/// R_on,p(6F)(C_bl + C_out) + R_bl C_bl/2, beta of the 6F PMOS, slope of the inverter). Not on the
/// read path (cycle time only).
PrechargerDelay precharger_delay(const DeviceModel& device, const Precharger& precharger, double ramp_in);

}  // namespace deepnvm::circuit
