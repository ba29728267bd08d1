// SPDX-License-Identifier: MIT
#pragma once

// NVSim's NMOS pass-transistor column multiplexer (Mux.cpp, commit 6334d00;
// shared/docs/notes/array-model.md §2.6): the bitline mux in front of the sense amps and the two
// output mux levels behind them.

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"

namespace deepnvm::circuit {

/// @brief One level of column muxes: `instances` muxes of `inputs` inputs each.
struct MuxSpec {
  int inputs = 1;                   // mux degree (m_SA, m_1 or m_2)
  long long instances = 0;          // N_col/m_SA, N_col/(m_SA m_1), N_col/M
  double load_cap = 0.0;            // F, what one mux output drives (sense-amp input cap, next level)
  double next_input_cap = 0.0;      // F, input cap of the next stage, for the energy
  double min_driver_current = 0.0;  // A, current the pass transistor must carry (I_bl,max, §2.10)
  // Non-volatile resistive cells (MRAM, PCM, ReRAM): size the pass device so that its resistance is at
  // most 0.2 R_on of the cell (IR_DROP_TOLERANCE). Zero for SRAM.
  bool resistive_cell = false;
  double cell_on_resistance = 0.0;  // Ohm
};

/// @brief A sized mux level. All capacitances and the resistance stay 0 when the level does not exist
/// (degree 1 or no instances): NVSim then computes nothing (quirk Q26), so the callers see no bitline
/// mux load and no sense-amp cap behind it. `figures`: height of one pass device, width = instances x
/// inputs x device width; latency 2.3 R (C_out + C_load) (input slope ignored; read = write); energy of
/// all instances (read = write); leakage 0.
struct Mux {
  bool exists = false;             // inputs > 1 and instances > 0
  double pass_width = 0.0;         // m, NMOS pass-transistor width
  double pass_cap = 0.0;           // F, drain cap of one pass device (NVSim capForPreviousPowerCalculation)
  double output_cap = 0.0;         // F, inputs x pass_cap
  double load_for_previous = 0.0;  // F, output_cap + pass_cap + load (NVSim capForPreviousDelayCalculation)
  double pass_resistance = 0.0;    // Ohm
  BlockFigures figures;
};

/// @brief Sizes one mux level and evaluates it [NVSim Mux.cpp; note §2.6]. Pass width: max(6 W_min,
/// I_min/I_on,n); for resistive cells first R_on,n(F) F/(0.2 R_on,cell) clamped to MaxNmosSize F.
/// Drain cap in a 40F region; energy instances (C_out + C_next) Vdd (Vdd - Vth).
Mux size_mux(const DeviceModel& device, const MuxSpec& spec);

}  // namespace deepnvm::circuit
