// SPDX-License-Identifier: MIT
#include "deepnvm/cell/nvsim_cell.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "deepnvm/cell/resistive.h"
#include "deepnvm/cell/sram.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm {
namespace {

// Everything an NVSim cell file can say, as read; converted to a spec at the end.
struct NvsimFields {
  std::string type;
  std::size_t type_line = 0;
  std::map<std::string, double> numbers;  // by key, SI
  std::map<std::string, std::size_t> lines;
  std::string read_mode = "voltage", set_mode = "voltage", reset_mode = "voltage";  // NVSim's defaults
  std::string access = "CMOS";
  bool read_floating = false;
  std::vector<std::string> ignored;
};

// Numeric keys NVSim reads, spelled with their unit as NVSim's sscanf formats expect, and the
// divisor to SI (NVSim divides, e.g. readCurrent /= 1e6, and so do we: 80 uA is exactly 80 / 1e6).
// Order and spelling follow MemCell::ReadCellFromFile.
const std::vector<std::pair<std::string, double>>& numeric_keys() {
  static const std::vector<std::pair<std::string, double>> keys{
      {"ProcessNode", 1.0},
      {"CellArea (F^2)", 1.0},
      {"CellAspectRatio", 1.0},
      {"ResistanceOnAtSetVoltage (ohm)", 1.0},
      {"ResistanceOffAtSetVoltage (ohm)", 1.0},
      {"ResistanceOnAtResetVoltage (ohm)", 1.0},
      {"ResistanceOffAtResetVoltage (ohm)", 1.0},
      {"ResistanceOnAtReadVoltage (ohm)", 1.0},
      {"ResistanceOffAtReadVoltage (ohm)", 1.0},
      {"ResistanceOnAtHalfReadVoltage (ohm)", 1.0},
      {"ResistanceOffAtHalfReadVoltage (ohm)", 1.0},
      {"ResistanceOnAtHalfResetVoltage (ohm)", 1.0},
      {"ResistanceOn (ohm)", 1.0},
      {"ResistanceOff (ohm)", 1.0},
      {"CapacitanceOn (F)", 1.0},
      {"CapacitanceOff (F)", 1.0},
      {"GateOxThicknessFactor", 1.0},
      {"SOIDeviceWidth (F)", 1.0},
      {"ReadVoltage (V)", 1.0},
      {"ReadCurrent (uA)", 1e6},
      {"ReadPower (uW)", 1e6},
      {"MinSenseVoltage (mV)", 1e3},
      {"ResetVoltage (V)", 1.0},
      {"ResetCurrent (uA)", 1e6},
      {"ResetPulse (ns)", 1e9},
      {"ResetEnergy (pJ)", 1e12},
      {"SetVoltage (V)", 1.0},
      {"SetCurrent (uA)", 1e6},
      {"SetPulse (ns)", 1e9},
      {"SetEnergy (pJ)", 1e12},
      {"AccessCMOSWidth (F)", 1.0},
      {"VoltageDropAccessDevice (V)", 1.0},
      {"LeakageCurrentAccessDevice (uA)", 1e6},
      {"SRAMCellNMOSWidth (F)", 1.0},
      {"SRAMCellPMOSWidth (F)", 1.0},
  };
  return keys;
}
const std::vector<std::string> kWordKeys{"MemCellType", "ReadMode",   "ResetMode",
                                         "SetMode",     "AccessType", "ReadFloating"};
// Keys NVSim's samples carry that NVSim (6334d00) never reads: accepted with a warning.
const std::vector<std::string> kIgnoredKeys{"ReadEnergy (pJ)"};
// Keys NVSim reads for cell types deepnvm does not model.
const std::vector<std::string> kUnsupportedKeys{
    "DRAMCellCapacitance (F)", "FlashEraseVoltage (V)", "FlashProgramVoltage (V)", "FlashPassVoltage (V)",
    "FlashEraseTime (ms)",     "FlashProgramTime (us)", "GateCouplingRatio"};

std::vector<std::string> all_keys() {
  std::vector<std::string> out(kWordKeys);
  for (const auto& [k, scale] : numeric_keys()) out.push_back(k);
  for (const auto& k : kIgnoredKeys) out.push_back(k);
  for (const auto& k : kUnsupportedKeys) out.push_back(k);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string base_name(std::string_view key) { return std::string(trim(key.substr(0, key.find('(')))); }

double parse_number(std::string_view text, const SourceLocation& at, const std::string& key) {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v))
    throw ConfigError(at, key, "expected a number, got '{}'", text);
  return v;
}

std::string one_of(std::string_view value, const std::vector<std::string>& allowed, const SourceLocation& at,
                   const std::string& key) {
  for (const auto& a : allowed)
    if (a == value) return a;
  throw ConfigError(at, key, "'{}' is not one of {}{}", value, quoted_list(allowed), did_you_mean(value, allowed));
}

NvsimFields read_fields(std::string_view text, const std::string& file) {
  if (const auto bad = find_invalid_utf8(text))
    throw ConfigError({file, 0}, "", "invalid UTF-8 (byte {}): expected a text file", *bad + 1);
  NvsimFields out;
  const auto keys = all_keys();
  std::size_t line_no = 0;
  std::istringstream in{std::string(text)};
  for (std::string raw; std::getline(in, raw);) {
    ++line_no;
    const std::string_view line = trim(raw);
    // NVSim skips every line that names no key it knows; its own samples comment with '//' and '#'.
    if (line.empty() || line.starts_with("//") || line.starts_with('#')) continue;
    const SourceLocation at{file, line_no};
    const auto colon = line.find(':');
    if (!line.starts_with('-') || colon == std::string_view::npos)
      throw ConfigError(at, "", "expected '-Key: value' or a '//' or '#' comment, got '{}'", line);
    const std::string key(trim(line.substr(1, colon - 1)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (out.lines.contains(key)) throw ConfigError(at, key, "duplicate key (first given on line {})", out.lines[key]);
    out.lines[key] = line_no;
    if (std::find(kIgnoredKeys.begin(), kIgnoredKeys.end(), key) != kIgnoredKeys.end()) {
      out.ignored.push_back(fmt::format("{}: {} ignored (NVSim ignores it too)", at.to_string(), key));
      continue;
    }
    if (std::find(kUnsupportedKeys.begin(), kUnsupportedKeys.end(), key) != kUnsupportedKeys.end())
      throw ConfigError(at, key, "DRAM and flash cells are read by NVSim but not modelled by deepnvm");
    if (key == "MemCellType") {
      out.type = one_of(value, {"SRAM", "DRAM", "eDRAM", "MRAM", "PCRAM", "FBRAM", "memristor", "SLCNAND", "MLCNAND"},
                        at, key);
      out.type_line = line_no;
      if (out.type != "SRAM" && out.type != "MRAM" && out.type != "PCRAM" && out.type != "memristor")
        throw ConfigError(at, key,
                          "cell type '{}' is read by NVSim but not modelled by deepnvm; supported: "
                          "'SRAM', 'MRAM', 'PCRAM', 'memristor'",
                          out.type);
      continue;
    }
    if (key == "ReadMode" || key == "ResetMode" || key == "SetMode") {
      (key == "ReadMode"    ? out.read_mode
       : key == "ResetMode" ? out.reset_mode
                            : out.set_mode) = one_of(value, {"voltage", "current"}, at, key);
      continue;
    }
    if (key == "AccessType") {
      out.access = one_of(value, {"CMOS", "BJT", "diode", "None"}, at, key);
      continue;
    }
    if (key == "ReadFloating") {
      out.read_floating = one_of(value, {"true", "false"}, at, key) == "true";
      continue;
    }
    const auto& numeric = numeric_keys();
    const auto it = std::find_if(numeric.begin(), numeric.end(), [&](const auto& k) { return k.first == key; });
    if (it == numeric.end()) {
      // Same name with another unit is the likeliest mistake: say which unit NVSim expects.
      for (const auto& [known, scale] : numeric)
        if (base_name(known) == base_name(key))
          throw ConfigError(at, key, "wrong unit: NVSim reads this key as '-{}'", known);
      throw ConfigError(at, key, "unknown NVSim cell key{}", did_you_mean(key, keys));
    }
    // NVSim ignores, with a warning, transistor widths that do not apply to the cell read so far.
    const bool cmos_width = key == "AccessCMOSWidth (F)";
    const bool sram_width = key == "SRAMCellNMOSWidth (F)" || key == "SRAMCellPMOSWidth (F)";
    if ((cmos_width && out.access != "CMOS") || (sram_width && out.type != "SRAM")) {
      out.ignored.push_back(fmt::format("{}: {} ignored (NVSim ignores it too: the cell is not {})", at.to_string(),
                                        key, cmos_width ? "CMOS-accessed" : "SRAM"));
      continue;
    }
    const double v = parse_number(value, at, key) / it->second;
    if (v < 0.0) throw ConfigError(at, key, "must not be negative, got {}", value);
    out.numbers[key] = v;
  }
  if (out.type.empty()) throw ConfigError({file, 0}, "MemCellType", "missing required key: the cell type");
  return out;
}

std::optional<double> get(const NvsimFields& f, const std::string& key) {
  const auto it = f.numbers.find(key);
  return it == f.numbers.end() ? std::nullopt : std::optional<double>(it->second);
}

double required(const NvsimFields& f, const std::string& key, const std::string& file, const char* why) {
  const auto v = get(f, key);
  if (!v) throw ConfigError({file, f.type_line}, key, "missing required key: {}", why);
  if (*v <= 0.0) {
    const auto line = f.lines.find(key);
    throw ConfigError({file, line == f.lines.end() ? 0 : line->second}, key, "must be positive: {}", why);
  }
  return *v;
}

std::unique_ptr<Cell> make_sram(const NvsimFields& f, const std::string& file) {
  SramSpec s;
  s.name = std::filesystem::path(file).stem().string();
  s.area_f2 = required(f, "CellArea (F^2)", file, "the cell area in F^2");
  s.aspect_ratio = required(f, "CellAspectRatio", file, "the cell height / width");
  // NVSim's defaults for unset widths (MemCell.cpp constructor: 2.08 F and 1.23 F "from CACTI").
  s.access_width_f = get(f, "AccessCMOSWidth (F)").value_or(0.0);
  s.nmos_width_f = get(f, "SRAMCellNMOSWidth (F)").value_or(2.08);
  s.pmos_width_f = get(f, "SRAMCellPMOSWidth (F)").value_or(1.23);
  s.min_sense_voltage = get(f, "MinSenseVoltage (mV)").value_or(0.08);
  if (const auto node = get(f, "ProcessNode")) s.process_node_nm = static_cast<int>(*node);
  s.source = fmt::format("NVSim cell file {}", file);
  s.ignored_keys = f.ignored;
  return std::make_unique<SramCell>(std::move(s));
}

std::unique_ptr<Cell> make_resistive(const NvsimFields& f, const std::string& file) {
  ResistiveSpec s;
  s.name = std::filesystem::path(file).stem().string();
  s.technology = f.type == "MRAM" ? "mram" : f.type == "PCRAM" ? "pcm" : "reram";
  s.area_f2 = required(f, "CellArea (F^2)", file, "the cell area in F^2");
  s.aspect_ratio = required(f, "CellAspectRatio", file, "the cell height / width");
  // ResistanceOn and ResistanceOnAtReadVoltage both set NVSim's resistanceOn; the later line wins,
  // as in NVSim's reader (likewise for Off).
  const auto later = [&](const char* a, const char* b) {
    const auto la = f.lines.find(a), lb = f.lines.find(b);
    if (la == f.lines.end()) return get(f, b);
    if (lb == f.lines.end()) return get(f, a);
    return la->second > lb->second ? get(f, a) : get(f, b);
  };
  const auto on = later("ResistanceOnAtReadVoltage (ohm)", "ResistanceOn (ohm)");
  const auto off = later("ResistanceOffAtReadVoltage (ohm)", "ResistanceOff (ohm)");
  const auto line_of = [&](const char* a, const char* b) {
    const auto it = f.lines.find(a);
    if (it != f.lines.end()) return it->second;
    const auto jt = f.lines.find(b);
    return jt != f.lines.end() ? jt->second : f.type_line;
  };
  if (!on || *on <= 0.0)
    throw ConfigError({file, line_of("ResistanceOn (ohm)", "ResistanceOnAtReadVoltage (ohm)")}, "ResistanceOn (ohm)",
                      "missing or zero: a resistive cell needs its on-resistance");
  if (!off || *off <= *on)
    throw ConfigError({file, line_of("ResistanceOff (ohm)", "ResistanceOffAtReadVoltage (ohm)")}, "ResistanceOff (ohm)",
                      "must exceed the on-resistance ({} ohm)", *on);
  s.r_on = *on;
  s.r_off = *off;
  s.read_mode = f.read_mode;
  s.read_voltage = get(f, "ReadVoltage (V)");
  s.read_current = get(f, "ReadCurrent (uA)");
  s.read_power = get(f, "ReadPower (uW)");
  s.min_sense_voltage = get(f, "MinSenseVoltage (mV)").value_or(0.08);
  s.set_mode = f.set_mode;
  s.reset_mode = f.reset_mode;
  s.set_voltage = get(f, "SetVoltage (V)");
  s.set_current = get(f, "SetCurrent (uA)");
  s.reset_voltage = get(f, "ResetVoltage (V)");
  s.reset_current = get(f, "ResetCurrent (uA)");
  s.set_pulse = required(f, "SetPulse (ns)", file, "the SET pulse width");
  s.reset_pulse = required(f, "ResetPulse (ns)", file, "the RESET pulse width");
  s.set_energy = get(f, "SetEnergy (pJ)");
  s.reset_energy = get(f, "ResetEnergy (pJ)");
  s.access = f.access == "CMOS" ? "cmos" : f.access == "BJT" ? "bjt" : f.access == "diode" ? "diode" : "none";
  s.access_width_f = get(f, "AccessCMOSWidth (F)");
  if (s.access == "cmos" && !s.access_width_f)
    throw ConfigError({file, f.type_line}, "AccessCMOSWidth (F)", "missing required key: the access width");
  s.access_voltage_drop = get(f, "VoltageDropAccessDevice (V)");
  s.access_leakage_current = get(f, "LeakageCurrentAccessDevice (uA)");
  s.r_on_at_set_voltage = get(f, "ResistanceOnAtSetVoltage (ohm)");
  s.r_off_at_set_voltage = get(f, "ResistanceOffAtSetVoltage (ohm)");
  s.r_on_at_reset_voltage = get(f, "ResistanceOnAtResetVoltage (ohm)");
  s.r_off_at_reset_voltage = get(f, "ResistanceOffAtResetVoltage (ohm)");
  s.r_on_at_read_voltage = get(f, "ResistanceOnAtReadVoltage (ohm)");
  s.r_off_at_read_voltage = get(f, "ResistanceOffAtReadVoltage (ohm)");
  s.r_on_at_half_read_voltage = get(f, "ResistanceOnAtHalfReadVoltage (ohm)");
  s.r_off_at_half_read_voltage = get(f, "ResistanceOffAtHalfReadVoltage (ohm)");
  s.r_on_at_half_reset_voltage = get(f, "ResistanceOnAtHalfResetVoltage (ohm)");
  s.capacitance_on = get(f, "CapacitanceOn (F)");
  s.capacitance_off = get(f, "CapacitanceOff (F)");
  s.read_floating = f.read_floating;
  s.gate_oxide_thickness_factor = get(f, "GateOxThicknessFactor");
  s.soi_device_width_f = get(f, "SOIDeviceWidth (F)");
  if (const auto node = get(f, "ProcessNode")) s.process_node_nm = static_cast<int>(*node);
  const auto need = [&](bool ok, const char* key, const char* mode_key, const char* why) {
    if (!ok) {
      const auto it = f.lines.find(mode_key);
      throw ConfigError({file, it == f.lines.end() ? f.type_line : it->second}, key, "missing required key: {}", why);
    }
  };
  need(s.read_mode != "current" || s.read_voltage, "ReadVoltage (V)", "ReadMode", "current sensing needs it");
  need(s.read_mode != "voltage" || s.read_current, "ReadCurrent (uA)", "ReadMode", "voltage sensing needs it");
  need(s.set_mode != "current" || s.set_current, "SetCurrent (uA)", "SetMode", "SET by current needs it");
  need(s.set_mode != "voltage" || s.set_voltage, "SetVoltage (V)", "SetMode", "SET by voltage needs it");
  need(s.reset_mode != "current" || s.reset_current, "ResetCurrent (uA)", "ResetMode", "RESET by current needs it");
  need(s.reset_mode != "voltage" || s.reset_voltage, "ResetVoltage (V)", "ResetMode", "RESET by voltage needs it");
  s.source = fmt::format("NVSim cell file {}", file);
  s.ignored_keys = f.ignored;
  return std::make_unique<ResistiveCell>(std::move(s));
}

}  // namespace

std::unique_ptr<Cell> read_nvsim_cell(std::string_view text, const std::string& file_name) {
  const NvsimFields f = read_fields(text, file_name);
  return f.type == "SRAM" ? make_sram(f, file_name) : make_resistive(f, file_name);
}

std::unique_ptr<Cell> load_nvsim_cell(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::string text = read_input_file(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw ConfigError({name, 0}, "", "the file is empty: expected NVSim '-Key: value' lines");
  return read_nvsim_cell(text, name);
}

namespace {
std::string nvsim_type(const std::string& cell_type) {
  if (cell_type == "sram") return "SRAM";
  if (cell_type == "pcm") return "PCRAM";
  if (cell_type == "reram") return "memristor";
  return "MRAM";
}
}  // namespace

std::string to_nvsim_cell(const CellFigures& f) {
  if (f.cell_type == "fefet")
    throw ModelError("NVSim (commit 6334d00) has no FeFET cell type: cell '{}' cannot be written as an NVSim cell",
                     f.name);
  if (!f.area_f2)
    throw ModelError(
        "cell '{}' has no area in F^2 without a node: characterize it at a node (--node) "
        "before writing an NVSim cell file",
        f.name);
  std::string out = fmt::format("// NVSim cell file written by deepnvm for '{}' ({})\n", f.name, f.cell_type);
  for (const auto& n : f.notes) out += "// note: " + n + "\n";
  if (f.cell_type == "sot_mram")
    out += "// NVSim has no SOT cell: the separate write path is written as an MRAM write current and pulse.\n";
  if (f.retention_time) out += fmt::format("// retention {:.6g} s\n", *f.retention_time);
  if (f.write_error_rate) out += fmt::format("// write error rate {:.6g}\n", *f.write_error_rate);
  const auto line = [&](std::string_view key, double v) { out += fmt::format("-{}: {:.10g}\n", key, v); };
  out += fmt::format("-MemCellType: {}\n", nvsim_type(f.cell_type));
  if (f.nvsim.process_node_nm) line("ProcessNode", *f.nvsim.process_node_nm);
  line("CellArea (F^2)", *f.area_f2);
  line("CellAspectRatio", f.aspect_ratio);
  if (f.r_on) line("ResistanceOn (ohm)", *f.r_on);
  if (f.r_off) line("ResistanceOff (ohm)", *f.r_off);
  out += fmt::format("-ReadMode: {}\n", to_string(f.read.mode));
  if (f.read.voltage) line("ReadVoltage (V)", *f.read.voltage);
  if (f.read.current && f.read.mode == SenseMode::voltage) line("ReadCurrent (uA)", *f.read.current * 1e6);
  if (f.read.power) line("ReadPower (uW)", *f.read.power * 1e6);
  if (f.read.min_sense_voltage) line("MinSenseVoltage (mV)", *f.read.min_sense_voltage * 1e3);
  if (f.cell_type != "sram") {
    out += fmt::format("-ResetMode: {}\n", to_string(f.write.reset_mode));
    if (f.write.reset_voltage) line("ResetVoltage (V)", *f.write.reset_voltage);
    if (f.write.reset_current) line("ResetCurrent (uA)", *f.write.reset_current * 1e6);
    line("ResetPulse (ns)", f.write.reset_pulse * 1e9);
    if (f.write.reset_energy) line("ResetEnergy (pJ)", *f.write.reset_energy * 1e12);
    out += fmt::format("-SetMode: {}\n", to_string(f.write.set_mode));
    if (f.write.set_voltage) line("SetVoltage (V)", *f.write.set_voltage);
    if (f.write.set_current) line("SetCurrent (uA)", *f.write.set_current * 1e6);
    line("SetPulse (ns)", f.write.set_pulse * 1e9);
    if (f.write.set_energy) line("SetEnergy (pJ)", *f.write.set_energy * 1e12);
  }
  const auto access = f.access.device;
  out += fmt::format("-AccessType: {}\n", access == AccessDevice::cmos    ? "CMOS"
                                          : access == AccessDevice::bjt   ? "BJT"
                                          : access == AccessDevice::diode ? "diode"
                                                                          : "None");
  if (f.access.voltage_drop) line("VoltageDropAccessDevice (V)", *f.access.voltage_drop);
  if (f.access.leakage_current) line("LeakageCurrentAccessDevice (uA)", *f.access.leakage_current * 1e6);
  if (access == AccessDevice::cmos && f.access.width_f) {
    line("AccessCMOSWidth (F)", *f.access.width_f);
  } else if (access == AccessDevice::cmos && f.access.fins) {
    // NVSim sizes planar widths; NS-Cache maps a width W to ceil(W / 2F) fins (array-model note §3.8).
    out += fmt::format("// {} fins written as a planar width of 2 F per fin (NS-Cache convention)\n", *f.access.fins);
    line("AccessCMOSWidth (F)", 2.0 * *f.access.fins);
  }
  if (f.nvsim.sram_nmos_width_f) line("SRAMCellNMOSWidth (F)", *f.nvsim.sram_nmos_width_f);
  if (f.nvsim.sram_pmos_width_f) line("SRAMCellPMOSWidth (F)", *f.nvsim.sram_pmos_width_f);
  const auto opt_line = [&](std::string_view key, const std::optional<double>& v) {
    if (v) line(key, *v);
  };
  opt_line("ResistanceOnAtSetVoltage (ohm)", f.nvsim.r_on_at_set_voltage);
  opt_line("ResistanceOffAtSetVoltage (ohm)", f.nvsim.r_off_at_set_voltage);
  opt_line("ResistanceOnAtResetVoltage (ohm)", f.nvsim.r_on_at_reset_voltage);
  opt_line("ResistanceOffAtResetVoltage (ohm)", f.nvsim.r_off_at_reset_voltage);
  opt_line("ResistanceOnAtReadVoltage (ohm)", f.nvsim.r_on_at_read_voltage);
  opt_line("ResistanceOffAtReadVoltage (ohm)", f.nvsim.r_off_at_read_voltage);
  opt_line("ResistanceOnAtHalfReadVoltage (ohm)", f.nvsim.r_on_at_half_read_voltage);
  opt_line("ResistanceOffAtHalfReadVoltage (ohm)", f.nvsim.r_off_at_half_read_voltage);
  opt_line("ResistanceOnAtHalfResetVoltage (ohm)", f.nvsim.r_on_at_half_reset_voltage);
  opt_line("CapacitanceOn (F)", f.nvsim.capacitance_on);
  opt_line("CapacitanceOff (F)", f.nvsim.capacitance_off);
  if (f.nvsim.read_floating) out += fmt::format("-ReadFloating: {}\n", *f.nvsim.read_floating ? "true" : "false");
  return out;
}

}  // namespace deepnvm
