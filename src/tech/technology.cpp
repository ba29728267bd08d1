// SPDX-License-Identifier: MIT
#include "deepnvm/tech/technology.h"

#include <algorithm>
#include <array>
#include <cmath>
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

void check_device(const Device& d, const ConfigNode& node) {
  if (!(d.vth < d.vdd))
    throw ConfigError(location_of(node, "vth"), "vth", "threshold voltage {} is not below vdd {}",
                      format_quantity(d.vth, dim::voltage), format_quantity(d.vdd, dim::voltage));
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
  if (t.temperatures.empty() || t.values.size() != t.temperatures.size())
    throw ModelError("{} table of the {} device is empty or malformed", current_name(which), flavour);
  const double first = t.temperatures.front(), last = t.temperatures.back();
  // Outside the table NVSim exits; extrapolating leakage (which grows exponentially) would mislead.
  if (!(temperature >= first && temperature <= last))
    throw ModelError("temperature {} is outside the {} table of the {} device ({} to {})",
                     format_quantity(temperature, dim::temperature), current_name(which), flavour,
                     format_quantity(first, dim::temperature), format_quantity(last, dim::temperature));
  const auto upper = std::upper_bound(t.temperatures.begin(), t.temperatures.end(), temperature);
  if (upper == t.temperatures.end()) return t.values.back();  // temperature == last
  const std::size_t hi = static_cast<std::size_t>(upper - t.temperatures.begin());
  if (hi == 0) return t.values.front();
  const std::size_t lo = hi - 1;
  const double alpha = (temperature - t.temperatures[lo]) / (t.temperatures[hi] - t.temperatures[lo]);
  return t.values[lo] + alpha * (t.values[hi] - t.values[lo]);
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
    s.field("vth", &Device::vth).unit(dim::voltage).greater_than(0).desc("Threshold voltage Vth (below vdd).");
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
        .desc("Gate-oxide capacitance per area C_ox (NVSim capOx), e.g. '38.3 fF/um^2'.");
    s.field("electron_mobility", &Device::electron_mobility)
        .unit(dim::mobility)
        .greater_than(0)
        .desc("Effective electron mobility mu_n, e.g. '397.3 cm^2/V/s'.");
    s.field("hole_mobility", &Device::hole_mobility)
        .unit(dim::mobility)
        .greater_than(0)
        .desc("Effective hole mobility mu_p, e.g. '83.6 cm^2/V/s'.");
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
            "(NVSim models no gate-oxide leakage).");
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
    s.check([](const Wire& w, const ConfigNode& node) {
      if (!(w.width < w.pitch))
        throw ConfigError(location_of(node, "width"), "width", "width {} is not below the pitch {}",
                          format_quantity(w.width, dim::length), format_quantity(w.pitch, dim::length));
      if (!(2 * w.barrier_thickness < w.width) || !(w.barrier_thickness < w.thickness))
        throw ConfigError(location_of(node, "barrier_thickness"), "barrier_thickness",
                          "barrier {} leaves no conductor in a {} x {} wire",
                          format_quantity(w.barrier_thickness, dim::length), format_quantity(w.width, dim::length),
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
  std::vector<double> nodes;
  for (const fs::path& file : files) {
    Technology t = load_technology(file);
    nodes.push_back(t.node);
    // Nodes are written to 0.1 nm at most; a 1 pm tolerance absorbs the decimal->binary rounding only.
    if (std::abs(t.node - node) > 1e-12) continue;
    if (found)
      throw ConfigError({file.string(), 0}, "node", "node {} of table set '{}' is also defined in {}",
                        format_quantity(node, dim::length), table_set, found_path.string());
    if (t.table_set != table_set)
      throw ConfigError({file.string(), 0}, "table_set", "file lies in the '{}' folder but declares table set '{}'",
                        table_set, t.table_set);
    found = std::move(t);
    found_path = file;
  }
  if (!found) {
    std::sort(nodes.begin(), nodes.end());
    std::vector<std::string> shown;
    for (double n : nodes) shown.push_back(format_quantity(n, dim::length));
    throw ConfigError({(tech_dir / table_set).string(), 0}, "node", "table set '{}' has no {} node; available: {}",
                      table_set, format_quantity(node, dim::length),
                      shown.empty() ? std::string("none") : quoted_list(shown, ", "));
  }
  return *found;
}

}  // namespace deepnvm
