// SPDX-License-Identifier: MIT
#pragma once

// A predecode block: the basic decoders of n address bits and the NAND stages that combine them
// (NVSim PredecodeBlock.cpp at commit 6334d00; shared/docs/notes/array-model.md §2.2). A mat has
// eight of them (row, bitline mux, output mux L1 and L2; two blocks each).

#include <string_view>

#include "deepnvm/circuit/basic_decoder.h"
#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"
#include "deepnvm/circuit/row_decoder.h"

namespace deepnvm::circuit {

/// @brief The bits a block decodes and the load on each of its 2^n outputs.
struct PredecodeBlockSpec {
  int address_bits = 0;          // 0 (no block) .. 27
  double load_cap = 0.0;         // F per output
  double load_resistance = 0.0;  // ohm per output
};

/// @brief A sized predecode block. Basic decoders: path A (a1, and a2 when it has both 2->4 and
/// 3->8 decoders), B and C; NAND stages: stage1a (and stage1b, stage1c) and stage2. `figures`:
/// footprint, energy and leakage as NVSim sums them; latency fields stay 0 (use
/// predecode_block_delay). A block of 0 bits is valid and costs nothing.
struct PredecodeBlock {
  bool valid = false;
  std::string_view invalid_reason;
  int address_bits = 0;
  int basic_decoders = 0;  // 1->2, 2->4 and 3->8 decoders in the block
  // Basic decoders and how many copies of each the layout holds.
  BasicDecoder a1, a2, b, c;
  int count_a1 = 0, count_a2 = 0, count_b = 0, count_c = 0;  // 0: absent
  // NAND stages (absent when has_* is false).
  RowDecoder stage1a, stage1b, stage1c, stage2;
  bool has_stage1a = false, has_stage1b = false, has_stage1c = false, has_stage2 = false;
  BlockFigures figures;
};

/// @brief Sizes a predecode block as NVSim's PredecodeBlock does [NVSim PredecodeBlock.cpp; note
/// §2.2]: n = 1 is one 1->2; otherwise one 2->4 if n mod 3 = 2, two if n mod 3 = 1, the rest 3->8.
/// One basic decoder drives the load itself; two or three feed a NAND stage that drives it; four
/// to nine feed two or three stage-1 NAND arrays and a stage-2 NAND. Invalid above 27 bits.
PredecodeBlock size_predecode_block(const DeviceModel& d, const PredecodeBlockSpec& spec);

/// @brief Latency (max over its paths) and output slope (the max slope of its paths; the input
/// slope for a 0-bit block) of a predecode block [NVSim PredecodeBlock.cpp CalculateLatency; note
/// §2.2]. Reproduces quirk Q19: the A2 path adds A1's basic-decoder delay.
Delay predecode_block_delay(const DeviceModel& d, const PredecodeBlock& block, double ramp_in);

}  // namespace deepnvm::circuit
