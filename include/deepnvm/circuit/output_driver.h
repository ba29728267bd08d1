// SPDX-License-Identifier: MIT
#pragma once

// The logical-effort inverter chain that NVSim puts behind every decoder gate, precharger and
// predecoder ("OutputDriver"; NVSim OutputDriver.cpp at commit 6334d00; shared/docs/notes/array-model.md
// §2.0 "Logical-effort buffer chain"). Sizing is a pure function of the device and the spec; the
// delay depends on the input slope and is a separate function.

#include <array>
#include <string_view>

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"

namespace deepnvm::circuit {

/// How a driver chain trades latency against area (NVSim's BufferDesignTarget:
/// latency_first, latency_area_trade_off, area_first).
enum class BufferStyle { latency, balance, area };

/// Longest inverter chain NVSim builds (MAX_INV_CHAIN_LEN).
inline constexpr int kMaxInverterChain = 20;
/// NVSim's target stage effort (OPT_F).
inline constexpr double kOptimalStageEffort = 4.0;

/// @brief What the chain must drive, and what drives it.
struct OutputDriverSpec {
  double logical_effort = 1.0;     // g of the gate in front of the chain
  double input_cap = 0.0;          // F, input capacitance of that gate
  double output_cap = 0.0;         // F, the load at the chain's output
  double output_resistance = 0.0;  // ohm, series (wire) resistance of the load
  bool inverse = true;             // whether the chain inverts (every NVSim caller passes true)
  BufferStyle style = BufferStyle::latency;
  double min_driver_current = 0.0;  // A the last stage must be able to sink
};

/// @brief A sized inverter chain. `figures` holds height, width, energy per switching event and
/// leakage; its latency fields stay 0 (use output_driver_delay). Invalid drivers carry kInfinite
/// in every figure.
struct OutputDriver {
  bool valid = false;
  std::string_view invalid_reason;
  int stages = 0;
  // One extra slot: NVSim's balanced style can address stage MAX_INV_CHAIN_LEN (never reached in
  // practice, it needs a path effort above 4^20).
  std::array<double, kMaxInverterChain + 1> width_n{}, width_p{};  // m, per stage
  std::array<double, kMaxInverterChain + 1> cap_in{}, cap_out{};   // F, per stage (20F regions)
  double input_cap = 0.0;                                          // F, cap_in[0] (0 for a chain of no stages)
  double load_cap = 0.0;                                           // F, copy of spec.output_cap
  double load_resistance = 0.0;                                    // ohm, copy of spec.output_resistance
  BlockFigures figures;
};

/// @brief Sizes the chain as NVSim's OutputDriver::Initialize, CalculateArea, CalculateRC and
/// CalculatePower do [NVSim OutputDriver.cpp; note §2.0]: latency style picks the stage count
/// from log4 of the path effort (made odd for an inverting chain, at most 20) and sizes backwards
/// from the load, falling back to the balanced style if the last stage cannot sink
/// `min_driver_current`; balanced fixes the last stage at the current-derived width; area is a
/// single inverter. Invalid if the current needs a wider NMOS than MaxNmosSize.
OutputDriver size_output_driver(const DeviceModel& d, const OutputDriverSpec& spec);

/// @brief Delay of the chain for an input slope `ramp_in` (1/s): Horowitz per stage with the
/// slope propagated, the last stage loaded by the load capacitance plus half the load RC
/// [NVSim OutputDriver.cpp CalculateLatency; note §2.0]. Invalid drivers give kInfinite latency.
Delay output_driver_delay(const DeviceModel& d, const OutputDriver& driver, double ramp_in);

/// @brief Delay of a NAND gate of `nand_inputs` series NMOS of width `nand_width_n` (output cap
/// `nand_output_cap`) driving `driver`, the decoder stage shared by NVSim's BasicDecoder and
/// RowDecoder [NVSim BasicDecoder.cpp, RowDecoder.cpp CalculateLatency; note §2.2-2.3]. With no NAND
/// (`nand_inputs` 0) the driver alone.
Delay nand_and_driver_delay(const DeviceModel& d, int nand_inputs, double nand_width_n, double nand_output_cap,
                            const OutputDriver& driver, double ramp_in);

}  // namespace deepnvm::circuit
