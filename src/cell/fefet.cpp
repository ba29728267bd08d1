// SPDX-License-Identifier: MIT
#include "deepnvm/cell/fefet.h"

#include <cmath>

#include "deepnvm/cell/geometry.h"
#include "deepnvm/core/constants.h"
#include "deepnvm/core/error.h"

namespace deepnvm {

namespace c = deepnvm::constants;

const Schema<FefetSpec>& FefetSpec::schema() {
  static const Schema<FefetSpec> s = [] {
    Schema<FefetSpec> s("fefet_cell",
                        "A ferroelectric FET cell: one transistor with two threshold states (program / erase).");
    s.allow_key("kind");
    using F = FefetSpec;
    s.field("name", &F::name).desc("Name of the cell.");
    s.field("source", &F::source).desc("Where the parameters come from.");
    s.field("node", &F::node).unit(dim::length).greater_than(0).desc("Node the cell is drawn at, if any.");
    s.field("area_f2", &F::area_f2).greater_than(0).desc("Cell area in F^2; or give 'area'.");
    s.field("area", &F::area).unit(dim::area).greater_than(0).desc("Absolute cell area.");
    s.field("aspect_ratio", &F::aspect_ratio).greater_than(0).default_value(1.0).desc("Cell height / width.");
    s.field("width_f", &F::width_f).greater_than(0).desc("Channel width in F (length: the node's gate length).");
    s.field("flavour", &F::flavour)
        .one_of({"hp", "lstp", "lop"})
        .default_value("hp")
        .desc("Device flavour of the node whose mobility, oxide capacitance and gate length the FeFET uses.");
    s.field("low_threshold", &F::low_threshold)
        .unit(dim::voltage)
        .desc("Threshold of the programmed state (default: the node device's threshold).");
    s.field("memory_window", &F::memory_window)
        .unit(dim::voltage)
        .greater_than(0)
        .desc("Threshold difference between the erased and programmed states.");
    s.field("read_gate_voltage", &F::read_gate_voltage)
        .unit(dim::voltage)
        .desc("Gate voltage of a read (default: the middle of the memory window).");
    s.field("read_drain_voltage", &F::read_drain_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .desc("Drain bias of a read.");
    s.field("slope_factor", &F::slope_factor)
        .min(1)
        .max(3)
        .default_value(1.3)
        .desc("Subthreshold slope factor n (swing = n kT/q ln 10).");
    s.field("write_voltage", &F::write_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .desc("Gate voltage magnitude of program (+) and erase (-) pulses.");
    s.field("write_pulse", &F::write_pulse).unit(dim::time).greater_than(0).desc("Program / erase pulse width.");
    s.field("remanent_polarization", &F::remanent_polarization)
        .unit(dim::charge / dim::area)
        .greater_than(0)
        .desc("Remanent polarization P_r of the ferroelectric layer.");
    s.field("ferroelectric_thickness", &F::ferroelectric_thickness)
        .unit(dim::length)
        .greater_than(0)
        .desc("Thickness of the ferroelectric layer.");
    s.field("ferroelectric_permittivity", &F::ferroelectric_permittivity)
        .greater_than(1)
        .desc("Relative (background) permittivity of the ferroelectric layer.");
    s.check([](const FefetSpec& f, const ConfigNode& node) { check_one_area(f.area_f2, f.area, node); });
    return s;
  }();
  return s;
}

double ekv_drain_current(double mobility, double oxide_cap, double width, double length, double threshold,
                         double gate_voltage, double drain_voltage, double slope_factor, double temperature) {
  const double vt = c::boltzmann * temperature / c::elementary_charge;
  const auto f = [&](double v) {
    // ln(1 + e^x) without overflow for large x
    const double x = v / (2.0 * slope_factor * vt);
    const double l = x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    return l * l;
  };
  const double specific = 2.0 * slope_factor * mobility * oxide_cap * (width / length) * vt * vt;
  return specific * (f(gate_voltage - threshold) - f(gate_voltage - threshold - slope_factor * drain_voltage));
}

CellFigures FefetCell::characterize(const CellContext& context) const {
  const FefetSpec& s = spec_;
  CellFigures f;
  f.cell_type = "fefet";
  f.name = s.name;
  f.node = node_of(context);
  set_area(f, s.area_f2, s.area, s.aspect_ratio);
  f.access.device = AccessDevice::none;  // the storage element is itself the transistor
  f.access.width_f = s.width_f;
  f.read.mode = SenseMode::current;
  f.read.voltage = s.read_drain_voltage;
  f.write.set_mode = f.write.reset_mode = DriveMode::voltage;
  f.write.set_voltage = f.write.reset_voltage = s.write_voltage;
  f.write.set_pulse = f.write.reset_pulse = s.write_pulse;
  if (context.technology) {
    const Device& d = context.technology->device(context.flavour.empty() ? s.flavour : context.flavour);
    const double width = s.width_f * context.technology->node;
    const double low = s.low_threshold ? *s.low_threshold : d.need(d.vth, "vth");
    const double high = low + s.memory_window;
    const double gate = s.read_gate_voltage.value_or(low + s.memory_window / 2.0);
    const auto current = [&](double threshold) {
      return ekv_drain_current(d.need(d.electron_mobility, "electron_mobility"), d.need(d.oxide_cap, "oxide_cap"),
                               width, d.gate_length, threshold, gate, s.read_drain_voltage, s.slope_factor,
                               context.temperature);
    };
    // The long-channel EKV channel knows nothing of velocity saturation or contact and extension
    // resistance; the node's full-drive on-resistance k_R Vdd / (I_on W) (NVSim formula.cpp line 315)
    // does, so it is added in series. It matters only in the on state.
    const double series =
        d.effective_resistance_multiplier * d.vdd / (d.current(DeviceCurrent::on_n, context.temperature) * width);
    f.r_on = s.read_drain_voltage / current(low) + series;
    f.r_off = s.read_drain_voltage / current(high) + series;
    f.read.current = s.read_drain_voltage / *f.r_on;
    f.read.sense_margin_current = s.read_drain_voltage / *f.r_on - s.read_drain_voltage / *f.r_off;
    // Reversing the polarization moves 2 P_r of charge across the gate, plus the layer's linear
    // (background) displacement charge, all supplied at the write voltage.
    const double gate_area = width * d.gate_length;
    const double charge = (2.0 * s.remanent_polarization + c::vacuum_permittivity * s.ferroelectric_permittivity *
                                                               s.write_voltage / s.ferroelectric_thickness) *
                          gate_area;
    f.write.set_energy = f.write.reset_energy = charge * s.write_voltage;
    f.leakage = 0.0;  // no static path: gate, drain and source equalized in standby
    f.notes.push_back("uses the node's logic-transistor mobility, oxide capacitance and gate length for the channel");
  } else {
    f.notes.push_back("no node: read currents, resistances and write energy need the node's transistor");
  }
  if (!s.source.empty()) f.sources.push_back(s.source);
  return f;
}

}  // namespace deepnvm
