// SPDX-License-Identifier: MIT
#include "deepnvm/cell/sram.h"

#include "deepnvm/cell/geometry.h"
#include "deepnvm/core/error.h"

namespace deepnvm {

const Schema<SramSpec>& SramSpec::schema() {
  static const Schema<SramSpec> s = [] {
    Schema<SramSpec> s("sram_cell", "A 6T SRAM cell: layout area and transistor widths; leakage comes from the node.");
    s.allow_key("kind");
    using S = SramSpec;
    s.field("name", &S::name).desc("Name of the cell.");
    s.field("source", &S::source).desc("Where the area and widths come from.");
    s.field("node", &S::node).unit(dim::length).greater_than(0).desc("Node the cell is drawn at, if any.");
    s.field("area_f2", &S::area_f2).greater_than(0).desc("Cell area in F^2 (planar convention); or give 'area'.");
    s.field("area", &S::area)
        .unit(dim::area)
        .greater_than(0)
        .desc("Absolute cell area; use this at FinFET nodes, where F^2 misleads.");
    s.field("aspect_ratio", &S::aspect_ratio).greater_than(0).default_value(1.46).desc("Cell height / width.");
    s.field("access_width_f", &S::access_width_f)
        .greater_than(0)
        .default_value(1.31)
        .desc("Access (pass-gate) transistor width in F.");
    s.field("nmos_width_f", &S::nmos_width_f).greater_than(0).default_value(2.08).desc("Pull-down width in F.");
    s.field("pmos_width_f", &S::pmos_width_f).greater_than(0).default_value(1.23).desc("Pull-up width in F.");
    s.field("flavour", &S::flavour)
        .one_of({"hp", "lstp", "lop"})
        .default_value("hp")
        .desc("Device flavour of the node used for the cell's transistors.");
    s.field("min_sense_voltage", &S::min_sense_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .default_value(0.08)
        .desc("Bitline swing the sense amplifier needs.");
    s.check([](const SramSpec& c, const ConfigNode& node) { check_one_area(c.area_f2, c.area, node); });
    return s;
  }();
  return s;
}

double sram_cell_leakage(const Device& device, double temperature, double access_width, double nmos_width,
                         double pmos_width) {
  const double off_n = device.current(DeviceCurrent::off_n, temperature);
  const double off_p = device.current(DeviceCurrent::off_p, temperature);
  return device.vdd * (off_n * (nmos_width + access_width) + off_p * pmos_width);
}

SramCell::SramCell(SramSpec spec) : spec_(std::move(spec)) {}

CellFigures SramCell::characterize(const CellContext& context) const {
  const SramSpec& s = spec_;
  CellFigures f;
  f.cell_type = "sram";
  f.name = s.name;
  f.node = node_of(context);
  set_area(f, s.area_f2, s.area, s.aspect_ratio);
  f.read.mode = SenseMode::voltage;
  f.read.min_sense_voltage = s.min_sense_voltage;
  f.access.device = AccessDevice::cmos;
  f.access.width_f = s.access_width_f;
  f.nvsim.sram_nmos_width_f = s.nmos_width_f;
  f.nvsim.sram_pmos_width_f = s.pmos_width_f;
  f.nvsim.process_node_nm = s.process_node_nm;
  if (context.technology) {
    const double F = context.technology->node;
    const Device& device = context.technology->device(context.flavour.empty() ? s.flavour : context.flavour);
    f.leakage =
        sram_cell_leakage(device, context.temperature, s.access_width_f * F, s.nmos_width_f * F, s.pmos_width_f * F);
    if (context.technology->process == "finfet")
      f.notes.push_back("widths in F at a FinFET node are read as effective widths W/F");
  }
  if (!s.source.empty()) f.sources.push_back(s.source);
  f.ignored_keys = s.ignored_keys;
  return f;
}

}  // namespace deepnvm
