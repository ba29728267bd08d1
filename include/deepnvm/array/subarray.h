// SPDX-License-Identifier: MIT
#pragma once

// One subarray of NVSim's bank -> mat -> subarray hierarchy: an N_row x N_col cell array with its
// row decoder, the three column-mux decoders, the precharger, the bitline mux, the sense amps and
// the two output mux levels [NVSim SubArray.cpp (commit 6334d00); shared/docs/notes/array-model.md
// §1.2-1.3, §2.3-2.10, §2.12-2.13]. Sizing (everything that does not depend on the input slope:
// geometry, validity, area, energy, leakage) is split from the delay, which takes the slope that the
// mat's row predecoders deliver (NVSim's SubArray::CalculateLatency(rampInput)). SI units throughout.

#include <cstdint>
#include <string_view>

#include "deepnvm/array/compat.h"
#include "deepnvm/array/nvsim_config.h"
#include "deepnvm/cell/cell.h"
#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"
#include "deepnvm/circuit/mux.h"
#include "deepnvm/circuit/precharger.h"
#include "deepnvm/circuit/row_decoder.h"
#include "deepnvm/circuit/sense_amp.h"

namespace deepnvm {

/// NVSim's memory cell types that the subarray model distinguishes (MemCellType).
enum class ArrayCellType { sram, mram, pcram, memristor };

/// @brief The figures of a cell the subarray model reads, flattened from CellFigures once per
/// run so that the per-candidate code touches no strings or optionals. Field meanings follow
/// NVSim's MemCell members [NVSim MemCell.cpp; note §1.3, §2.4, §2.9-2.10]; zeros where NVSim's
/// defaults are zero.
struct ArrayCell {
  ArrayCellType type = ArrayCellType::sram;
  AccessDevice access = AccessDevice::cmos;
  double area_f2 = 0.0;
  double width_f = 0.0, height_f = 0.0;  // cell pitch along the wordline / along the bitline, in F
  double access_width_f = 0.0;           // AccessCMOSWidth (2T SOT-MRAM: the write transistor)
  // SOT-MRAM (2T-1MTJ, not in NVSim; note §2.10): the write current flows through the heavy metal
  // and the write transistor only, the read path is the MTJ and its own read transistor.
  bool separate_write_path = false;
  double read_access_width_f = 0.0;  // read transistor, F (0 unless separate_write_path)
  double sram_nmos_width_f = 2.08, sram_pmos_width_f = 1.23;
  double r_on = 0.0, r_off = 0.0;  // cell only (access resistance is added by the subarray)
  bool voltage_sense = false;      // ReadMode: voltage (true) or current (false)
  double read_voltage = 0.0, read_current = 0.0, read_power = 0.0;  // 0 = not given
  double min_sense_voltage = 0.08;
  bool set_voltage_mode = false, reset_voltage_mode = false;  // SetMode / ResetMode: voltage?
  double set_voltage = 0.0, set_current = 0.0, set_pulse = 0.0, set_energy = 0.0;
  double reset_voltage = 0.0, reset_current = 0.0, reset_pulse = 0.0, reset_energy = 0.0;
  double access_voltage_drop = 0.0, access_leakage_current = 0.0;
  double capacitance_on = 0.0, capacitance_off = 0.0;
  double r_on_at_reset_voltage = 0.0, r_on_at_half_reset_voltage = 0.0, r_on_at_set_voltage = 0.0;
};

/// @brief Flattens a characterized cell (deepnvm::load_nvsim_cell(...)->characterize(...)) into
/// what the subarray reads, applying NVSim's cell-file defaults (MemCell constructor). Throws
/// ModelError for a cell type NVSim's subarray cannot model (e.g. FeFET) or missing geometry.
/// A cell characterized at a FinFET node gives fins instead of widths; a device of n fins becomes
/// the drawn width 2n F (NS-Cache's n_fin = ceil(W / 2F), see circuit::DeviceModel). "sot_mram"
/// maps to NVSim's MRAM with separate_write_path and the read transistor of access.read_*.
ArrayCell make_array_cell(const CellFigures& cell);

/// @brief Inputs of one subarray, mirroring NVSim's SubArray::Initialize arguments plus the
/// global inputParameter fields it reads [NVSim SubArray.cpp:43-420; note §1.2, §1.6-1.7].
struct SubArraySpec {
  std::int64_t rows = 0, columns = 0;
  int mux_sense_amp = 1;    // m_SA (includes ways folded into the column muxes, note §1.2 step 3)
  int mux_output_lev1 = 1;  // m_1
  int mux_output_lev2 = 1;  // m_2
  bool internal_sensing = true;
  bool multiple_rows_per_set = false;  // rowsPerSet > 1: the row decoder gates with the way line
  BufferDesignStyle buffer_style = BufferDesignStyle::latency;
  double local_wire_res_per_length = 0.0;  // Ohm/m, local wire of the run (note §2.1)
  double local_wire_cap_per_length = 0.0;  // F/m
  /// A cache data/tag array not in sequential mode: needs N_col >= associativity and divides the
  /// write/set/reset energies by it (note §1.7, rule 3 of §1.6).
  bool cache_non_sequential = false;
  int associativity = 1;
  WriteScheme write_scheme = WriteScheme::normal;
  /// `fixed`: the subarray, mat and bank quirks that are bugs are corrected (Q12, Q13, Q18, Q20,
  /// Q23-Q26, the RESET-after-SET total, Q10's tree, Q11; docs/models/array.md "compat: fixed").
  Compat compat = Compat::nvsim;
};

/// @brief A sized subarray: validity, geometry, line RC, area, energies and leakage (all slope
/// independent), plus the sized blocks its delay needs. NVSim SubArray::Initialize,
/// CalculateArea and CalculatePower [NVSim SubArray.cpp; note §2.9, §2.12, §2.13].
struct SubArray {
  bool valid = false;
  std::string_view invalid_reason;  // empty when valid
  SubArraySpec spec;
  ArrayCell cell;

  // Geometry and lines (note §1.3).
  double wordline_length = 0.0, bitline_length = 0.0;
  double wordline_cap = 0.0, wordline_res = 0.0;  // wire + access gates
  double bitline_cap = 0.0, bitline_res = 0.0;    // wire + access drains
  double cell_access_res = 0.0, cell_access_cap = 0.0;
  double cell_on_res = 0.0, cell_off_res = 0.0;  // access + cell (non-SRAM)
  // Sensing levels (note §2.4).
  bool voltage_sense = true;
  double sense_voltage = 0.0, precharge_voltage = 0.0;
  double cell_on_voltage = 0.0, cell_off_voltage = 0.0;
  double series_res = 0.0, equivalent_on_res = 0.0, equivalent_off_res = 0.0;
  // Write path (note §2.10).
  double max_wordline_current = 0.0, max_bitline_current = 0.0, min_bitline_mux_width = 0.0;
  std::int64_t sense_amps = 0;

  // What the mat's predecoders need (note §2.2): address bits of each decoder.
  int row_address_bits = 0;  // log2(rows) (the mat's row predecoders use A_s - log2 M, §1.2)
  int bitline_mux_address_bits = 0, output_mux_lev1_address_bits = 0, output_mux_lev2_address_bits = 0;
  double row_decoder_input_cap = 0.0;  // one row decoder gate input
  double bitline_mux_decoder_input_cap = 0.0, output_mux_lev1_decoder_input_cap = 0.0,
         output_mux_lev2_decoder_input_cap = 0.0;

  // Totals per active subarray (note §2.9, §2.12, §2.13).
  double height = 0.0, width = 0.0;
  double read_energy = 0.0, write_energy = 0.0, set_energy = 0.0, reset_energy = 0.0;
  double cell_read_energy = 0.0, cell_set_energy = 0.0, cell_reset_energy = 0.0;
  double leakage = 0.0;
  double area() const { return height * width; }

  // Energy breakdown as NVSim prints it per subarray.
  double row_decoder_read_energy = 0.0, row_decoder_write_energy = 0.0;
  double mux_decoder_read_energy = 0.0, mux_decoder_write_energy = 0.0;  // the three mux decoders
  double precharge_read_energy = 0.0;
  // Bitline charging only. NVSim's "Bitline & Cell Read Energy" line prints cell_read_energy, and
  // its "Bitline & Cell Write Energy" line the cell write term (bitline charge included, §2.9).
  double bitline_read_energy = 0.0;
  double bitline_write_energy = 0.0;  // SRAM bitline write term; NVM: max(cell set, cell reset)
  double sense_amp_read_energy = 0.0;
  double mux_read_energy = 0.0, mux_write_energy = 0.0;  // bitline mux + both output muxes

  // Sized blocks [NVSim SubArray.h members].
  circuit::RowDecoder row_decoder;
  circuit::RowDecoder bitline_mux_decoder, output_mux_lev1_decoder, output_mux_lev2_decoder;
  circuit::Precharger precharger;
  circuit::Mux bitline_mux, output_mux_lev1, output_mux_lev2;
  circuit::SenseAmp sense_amp;
};

/// @brief Sizes one subarray of `spec` built from `cell` with the periphery (and access) devices
/// of `device`: NVSim's SubArray::Initialize, CalculateArea and CalculatePower [NVSim
/// SubArray.cpp:43-420, 422-494, 662-872; note §1.3, §1.6 rules 3-8, §2.3-2.13]. An illegal design
/// comes back with valid = false and a short reason; it never throws for one. SOT-MRAM (not in
/// NVSim, note §2.10): reads through the MTJ and the read transistor, the read bitline and its muxes
/// carry only the read current, one gate per cell on each of the read and write wordlines (the row
/// decoder is sized for the heavier), and a write costs the cell's energy plus C V_dd^2 of the write
/// line (wire and write-transistor drains).
SubArray size_subarray(const circuit::DeviceModel& device, const SubArraySpec& spec, const ArrayCell& cell);

/// @brief Latencies of a sized subarray, with NVSim's per-subarray breakdown.
struct SubArrayTiming {
  double read_latency = 0.0, write_latency = 0.0;
  double set_latency = 0.0, reset_latency = 0.0;  // MOS-accessed MRAM/PCM/ReRAM; = write otherwise
  double row_decoder_latency = 0.0;               // read = write for the row decoder
  double column_decoder_latency = 0.0;            // max of the three mux decoders
  double bitline_latency = 0.0;
  // Voltage-sensed MRAM/PCM/ReRAM: the bitline delay of the on and off cell (bitline_latency is the
  // larger); a bus bank with external sensing adds the global bitline to each (NVSim bitlineDelayOn/Off).
  double bitline_on_latency = 0.0, bitline_off_latency = 0.0;
  double sense_amp_latency = 0.0;
  double bitline_mux_latency = 0.0, output_mux_lev1_latency = 0.0, output_mux_lev2_latency = 0.0;
  double mux_latency = 0.0;        // bitline mux + both output mux levels
  double precharge_latency = 0.0;  // printed, never on the access path
  double charge_latency = 0.0;
  double write_pulse = 0.0;              // max(set, reset) pulse (NVM), 0 for SRAM
  double ramp_out = circuit::kStepRamp;  // output slope of the bitline (what the bitline mux sees)
};

/// @brief NVSim's SubArray::CalculateLatency(rampInput): row and column decoders driven with the
/// slope `ramp_in` of the mat's row predecoders, then the bitline, bitline mux, sense amp and output
/// muxes [NVSim SubArray.cpp:496-660; note §2.8]. An invalid subarray returns kInfinite latencies.
SubArrayTiming subarray_delay(const circuit::DeviceModel& device, const SubArray& subarray, double ramp_in);

}  // namespace deepnvm
