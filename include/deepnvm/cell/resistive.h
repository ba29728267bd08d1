// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// @brief A resistive cell given by its figures, NVSim-style (MRAM, PCM or ReRAM, with a CMOS,
/// BJT or diode access device, or none — a cross-point array). Nothing is derived from device
/// physics here: this is the "any NVM plugs in" path and what NVSim `.cell` files become.
struct ResistiveSpec {
  std::string name;
  std::string technology;  // "mram", "pcm", "reram"
  std::optional<double> node;
  double area_f2 = 0.0;
  double aspect_ratio = 1.0;
  double r_on = 0.0, r_off = 0.0;
  std::string read_mode = "current";
  std::optional<double> read_voltage, read_current, read_power, read_energy;
  double min_sense_voltage = 0.08;  // V, NVSim's default
  std::string set_mode = "current", reset_mode = "current";
  std::optional<double> set_voltage, set_current, reset_voltage, reset_current;
  double set_pulse = 0.0, reset_pulse = 0.0;
  std::optional<double> set_energy, reset_energy;
  std::string access = "cmos";
  std::optional<double> access_width_f;
  std::optional<double> access_voltage_drop, access_leakage_current;
  // Cross-point (memristor) figures NVSim's array model reads; see NvsimCellExtras.
  std::optional<double> r_on_at_set_voltage, r_off_at_set_voltage, r_on_at_reset_voltage, r_off_at_reset_voltage;
  std::optional<double> r_on_at_read_voltage, r_off_at_read_voltage, r_on_at_half_read_voltage,
      r_off_at_half_read_voltage, r_on_at_half_reset_voltage;
  std::optional<double> capacitance_on, capacitance_off;
  bool read_floating = false;
  std::string source;
  // Filled by the NVSim reader, never by YAML: parsed-but-unused NVSim fields and ignored keys.
  std::optional<double> gate_oxide_thickness_factor, soi_device_width_f;
  std::optional<int> process_node_nm;
  std::vector<std::string> ignored_keys;

  static const Schema<ResistiveSpec>& schema();
};

class ResistiveCell final : public Cell {
 public:
  explicit ResistiveCell(ResistiveSpec spec);
  CellFigures characterize(const CellContext& context) const override;
  std::optional<double> own_node() const override {
    return spec_.node              ? spec_.node
           : spec_.process_node_nm ? std::optional<double>(*spec_.process_node_nm * 1e-9)
                                   : std::nullopt;
  }
  const ResistiveSpec& spec() const { return spec_; }

 private:
  ResistiveSpec spec_;
};

}  // namespace deepnvm
