// SPDX-License-Identifier: MIT
#include "deepnvm/array/subarray.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "deepnvm/core/error.h"

namespace deepnvm {
namespace {

using circuit::Channel;
using circuit::DeviceModel;
using circuit::Gate;
using circuit::kInfinite;
using circuit::kStepRamp;

// NVSim constant.h values used here.
constexpr double kBitlineLeakageTolerance = 1.0;       // BITLINE_LEAKAGE_TOLERANCE
constexpr double kShaperEfficiencyConservative = 0.2;  // SHAPER_EFFICIENCY_CONSERVATIVE (PCM)
constexpr double kShaperEfficiencyAggressive = 1.0;    // SHAPER_EFFICIENCY_AGGRESSIVE (MRAM, ReRAM)

circuit::BufferStyle to_buffer_style(BufferDesignStyle s) {
  switch (s) {
    case BufferDesignStyle::balance:
      return circuit::BufferStyle::balance;
    case BufferDesignStyle::area:
      return circuit::BufferStyle::area;
    case BufferDesignStyle::latency:
      break;
  }
  return circuit::BufferStyle::latency;
}

int log2_int(std::int64_t v) {
  int bits = 0;
  while (v > 1) {
    v >>= 1;
    ++bits;
  }
  return bits;
}

bool cross_point(const ArrayCell& c) { return c.access == AccessDevice::none || c.access == AccessDevice::diode; }

SubArray invalid(SubArray s, std::string_view why) {
  s.valid = false;
  s.invalid_reason = why;
  s.height = s.width = kInfinite;
  s.read_energy = s.write_energy = s.set_energy = s.reset_energy = s.leakage = kInfinite;
  return s;
}

// The cell's read power when the file does not give it [NVSim MemCell.cpp CalculateReadPower;
// note §2.4 "Cell read energy"].
double cell_read_power(const DeviceModel& d, const SubArray& s) {
  const ArrayCell& c = s.cell;
  if (c.read_power > 0.0) return c.read_power;
  if (c.voltage_sense) {
    if (c.read_voltage == 0.0) return d.vdd * c.read_current;
    const double series = std::sqrt(c.r_on * c.r_off);
    return d.vdd * (c.read_voltage - c.access_voltage_drop) / (c.r_on + series);
  }
  return d.vdd * (c.read_voltage - c.access_voltage_drop) / c.r_on;
}

// Energy of one SET / RESET at the cell when the file gives none [NVSim MemCell.cpp
// CalculateWriteEnergy; note §2.9].
double cell_write_energy(const DeviceModel& d, const ArrayCell& c, bool reset, Compat compat) {
  const double given = reset ? c.reset_energy : c.set_energy;
  if (given != 0.0) return given;
  const bool voltage_mode = reset ? c.reset_voltage_mode : c.set_voltage_mode;
  const double v = std::fabs(reset ? c.reset_voltage : c.set_voltage);
  const double i = std::fabs(reset ? c.reset_current : c.set_current);
  const double pulse = reset ? c.reset_pulse : c.set_pulse;
  if (voltage_mode) {
    const double r = (c.type == ArrayCellType::memristor && c.access == AccessDevice::none)
                         ? (reset ? c.r_on_at_reset_voltage : c.r_on_at_set_voltage)
                         : c.r_on;
    return r > 0.0 ? v * (v - c.access_voltage_drop) / r * pulse : 0.0;
  }
  // Both branches test the RESET voltage to choose Vdd or |V| (quirk Q23). Fixed: each pulse is
  // driven at its own voltage, so the SET branch tests the SET voltage.
  const double drive_voltage = compat == Compat::fixed ? v : std::fabs(c.reset_voltage);
  if (drive_voltage == 0.0) return d.vdd * i * pulse;
  return v * i * pulse;
}

}  // namespace

ArrayCell make_array_cell(const CellFigures& f) {
  ArrayCell c;
  if (f.cell_type == "sram")
    c.type = ArrayCellType::sram;
  else if (f.cell_type == "stt_mram" || f.cell_type == "sot_mram" || f.cell_type == "mram")
    c.type = ArrayCellType::mram;
  else if (f.cell_type == "pcm")
    c.type = ArrayCellType::pcram;
  else if (f.cell_type == "reram")
    c.type = ArrayCellType::memristor;
  else
    throw ModelError("cell '{}' of type '{}' has no NVSim subarray model (SRAM, MRAM, PCM, ReRAM)", f.name,
                     f.cell_type);
  if (!f.width_f || !f.height_f || !f.area_f2)
    throw ModelError("cell '{}' has no size in F: characterize it at a node first", f.name);
  c.access = f.access.device;
  c.area_f2 = *f.area_f2;
  c.width_f = *f.width_f;
  c.height_f = *f.height_f;
  // FinFET cells give fins: n fins is the drawn width 2n F (NS-Cache n_fin = ceil(W / 2F)).
  const auto width_f = [](const std::optional<double>& width, const std::optional<int>& fins) {
    return width ? *width : fins ? 2.0 * *fins : 0.0;
  };
  c.access_width_f = width_f(f.access.width_f, f.access.fins);
  if (f.cell_type == "sot_mram") {  // 2T-1MTJ: separate read transistor and write path (note §2.10)
    c.separate_write_path = true;
    c.read_access_width_f = width_f(f.access.read_width_f, f.access.read_fins);
  }
  c.sram_nmos_width_f = f.nvsim.sram_nmos_width_f.value_or(2.08);
  c.sram_pmos_width_f = f.nvsim.sram_pmos_width_f.value_or(1.23);
  c.r_on = f.r_on.value_or(0.0);
  c.r_off = f.r_off.value_or(0.0);
  c.voltage_sense = c.type == ArrayCellType::sram || f.read.mode == SenseMode::voltage;
  c.read_voltage = f.read.voltage.value_or(0.0);
  c.read_current = f.read.current.value_or(0.0);
  c.read_power = f.read.power.value_or(0.0);
  c.min_sense_voltage = f.read.min_sense_voltage.value_or(0.08);
  c.set_voltage_mode = f.write.set_mode == DriveMode::voltage;
  c.reset_voltage_mode = f.write.reset_mode == DriveMode::voltage;
  c.set_voltage = f.write.set_voltage.value_or(0.0);
  c.set_current = f.write.set_current.value_or(0.0);
  c.set_pulse = f.write.set_pulse;
  c.set_energy = f.write.set_energy.value_or(0.0);
  c.reset_voltage = f.write.reset_voltage.value_or(0.0);
  c.reset_current = f.write.reset_current.value_or(0.0);
  c.reset_pulse = f.write.reset_pulse;
  c.reset_energy = f.write.reset_energy.value_or(0.0);
  c.access_voltage_drop = f.access.voltage_drop.value_or(0.0);
  c.access_leakage_current = f.access.leakage_current.value_or(0.0);
  c.capacitance_on = f.nvsim.capacitance_on.value_or(0.0);
  c.capacitance_off = f.nvsim.capacitance_off.value_or(0.0);
  c.r_on_at_reset_voltage = f.nvsim.r_on_at_reset_voltage.value_or(0.0);
  c.r_on_at_half_reset_voltage = f.nvsim.r_on_at_half_reset_voltage.value_or(0.0);
  c.r_on_at_set_voltage = f.nvsim.r_on_at_set_voltage.value_or(0.0);
  return c;
}

SubArray size_subarray(const DeviceModel& d, const SubArraySpec& spec, const ArrayCell& cell) {
  SubArray s;
  s.spec = spec;
  s.cell = cell;
  const double F = d.feature_size;
  const std::int64_t rows = spec.rows, cols = spec.columns;
  const int m_sa = spec.mux_sense_amp, m1 = spec.mux_output_lev1, m2 = spec.mux_output_lev2;
  const std::int64_t selected_columns = cols / m_sa / m1 / m2;  // bits written per access
  const bool nvm = cell.type != ArrayCellType::sram;
  const bool xpoint = nvm && cross_point(cell);
  s.row_address_bits = log2_int(rows);
  s.bitline_mux_address_bits = log2_int(m_sa);
  s.output_mux_lev1_address_bits = log2_int(m1);
  s.output_mux_lev2_address_bits = log2_int(m2);
  if (rows < 1 || cols < 1 || m_sa < 1 || m1 < 1 || m2 < 1) return invalid(s, "empty subarray");

  // Validity rules that need no circuit [NVSim SubArray.cpp:74-180; note §1.6 rules 3-6].
  if (spec.cache_non_sequential && cols < spec.associativity)
    return invalid(s, "fewer columns than ways in a non-sequential cache");
  if (cell.type == ArrayCellType::memristor && spec.internal_sensing && m_sa < 2)
    return invalid(s, "ReRAM with internal sensing needs a sense-amp mux of at least 2");
  if (nvm && cell.access == AccessDevice::cmos) {
    if (d.on_current_n / d.off_current_n < static_cast<double>(rows) / kBitlineLeakageTolerance)
      return invalid(s, "bitline too long for the access-device leakage");
    // SOT-MRAM: the write current never enters the read bitline (note §2.10), only the read current.
    const double selected_current =
        cell.separate_write_path ? cell.read_current : std::max(cell.reset_current, cell.set_current);
    s.max_bitline_current = selected_current + cell.access_leakage_current * static_cast<double>(rows - 1);
  } else if (xpoint) {
    // Half-selected cells on the written wordline and bitline [note §2.10].
    const double reset_current =
        cell.reset_current != 0.0
            ? cell.reset_current
            : (std::fabs(cell.reset_voltage) - cell.access_voltage_drop) / cell.r_on_at_reset_voltage;
    const double half_select = cell.access == AccessDevice::none
                                   ? reset_current * cell.r_on_at_reset_voltage / 2.0 / cell.r_on_at_half_reset_voltage
                                   : cell.access_leakage_current;
    s.max_wordline_current = reset_current * static_cast<double>(selected_columns) +
                             half_select * static_cast<double>(cols - selected_columns);
    if (s.max_wordline_current / d.on_current_n > d.max_nmos_width)
      return invalid(s, "wordline driver wider than MaxNmosSize");
    s.max_bitline_current = reset_current + half_select * static_cast<double>(rows - 1);
  }
  s.min_bitline_mux_width = std::max(d.min_width(), s.max_bitline_current / d.on_current_n);
  if (s.min_bitline_mux_width > d.max_nmos_width) return invalid(s, "bitline mux wider than MaxNmosSize");

  s.voltage_sense = cell.voltage_sense;
  s.sense_voltage = cell.min_sense_voltage;
  s.sense_amps = cols / m_sa;

  // Lines [NVSim SubArray.cpp:222-235; note §1.3]. No stitching key exists (quirk Q22).
  s.wordline_length = static_cast<double>(cols) * cell.width_f * F;
  s.bitline_length = static_cast<double>(rows) * cell.height_f * F;
  s.wordline_cap = s.wordline_length * spec.local_wire_cap_per_length;
  s.wordline_res = s.wordline_length * spec.local_wire_res_per_length;
  s.bitline_cap = s.bitline_length * spec.local_wire_cap_per_length;
  s.bitline_res = s.bitline_length * spec.local_wire_res_per_length;
  // The mux decoders drive one pass gate per column plus the wordline-long wire (quirk Q20).
  // Fixed: a select line of a level of degree m gates only the pass transistors it selects, one per
  // mux instance of that level (N_col / m_SA, N_col / (m_SA m_1), N_col / M).
  const bool fixed = spec.compat == Compat::fixed;
  const double mux_gate_cap = circuit::gate_cap(d, s.min_bitline_mux_width);
  const double mux_load_cap = mux_gate_cap * static_cast<double>(cols) + s.wordline_cap;
  const double mux_load_res = s.wordline_res;
  const double mux_wire_cap = s.wordline_cap;  // the wire only: access gates are added below
  const auto level_load_cap = [&](std::int64_t instances) {
    return fixed ? mux_gate_cap * static_cast<double>(instances) + mux_wire_cap : mux_load_cap;
  };

  // Cell-type extras [NVSim SubArray.cpp:246-366; note §1.3, §2.4].
  const double access_width = cell.access_width_f * F;
  const double cell_width = cell.width_f * F;
  if (cell.type == ArrayCellType::sram) {
    s.cell_access_res = circuit::on_resistance(d, access_width, Channel::nmos);
    s.cell_access_cap = circuit::drain_cap(d, access_width, Channel::nmos, cell_width);
    s.wordline_cap += 2.0 * circuit::gate_cap(d, access_width) * static_cast<double>(cols);
    s.bitline_cap += s.cell_access_cap * static_cast<double>(rows) / 2.0;  // shared contact
    s.precharge_voltage = d.vdd / 2.0;
    if (d.model == circuit::CircuitModel::cacti) {
      // CACTI precharges SRAM bitlines to Vdd and senses max(0.05 Vdd, 80 mV) [CACTI parameter.cc
      // (V_b_sense); note §3.5, §4.2].
      s.precharge_voltage = d.vdd;
      s.sense_voltage = std::max(0.05 * d.vdd, cell.min_sense_voltage);
    }
  } else {
    if (cell.access == AccessDevice::cmos) {
      // SOT-MRAM reads through its read transistor; its read and write wordlines carry one gate per
      // cell each, and the shared row decoder is sized for the heavier one (note §2.10).
      const double read_width = cell.separate_write_path ? cell.read_access_width_f * F : access_width;
      s.cell_access_res = circuit::on_resistance(d, read_width, Channel::nmos);
      s.cell_access_cap = circuit::drain_cap(d, read_width, Channel::nmos, cell_width);
      s.wordline_cap += circuit::gate_cap(d, std::max(read_width, access_width)) * static_cast<double>(cols);
      s.bitline_cap += s.cell_access_cap * static_cast<double>(rows) / 2.0;
    } else if (xpoint) {
      const double c = std::max(cell.capacitance_on, cell.capacitance_off);
      s.cell_access_cap = c;
      s.wordline_cap += c * static_cast<double>(cols);
      s.bitline_cap += c * static_cast<double>(rows);
    }  // BJT: NVSim adds nothing (its branch is empty)
    s.cell_on_res = s.cell_access_res + cell.r_on;
    s.cell_off_res = s.cell_access_res + cell.r_off;
    if (cell.voltage_sense) {
      if (cell.read_voltage == 0.0) {  // current in, voltage sensed
        s.cell_on_voltage = cell.read_current * s.cell_on_res;
        s.cell_off_voltage = cell.read_current * s.cell_off_res;
      } else {  // voltage divider with a series resistor
        s.series_res = std::sqrt(s.cell_on_res * s.cell_off_res);
        s.equivalent_on_res = s.cell_on_res * s.series_res / (s.cell_on_res + s.series_res);
        s.equivalent_off_res = s.cell_off_res * s.series_res / (s.cell_off_res + s.series_res);
        s.cell_on_voltage = cell.read_voltage * s.cell_on_res / (s.cell_on_res + s.series_res);
        s.cell_off_voltage = cell.read_voltage * s.cell_off_res / (s.cell_off_res + s.series_res);
      }
      s.precharge_voltage = std::min(d.vdd, (s.cell_on_voltage + s.cell_off_voltage) / 2.0);
      if (s.precharge_voltage - s.cell_on_voltage <= s.sense_voltage)
        return invalid(s, "no usable precharge voltage for voltage sensing");
    }
  }

  // Blocks [NVSim SubArray.cpp:369-420].
  const circuit::BufferStyle style = to_buffer_style(spec.buffer_style);
  s.precharger = circuit::size_precharger(
      d, {d.vdd, cols, s.bitline_cap, s.bitline_res, cell_width * spec.local_wire_cap_per_length});
  s.row_decoder = circuit::size_row_decoder(d, {static_cast<int>(rows), s.wordline_cap, s.wordline_res,
                                                spec.multiple_rows_per_set, style, s.max_wordline_current});
  if (!s.row_decoder.valid) return invalid(s, "row decoder driver cannot be built");
  // Fixed (Q20): a level of degree 1 has no select line, hence no decoder (zero figures and delay).
  const auto mux_decoder = [&](int degree, std::int64_t instances) {
    if (fixed && degree == 1) {
      circuit::RowDecoder none;
      none.valid = true;
      none.rows = 1;
      return none;
    }
    return circuit::size_row_decoder(d, {degree, level_load_cap(instances), mux_load_res, false, style, 0.0});
  };
  s.bitline_mux_decoder = mux_decoder(m_sa, cols / m_sa);
  if (!s.bitline_mux_decoder.valid) return invalid(s, "bitline mux decoder driver cannot be built");
  s.output_mux_lev1_decoder = mux_decoder(m1, cols / m_sa / m1);
  if (!s.output_mux_lev1_decoder.valid) return invalid(s, "output mux decoder driver cannot be built");
  s.output_mux_lev2_decoder = mux_decoder(m2, selected_columns);
  if (!s.output_mux_lev2_decoder.valid) return invalid(s, "output mux decoder driver cannot be built");

  const auto mux_spec = [&](int inputs, std::int64_t instances, double load, double next) {
    circuit::MuxSpec m;
    m.inputs = inputs;
    m.instances = instances;
    m.load_cap = load;
    m.next_input_cap = next;
    m.min_driver_current = s.max_bitline_current;
    m.resistive_cell = nvm;
    m.cell_on_resistance = nvm ? cell.r_on : 0.0;
    return m;
  };
  s.output_mux_lev2 = circuit::size_mux(d, mux_spec(m2, cols / m_sa / m1 / m2, 0.0, 0.0));
  s.output_mux_lev1 = circuit::size_mux(
      d, mux_spec(m1, cols / m_sa / m1, s.output_mux_lev2.load_for_previous, s.output_mux_lev2.pass_cap));
  if (spec.internal_sensing) {
    s.sense_amp = circuit::size_sense_amp(d, {s.sense_amps, !s.voltage_sense, s.sense_voltage, cell_width * m_sa});
    if (!s.sense_amp.valid) return invalid(s, "sense amp wider than its pitch allows");
    if (fixed) {
      // Q12 fixed: the enable transistor leaks I_off,n 5F at Vdd, a power of I_off,n 5F Vdd (NVSim
      // multiplies by Vdd twice); the I-V converter constants stay.
      const circuit::IvConverterConstants iv =
          s.voltage_sense ? circuit::IvConverterConstants{} : circuit::iv_converter_constants(F);
      const double enable = circuit::gate_leakage(d, Gate::inv, 1, circuit::kSenseAmpEnableWidthF * F, 0.0) * d.vdd;
      s.sense_amp.figures.leakage = (iv.leakage + enable) * static_cast<double>(s.sense_amps);
    }
    s.bitline_mux = circuit::size_mux(d, mux_spec(m_sa, cols / m_sa, s.sense_amp.input_cap, s.sense_amp.input_cap));
  } else {
    s.sense_amp = circuit::SenseAmp{};
    s.bitline_mux = circuit::size_mux(
        d, mux_spec(m_sa, cols / m_sa, s.output_mux_lev1.load_for_previous, s.output_mux_lev1.pass_cap));
  }
  s.row_decoder_input_cap =
      s.row_decoder.nand_inputs > 0 ? s.row_decoder.nand_input_cap : s.row_decoder.driver.input_cap;
  const auto decoder_input = [](const circuit::RowDecoder& r) {
    return r.nand_inputs > 0 ? r.nand_input_cap : r.driver.input_cap;
  };
  s.bitline_mux_decoder_input_cap = decoder_input(s.bitline_mux_decoder);
  s.output_mux_lev1_decoder_input_cap = decoder_input(s.output_mux_lev1_decoder);
  s.output_mux_lev2_decoder_input_cap = decoder_input(s.output_mux_lev2_decoder);

  // Area [NVSim SubArray.cpp:422-494; note §2.13].
  {
    double width = s.wordline_length, height = s.bitline_length;
    const circuit::BlockFigures& rd = s.row_decoder.figures;
    double add_width = rd.height > height ? rd.area() / height : rd.width;  // "magic folding"
    // A precharger wider than the array is "folded" into its own area / own width: a no-op (quirk Q25).
    double add_height = s.precharger.figures.height;
    // Fixed (Q25): a precharger wider than the array folds to the array's width, keeping its area.
    if (fixed && s.precharger.figures.width > width) add_height = s.precharger.figures.area() / width;
    add_height += s.bitline_mux.figures.height;
    if (spec.internal_sensing) add_height += s.sense_amp.figures.height;
    add_height += s.output_mux_lev1.figures.height + s.output_mux_lev2.figures.height;
    add_width = std::max({add_width, s.bitline_mux_decoder.figures.width, s.output_mux_lev1_decoder.figures.width,
                          s.output_mux_lev2_decoder.figures.width});
    s.width = width + add_width;
    s.height = height + add_height;
  }

  // Energy and leakage [NVSim SubArray.cpp:662-872; note §2.4, §2.9, §2.12].
  const double n_col = static_cast<double>(cols);
  const double n_sel = static_cast<double>(selected_columns);
  double cap_bm_energy = s.bitline_mux.pass_cap;  // 0 with m_SA = 1 (quirk Q26)
  // Fixed (Q26): without a bitline mux the bitline drives its sense amp's input directly.
  if (fixed && m_sa == 1 && spec.internal_sensing) cap_bm_energy = s.sense_amp.input_cap;
  const double line_cap = s.cell_access_cap + s.bitline_cap + cap_bm_energy;
  double read = 0.0, write = 0.0, set = 0.0, reset = 0.0, leakage = 0.0;
  if (!nvm) {
    read = line_cap * s.precharge_voltage * s.precharge_voltage * n_col;
    write = read / static_cast<double>(m_sa) / m1 / m2;  // CACTI model: full-swing write from Vdd
    // CACTI: a read swings V_sense on the bitline pair of every column, E = 2 C V_sense Vdd
    // [CACTI mat.cc bitline energy; note §4.2].
    if (d.model == circuit::CircuitModel::cacti) read = 2.0 * line_cap * s.sense_voltage * d.vdd * n_col;
    s.bitline_read_energy = read;
    s.bitline_write_energy = write;
    const double inverter =
        circuit::gate_leakage(d, Gate::inv, 1, cell.sram_nmos_width_f * F, cell.sram_pmos_width_f * F);
    const double access = circuit::gate_leakage(d, Gate::inv, 1, access_width, 0.0);
    leakage = (2.0 * inverter + access) * d.vdd * static_cast<double>(rows) * n_col;
  } else {
    if (!cell.voltage_sense) {
      const double r_mux = s.bitline_mux.pass_resistance;
      const double total = r_mux + s.bitline_res + s.cell_on_res;
      const double v_min = cell.read_voltage * r_mux / total;
      const double v_max = cell.read_voltage * (r_mux + s.bitline_res) / total;
      read = s.cell_access_cap * v_max * v_max + cap_bm_energy * v_min * v_min +
             s.bitline_cap * (v_max * v_max + v_min * v_min + v_max * v_min) / 3.0;
      read *= n_col;
    } else {
      read = line_cap * (s.precharge_voltage * s.precharge_voltage - s.cell_on_voltage * s.cell_on_voltage) * n_col;
    }
    s.bitline_read_energy = read;
    // The cell file's ReadEnergy is never parsed (quirk Q22): always power x sense time, x2 for the
    // reference cell.
    s.cell_read_energy = 2.0 * cell_read_power(d, s) * s.sense_amp.figures.read_latency * n_sel;
    double set_bit = cell_write_energy(d, cell, false, spec.compat);
    double reset_bit = cell_write_energy(d, cell, true, spec.compat);
    // Bitline charged to the write voltage, or to Vdd in current mode [note §2.9]. SOT-MRAM charges
    // its own write line instead: wire plus the write transistors' drains (note §2.10).
    double write_line_cap = line_cap;
    if (cell.separate_write_path) {
      const double write_drain = circuit::drain_cap(d, access_width, Channel::nmos, cell_width);
      write_line_cap = write_drain + s.bitline_length * spec.local_wire_cap_per_length +
                       write_drain * static_cast<double>(rows) / 2.0 + cap_bm_energy;
    }
    set_bit += write_line_cap * (cell.set_voltage_mode ? cell.set_voltage * cell.set_voltage : d.vdd * d.vdd);
    reset_bit += write_line_cap * (cell.reset_voltage_mode ? cell.reset_voltage * cell.reset_voltage : d.vdd * d.vdd);
    s.cell_set_energy = set_bit * n_sel;
    s.cell_reset_energy = reset_bit * n_sel;
    if (cell.type == ArrayCellType::pcram) {
      s.cell_set_energy /= kShaperEfficiencyConservative;
      s.cell_reset_energy /= kShaperEfficiencyConservative;
      write = std::max(s.cell_set_energy, s.cell_reset_energy);
    } else {
      const bool erase_first =
          spec.write_scheme == WriteScheme::erase_before_reset || spec.write_scheme == WriteScheme::erase_before_set;
      write = (xpoint && erase_first) ? s.cell_set_energy + s.cell_reset_energy
                                      : std::max(s.cell_set_energy, s.cell_reset_energy);
      s.cell_set_energy /= kShaperEfficiencyAggressive;
      s.cell_reset_energy /= kShaperEfficiencyAggressive;
      write /= kShaperEfficiencyAggressive;
    }
    s.bitline_write_energy = write;
  }
  // Non-sequential caches write one way of the set per access (note §1.7).
  if (spec.cache_non_sequential) {
    const double a = static_cast<double>(spec.associativity);
    s.cell_set_energy /= a;
    s.cell_reset_energy /= a;
    write /= a;
  }
  const circuit::BlockFigures& rd = s.row_decoder.figures;
  const circuit::BlockFigures& bmd = s.bitline_mux_decoder.figures;
  const circuit::BlockFigures& l1d = s.output_mux_lev1_decoder.figures;
  const circuit::BlockFigures& l2d = s.output_mux_lev2_decoder.figures;
  const circuit::BlockFigures& bm = s.bitline_mux.figures;
  const circuit::BlockFigures& l1 = s.output_mux_lev1.figures;
  const circuit::BlockFigures& l2 = s.output_mux_lev2.figures;
  const circuit::BlockFigures& sa = s.sense_amp.figures;
  s.row_decoder_read_energy = rd.read_energy;
  s.row_decoder_write_energy = rd.write_energy;
  s.mux_decoder_read_energy = bmd.read_energy + l1d.read_energy + l2d.read_energy;
  s.mux_decoder_write_energy = bmd.write_energy + l1d.write_energy + l2d.write_energy;
  s.precharge_read_energy = s.precharger.figures.read_energy;
  s.sense_amp_read_energy = sa.read_energy;
  s.mux_read_energy = bm.read_energy + l1.read_energy + l2.read_energy;
  s.mux_write_energy = bm.write_energy + l1.write_energy + l2.write_energy;
  const double write_periphery = s.mux_decoder_write_energy + s.mux_write_energy + sa.write_energy;
  read += s.cell_read_energy + rd.read_energy + s.mux_decoder_read_energy + s.precharge_read_energy +
          s.mux_read_energy + sa.read_energy;
  write += rd.write_energy + write_periphery;
  if (nvm) {
    set = s.cell_set_energy + rd.write_energy + write_periphery;
    // NVSim accumulates the finished SET energy into the RESET energy instead of the cell RESET
    // energy (SubArray.cpp CalculatePower; the reference PCRAM runs print RESET >= SET). Fixed: a
    // RESET costs the cell's RESET energy and the same periphery as a SET.
    reset = fixed ? s.cell_reset_energy + rd.write_energy + write_periphery : set + rd.write_energy + write_periphery;
    if (xpoint && !fixed) write += s.mux_write_energy + sa.write_energy;  // counted twice (quirk Q13)
  }
  leakage += rd.leakage + bmd.leakage + l1d.leakage + l2d.leakage + s.precharger.figures.leakage + bm.leakage +
             sa.leakage + l1.leakage + l2.leakage;
  s.read_energy = read;
  s.write_energy = write;
  s.set_energy = set;
  s.reset_energy = reset;
  s.leakage = leakage;
  s.valid = true;
  return s;
}

SubArrayTiming subarray_delay(const DeviceModel& d, const SubArray& s, double ramp_in) {
  SubArrayTiming t;
  if (!s.valid) {
    t.read_latency = t.write_latency = t.set_latency = t.reset_latency = kInfinite;
    return t;
  }
  const ArrayCell& cell = s.cell;
  const double F = d.feature_size;
  t.precharge_latency = circuit::precharger_delay(d, s.precharger, ramp_in).precharge.latency;
  const circuit::Delay row = circuit::row_decoder_delay(d, s.row_decoder, ramp_in);
  t.row_decoder_latency = row.latency;
  const bool fixed = s.spec.compat == Compat::fixed;
  // Fixed (Q20): a level of degree 1 has no decoder.
  const auto mux_decoder_latency = [&](const circuit::RowDecoder& decoder, int degree) {
    return fixed && degree == 1 ? 0.0 : circuit::row_decoder_delay(d, decoder, ramp_in).latency;
  };
  t.column_decoder_latency = std::max({mux_decoder_latency(s.bitline_mux_decoder, s.spec.mux_sense_amp),
                                       mux_decoder_latency(s.output_mux_lev1_decoder, s.spec.mux_output_lev1),
                                       mux_decoder_latency(s.output_mux_lev2_decoder, s.spec.mux_output_lev2)});
  const double decoder = std::max(t.row_decoder_latency, t.column_decoder_latency);

  // Charging the selected bitline through the three pass transistors [note §2.8].
  const double pass_cap = s.bitline_mux.pass_cap + s.output_mux_lev1.pass_cap + s.output_mux_lev2.pass_cap;
  const double pass_res =
      s.bitline_mux.pass_resistance + s.output_mux_lev1.pass_resistance + s.output_mux_lev2.pass_resistance;
  t.charge_latency =
      circuit::horowitz(pass_res * (pass_cap + s.bitline_cap) + s.bitline_res * s.bitline_cap / 2.0, 0.0, kStepRamp)
          .latency;

  // Bitline [NVSim SubArray.cpp:517-600; note §2.4].
  double c_bm = s.bitline_mux.load_for_previous;  // 0 with m_SA = 1 (quirk Q26)
  // Fixed (Q26): without a bitline mux the bitline is loaded by its sense amp's input.
  if (fixed && s.spec.mux_sense_amp == 1 && s.spec.internal_sensing) c_bm = s.sense_amp.input_cap;
  const double line_cap = s.cell_access_cap + s.bitline_cap + c_bm;
  const double wire_term = s.bitline_res * (c_bm + s.bitline_cap / 2.0);
  if (cell.type == ArrayCellType::sram) {
    const double r_pull_down = circuit::on_resistance(d, cell.sram_nmos_width_f * F, Channel::nmos);
    double tau = (s.cell_access_res + r_pull_down) * line_cap + wire_term;
    // Each side of the differential pair moves half the sense margin.
    // CACTI: the discharging side alone develops the full sense margin from Vdd.
    const double swing = d.model == circuit::CircuitModel::cacti ? s.sense_voltage : s.sense_voltage / 2.0;
    tau *= std::log(s.precharge_voltage / (s.precharge_voltage - swing));
    const double gm = circuit::transconductance(d, cell.access_width_f * F, Channel::nmos);
    const circuit::Delay bl = circuit::horowitz(tau, 1.0 / (r_pull_down * gm), row.ramp_out);
    t.bitline_latency = bl.latency;
    t.ramp_out = bl.ramp_out;
  } else if (!cell.voltage_sense) {
    const double tau =
        s.bitline_res * s.bitline_cap / 2.0 * (s.cell_off_res + s.bitline_res / 3.0) / (s.cell_off_res + s.bitline_res);
    const circuit::Delay bl = circuit::horowitz(tau, 0.0, row.ramp_out);
    t.bitline_latency = bl.latency;
    t.ramp_out = bl.ramp_out;
  } else {
    const bool divider = cell.read_voltage != 0.0;
    const double r_on = divider ? s.equivalent_on_res : s.cell_on_res;
    const double r_off = divider ? s.equivalent_off_res : s.cell_off_res;
    const double v_pre = s.precharge_voltage, v_on = s.cell_on_voltage, v_off = s.cell_off_voltage;
    const double v_s = s.sense_voltage;
    const double t_on = (r_on * line_cap + wire_term) * std::log((v_pre - v_on) / (v_pre - v_on - v_s));
    const double t_off = (r_off * line_cap + wire_term) * std::log((v_off - v_pre) / (v_off - v_pre - v_s));
    t.bitline_on_latency = t_on;
    t.bitline_off_latency = t_off;
    t.bitline_latency = std::max(t_on, t_off);
    t.ramp_out = 0.0;  // NVSim leaves the bitline slope at 0 here; the mux ignores it anyway
  }
  t.bitline_mux_latency = s.bitline_mux.figures.read_latency;
  t.sense_amp_latency = s.spec.internal_sensing ? s.sense_amp.figures.read_latency : 0.0;
  t.output_mux_lev1_latency = s.output_mux_lev1.figures.read_latency;
  t.output_mux_lev2_latency = s.output_mux_lev2.figures.read_latency;
  t.mux_latency = t.bitline_mux_latency + t.output_mux_lev1_latency + t.output_mux_lev2_latency;
  t.read_latency = decoder + t.bitline_latency + t.sense_amp_latency + t.mux_latency;

  // Writes [NVSim SubArray.cpp:600-660; note §2.8].
  if (cell.type == ArrayCellType::sram) {
    t.write_latency = t.read_latency;  // assumed symmetric (quirk Q29)
    t.set_latency = t.reset_latency = t.write_latency;
    return t;
  }
  t.write_pulse = std::max(cell.set_pulse, cell.reset_pulse);
  if (cross_point(cell)) {
    const bool erase_first =
        s.spec.write_scheme == WriteScheme::erase_before_reset || s.spec.write_scheme == WriteScheme::erase_before_set;
    double w = erase_first ? std::max(t.row_decoder_latency, t.charge_latency)
                           : std::max(t.row_decoder_latency, t.column_decoder_latency + t.charge_latency);
    w += t.charge_latency + cell.reset_pulse + cell.set_pulse;
    t.write_pulse = cell.reset_pulse + cell.set_pulse;
    t.write_latency = t.set_latency = t.reset_latency = w;
    return t;
  }
  const double base = std::max(t.row_decoder_latency, t.column_decoder_latency + t.charge_latency);
  t.reset_latency = base + cell.reset_pulse;
  t.set_latency = base + cell.set_pulse;
  t.write_latency = base + t.write_pulse;
  return t;
}

}  // namespace deepnvm
