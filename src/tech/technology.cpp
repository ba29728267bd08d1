// SPDX-License-Identifier: MIT
#include "deepnvm/tech/technology.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

namespace {

const std::vector<std::string> kFlavours{"hp", "lstp", "lop"};
const std::vector<std::string> kWireTypes{"local_aggressive",  "local_conservative", "semi_aggressive",
                                          "semi_conservative", "global_aggressive",  "global_conservative"};

// The line of `key` inside `node` (its value's line), or the mapping's own line if absent.
SourceLocation location_of(const ConfigNode& node, std::string_view key) {
  if (const auto child = node.find(key)) return child->location();
  return node.location();
}

struct TableKeys {
  DeviceCurrent which;
  std::string_view values_key;
  std::string_view temperatures_key;
  const std::vector<double> Device::*values;
  const std::optional<std::vector<double>> Device::*temperatures;
};

constexpr std::array<TableKeys, 4> kTables{{
    {DeviceCurrent::on_n, "on_current_n", "on_current_n_temperatures", &Device::on_current_n,
     &Device::on_current_n_temperatures},
    {DeviceCurrent::on_p, "on_current_p", "on_current_p_temperatures", &Device::on_current_p,
     &Device::on_current_p_temperatures},
    {DeviceCurrent::off_n, "off_current_n", "off_current_n_temperatures", &Device::off_current_n,
     &Device::off_current_n_temperatures},
    {DeviceCurrent::off_p, "off_current_p", "off_current_p_temperatures", &Device::off_current_p,
     &Device::off_current_p_temperatures},
}};

const TableKeys& keys_of(DeviceCurrent which) { return kTables[static_cast<std::size_t>(which)]; }

// A grid must have points and be strictly increasing, or interpolation has no meaning.
void check_grid(const std::vector<double>& grid, const ConfigNode& node, std::string_view key) {
  if (grid.empty()) throw ConfigError(location_of(node, key), std::string(key), "expected at least one temperature");
  for (std::size_t i = 1; i < grid.size(); ++i)
    if (!(grid[i] > grid[i - 1]))
      throw ConfigError(location_of(node, key), std::string(key),
                        "temperatures must be strictly increasing, but entry {} ({}) follows {}", i,
                        format_quantity(grid[i], dim::temperature), format_quantity(grid[i - 1], dim::temperature));
}

// The optional scalar fields of a Device with their keys, for require() and for the planar check.
struct OptionalKey {
  std::optional<double> Device::*field;
  std::string_view key;
};

constexpr std::array<OptionalKey, 15> kOptionalKeys{{
    {&Device::gate_leakage, "gate_leakage"},
    {&Device::electrical_gate_length, "electrical_gate_length"},
    {&Device::oxide_thickness, "oxide_thickness"},
    {&Device::saturation_voltage, "saturation_voltage"},
    {&Device::bottom_junction_cap, "bottom_junction_cap"},
    {&Device::sidewall_junction_cap, "sidewall_junction_cap"},
    {&Device::gm_p_to_gm_n, "gm_p_to_gm_n"},
    {&Device::long_channel_leakage_reduction, "long_channel_leakage_reduction"},
    {&Device::overlap_cap, "overlap_cap"},
    {&Device::drain_cap_total, "drain_cap_total"},
    {&Device::transconductance_per_width, "transconductance_per_width"},
    {&Device::fin_height, "fin_height"},
    {&Device::fin_width, "fin_width"},
    {&Device::fin_pitch, "fin_pitch"},
    {&Device::fin_effective_width, "fin_effective_width"},
}};

// Optional for FinFET nodes, required for planar_bulk ones (Technology check).
constexpr std::array<OptionalKey, 4> kPlanarRequired{{{&Device::vth, "vth"},
                                                      {&Device::oxide_cap, "oxide_cap"},
                                                      {&Device::electron_mobility, "electron_mobility"},
                                                      {&Device::hole_mobility, "hole_mobility"}}};
// Meaningless for a planar node.
constexpr std::array<std::string_view, 5> kFinfetOnly{"fin_height", "fin_width", "fin_pitch", "fin_effective_width",
                                                      "max_fins"};

const OptionalKey& optional_key(std::string_view key) {
  for (const OptionalKey& k : kOptionalKeys)
    if (k.key == key) return k;
  throw std::logic_error("no optional device key " + std::string(key));
}

void check_device(const Device& d, const ConfigNode& node) {
  if (d.vth && !(*d.vth < d.vdd))
    throw ConfigError(location_of(node, "vth"), "vth", "threshold voltage {} is not below vdd {}",
                      format_quantity(*d.vth, dim::voltage), format_quantity(d.vdd, dim::voltage));
  // W_eff = 2 H_fin + W_fin (NeuroSim V1.4 Technology.cpp:772; note §3.7); 0.1 % absorbs rounding.
  if (d.fin_height && d.fin_width && d.fin_effective_width) {
    const double expected = 2.0 * *d.fin_height + *d.fin_width;
    if (std::abs(*d.fin_effective_width - expected) > 1e-3 * expected)
      throw ConfigError(location_of(node, "fin_effective_width"), "fin_effective_width",
                        "{} is not 2 fin_height + fin_width = {}", format_quantity(*d.fin_effective_width, dim::length),
                        format_quantity(expected, dim::length));
  }
  check_grid(d.temperatures, node, "temperatures");
  for (const TableKeys& t : kTables) {
    const auto& own = d.*t.temperatures;
    if (own) check_grid(*own, node, t.temperatures_key);
    const std::vector<double>& grid = own ? *own : d.temperatures;
    const std::string_view grid_key = own ? t.temperatures_key : std::string_view("temperatures");
    const std::vector<double>& values = d.*t.values;
    if (values.size() != grid.size())
      throw ConfigError(location_of(node, t.values_key), std::string(t.values_key),
                        "has {} values but '{}' has {} temperatures; each value belongs to one temperature",
                        values.size(), grid_key, grid.size());
  }
  if (d.gate_leakage_n_temperatures) check_grid(*d.gate_leakage_n_temperatures, node, "gate_leakage_n_temperatures");
  if (d.gate_leakage_n_temperatures && !d.gate_leakage_n)
    throw ConfigError(location_of(node, "gate_leakage_n_temperatures"), "gate_leakage_n_temperatures",
                      "is given but 'gate_leakage_n' is not");
  if (d.gate_leakage_n) {
    if (d.gate_leakage)
      throw ConfigError(location_of(node, "gate_leakage_n"), "gate_leakage_n",
                        "give either a constant 'gate_leakage' or a 'gate_leakage_n' table, not both");
    const std::vector<double>& grid = d.gate_leakage_n_temperatures ? *d.gate_leakage_n_temperatures : d.temperatures;
    if (d.gate_leakage_n->size() != grid.size())
      throw ConfigError(location_of(node, "gate_leakage_n"), "gate_leakage_n",
                        "has {} values but '{}' has {} temperatures; each value belongs to one temperature",
                        d.gate_leakage_n->size(),
                        d.gate_leakage_n_temperatures ? "gate_leakage_n_temperatures" : "temperatures", grid.size());
  }
}

// Linear interpolation in a table; ModelError outside it (see Device::current).
double table_value(std::span<const double> temperatures, std::span<const double> values, double temperature,
                   std::string_view what, std::string_view flavour) {
  if (temperatures.empty() || values.size() != temperatures.size())
    throw ModelError("{} table of the {} device is empty or malformed", what, flavour);
  const double first = temperatures.front(), last = temperatures.back();
  // Outside the table NVSim exits; extrapolating leakage (which grows exponentially) would mislead.
  if (!(temperature >= first && temperature <= last))
    throw ModelError("temperature {} is outside the {} table of the {} device ({} to {})",
                     format_quantity(temperature, dim::temperature), what, flavour,
                     format_quantity(first, dim::temperature), format_quantity(last, dim::temperature));
  const auto upper = std::upper_bound(temperatures.begin(), temperatures.end(), temperature);
  if (upper == temperatures.end()) return values.back();  // temperature == last
  const std::size_t hi = static_cast<std::size_t>(upper - temperatures.begin());
  if (hi == 0) return values.front();
  const std::size_t lo = hi - 1;
  const double alpha = (temperature - temperatures[lo]) / (temperatures[hi] - temperatures[lo]);
  return values[lo] + alpha * (values[hi] - values[lo]);
}

template <class T>
void check_unique(const std::vector<T>& items, std::string T::*name, const ConfigNode& node, std::string_view list_key,
                  std::string_view what) {
  for (std::size_t i = 0; i < items.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (items[i].*name == items[j].*name) {
        SourceLocation where = location_of(node, list_key);
        if (const auto list = node.find(list_key); list && list->is_sequence()) where = list->items()[i].location();
        throw ConfigError(where, fmt::format("{}[{}]", list_key, i), "{} '{}' appears twice (entries {} and {})", what,
                          items[i].*name, j, i);
      }
}

}  // namespace

std::string_view current_name(DeviceCurrent which) {
  switch (which) {
    case DeviceCurrent::on_n:
      return "I_on,n";
    case DeviceCurrent::on_p:
      return "I_on,p";
    case DeviceCurrent::off_n:
      return "I_off,n";
    case DeviceCurrent::off_p:
      return "I_off,p";
  }
  return "?";
}

std::span<const std::string> device_flavours() { return kFlavours; }
std::span<const std::string> wire_types() { return kWireTypes; }

CurrentTable Device::table(DeviceCurrent which) const {
  const TableKeys& t = keys_of(which);
  const auto& own = this->*t.temperatures;
  return CurrentTable{own ? std::span<const double>(*own) : std::span<const double>(temperatures),
                      std::span<const double>(this->*t.values)};
}

double Device::current(DeviceCurrent which, double temperature) const {
  const CurrentTable t = table(which);
  return table_value(t.temperatures, t.values, temperature, current_name(which), flavour);
}

double Device::need(const std::optional<double>& value, std::string_view key) const {
  if (value) return *value;
  throw ModelError(
      "the {} device gives no '{}', which this model needs: its source does not give it (FinFET table sets such as "
      "NeuroSim V1.4's give no Vth, oxide capacitance or mobilities); use a node that gives it or a model that does "
      "not need it",
      flavour, key);
}

std::optional<double> Device::gate_leakage_current(double temperature) const {
  if (gate_leakage_n) {
    const std::vector<double>& grid = gate_leakage_n_temperatures ? *gate_leakage_n_temperatures : temperatures;
    return table_value(grid, *gate_leakage_n, temperature, "I_g,on", flavour);
  }
  return gate_leakage;
}

const Schema<Device>& Device::schema() {
  static const Schema<Device> s = [] {
    Schema<Device> s("device",
                     "One transistor flavour of a technology node: supply, threshold, capacitances, "
                     "mobilities and per-width currents over temperature (NVSim's device table).");
    s.field("flavour", &Device::flavour)
        .one_of(kFlavours)
        .desc("Device roadmap: high performance (hp), low standby power (lstp) or low operating power (lop).");
    s.field("source", &Device::source).desc("Where every value of this block comes from (file, lines, commit, table).");
    s.field("vdd", &Device::vdd).unit(dim::voltage).greater_than(0).desc("Supply voltage Vdd.");
    s.field("vth", &Device::vth)
        .unit(dim::voltage)
        .greater_than(0)
        .desc(
            "Threshold voltage Vth (below vdd). Required for planar_bulk nodes; absent for FinFET nodes whose "
            "source gives none (NeuroSim V1.4's vth_list is a placeholder).");
    s.field("gate_length", &Device::gate_length)
        .unit(dim::length)
        .greater_than(0)
        .desc("Physical gate length L_phy (NVSim phyGateLength).");
    s.field("gate_cap_ideal", &Device::gate_cap_ideal)
        .unit(dim::capacitance_per_length)
        .greater_than(0)
        .desc("Ideal gate capacitance per width C_gi (NVSim capIdealGate).");
    s.field("fringe_cap", &Device::fringe_cap)
        .unit(dim::capacitance_per_length)
        .min(0)
        .desc("Fringe capacitance per width C_f (NVSim capFringe); C_gate = 1.2 C_gi + 3 C_f.");
    s.field("oxide_cap", &Device::oxide_cap)
        .unit(dim::capacitance_per_area)
        .greater_than(0)
        .desc(
            "Gate-oxide capacitance per area C_ox (NVSim capOx), e.g. '38.3 fF/um^2'. Required for planar_bulk "
            "nodes; absent for FinFET nodes whose source gives none.");
    s.field("electron_mobility", &Device::electron_mobility)
        .unit(dim::mobility)
        .greater_than(0)
        .desc(
            "Effective electron mobility mu_n, e.g. '397.3 cm^2/V/s'. Required for planar_bulk nodes; absent for "
            "FinFET nodes whose source gives none.");
    s.field("hole_mobility", &Device::hole_mobility)
        .unit(dim::mobility)
        .greater_than(0)
        .desc(
            "Effective hole mobility mu_p, e.g. '83.6 cm^2/V/s'. Required for planar_bulk nodes; absent for "
            "FinFET nodes whose source gives none.");
    s.field("pn_size_ratio", &Device::pn_size_ratio)
        .greater_than(0)
        .desc("PMOS-to-NMOS width ratio W_p/W_n of a balanced inverter (NVSim pnSizeRatio).");
    s.field("effective_resistance_multiplier", &Device::effective_resistance_multiplier)
        .greater_than(0)
        .desc("k_R in R_on = k_R Vdd / (I_on W) (NVSim effectiveResistanceMultiplier).");
    s.field("gate_leakage", &Device::gate_leakage)
        .unit(dim::current_per_length)
        .min(0)
        .desc(
            "Gate-oxide leakage current per width at the on state; absent when the source gives none "
            "(NVSim models no gate-oxide leakage). Exclusive with 'gate_leakage_n'.");
    s.field("gate_leakage_n", &Device::gate_leakage_n)
        .unit(dim::current_per_length)
        .min(0)
        .desc(
            "NMOS gate-oxide leakage per width over temperature (CACTI I_g_on_n), one value per temperature of "
            "'temperatures' or of 'gate_leakage_n_temperatures'; absent when the source gives none.");
    s.field("gate_leakage_n_temperatures", &Device::gate_leakage_n_temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc("Temperatures of gate_leakage_n when they differ from 'temperatures'.");
    s.field("electrical_gate_length", &Device::electrical_gate_length)
        .unit(dim::length)
        .greater_than(0)
        .desc("Electrical gate length L_elec (CACTI l_elec); absent when the source gives none (NVSim).");
    s.field("oxide_thickness", &Device::oxide_thickness)
        .unit(dim::length)
        .greater_than(0)
        .desc("Electrical gate-oxide thickness t_ox (CACTI t_ox); absent when the source gives none (NVSim).");
    s.field("saturation_voltage", &Device::saturation_voltage)
        .unit(dim::voltage)
        .greater_than(0)
        .desc(
            "V_dsat as the source stores it (CACTI Vdsat); absent when the source derives it (NVSim: "
            "L_phy 1e5 m/s / mu_n, see formulas).");
    s.field("bottom_junction_cap", &Device::bottom_junction_cap)
        .unit(dim::capacitance_per_area)
        .min(0)
        .desc(
            "Bottom junction capacitance per area as the source stores it (CACTI C_junc); absent when the "
            "source derives it from Vdd (NVSim).");
    s.field("sidewall_junction_cap", &Device::sidewall_junction_cap)
        .unit(dim::capacitance_per_length)
        .min(0)
        .desc(
            "Sidewall junction capacitance per perimeter length as the source stores it (CACTI C_junc_sw); "
            "absent when the source derives it from Vdd (NVSim).");
    s.field("gm_p_to_gm_n", &Device::gm_p_to_gm_n)
        .greater_than(0)
        .desc("Ratio of PMOS to NMOS transconductance (CACTI gmp_to_gmn_multiplier); absent when not given.");
    s.field("long_channel_leakage_reduction", &Device::long_channel_leakage_reduction)
        .greater_than(0)
        .max(1)
        .desc("Leakage factor of long-channel devices (CACTI lch_lk_rdc); absent when not given.");
    s.field("overlap_cap", &Device::overlap_cap)
        .unit(dim::capacitance_per_length)
        .min(0)
        .desc(
            "Gate overlap capacitance per width C_ov as the source states it; absent means NVSim's and CACTI's "
            "C_ov = 0.2 C_gi. NeuroSim's FinFET nodes fold it into gate_cap_ideal and set it to 0.");
    s.field("drain_cap_total", &Device::drain_cap_total)
        .unit(dim::capacitance_per_length)
        .greater_than(0)
        .desc(
            "Total drain capacitance per width as the source stores it (NeuroSim cap_draintotal / W_eff); absent "
            "when the source derives drain capacitance from junction capacitances (NVSim, CACTI).");
    s.field("transconductance_per_width", &Device::transconductance_per_width)
        .unit(dim::conductance / dim::length)
        .greater_than(0)
        .desc(
            "Transconductance at the on-current per width, g_m = this x W (NeuroSim gm_oncurrent, used for both "
            "NMOS and PMOS), e.g. '1415.34 uS/um'; absent when the source derives g_m from mu C_ox (NVSim).");
    s.field("fin_height", &Device::fin_height)
        .unit(dim::length)
        .greater_than(0)
        .desc("Fin height H_fin (FinFET nodes only).");
    s.field("fin_width", &Device::fin_width)
        .unit(dim::length)
        .greater_than(0)
        .desc("Fin width W_fin (FinFET nodes only).");
    s.field("fin_pitch", &Device::fin_pitch).unit(dim::length).greater_than(0).desc("Fin pitch (FinFET nodes only).");
    s.field("fin_effective_width", &Device::fin_effective_width)
        .unit(dim::length)
        .greater_than(0)
        .desc(
            "Effective width of one fin, W_eff = 2 H_fin + W_fin (checked when all three are given); the per-width "
            "currents and capacitances of a FinFET device are per metre of this width (FinFET nodes only).");
    s.field("max_fins", &Device::max_fins)
        .min(1)
        .desc("Most fins of one transistor before it is folded (NeuroSim max_fin_num; FinFET nodes only).");
    s.field("temperatures", &Device::temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc(
            "Temperatures of the current tables, strictly increasing; shared by every current list that has "
            "no '<current>_temperatures' of its own.");
    s.field("on_current_n", &Device::on_current_n)
        .unit(dim::current_per_length)
        .greater_than(0)
        .desc("NMOS saturation (on) current per width I_on,n, one value per temperature.");
    s.field("on_current_p", &Device::on_current_p)
        .unit(dim::current_per_length)
        .greater_than(0)
        .desc("PMOS saturation (on) current per width I_on,p, one value per temperature.");
    s.field("off_current_n", &Device::off_current_n)
        .unit(dim::current_per_length)
        .greater_than(0)
        .desc("NMOS subthreshold (off) current per width I_off,n, one value per temperature.");
    s.field("off_current_p", &Device::off_current_p)
        .unit(dim::current_per_length)
        .greater_than(0)
        .desc("PMOS subthreshold (off) current per width I_off,p, one value per temperature.");
    s.field("on_current_n_temperatures", &Device::on_current_n_temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc("Temperatures of on_current_n when they differ from 'temperatures'.");
    s.field("on_current_p_temperatures", &Device::on_current_p_temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc("Temperatures of on_current_p when they differ from 'temperatures'.");
    s.field("off_current_n_temperatures", &Device::off_current_n_temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc("Temperatures of off_current_n when they differ from 'temperatures'.");
    s.field("off_current_p_temperatures", &Device::off_current_p_temperatures)
        .unit(dim::temperature)
        .greater_than(0)
        .desc("Temperatures of off_current_p when they differ from 'temperatures'.");
    s.check(check_device);
    return s;
  }();
  return s;
}

const Schema<Wire>& Wire::schema() {
  static const Schema<Wire> s = [] {
    Schema<Wire> s("wire",
                   "One wire type of a technology node: geometry, dielectric and resistivity, from which "
                   "resistance and capacitance per length follow (NVSim Wire.cpp).");
    s.field("type", &Wire::type)
        .one_of(kWireTypes)
        .desc("Wire class (local, semi-global, global) and projection (aggressive, conservative).");
    s.field("source", &Wire::source).desc("Where every value of this block comes from (file, lines, commit, table).");
    s.field("pitch", &Wire::pitch).unit(dim::length).greater_than(0).desc("Wire pitch P (width + spacing).");
    s.field("width", &Wire::width).unit(dim::length).greater_than(0).desc("Wire width w (NVSim: P/2).");
    s.field("thickness", &Wire::thickness)
        .unit(dim::length)
        .greater_than(0)
        .desc("Wire thickness t (NVSim: aspect ratio x width).");
    s.field("barrier_thickness", &Wire::barrier_thickness)
        .unit(dim::length)
        .min(0)
        .desc("Diffusion-barrier thickness t_b, subtracted from the conducting cross-section.");
    s.field("dielectric_constant", &Wire::dielectric_constant)
        .min(1)
        .desc("In-plane relative permittivity k_h of the sidewall (line-to-line) capacitance.");
    s.field("ild_thickness", &Wire::ild_thickness)
        .unit(dim::length)
        .greater_than(0)
        .desc("Inter-layer dielectric thickness t_ILD of the vertical plate capacitance (permittivity 3.9).");
    s.field("resistivity", &Wire::resistivity)
        .unit(dim::resistivity)
        .greater_than(0)
        .desc("Conductor resistivity at 20 C (293 K), e.g. '6 uOhm*cm'; NVSim adds 0.39 %/K above it.");
    s.field("scattering_factor", &Wire::scattering_factor)
        .min(1)
        .default_value(1.0)
        .desc("Size-effect factor alpha_scatter multiplying the resistivity (CACTI); NVSim's tables use 1.");
    s.field("dishing_thickness", &Wire::dishing_thickness)
        .unit(dim::length)
        .min(0)
        .default_value(0.0)
        .desc("CMP dishing, subtracted from the conducting thickness (CACTI); NVSim's tables have none.");
    s.field("resistivity_temperature_model", &Wire::resistivity_temperature_model)
        .one_of({"nvsim_linear", "none"})
        .default_value(std::string("nvsim_linear"))
        .desc(
            "How resistivity depends on temperature: 'nvsim_linear' (NVSim: +0.39 %/K from 293 K) or 'none' "
            "(CACTI and McPAT use the tabulated resistivity at every temperature).");
    s.check([](const Wire& w, const ConfigNode& node) {
      if (!(w.width < w.pitch))
        throw ConfigError(location_of(node, "width"), "width", "width {} is not below the pitch {}",
                          format_quantity(w.width, dim::length), format_quantity(w.pitch, dim::length));
      if (!(2 * w.barrier_thickness < w.width) || !(w.barrier_thickness + w.dishing_thickness < w.thickness))
        throw ConfigError(location_of(node, "barrier_thickness"), "barrier_thickness",
                          "barrier {} (with dishing {}) leaves no conductor in a {} x {} wire",
                          format_quantity(w.barrier_thickness, dim::length),
                          format_quantity(w.dishing_thickness, dim::length), format_quantity(w.width, dim::length),
                          format_quantity(w.thickness, dim::length));
    });
    return s;
  }();
  return s;
}

const Schema<Technology>& Technology::schema() {
  static const Schema<Technology> s = [] {
    Schema<Technology> s("technology",
                         "A technology node of one table set: device flavours and wire types, "
                         "every block with its source.");
    s.allow_key("kind");  // read by parse_technology, which requires 'kind: technology'
    s.field("name", &Technology::name).desc("Identifier of the node, e.g. 'nvsim-22nm'.");
    s.field("table_set", &Technology::table_set)
        .one_of({"nvsim", "cacti", "deepnvm"})
        .desc("Family of tables the values come from: NVSim's, CACTI's or deepnvm's own.");
    s.field("node", &Technology::node).unit(dim::length).greater_than(0).desc("Feature size F.");
    s.field("process", &Technology::process)
        .one_of({"planar_bulk", "finfet"})
        .desc("Transistor structure; FinFET widths are effective fin widths.");
    s.field("interpolated", &Technology::interpolated)
        .default_value(false)
        .desc("True if the node was interpolated between table nodes rather than tabulated.");
    s.field("source", &Technology::source).desc("Where this node's tables come from, and the quirks kept.");
    s.field("devices", &Technology::devices).desc("Device flavours of the node, each flavour at most once.");
    s.field("wires", &Technology::wires).desc("Wire types of the node, each type at most once.");
    s.check([](const Technology& t, const ConfigNode& node) {
      if (t.devices.empty())
        throw ConfigError(location_of(node, "devices"), "devices", "expected at least one device flavour");
      check_unique(t.devices, &Device::flavour, node, "devices", "flavour");
      check_unique(t.wires, &Wire::type, node, "wires", "wire type");
      // NVSim's planar device model needs Vth, C_ox and the mobilities (gm, V_dsat); FinFET table sets
      // give none of them, so only planar nodes require them.
      if (t.process != "planar_bulk") return;
      const auto list = node.find("devices");
      for (std::size_t i = 0; i < t.devices.size(); ++i) {
        const Device& d = t.devices[i];
        const ConfigNode device_node = list && list->is_sequence() ? list->items()[i] : node;
        for (const OptionalKey& k : kPlanarRequired)
          if (!(d.*k.field).has_value())
            throw ConfigError(device_node.location(), std::string(k.key),
                              "missing required key: a planar_bulk node needs it (only FinFET nodes may omit it)");
        for (std::string_view key : kFinfetOnly) {
          const bool given = key == "max_fins" ? d.max_fins.has_value() : (d.*optional_key(key).field).has_value();
          if (given)
            throw ConfigError(location_of(device_node, key), std::string(key),
                              "fin geometry is given but the node's process is planar_bulk; use 'process: finfet'");
        }
      }
    });
    return s;
  }();
  return s;
}

const Device& Technology::device(std::string_view flavour) const& {
  std::vector<std::string> have;
  for (const Device& d : devices) {
    if (d.flavour == flavour) return d;
    have.push_back(d.flavour);
  }
  throw ModelError("technology '{}' has no '{}' device{}; it has {}", name, flavour, did_you_mean(flavour, have),
                   have.empty() ? std::string("none") : quoted_list(have, " and "));
}

const Wire& Technology::wire(std::string_view type) const& {
  std::vector<std::string> have;
  for (const Wire& w : wires) {
    if (w.type == type) return w;
    have.push_back(w.type);
  }
  throw ModelError("technology '{}' has no '{}' wire{}; it has {}", name, type, did_you_mean(type, have),
                   have.empty() ? std::string("none") : quoted_list(have, " and "));
}

Technology parse_technology(const ConfigNode& document) {
  if (!document.is_map())
    throw ConfigError(document.location(), "", "expected a mapping of keys for a technology, got a {}",
                      document.type_name());
  const auto kind = document.find("kind");
  if (!kind) throw ConfigError(document.location(), "kind", "missing required key: expected 'kind: technology'");
  if (kind->scalar("kind") != "technology")
    throw ConfigError(kind->location(), "kind", "expected 'technology', got '{}'", kind->scalar("kind"));
  return Technology::schema().parse(document);
}

Technology load_technology(const std::filesystem::path& path) { return parse_technology(load_config_file(path)); }

Technology find_technology(const std::filesystem::path& data_dir, std::string_view table_set, double node) {
  namespace fs = std::filesystem;
  const fs::path tech_dir = data_dir / "tech";
  std::vector<std::string> sets;
  std::error_code ec;
  if (fs::is_directory(tech_dir, ec))
    for (const auto& entry : fs::directory_iterator(tech_dir))
      if (entry.is_directory()) sets.push_back(entry.path().filename().string());
  std::sort(sets.begin(), sets.end());
  if (std::find(sets.begin(), sets.end(), table_set) == sets.end())
    throw ConfigError({tech_dir.string(), 0}, "table_set", "no table set '{}'{}; available: {}", table_set,
                      did_you_mean(table_set, sets), sets.empty() ? std::string("none") : quoted_list(sets, ", "));

  // Files are matched by the node they declare, so a renamed file cannot silently change a result.
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(tech_dir / table_set)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::optional<Technology> found;
  fs::path found_path;
  std::vector<std::pair<Technology, fs::path>> all;
  for (const fs::path& file : files) {
    Technology t = load_technology(file);
    if (t.table_set != table_set)
      throw ConfigError({file.string(), 0}, "table_set", "file lies in the '{}' folder but declares table set '{}'",
                        table_set, t.table_set);
    // Nodes are written to 0.1 nm at most; a 1 pm tolerance absorbs the decimal->binary rounding only.
    if (std::abs(t.node - node) <= 1e-12) {
      if (found)
        throw ConfigError({file.string(), 0}, "node", "node {} of table set '{}' is also defined in {}",
                          format_quantity(node, dim::length), table_set, found_path.string());
      found = t;
      found_path = file;
    }
    all.emplace_back(std::move(t), file);
  }
  if (found) return *found;

  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first.node < b.first.node; });
  // NVSim's ladder: the largest table node <= N blended with the next larger one (note §3.3). Only
  // for NVSim's own tables; see the header for why the other sets are not interpolated.
  if (table_set == "nvsim" && !all.empty() && node > all.front().first.node && node < all.back().first.node) {
    const auto upper = std::find_if(all.begin(), all.end(), [&](const auto& t) { return t.first.node > node; });
    const auto lower = std::prev(upper);
    if (lower->first.process == "planar_bulk" && upper->first.process == "planar_bulk")
      return interpolate_technology(lower->first, upper->first, node);
  }
  std::vector<std::string> shown;
  for (const auto& t : all) shown.push_back(format_quantity(t.first.node, dim::length));
  throw ConfigError({(tech_dir / table_set).string(), 0}, "node", "table set '{}' has no {} node{}; available: {}",
                    table_set, format_quantity(node, dim::length),
                    table_set == "nvsim" ? std::string(" and it lies outside the interpolation range")
                                         : std::string(" (only the 'nvsim' set interpolates between nodes)"),
                    shown.empty() ? std::string("none") : quoted_list(shown, ", "));
}

namespace {

// (1 - alpha) lo + alpha hi: exact at alpha = 0 and alpha = 1, so table nodes map to themselves.
double blend_linear(double lo, double hi, double alpha) { return (1.0 - alpha) * lo + alpha * hi; }
// lo^(1 - alpha) hi^alpha, NVSim's rule for the exponentially varying off-currents.
double blend_geometric(double lo, double hi, double alpha) { return std::pow(lo, 1.0 - alpha) * std::pow(hi, alpha); }

std::vector<double> blend_list(const std::vector<double>& lo, const std::vector<double>& hi, double alpha,
                               bool geometric) {
  std::vector<double> out(lo.size());
  for (std::size_t i = 0; i < lo.size(); ++i)
    out[i] = geometric ? blend_geometric(lo[i], hi[i], alpha) : blend_linear(lo[i], hi[i], alpha);
  return out;
}

std::optional<double> blend_optional(const std::optional<double>& lo, const std::optional<double>& hi, double alpha,
                                     std::string_view key, std::string_view flavour) {
  if (lo.has_value() != hi.has_value())
    throw ModelError("cannot interpolate '{}' of the {} device: only one of the two nodes gives it", key, flavour);
  return lo ? std::optional<double>(blend_linear(*lo, *hi, alpha)) : std::nullopt;
}

template <class T>
void require_same(const T& a, const T& b, std::string_view key, std::string_view flavour) {
  if (a != b)
    throw ModelError(
        "cannot interpolate the {} device: '{}' differs between the two nodes (temperature grids must match)", flavour,
        key);
}

Device blend_device(const Device& lo, const Device& hi, double alpha, std::string_view lo_name,
                    std::string_view hi_name) {
  const std::string_view f = lo.flavour;
  require_same(lo.temperatures, hi.temperatures, "temperatures", f);
  for (const TableKeys& t : kTables) require_same(lo.*t.temperatures, hi.*t.temperatures, t.temperatures_key, f);
  require_same(lo.gate_leakage_n_temperatures, hi.gate_leakage_n_temperatures, "gate_leakage_n_temperatures", f);
  Device d = lo;
  d.source = fmt::format(
      "Interpolated by NVSim's rule (note §3.3), alpha = {:.6g}: parameters and on-currents (1 - alpha) {} + "
      "alpha {}, off-currents {}^(1 - alpha) x {}^alpha. Lower input ({}): {} | Upper input ({}): {}",
      alpha, lo_name, hi_name, lo_name, hi_name, lo_name, lo.source, hi_name, hi.source);
  d.vdd = blend_linear(lo.vdd, hi.vdd, alpha);
  d.gate_length = blend_linear(lo.gate_length, hi.gate_length, alpha);
  d.gate_cap_ideal = blend_linear(lo.gate_cap_ideal, hi.gate_cap_ideal, alpha);
  d.fringe_cap = blend_linear(lo.fringe_cap, hi.fringe_cap, alpha);
  d.pn_size_ratio = blend_linear(lo.pn_size_ratio, hi.pn_size_ratio, alpha);
  d.effective_resistance_multiplier =
      blend_linear(lo.effective_resistance_multiplier, hi.effective_resistance_multiplier, alpha);
  d.on_current_n = blend_list(lo.on_current_n, hi.on_current_n, alpha, false);
  d.on_current_p = blend_list(lo.on_current_p, hi.on_current_p, alpha, false);
  d.off_current_n = blend_list(lo.off_current_n, hi.off_current_n, alpha, true);
  d.off_current_p = blend_list(lo.off_current_p, hi.off_current_p, alpha, true);
  for (const OptionalKey& k : kPlanarRequired) d.*k.field = blend_optional(lo.*k.field, hi.*k.field, alpha, k.key, f);
  for (const OptionalKey& k : kOptionalKeys) d.*k.field = blend_optional(lo.*k.field, hi.*k.field, alpha, k.key, f);
  // A fin count has no meaningful blend.
  if (lo.max_fins != hi.max_fins)
    throw ModelError(
        "cannot interpolate 'max_fins' of the {} device: it differs between the two nodes or only one "
        "gives it",
        f);
  if (lo.gate_leakage_n.has_value() != hi.gate_leakage_n.has_value())
    throw ModelError("cannot interpolate 'gate_leakage_n' of the {} device: only one of the two nodes gives it", f);
  if (lo.gate_leakage_n) d.gate_leakage_n = blend_list(*lo.gate_leakage_n, *hi.gate_leakage_n, alpha, false);
  return d;
}

}  // namespace

Technology interpolate_technology(const Technology& lower, const Technology& upper, double node) {
  if (!(lower.node < upper.node))
    throw ModelError("cannot interpolate: lower node {} ('{}') is not below upper node {} ('{}')",
                     format_quantity(lower.node, dim::length), lower.name, format_quantity(upper.node, dim::length),
                     upper.name);
  // The same 1 pm tolerance as find_technology: "22 nm" parsed from a file is not bit-equal to 22e-9.
  constexpr double kNodeTolerance = 1e-12;
  if (!(node >= lower.node - kNodeTolerance && node <= upper.node + kNodeTolerance))
    throw ModelError("cannot interpolate {} between '{}' ({}) and '{}' ({}): the node lies outside them",
                     format_quantity(node, dim::length), lower.name, format_quantity(lower.node, dim::length),
                     upper.name, format_quantity(upper.node, dim::length));
  if (lower.table_set != upper.table_set)
    throw ModelError("cannot interpolate between table sets '{}' and '{}'", lower.table_set, upper.table_set);
  if (lower.process != upper.process)
    throw ModelError("cannot interpolate between processes '{}' and '{}'", lower.process, upper.process);
  // Snap to the ends so that table nodes map exactly to themselves.
  const double alpha = std::abs(node - lower.node) <= kNodeTolerance ? 0.0
                       : std::abs(node - upper.node) <= kNodeTolerance
                           ? 1.0
                           : (node - lower.node) / (upper.node - lower.node);

  Technology t;
  t.table_set = lower.table_set;
  t.node = node;
  t.process = lower.process;
  t.interpolated = true;
  t.name = fmt::format("{}-{:g}nm-interpolated", lower.table_set, node * 1e9);
  t.source = fmt::format(
      "Interpolated at {} by NVSim's intermediate-node rule (NVSim main.cpp:94-123 and Technology.cpp:1333-1367 at "
      "commit 6334d00, as described in shared/docs/notes/array-model.md §3.3): alpha = (N - {}) / ({} - {}) = {:.6g}; "
      "device parameters and on-currents linear, off-currents geometric; wires not interpolated but taken from the "
      "next larger table node '{}'. Lower input '{}': {} | Upper input '{}': {}",
      format_quantity(node, dim::length), format_quantity(lower.node, dim::length),
      format_quantity(upper.node, dim::length), format_quantity(lower.node, dim::length), alpha, upper.name, lower.name,
      lower.source, upper.name, upper.source);
  for (const Device& lo : lower.devices) {
    const auto hi = std::find_if(upper.devices.begin(), upper.devices.end(),
                                 [&](const Device& d) { return d.flavour == lo.flavour; });
    if (hi == upper.devices.end())
      throw ModelError("cannot interpolate: '{}' has a {} device but '{}' has none", lower.name, lo.flavour,
                       upper.name);
    t.devices.push_back(blend_device(lo, *hi, alpha, lower.name, upper.name));
  }
  if (upper.devices.size() != lower.devices.size())
    throw ModelError("cannot interpolate: '{}' and '{}' have different device flavours", lower.name, upper.name);
  for (Wire w : upper.wires) {
    w.source = fmt::format("Not interpolated (NVSim's rule): the wire of the next larger table node '{}'. {}",
                           upper.name, w.source);
    t.wires.push_back(std::move(w));
  }
  return t;
}

std::string_view default_table_set(double node) { return node >= 21.5e-9 ? "nvsim" : "deepnvm"; }

}  // namespace deepnvm
