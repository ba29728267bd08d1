// SPDX-License-Identifier: MIT
#pragma once

// The 1->2, 2->4 and 3->8 decoders predecode blocks are built from (NVSim BasicDecoder.cpp at
// commit 6334d00; shared/docs/notes/array-model.md §2.2).

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"
#include "deepnvm/circuit/output_driver.h"

namespace deepnvm::circuit {

/// @brief A basic decoder of 1, 2 or 3 address bits and the load on each of its outputs.
struct BasicDecoderSpec {
  int address_bits = 1;          // 1, 2 or 3
  double load_cap = 0.0;         // F per output
  double load_resistance = 0.0;  // ohm per output
};

/// @brief A sized basic decoder. `figures`: area of all its outputs, energy of one output switching,
/// leakage of all gates; latency fields stay 0 (use basic_decoder_delay).
struct BasicDecoder {
  bool valid = false;
  int nand_inputs = 0;                                 // 0 for 1->2 (inverter chain only), else 2 or 3
  int nand_gates = 0;                                  // 0, 4 or 8
  double nand_width_n = 0.0, nand_width_p = 0.0;       // m
  double nand_input_cap = 0.0, nand_output_cap = 0.0;  // F (0 for 1->2)
  OutputDriver driver;                                 // latency-first chain behind each gate
  BlockFigures figures;
};

/// @brief Sizes a basic decoder as NVSim's BasicDecoder does [NVSim BasicDecoder.cpp; note §2.2]:
/// 1 bit: a latency-first inverter chain (g = 1) with two outputs; 2 (3) bits: four NAND2 (eight
/// NAND3) of N width k W_min, P width r_pn W_min, each followed by a latency-first chain.
BasicDecoder size_basic_decoder(const DeviceModel& d, const BasicDecoderSpec& spec);

/// @brief Latency and output slope of a basic decoder for input slope `ramp_in` (1/s)
/// [NVSim BasicDecoder.cpp CalculateLatency; note §2.2].
Delay basic_decoder_delay(const DeviceModel& d, const BasicDecoder& decoder, double ramp_in);

}  // namespace deepnvm::circuit
