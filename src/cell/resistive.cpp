// SPDX-License-Identifier: MIT
#include "deepnvm/cell/resistive.h"

#include "deepnvm/cell/geometry.h"
#include "deepnvm/core/error.h"

namespace deepnvm {

const Schema<ResistiveSpec>& ResistiveSpec::schema() {
  static const Schema<ResistiveSpec> s = [] {
    Schema<ResistiveSpec> s("resistive_cell",
                            "A resistive cell (MRAM, PCM, ReRAM) given by its figures, NVSim-style; "
                            "access 'none' is a cross-point cell.");
    s.allow_key("kind");
    using R = ResistiveSpec;
    s.field("name", &R::name).desc("Name of the cell.");
    s.field("technology", &R::technology).one_of({"mram", "pcm", "reram"}).desc("Memory technology.");
    s.field("source", &R::source).desc("Where the figures come from.");
    s.field("node", &R::node).unit(dim::length).greater_than(0).desc("Node the figures belong to, if any.");
    s.field("area_f2", &R::area_f2).greater_than(0).desc("Cell area in F^2.");
    s.field("aspect_ratio", &R::aspect_ratio).greater_than(0).default_value(1.0).desc("Cell height / width.");
    s.field("r_on", &R::r_on).unit(dim::resistance).greater_than(0).desc("Low-resistance state.");
    s.field("r_off", &R::r_off).unit(dim::resistance).greater_than(0).desc("High-resistance state.");
    s.field("read_mode", &R::read_mode)
        .one_of({"voltage", "current"})
        .default_value("current")
        .desc("Sensing: 'current' applies read_voltage, 'voltage' forces read_current.");
    s.field("read_voltage", &R::read_voltage).unit(dim::voltage).greater_than(0).desc("Read voltage.");
    s.field("read_current", &R::read_current).unit(dim::current).greater_than(0).desc("Read current.");
    s.field("read_power", &R::read_power).unit(dim::power).min(0).desc("Read power of the cell.");
    s.field("read_energy", &R::read_energy).unit(dim::energy).min(0).desc("Read energy of the cell.");
    s.field("min_sense_voltage", &R::min_sense_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .default_value(0.08)
        .desc("Smallest voltage difference the sense amplifier resolves.");
    s.field("set_mode", &R::set_mode).one_of({"voltage", "current"}).default_value("current").desc("SET drive.");
    s.field("set_voltage", &R::set_voltage).unit(dim::voltage).greater_than(0).desc("SET voltage.");
    s.field("set_current", &R::set_current).unit(dim::current).greater_than(0).desc("SET current.");
    s.field("set_pulse", &R::set_pulse).unit(dim::time).greater_than(0).desc("SET pulse width.");
    s.field("set_energy", &R::set_energy).unit(dim::energy).min(0).desc("SET energy of the cell.");
    s.field("reset_mode", &R::reset_mode).one_of({"voltage", "current"}).default_value("current").desc("RESET drive.");
    s.field("reset_voltage", &R::reset_voltage).unit(dim::voltage).greater_than(0).desc("RESET voltage.");
    s.field("reset_current", &R::reset_current).unit(dim::current).greater_than(0).desc("RESET current.");
    s.field("reset_pulse", &R::reset_pulse).unit(dim::time).greater_than(0).desc("RESET pulse width.");
    s.field("reset_energy", &R::reset_energy).unit(dim::energy).min(0).desc("RESET energy of the cell.");
    s.field("access", &R::access)
        .one_of({"cmos", "bjt", "diode", "none"})
        .default_value("cmos")
        .desc("Access device; 'none' makes a cross-point cell.");
    s.field("access_width_f", &R::access_width_f).greater_than(0).desc("CMOS access transistor width in F.");
    s.field("access_voltage_drop", &R::access_voltage_drop)
        .unit(dim::voltage)
        .min(0)
        .desc("Voltage across the access device when on.");
    s.field("access_leakage_current", &R::access_leakage_current)
        .unit(dim::current)
        .min(0)
        .desc("Leakage current of the access device.");
    for (const auto& [key, member] : std::initializer_list<std::pair<const char*, std::optional<double> R::*>>{
             {"r_on_at_set_voltage", &R::r_on_at_set_voltage},
             {"r_off_at_set_voltage", &R::r_off_at_set_voltage},
             {"r_on_at_reset_voltage", &R::r_on_at_reset_voltage},
             {"r_off_at_reset_voltage", &R::r_off_at_reset_voltage},
             {"r_on_at_read_voltage", &R::r_on_at_read_voltage},
             {"r_off_at_read_voltage", &R::r_off_at_read_voltage},
             {"r_on_at_half_read_voltage", &R::r_on_at_half_read_voltage},
             {"r_off_at_half_read_voltage", &R::r_off_at_half_read_voltage},
             {"r_on_at_half_reset_voltage", &R::r_on_at_half_reset_voltage}})
      s.field(key, member)
          .unit(dim::resistance)
          .greater_than(0)
          .desc("Cross-point cell resistance at that bias (non-linear I-V).");
    s.field("capacitance_on", &R::capacitance_on).unit(dim::capacitance).min(0).desc("Cell capacitance, on.");
    s.field("capacitance_off", &R::capacitance_off).unit(dim::capacitance).min(0).desc("Cell capacitance, off.");
    s.field("read_floating", &R::read_floating)
        .default_value(false)
        .desc("Cross-point read with unselected lines floating.");
    s.check([](const ResistiveSpec& c, const ConfigNode& node) {
      const auto at = [&](const char* key) {
        const auto v = node.find(key);
        return v ? v->location() : node.location();
      };
      if (c.r_off <= c.r_on)
        throw ConfigError(at("r_off"), "r_off", "must exceed r_on ({} Ohm), got {} Ohm", c.r_on, c.r_off);
      if (c.read_mode == "current" && !c.read_voltage)
        throw ConfigError(at("read_mode"), "read_voltage", "missing: current sensing needs a read voltage");
      if (c.read_mode == "voltage" && !c.read_current)
        throw ConfigError(at("read_mode"), "read_current", "missing: voltage sensing needs a read current");
      for (const auto& [mode, voltage, current, name] :
           {std::tuple{c.set_mode, c.set_voltage, c.set_current, "set"},
            std::tuple{c.reset_mode, c.reset_voltage, c.reset_current, "reset"}}) {
        const std::string m = mode;
        if (m == "current" && !current)
          throw ConfigError(at((std::string(name) + "_mode").c_str()), std::string(name) + "_current",
                            "missing: {} by current needs a {} current", name, name);
        if (m == "voltage" && !voltage)
          throw ConfigError(at((std::string(name) + "_mode").c_str()), std::string(name) + "_voltage",
                            "missing: {} by voltage needs a {} voltage", name, name);
      }
      if (c.access == "cmos" && !c.access_width_f)
        throw ConfigError(node.location(), "access_width_f", "missing: a CMOS-accessed cell needs its width");
    });
    return s;
  }();
  return s;
}

ResistiveCell::ResistiveCell(ResistiveSpec spec) : spec_(std::move(spec)) {}

namespace {
AccessDevice parse_access(const std::string& a) {
  if (a == "cmos") return AccessDevice::cmos;
  if (a == "bjt") return AccessDevice::bjt;
  if (a == "diode") return AccessDevice::diode;
  return AccessDevice::none;
}
DriveMode drive(const std::string& m) { return m == "voltage" ? DriveMode::voltage : DriveMode::current; }
}  // namespace

CellFigures ResistiveCell::characterize(const CellContext& context) const {
  const ResistiveSpec& s = spec_;
  CellFigures f;
  f.cell_type = s.technology;
  f.name = s.name;
  f.node = node_of(context);
  set_area_f2(f, s.area_f2, s.aspect_ratio);
  f.r_on = s.r_on;
  f.r_off = s.r_off;
  f.read.mode = s.read_mode == "voltage" ? SenseMode::voltage : SenseMode::current;
  f.read.voltage = s.read_voltage;
  f.read.current = s.read_current;
  f.read.power = s.read_power;
  f.read.energy = s.read_energy;
  f.read.min_sense_voltage = s.min_sense_voltage;
  if (f.read.mode == SenseMode::current && s.read_voltage)
    f.read.sense_margin_current = *s.read_voltage / s.r_on - *s.read_voltage / s.r_off;
  if (f.read.mode == SenseMode::voltage && s.read_current)
    f.read.sense_margin_voltage = *s.read_current * (s.r_off - s.r_on);
  f.write.set_mode = drive(s.set_mode);
  f.write.reset_mode = drive(s.reset_mode);
  f.write.set_current = s.set_current;
  f.write.reset_current = s.reset_current;
  f.write.set_voltage = s.set_voltage;
  f.write.reset_voltage = s.reset_voltage;
  f.write.set_pulse = s.set_pulse;
  f.write.reset_pulse = s.reset_pulse;
  f.write.set_energy = s.set_energy;
  f.write.reset_energy = s.reset_energy;
  f.access.device = parse_access(s.access);
  f.access.width_f = s.access_width_f;
  f.access.voltage_drop = s.access_voltage_drop;
  f.access.leakage_current = s.access_leakage_current;
  // A resistive cell has no static current path in standby (word line off, lines equalized);
  // what leaks is the access device, if the file gives its leakage current.
  f.leakage = std::nullopt;
  f.nvsim = NvsimCellExtras{std::nullopt,
                            std::nullopt,
                            s.capacitance_on,
                            s.capacitance_off,
                            s.r_on_at_set_voltage,
                            s.r_off_at_set_voltage,
                            s.r_on_at_reset_voltage,
                            s.r_off_at_reset_voltage,
                            s.r_on_at_read_voltage,
                            s.r_off_at_read_voltage,
                            s.r_on_at_half_read_voltage,
                            s.r_off_at_half_read_voltage,
                            s.r_on_at_half_reset_voltage,
                            s.read_floating,
                            s.gate_oxide_thickness_factor,
                            s.soi_device_width_f,
                            s.process_node_nm};
  if (!s.source.empty()) f.sources.push_back(s.source);
  f.ignored_keys = s.ignored_keys;
  return f;
}

}  // namespace deepnvm
