// SPDX-License-Identifier: MIT
#include "deepnvm/cell/mram.h"

#include <cmath>

#include <fmt/format.h>

#include "deepnvm/cell/geometry.h"
#include "deepnvm/core/error.h"

namespace deepnvm {

// ---------------------------------------------------------------------------------------------
// Schemas

const Schema<MtjSpec>& MtjSpec::schema() {
  static const Schema<MtjSpec> s = [] {
    Schema<MtjSpec> s("mtj", "A perpendicular magnetic tunnel junction (circular).");
    s.field("source", &MtjSpec::source).desc("Where the junction parameters come from.");
    s.field("diameter", &MtjSpec::diameter).unit(dim::length).greater_than(0).desc("Junction diameter d.");
    s.field("ra_product", &MtjSpec::ra_product)
        .unit(dim::resistance_area)
        .greater_than(0)
        .desc("Resistance-area product of the barrier; R_P = RA / (pi d^2 / 4).");
    s.field("r_p", &MtjSpec::r_p).unit(dim::resistance).greater_than(0).desc("Parallel resistance (instead of RA).");
    s.field("tmr", &MtjSpec::tmr).greater_than(0).max(100).desc("Zero-bias TMR ratio (R_AP - R_P) / R_P, e.g. 1.5.");
    s.field("tmr_half_bias", &MtjSpec::tmr_half_bias)
        .unit(dim::voltage)
        .greater_than(0)
        .default_value(0.5)
        .desc("Bias V_h at which the TMR halves: TMR(V) = TMR0 / (1 + V^2/V_h^2).");
    s.field("thermal_stability", &MtjSpec::thermal_stability)
        .greater_than(0)
        .max(500)
        .desc("Thermal stability factor Delta = E_b / k_B T at the reference temperature.");
    s.field("reference_temperature", &MtjSpec::reference_temperature)
        .unit(dim::temperature)
        .greater_than(0)
        .default_value(300.0)
        .desc("Temperature at which Delta is given.");
    s.field("attempt_time", &MtjSpec::attempt_time)
        .unit(dim::time)
        .greater_than(0)
        .default_value(1e-9)
        .desc("Attempt time tau0 of thermal activation.");
    s.field("critical_current", &MtjSpec::critical_current)
        .unit(dim::current)
        .greater_than(0)
        .desc("Intrinsic STT critical current I_c0.");
    s.field("critical_current_density", &MtjSpec::critical_current_density)
        .unit(dim::current_density)
        .greater_than(0)
        .desc("Intrinsic STT critical current density J_c0 (instead of I_c0).");
    s.field("damping", &MtjSpec::damping).greater_than(0).max(1).desc("Gilbert damping alpha of the free layer.");
    s.field("efficiency", &MtjSpec::efficiency)
        .greater_than(0)
        .max(1)
        .desc(
            "Spin-torque efficiency eta; with damping gives the macrospin I_c0 = 4 e alpha k_B T Delta / (hbar eta).");
    s.field("anisotropy_field", &MtjSpec::anisotropy_field)
        .unit(dim::magnetic_flux_density)
        .greater_than(0)
        .desc("Effective anisotropy field mu0 H_k,eff (precessional time, WER).");
    s.check([](const MtjSpec& m, const ConfigNode& node) {
      if (m.ra_product.has_value() == m.r_p.has_value())
        throw ConfigError(node.location(), m.ra_product ? "r_p" : "ra_product",
                          "give exactly one of 'ra_product' and 'r_p'");
      const int ic_sources =
          (m.critical_current ? 1 : 0) + (m.critical_current_density ? 1 : 0) + (m.efficiency ? 1 : 0);
      if (ic_sources > 1)
        throw ConfigError(node.location(), "critical_current",
                          "give at most one of 'critical_current', 'critical_current_density' and 'efficiency'");
      if (m.efficiency && !m.damping)
        throw ConfigError(node.location(), "damping", "missing: the macrospin I_c0 from 'efficiency' needs it");
    });
    return s;
  }();
  return s;
}

const Schema<AccessSpec>& AccessSpec::schema() {
  static const Schema<AccessSpec> s = [] {
    Schema<AccessSpec> s("access", "How the cell's access transistors drive current.");
    s.field("source", &AccessSpec::source).default_value("").desc("Where the drive figures come from.");
    s.field("flavour", &AccessSpec::flavour)
        .one_of({"hp", "lstp", "lop"})
        .default_value("hp")
        .desc("Device flavour of the node for the access transistors.");
    s.field("derating", &AccessSpec::derating)
        .greater_than(0)
        .max(1)
        .default_value(0.6)
        .desc("k_deg: usable fraction of the nominal on-current in the cell's bias condition.");
    s.field("on_current_per_fin", &AccessSpec::on_current_per_fin)
        .unit(dim::current)
        .greater_than(0)
        .desc("Nominal NMOS on-current per fin (FinFET nodes).");
    s.field("off_current_per_fin", &AccessSpec::off_current_per_fin)
        .unit(dim::current)
        .min(0)
        .desc("NMOS off-current per fin (FinFET nodes; standby leakage when standby_bias > 0).");
    s.field("fin_effective_width", &AccessSpec::fin_effective_width)
        .unit(dim::length)
        .greater_than(0)
        .desc(
            "Effective width of one fin, 2 H_fin + W_fin: the node's per-width currents times this give the "
            "per-fin currents.");
    s.field("standby_bias", &AccessSpec::standby_bias)
        .unit(dim::voltage)
        .min(0)
        .default_value(0.0)
        .desc("Voltage across the off access device in standby; 0 V when bit and source lines are equalized.");
    return s;
  }();
  return s;
}

const Schema<LayoutSpec>& LayoutSpec::schema() {
  static const Schema<LayoutSpec> s = [] {
    Schema<LayoutSpec> s("layout", "Cell outline rule: height in gate pitches, width in fins (or F when planar).");
    s.field("source", &LayoutSpec::source).desc("Where the pitches and the rule come from.");
    s.field("gate_pitch", &LayoutSpec::gate_pitch)
        .unit(dim::length)
        .greater_than(0)
        .desc("Contacted gate (poly) pitch, FinFET nodes.");
    s.field("fin_pitch", &LayoutSpec::fin_pitch).unit(dim::length).greater_than(0).desc("Fin pitch, FinFET nodes.");
    s.field("gate_pitches_high", &LayoutSpec::gate_pitches_high)
        .greater_than(0)
        .default_value(2.0)
        .desc("Cell height in gate pitches.");
    s.field("extra_fins", &LayoutSpec::extra_fins)
        .min(0)
        .default_value(1.0)
        .desc("Fin pitches of spacing added to the transistors' fins across the cell width.");
    s.field("routing_overhead", &LayoutSpec::routing_overhead)
        .min(0)
        .default_value(0.0)
        .desc("Extra width fraction for MTJ and heavy-metal routing (2T cells).");
    s.field("planar_height_f", &LayoutSpec::planar_height_f).greater_than(0).desc("Cell height in F, planar nodes.");
    s.field("planar_spacing_f", &LayoutSpec::planar_spacing_f)
        .min(0)
        .desc("Width added to the transistor widths, in F, planar nodes.");
    return s;
  }();
  return s;
}

namespace {
void write_and_read_fields(auto& s, auto* spec) {
  using T = std::remove_pointer_t<decltype(spec)>;
  s.field("write_pulse", &T::write_pulse).unit(dim::time).greater_than(0).desc("Write pulse width t_p.");
  s.field("write_margin", &T::write_margin)
      .min(0)
      .max(10)
      .default_value(0.3)
      .desc("Write current margin over the critical current at t_p, for the target write error rate.");
  s.field("read_voltage", &T::read_voltage).unit(dim::voltage).greater_than(0).desc("Read voltage across the MTJ.");
  s.field("read_time", &T::read_time)
      .unit(dim::time)
      .greater_than(0)
      .default_value(2e-9)
      .desc("Duration of one read (read disturb).");
  s.field("access", &T::access).desc("Access transistor drive.");
  s.field("layout", &T::layout).desc("Layout rule for the cell area.");
}
}  // namespace

const Schema<SttMramSpec>& SttMramSpec::schema() {
  static const Schema<SttMramSpec> s = [] {
    Schema<SttMramSpec> s("stt_mram_cell", "A 1T-1MTJ STT-MRAM cell characterized from MTJ physics.");
    s.allow_key("kind");
    s.field("name", &SttMramSpec::name).desc("Name of the cell.");
    s.field("source", &SttMramSpec::source).desc("Why these parameters: the device grounds of the choice.");
    s.field("mtj", &SttMramSpec::mtj).desc("The junction.");
    write_and_read_fields(s, static_cast<SttMramSpec*>(nullptr));
    s.check([](const SttMramSpec& c, const ConfigNode& node) {
      const auto mtj_node = node.find("mtj");
      const SourceLocation at = mtj_node ? mtj_node->location() : node.location();
      if (!c.mtj.critical_current && !c.mtj.critical_current_density && !c.mtj.efficiency)
        throw ConfigError(at, "critical_current",
                          "missing: an STT cell needs 'critical_current', 'critical_current_density' or 'efficiency'");
      if (c.write_pulse < mtj::kThermalRegimeFrom && (!c.mtj.damping || !c.mtj.anisotropy_field))
        throw ConfigError(at, c.mtj.damping ? "anisotropy_field" : "damping",
                          "missing: a write pulse under 10 ns is (partly) precessional and needs damping and "
                          "anisotropy_field");
    });
    return s;
  }();
  return s;
}

const Schema<HeavyMetalSpec>& HeavyMetalSpec::schema() {
  static const Schema<HeavyMetalSpec> s = [] {
    Schema<HeavyMetalSpec> s("heavy_metal", "The spin-Hall write line under the free layer.");
    s.field("source", &HeavyMetalSpec::source).desc("Material and geometry sources.");
    s.field("spin_hall_angle", &HeavyMetalSpec::spin_hall_angle)
        .greater_than(0)
        .max(5)
        .desc("Spin Hall angle theta_SH (magnitude).");
    s.field("resistivity", &HeavyMetalSpec::resistivity)
        .unit(dim::resistivity)
        .greater_than(0)
        .desc("Resistivity of the heavy metal.");
    s.field("width", &HeavyMetalSpec::width).unit(dim::length).greater_than(0).desc("Line width w_HM.");
    s.field("thickness", &HeavyMetalSpec::thickness).unit(dim::length).greater_than(0).desc("Line thickness t_HM.");
    s.field("length", &HeavyMetalSpec::length).unit(dim::length).greater_than(0).desc("Line length L_HM.");
    return s;
  }();
  return s;
}

const Schema<FreeLayerSpec>& FreeLayerSpec::schema() {
  static const Schema<FreeLayerSpec> s = [] {
    Schema<FreeLayerSpec> s("free_layer", "The SOT free layer.");
    s.field("source", &FreeLayerSpec::source).desc("Sources of the free-layer parameters.");
    s.field("orientation", &FreeLayerSpec::orientation)
        .one_of({"perpendicular", "in_plane"})
        .desc("Easy axis: perpendicular (type z) or in-plane perpendicular to the current (type y).");
    s.field("magnetization", &FreeLayerSpec::magnetization)
        .unit(dim::current / dim::length)
        .greater_than(0)
        .desc("Saturation magnetization M_s.");
    s.field("thickness", &FreeLayerSpec::thickness).unit(dim::length).greater_than(0).desc("Free-layer thickness.");
    s.field("anisotropy_field", &FreeLayerSpec::anisotropy_field)
        .unit(dim::magnetic_flux_density)
        .greater_than(0)
        .desc("mu0 H_K,eff (perpendicular) or mu0 H_k (in-plane).");
    s.field("in_plane_field", &FreeLayerSpec::in_plane_field)
        .unit(dim::magnetic_flux_density)
        .min(0)
        .desc("Symmetry-breaking in-plane field mu0 H_x (perpendicular; 0 for field-free schemes).");
    s.field("damping", &FreeLayerSpec::damping).greater_than(0).max(1).desc("Gilbert damping (in-plane).");
    s.field("effective_magnetization", &FreeLayerSpec::effective_magnetization)
        .unit(dim::magnetic_flux_density)
        .greater_than(0)
        .desc("mu0 M_eff (in-plane demagnetizing term).");
    s.check([](const FreeLayerSpec& f, const ConfigNode& node) {
      if (f.orientation == "in_plane" && (!f.damping || !f.effective_magnetization))
        throw ConfigError(node.location(), f.damping ? "effective_magnetization" : "damping",
                          "missing: an in-plane free layer needs damping and effective_magnetization");
    });
    return s;
  }();
  return s;
}

const Schema<SotMramSpec>& SotMramSpec::schema() {
  static const Schema<SotMramSpec> s = [] {
    Schema<SotMramSpec> s("sot_mram_cell",
                          "A 2T-1MTJ SOT-MRAM cell: write through the heavy metal, read through the MTJ.");
    s.allow_key("kind");
    s.field("name", &SotMramSpec::name).desc("Name of the cell.");
    s.field("source", &SotMramSpec::source).desc("Why these parameters: the device grounds of the choice.");
    s.field("mtj", &SotMramSpec::mtj).desc("The read junction.");
    s.field("heavy_metal", &SotMramSpec::heavy_metal).desc("The write line.");
    s.field("free_layer", &SotMramSpec::free_layer).desc("The free layer switched by spin-orbit torque.");
    write_and_read_fields(s, static_cast<SotMramSpec*>(nullptr));
    s.check([](const SotMramSpec& c, const ConfigNode& node) {
      if (!(sot_critical_current(c) > 0.0))
        throw ConfigError(node.find("free_layer") ? node.find("free_layer")->location() : node.location(),
                          "in_plane_field", "the in-plane field exceeds what the anisotropy allows: J_c <= 0");
    });
    return s;
  }();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Physics helpers

std::optional<mtj::SwitchingParameters> MtjSpec::switching(double temperature) const {
  const double delta = mtj::thermal_stability_at(thermal_stability, reference_temperature, temperature);
  double ic0 = 0.0;
  if (critical_current) {
    ic0 = *critical_current;
  } else if (critical_current_density) {
    ic0 = *critical_current_density * mtj::junction_area(diameter);
  } else if (efficiency && damping) {
    // I_c0 ~ T Delta(T) = T_ref Delta_ref: temperature-independent in the macrospin picture.
    ic0 = mtj::macrospin_critical_current(*damping, *efficiency, thermal_stability, reference_temperature);
  } else {
    return std::nullopt;
  }
  const bool dynamics = damping && anisotropy_field;
  return mtj::SwitchingParameters{ic0, delta, attempt_time,
                                  dynamics ? mtj::precessional_time(*damping, *anisotropy_field, delta) : 0.0,
                                  dynamics ? mtj::damping_time(*damping, *anisotropy_field) : 0.0};
}

double MtjSpec::parallel_resistance() const {
  return r_p ? *r_p : mtj::parallel_resistance(*ra_product, mtj::junction_area(diameter));
}

double sot_critical_current(const SotMramSpec& spec) {
  const FreeLayerSpec& f = spec.free_layer;
  const HeavyMetalSpec& hm = spec.heavy_metal;
  const double jc =
      f.orientation == "perpendicular"
          ? mtj::sot_critical_current_density_perpendicular(f.magnetization, f.thickness, hm.spin_hall_angle,
                                                            f.anisotropy_field, f.in_plane_field.value_or(0.0))
          : mtj::sot_critical_current_density_in_plane(f.magnetization, f.thickness, f.damping.value_or(0.0),
                                                       hm.spin_hall_angle, f.anisotropy_field,
                                                       f.effective_magnetization.value_or(0.0));
  return jc * hm.width * hm.thickness;
}

namespace {

// R_AP under a write current I: the bias I R_AP lowers the TMR, so solve R = R_P (1 + TMR(I R)).
// The right side falls as R grows, so the fixed point is unique; plain iteration converges.
double antiparallel_resistance_at_current(const MtjSpec& m, double current) {
  const double rp = m.parallel_resistance();
  double r = rp * (1.0 + m.tmr);
  for (int i = 0; i < 200; ++i) {
    const double next = rp * (1.0 + mtj::tmr_at_bias(m.tmr, current * r, m.tmr_half_bias));
    if (std::fabs(next - r) < 1e-12 * r) break;
    r = 0.5 * (r + next);
  }
  return r;
}

double antiparallel_resistance_at_voltage(const MtjSpec& m, double voltage) {
  return m.parallel_resistance() * (1.0 + mtj::tmr_at_bias(m.tmr, voltage, m.tmr_half_bias));
}

// Access transistor(s) delivering `current`: planar width (m) or fin count, and on-resistance.
struct Drive {
  std::optional<double> width;
  std::optional<int> fins;
  double on_resistance = 0.0;
};

// Per-fin current of the access device: given, or the node's per-width current times W_eff per fin.
double per_fin(const std::optional<double>& given, const AccessSpec& a, const Technology& tech, double temperature,
               DeviceCurrent which, const char* key) {
  if (given) return *given;
  if (!a.fin_effective_width)
    throw ModelError("at the FinFET node '{}' the cell's access block needs '{}' or 'fin_effective_width'", tech.name,
                     key);
  return tech.device(a.flavour).current(which, temperature) * *a.fin_effective_width;
}

Drive size_access(const AccessSpec& a, const Technology& tech, double temperature, double current) {
  const Device& device = tech.device(a.flavour);
  Drive d;
  if (tech.process == "finfet") {
    const double on = per_fin(a.on_current_per_fin, a, tech, temperature, DeviceCurrent::on_n, "on_current_per_fin");
    d.fins = std::max(1, static_cast<int>(std::ceil(current / (a.derating * on) - 1e-9)));
    // R_on = k_R Vdd / I_on (NVSim formula.cpp line 315), per fin instead of per width.
    d.on_resistance = device.effective_resistance_multiplier * device.vdd / (on * *d.fins);
  } else {
    const double on = device.current(DeviceCurrent::on_n, temperature);  // A per m of width
    d.width = current / (a.derating * on);
    d.on_resistance = device.effective_resistance_multiplier * device.vdd / (on * *d.width);
  }
  return d;
}

double standby_leakage(const AccessSpec& a, const Technology& tech, double temperature, const Drive& d) {
  if (a.standby_bias == 0.0) return 0.0;
  if (d.fins)
    return a.standby_bias * *d.fins *
           per_fin(a.off_current_per_fin, a, tech, temperature, DeviceCurrent::off_n, "off_current_per_fin");
  return a.standby_bias * tech.device(a.flavour).current(DeviceCurrent::off_n, temperature) * *d.width;
}

// Drive size of a cell's transistors together: fins at FinFET nodes, width (m) at planar ones.
double drive_size(const Drive& d) { return d.fins ? static_cast<double>(*d.fins) : d.width.value_or(0.0); }

// Area from the layout rule, for transistors of total `size` (see drive_size).
void set_layout_area(CellFigures& f, const LayoutSpec& l, const Technology& tech, double size) {
  if (tech.process == "finfet") {
    if (!l.gate_pitch || !l.fin_pitch)
      throw ModelError("at the FinFET node '{}' the cell's layout needs 'gate_pitch' and 'fin_pitch'", tech.name);
    const double height = l.gate_pitches_high * *l.gate_pitch;
    const double cell_width = (size + l.extra_fins) * *l.fin_pitch * (1.0 + l.routing_overhead);
    set_area_absolute(f, height * cell_width, height / cell_width);
    return;
  }
  if (!l.planar_height_f || !l.planar_spacing_f)
    throw ModelError("at the planar node '{}' the cell's layout needs 'planar_height_f' and 'planar_spacing_f'",
                     tech.name);
  const double width_f = (size / tech.node + *l.planar_spacing_f) * (1.0 + l.routing_overhead);
  set_area_f2(f, *l.planar_height_f * width_f, *l.planar_height_f / width_f);
}

void fill_read(CellFigures& f, const MtjSpec& m, double read_voltage) {
  const double rp = m.parallel_resistance();
  const double rap = antiparallel_resistance_at_voltage(m, read_voltage);
  f.r_on = rp;
  f.r_off = rap;
  f.read.mode = SenseMode::current;
  f.read.voltage = read_voltage;
  f.read.current = read_voltage / rp;
  f.read.sense_margin_current = read_voltage / rp - read_voltage / rap;
}

// A current-driven write needs I_w (R_cell + R_on) across the cell and its access device. Sizing
// uses the derated on-current only, so say so when that exceeds the node's supply: the design then
// assumes a boosted write supply or word-line overdrive (cells note §3.1).
void check_write_headroom(CellFigures& f, double current, double resistance, const Technology& tech,
                          const std::string& flavour) {
  f.write.drive_voltage = current * resistance;
  const double vdd = tech.device(flavour).vdd;
  if (*f.write.drive_voltage > vdd)
    f.notes.push_back(
        fmt::format("the write needs {:.3g} V across cell and access device, above the node's Vdd of "
                    "{:.3g} V: this assumes a boosted write supply or word-line overdrive",
                    *f.write.drive_voltage, vdd));
}

void add_sources(CellFigures& f, std::initializer_list<const std::string*> sources) {
  for (const std::string* s : sources)
    if (!s->empty()) f.sources.push_back(*s);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// STT-MRAM

CellFigures SttMramCell::characterize(const CellContext& context) const {
  AccessSpec access = spec_.access;
  if (!context.flavour.empty()) access.flavour = context.flavour;
  const SttMramSpec& s = spec_;
  CellFigures f;
  f.cell_type = "stt_mram";
  f.name = s.name;
  f.node = node_of(context);
  const mtj::SwitchingParameters sw = *s.mtj.switching(context.temperature);
  const double ic = mtj::critical_current_for_pulse(sw, s.write_pulse);
  const double iw = ic * (1.0 + s.write_margin);
  fill_read(f, s.mtj, s.read_voltage);
  f.write.set_mode = f.write.reset_mode = DriveMode::current;
  f.write.set_current = f.write.reset_current = iw;
  f.write.set_pulse = f.write.reset_pulse = s.write_pulse;
  f.retention_time = mtj::retention_time(sw.attempt_time, sw.delta);
  f.read_disturb_probability = mtj::read_disturb_probability(sw, *f.read.current, s.read_time);
  f.write_error_rate = mtj::write_error_rate(sw, iw, s.write_pulse);  // the schema ensures what it needs

  // SET = AP -> P (ends in R_on), RESET = P -> AP; each pulse is charged at its starting state.
  const double rap_write = antiparallel_resistance_at_current(s.mtj, iw);
  double r_access = 0.0;
  if (context.technology) {
    const Drive d = size_access(access, *context.technology, context.temperature, iw);
    r_access = d.on_resistance;
    f.access.device = AccessDevice::cmos;
    f.access.fins = d.fins;
    if (d.width) f.access.width_f = *d.width / context.technology->node;
    set_layout_area(f, s.layout, *context.technology, drive_size(d));
    if (d.fins) f.access.width_f = std::nullopt;
    f.leakage = standby_leakage(access, *context.technology, context.temperature, d);
  } else {
    f.notes.push_back("no node: write energy counts the MTJ only, without the access transistor");
  }
  if (context.technology) check_write_headroom(f, iw, rap_write + r_access, *context.technology, access.flavour);
  f.write.set_energy = iw * iw * (rap_write + r_access) * s.write_pulse;
  f.write.reset_energy = iw * iw * (s.mtj.parallel_resistance() + r_access) * s.write_pulse;
  add_sources(f, {&s.source, &s.mtj.source, &s.access.source, &s.layout.source});
  return f;
}

// ---------------------------------------------------------------------------------------------
// SOT-MRAM

CellFigures SotMramCell::characterize(const CellContext& context) const {
  AccessSpec access = spec_.access;
  if (!context.flavour.empty()) access.flavour = context.flavour;
  const SotMramSpec& s = spec_;
  CellFigures f;
  f.cell_type = "sot_mram";
  f.name = s.name;
  f.node = node_of(context);
  const double ic = sot_critical_current(s);
  const double iw = ic * (1.0 + s.write_margin);
  fill_read(f, s.mtj, s.read_voltage);
  f.write.set_mode = f.write.reset_mode = DriveMode::current;
  f.write.set_current = f.write.reset_current = iw;
  f.write.set_pulse = f.write.reset_pulse = s.write_pulse;
  f.notes.push_back("SOT threshold is the zero-temperature macrospin value, independent of the pulse width");
  f.notes.push_back("no write error rate model for SOT switching");
  // Deterministic perpendicular SOT switching needs H_x above ~15 % of H_K (Taniguchi, arXiv 1911.07961).
  if (s.free_layer.orientation == "perpendicular" &&
      s.free_layer.in_plane_field.value_or(0.0) < 0.15 * s.free_layer.anisotropy_field)
    f.notes.push_back("in-plane field below 15 % of the anisotropy field: switching may not be deterministic");
  const double delta =
      mtj::thermal_stability_at(s.mtj.thermal_stability, s.mtj.reference_temperature, context.temperature);
  f.retention_time = mtj::retention_time(s.mtj.attempt_time, delta);
  // The read current crosses the MTJ, so STT read disturb applies if the junction's I_c0 is known;
  // the write current never does (no barrier stress, no write-path disturb).
  if (const auto sw = s.mtj.switching(context.temperature))
    f.read_disturb_probability = mtj::read_disturb_probability(*sw, *f.read.current, s.read_time);
  else
    f.notes.push_back("read disturb needs the read MTJ's STT critical current");

  const HeavyMetalSpec& hm = s.heavy_metal;
  const double r_hm = hm.resistivity * hm.length / (hm.width * hm.thickness);
  double r_access = 0.0;
  if (context.technology) {
    const Drive write = size_access(access, *context.technology, context.temperature, iw);
    const Drive read = size_access(access, *context.technology, context.temperature, *f.read.current);
    r_access = write.on_resistance;
    f.access.device = AccessDevice::cmos;
    f.access.fins = write.fins;
    f.access.read_fins = read.fins;
    if (write.width) {
      f.access.width_f = *write.width / context.technology->node;
      f.access.read_width_f = *read.width / context.technology->node;
    }
    set_layout_area(f, s.layout, *context.technology, drive_size(write) + drive_size(read));
    f.leakage = standby_leakage(access, *context.technology, context.temperature, write) +
                standby_leakage(access, *context.technology, context.temperature, read);
  } else {
    f.notes.push_back("no node: write energy counts the heavy metal only, without the write transistor");
  }
  // Both write directions drive the same current through the heavy metal and the write transistor.
  if (context.technology) check_write_headroom(f, iw, r_hm + r_access, *context.technology, access.flavour);
  f.write.set_energy = f.write.reset_energy = iw * iw * (r_hm + r_access) * s.write_pulse;
  add_sources(f, {&s.source, &s.mtj.source, &hm.source, &s.free_layer.source, &s.access.source, &s.layout.source});
  return f;
}

}  // namespace deepnvm
