// SPDX-License-Identifier: MIT
#pragma once

// One decoder gate plus wordline driver per row of a subarray (NVSim RowDecoder.cpp at commit
// 6334d00; shared/docs/notes/array-model.md §2.3). The same block serves as the column-mux decoder
// (rows := mux degree) and as the stage-1/stage-2 NAND arrays of a predecode block.

#include <string_view>

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"
#include "deepnvm/circuit/output_driver.h"

namespace deepnvm::circuit {

/// @brief What a row decoder decodes and drives.
struct RowDecoderSpec {
  int rows = 0;                  // outputs (wordlines, or the mux degree for a column-mux decoder)
  double load_cap = 0.0;         // F per output: wordline (wire + access gates), or mux gates + wire
  double load_resistance = 0.0;  // ohm per output (wordline wire)
  bool way_select = false;       // NVSim's multipleRowPerSet (rowsPerSet > 1): one more NAND input
  BufferStyle style = BufferStyle::latency;
  double min_driver_current = 0.0;  // A the driver must sink (cross-point write current)
};

/// @brief A sized row decoder. `figures`: height = rows x max(NAND, driver) height, width = NAND +
/// driver width, read/write energy of one output switching, leakage of all rows; latency fields
/// stay 0 (use row_decoder_delay). Invalid decoders carry kInfinite in every figure.
struct RowDecoder {
  bool valid = false;
  std::string_view invalid_reason;
  int rows = 0;
  int nand_inputs = 0;                            // 0 (driver only: rows <= 8 without way select), 2 or 3
  double nand_width_n = 0.0, nand_width_p = 0.0;  // m (for nand_inputs 0: the min inverter)
  double nand_input_cap = 0.0;                    // F, one NAND input: the predecoder's load per output (0 if no NAND)
  double nand_output_cap = 0.0;                   // F
  OutputDriver driver;
  BlockFigures figures;
};

/// @brief Sizes a row decoder as NVSim's RowDecoder::Initialize, CalculateArea, CalculateRC and
/// CalculatePower do [NVSim RowDecoder.cpp; note §2.3]: rows <= 8 use the predecoded line directly
/// (a NAND2 with the way-select line if `way_select`), more rows NAND2 two predecoded lines (NAND3
/// with way select); then an OutputDriver of `style` drives the load. Invalid if the driver is.
/// Used with rows = 1 for the column-mux decoder of an unmuxed level (quirk Q20: it still costs a driver).
RowDecoder size_row_decoder(const DeviceModel& d, const RowDecoderSpec& spec);

/// @brief Latency (read = write) and output slope of a row decoder for the predecoder's output
/// slope `ramp_in`: NAND Horowitz stage, then the driver chain with the wordline RC in its last stage
/// [NVSim RowDecoder.cpp CalculateLatency; note §2.3]. Invalid decoders give kInfinite latency.
Delay row_decoder_delay(const DeviceModel& d, const RowDecoder& decoder, double ramp_in);

}  // namespace deepnvm::circuit
