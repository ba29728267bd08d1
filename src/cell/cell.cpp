// SPDX-License-Identifier: MIT
#include "deepnvm/cell/cell.h"

namespace deepnvm {

std::string_view to_string(SenseMode m) { return m == SenseMode::voltage ? "voltage" : "current"; }
std::string_view to_string(DriveMode m) { return m == DriveMode::voltage ? "voltage" : "current"; }
std::string_view to_string(AccessDevice d) {
  switch (d) {
    case AccessDevice::cmos:
      return "cmos";
    case AccessDevice::bjt:
      return "bjt";
    case AccessDevice::diode:
      return "diode";
    case AccessDevice::none:
      return "none";
  }
  return "none";
}

std::optional<double> WriteFigures::energy() const {
  if (set_energy && reset_energy) return (*set_energy + *reset_energy) / 2.0;
  return set_energy ? set_energy : reset_energy;
}

namespace {
template <class T>
nlohmann::ordered_json opt(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
}  // namespace

nlohmann::ordered_json to_json(const CellFigures& f) {
  nlohmann::ordered_json j;
  j["cell_type"] = f.cell_type;
  j["name"] = f.name;
  j["node"] = opt(f.node);
  j["area_f2"] = opt(f.area_f2);
  j["area_m2"] = opt(f.area_m2);
  j["width_f"] = opt(f.width_f);
  j["height_f"] = opt(f.height_f);
  j["aspect_ratio"] = f.aspect_ratio;
  j["r_on_ohm"] = opt(f.r_on);
  j["r_off_ohm"] = opt(f.r_off);
  j["read"] = {{"mode", to_string(f.read.mode)},
               {"voltage_v", opt(f.read.voltage)},
               {"current_a", opt(f.read.current)},
               {"sense_margin_v", opt(f.read.sense_margin_voltage)},
               {"sense_margin_a", opt(f.read.sense_margin_current)},
               {"min_sense_voltage_v", opt(f.read.min_sense_voltage)},
               {"energy_j", opt(f.read.energy)},
               {"power_w", opt(f.read.power)}};
  j["write"] = {{"set_mode", to_string(f.write.set_mode)},   {"reset_mode", to_string(f.write.reset_mode)},
                {"set_current_a", opt(f.write.set_current)}, {"reset_current_a", opt(f.write.reset_current)},
                {"set_voltage_v", opt(f.write.set_voltage)}, {"reset_voltage_v", opt(f.write.reset_voltage)},
                {"set_pulse_s", f.write.set_pulse},          {"reset_pulse_s", f.write.reset_pulse},
                {"set_energy_j", opt(f.write.set_energy)},   {"reset_energy_j", opt(f.write.reset_energy)},
                {"energy_j", opt(f.write.energy())},         {"drive_voltage_v", opt(f.write.drive_voltage)}};
  j["access"] = {{"device", to_string(f.access.device)},
                 {"width_f", opt(f.access.width_f)},
                 {"read_width_f", opt(f.access.read_width_f)},
                 {"fins", opt(f.access.fins)},
                 {"read_fins", opt(f.access.read_fins)},
                 {"voltage_drop_v", opt(f.access.voltage_drop)},
                 {"leakage_current_a", opt(f.access.leakage_current)}};
  j["leakage_w"] = opt(f.leakage);
  if (f.cell_type == "stt_mram" || f.cell_type == "sot_mram" || f.cell_type == "mram") {
    j["retention_s"] = opt(f.retention_time);
    j["write_error_rate"] = opt(f.write_error_rate);
    j["read_disturb_probability"] = opt(f.read_disturb_probability);
  }
  j["sources"] = f.sources;
  j["ignored_keys"] = f.ignored_keys;
  j["notes"] = f.notes;
  return j;
}

}  // namespace deepnvm
