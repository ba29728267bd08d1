// SPDX-License-Identifier: MIT
#pragma once

// Technology nodes (`kind: technology` files under data/tech/<table_set>/): per-flavour device
// parameters with temperature tables of on/off currents, and per-type wire geometry. Values are SI
// doubles; the files give every quantity with its unit and every block with a `source`.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/core/config.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// The four per-width currents a device tabulates over temperature.
enum class DeviceCurrent { on_n, on_p, off_n, off_p };

/// "I_on,n", "I_on,p", "I_off,n" or "I_off,p", for messages.
std::string_view current_name(DeviceCurrent which);

/// @brief One tabulated current: temperatures (K, strictly increasing) and values (A/m) of equal length.
struct CurrentTable {
  std::span<const double> temperatures;
  std::span<const double> values;
};

/// @brief One device flavour of a node (NVSim's `Technology` fields for HP, LSTP or LOP).
struct Device {
  std::string flavour;  // "hp", "lstp" or "lop"
  std::string source;

  double vdd = 0.0;                              // V
  double gate_length = 0.0;                      // physical gate length L_phy, m
  double gate_cap_ideal = 0.0;                   // C_gi, F/m of width
  double fringe_cap = 0.0;                       // C_f, F/m of width
  double pn_size_ratio = 0.0;                    // W_p/W_n of a balanced inverter
  double effective_resistance_multiplier = 0.0;  // k_R in R_on = k_R Vdd/(I_on W)
  std::optional<double> gate_leakage;            // gate-oxide leakage, A/m, temperature-independent; NVSim has none

  // Required for planar_bulk nodes (a Technology check); optional for FinFET nodes, because FinFET
  // table sets give none of them: NeuroSim V1.4 / NS-Cache have a placeholder Vth ("dummy values"),
  // no C_ox and no mobilities, and compute g_m from `transconductance_per_width` instead. Models read
  // them through need(), which throws ModelError naming the key when one is absent.
  std::optional<double> vth;                // V
  std::optional<double> oxide_cap;          // C_ox, F/m^2
  std::optional<double> electron_mobility;  // mu_n, m^2/(V s)
  std::optional<double> hole_mobility;      // mu_p, m^2/(V s)

  // Values some table sets store and others derive or lack (CACTI/McPAT store them; NVSim has none).
  // Absent means "the source does not give it", never zero.
  std::optional<double> electrical_gate_length;          // L_elec, m (CACTI l_elec)
  std::optional<double> oxide_thickness;                 // t_ox (electrical), m
  std::optional<double> saturation_voltage;              // stored V_dsat, V (NVSim derives it instead)
  std::optional<double> bottom_junction_cap;             // stored C_j, F/m^2 (NVSim derives it from Vdd)
  std::optional<double> sidewall_junction_cap;           // stored C_jsw, F/m
  std::optional<double> gm_p_to_gm_n;                    // CACTI gmp_to_gmn_multiplier
  std::optional<double> long_channel_leakage_reduction;  // CACTI lch_lk_rdc, factor in (0, 1]
  // Gate-oxide leakage of the NMOS over temperature, A/m (CACTI I_g_on_n(T)); on the shared
  // `temperatures` grid unless `gate_leakage_n_temperatures` is given. Exclusive with `gate_leakage`.
  std::optional<std::vector<double>> gate_leakage_n;
  std::optional<std::vector<double>> gate_leakage_n_temperatures;
  // Gate overlap capacitance per width C_ov as the source states it, F/m. Absent: NVSim's and CACTI's
  // C_ov = 0.2 C_gi. NeuroSim's FinFET nodes fold C_ov and C_f into C_gi and set both to 0.
  std::optional<double> overlap_cap;
  std::optional<double> drain_cap_total;             // total drain cap per width as stored (NeuroSim), F/m
  std::optional<double> transconductance_per_width;  // g_m at I_on per width (NeuroSim gm_oncurrent), S/m

  // FinFET geometry (absent for planar nodes, and for FinFET sources that give none, e.g. McPAT 16 nm).
  // Per-width values of a FinFET device are per metre of effective fin width: a device of n fins has
  // width n * fin_effective_width, with fin_effective_width = 2 fin_height + fin_width.
  std::optional<double> fin_height;           // H_fin, m
  std::optional<double> fin_width;            // W_fin, m
  std::optional<double> fin_pitch;            // m
  std::optional<double> fin_effective_width;  // W_eff of one fin, m
  std::optional<int> max_fins;                // most fins of one device before folding (NeuroSim max_fin_num)

  // Temperature tables. `temperatures` is shared by the four current lists unless a list has its own
  // `<current>_temperatures`: sources do not always give every current at the same points (the note
  // gives NVSim's I_off,n at 360 K but not the others), and a shared grid would force invented values.
  std::vector<double> temperatures;   // K
  std::vector<double> on_current_n;   // A/m
  std::vector<double> on_current_p;   // A/m
  std::vector<double> off_current_n;  // A/m
  std::vector<double> off_current_p;  // A/m
  std::optional<std::vector<double>> on_current_n_temperatures;
  std::optional<std::vector<double>> on_current_p_temperatures;
  std::optional<std::vector<double>> off_current_n_temperatures;
  std::optional<std::vector<double>> off_current_p_temperatures;

  /// The table of one current, with the temperature grid that applies to it.
  CurrentTable table(DeviceCurrent which) const;

  /// @brief Current per width (A/m) at `temperature` (K), linear between table points as NVSim fills
  /// its 1 K steps (array-model note §3.2). Throws ModelError outside [first, last] table temperature.
  double current(DeviceCurrent which, double temperature) const;

  /// @brief Gate-oxide leakage per width (A/m) at `temperature`: the `gate_leakage_n` table
  /// (linear in T, ModelError outside it), the constant `gate_leakage`, or nullopt if the source gives none.
  std::optional<double> gate_leakage_current(double temperature) const;

  /// `value`, or a ModelError naming `key` when the table set does not give it (FinFET sets such as
  /// NeuroSim V1.4's give no Vth, oxide capacitance or mobilities): a model that needs a value the
  /// source lacks stops, it never uses a made-up number.
  double need(const std::optional<double>& value, std::string_view key) const;

  bool operator==(const Device&) const = default;
  static const Schema<Device>& schema();
};

/// @brief One wire type of a node (NVSim `Wire.cpp` table row, array-model note §2.1, §3.4).
struct Wire {
  std::string type;  // local_aggressive ... global_conservative
  std::string source;

  double pitch = 0.0;                // m
  double width = 0.0;                // m
  double thickness = 0.0;            // m
  double barrier_thickness = 0.0;    // m
  double dielectric_constant = 0.0;  // in-plane (sidewall) relative permittivity k_h
  double ild_thickness = 0.0;        // vertical dielectric thickness, m
  double resistivity = 0.0;          // at 20 C, Ohm m
  // CACTI/McPAT terms; NVSim's tables have alpha_scatter = 1 and no dishing, the defaults.
  double scattering_factor = 1.0;  // alpha_scatter, multiplies the resistivity
  double dishing_thickness = 0.0;  // m, subtracted from the conducting thickness
  // "nvsim_linear": rho(T) = rho_20C (1 + 0.0039/K (T - 293 K)) as NVSim; "none": rho is used at
  // every temperature as CACTI and McPAT do.
  std::string resistivity_temperature_model = "nvsim_linear";

  bool operator==(const Wire&) const = default;
  static const Schema<Wire>& schema();
};

/// @brief A technology node: one table set's devices and wires at one feature size.
struct Technology {
  std::string name;
  std::string table_set;  // "nvsim", "cacti" or "deepnvm"
  double node = 0.0;      // feature size F, m
  std::string process;    // "planar_bulk" (every device gives vth, C_ox, mu_n, mu_p) or "finfet"
  bool interpolated = false;
  std::string source;
  std::vector<Device> devices;
  std::vector<Wire> wires;

  /// The device of `flavour`; ModelError naming the flavours present if there is none.
  const Device& device(std::string_view flavour) const&;
  /// The wire of `type`; ModelError naming the types present if there is none.
  const Wire& wire(std::string_view type) const&;
  // A reference into a temporary Technology would dangle: `find_technology(...).device("hp")` must
  // not compile. Keep the Technology in a variable.
  const Device& device(std::string_view flavour) const&& = delete;
  const Wire& wire(std::string_view type) const&& = delete;

  bool operator==(const Technology&) const = default;
  static const Schema<Technology>& schema();
};

/// Device flavours and wire types a technology file may name, in table order.
std::span<const std::string> device_flavours();
std::span<const std::string> wire_types();

/// @brief Parses a loaded `kind: technology` document (the `kind` key is required and checked).
Technology parse_technology(const ConfigNode& document);

/// @brief Reads and validates one technology file. IoError if unreadable, ConfigError (file, line,
/// key) for anything malformed.
Technology load_technology(const std::filesystem::path& path);

/// The table set used when the user names none: NVSim's down to its smallest node (22 nm), so
/// results compare with NVSim; below that NVSim has no data and deepnvm's FinFET set applies.
std::string_view default_table_set(double node);

/// @brief The technology of `table_set` at feature size `node` (m) among the files in
/// `<data_dir>/tech/<table_set>/`. Matches the `node` value inside the files, not file names.
/// ConfigError if the table set or the node does not exist (naming what does) or two files match.
///
/// For the `nvsim` table set a node strictly between two table nodes (e.g. 28 or 40 nm) is
/// interpolated with interpolate_technology() as NVSim does (array-model note §3.3); the result has
/// `interpolated == true`. Other table sets are not interpolated: CACTI's own rule differs (linear
/// I_off, interpolated wire R and C) and FinFET nodes have no neighbours to blend.
Technology find_technology(const std::filesystem::path& data_dir, std::string_view table_set, double node);

/// @brief NVSim's intermediate-node rule [NVSim main.cpp:94-123, Technology.cpp:1333-1367;
/// array-model note §3.3]: with alpha = (node - lower.node)/(upper.node - lower.node), every device
/// parameter and on-current is (1 - alpha) lower + alpha upper, the off-currents are geometric,
/// lower^(1 - alpha) upper^alpha, and the wires are not interpolated but taken from `upper` (the next
/// larger-or-equal table node, whose geometry NVSim forces). Optional values are blended the same way
/// (linear) when both nodes give them. The result has `node`, `interpolated = true` and sources that
/// name both inputs. ModelError if `node` lies outside [lower.node, upper.node] or lower.node >=
/// upper.node, the table sets or processes differ, a flavour or an optional value is present in one
/// node only, `max_fins` differs, or the temperature grids differ.
Technology interpolate_technology(const Technology& lower, const Technology& upper, double node);

}  // namespace deepnvm
