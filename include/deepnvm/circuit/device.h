// SPDX-License-Identifier: MIT
#pragma once

// The transistor-level primitives every peripheral circuit is built from: one technology device
// evaluated at one operating point, and the gate capacitance, drain capacitance, layout area,
// on-resistance, transconductance, subthreshold leakage and Horowitz delay of NVSim's formula.cpp
// (commit 6334d00; shared/docs/notes/array-model.md §2.0). SI units throughout.

#include "deepnvm/circuit/model.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::circuit {

enum class Channel { nmos, pmos };
enum class Gate { inv, nor, nand };

// Layout rules in units of F [NVSim constant.h; note §2.0].
inline constexpr double kMinNmosWidthF = 1.5;          // MIN_NMOS_SIZE
inline constexpr double kGapPAndNDiffusionF = 2.0;     // MIN_GAP_BET_P_AND_N_DIFFS
inline constexpr double kGapSameDiffusionF = 1.5;      // MIN_GAP_BET_SAME_TYPE_DIFFS
inline constexpr double kGapPolyF = 1.5;               // MIN_GAP_BET_POLY
inline constexpr double kGapContactPolyF = 0.75;       // MIN_GAP_BET_CONTACT_POLY
inline constexpr double kContactSizeF = 1.0;           // CONTACT_SIZE
inline constexpr double kPowerRailWidthF = 2.0;        // MIN_WIDTH_POWER_RAIL
inline constexpr double kMaxTransistorHeightF = 20.0;  // MAX_TRANSISTOR_HEIGHT (region height for caps)

/// A ramp (input slope, 1/s) so steep that Horowitz reduces to 0.693 tau: NVSim's "ideal step".
inline constexpr double kStepRamp = 1e20;
/// NVSim's "infinite" value (invalid designs carry it in every metric).
inline constexpr double kInfinite = 1e41;

/// @brief One device flavour of a technology at one temperature, with everything NVSim derives
/// from its tables already derived. Cheap to copy; built once per evaluation.
struct DeviceModel {
  double feature_size = 0.0;  // F, m
  double temperature = 0.0;   // K
  double vdd = 0.0, vth = 0.0;
  double gate_length = 0.0;                                          // L_phy, m
  double cap_ideal_gate = 0.0, cap_fringe = 0.0, cap_overlap = 0.0;  // F/m of width
  double cap_ox = 0.0;                                               // F/m^2
  double cap_junction = 0.0;                                         // bottom, F/m^2 (from Vdd)
  double cap_sidewall = 0.0, cap_drain_to_channel = 0.0;             // F/m (from Vdd)
  double mobility_n = 0.0, mobility_p = 0.0;                         // m^2/(V s)
  double vdsat_n = 0.0, vdsat_p = 0.0;                               // V
  double pn_size_ratio = 0.0;                                        // W_p / W_n of a balanced inverter
  double effective_resistance_multiplier = 0.0;                      // k_R
  double on_current_n = 0.0, on_current_p = 0.0;                     // A/m at `temperature`
  double off_current_n = 0.0, off_current_p = 0.0;                   // A/m at `temperature`
  double max_nmos_width = 0.0;                                       // MaxNmosSize * F, m

  // The circuit model (circuit/model.h). `cacti` switches gate_leakage() to CACTI's state-averaged
  // subthreshold model with stack factor plus gate-oxide leakage, and the SRAM subarray to CACTI's
  // cell leakage and bitline swing; every other function is the same formula.
  CircuitModel model = CircuitModel::nvsim;
  double gate_leakage_n = 0.0, gate_leakage_p = 0.0;  // I_g,on per width, A/m (cacti model only)

  // FinFET devices that give their fin geometry (NeuroSim V1.4 / NS-Cache nodes; note §3.7-3.8).
  // Widths stay drawn (planar-equivalent) widths everywhere, as NVSim sizes them; a drawn width W
  // is n_fin = ceil(W / fin_drawn_width) fins, fin_drawn_width = 2F [NS-Cache formula.cpp
  // CalculateGateCap, CalculateOnResistance]. The per-width values above (caps, currents) are then
  // per metre of *drawn* width at whole fins: the source's per-effective-width value times
  // fin_effective_width / fin_drawn_width, so `I / on_current_n` is still the drawn width that
  // carries I. 0 for planar devices and for FinFET devices without fin geometry (McPAT 16 nm):
  // widths are then continuous and every function is NVSim's planar formula.
  double fin_drawn_width = 0.0;      // 2F, m; 0 = no fin quantisation
  double fin_effective_width = 0.0;  // W_eff of one fin, 2 H_fin + W_fin, m (information only)
  // Total drain capacitance per drawn width (NeuroSim cap_draintotal, rescaled as above); 0 = the
  // planar junction model of drain_cap().
  double drain_cap_per_width = 0.0;  // F/m
  // g_m per drawn width at I_on (NeuroSim gm_oncurrent, rescaled); 0 = mu C_ox (W/L) formula.
  double transconductance_per_width = 0.0;  // S/m

  /// Minimum transistor width, 1.5 F.
  double min_width() const { return kMinNmosWidthF * feature_size; }
  /// Gate capacitance per width, C_gi + C_ov + 3 C_f.
  double cap_gate_per_width() const { return cap_ideal_gate + cap_overlap + 3.0 * cap_fringe; }
  /// True when widths are quantised to whole fins.
  bool finfet() const { return fin_drawn_width > 0.0; }
  /// Fins of a device of drawn `width`: ceil(W / 2F) (0 for W <= 0); 0 for planar devices.
  int fins(double width) const;
  /// The drawn width the electrical formulas use: `width` for planar devices, fins(W) * 2F for
  /// FinFET ones (NS-Cache's n_fin W_eff,fin, expressed in drawn width).
  double electrical_width(double width) const { return finfet() ? fins(width) * fin_drawn_width : width; }
};

/// @brief Evaluates `flavour` of `technology` at `temperature` (K). NVSim indexes its tables by
/// whole kelvin (linear between the 10 K points); `max_nmos_size_f` is the cfg's MaxNmosSize in F.
/// ModelError if the device lacks a parameter the NVSim equations need.
///
/// FinFET nodes (process "finfet"; note §3.6-3.8), beyond NVSim: a device with fin geometry
/// (fin_effective_width) is quantised to fins of 2F drawn width and its per-effective-width values
/// are rescaled to drawn width (see DeviceModel) [NS-Cache formula.cpp]; C_ov is the source's
/// overlap_cap (0 there: NeuroSim folds C_ov and C_f into C_gi); the drain capacitance is
/// drain_cap_total where given (NS-Cache SubArray.cpp uses cap_draintotal W_eff for the cell
/// access drains), else the planar junction model with the device's stored bottom/sidewall junction
/// caps where given (McPAT 16 nm: C_j = 0, C_jsw stored), NVSim's Vdd-derived ones otherwise; g_m is
/// transconductance_per_width where given (NeuroSim gm_oncurrent), so V_th, C_ox and the mobilities
/// are then not needed (V_th = 0 if absent: NeuroSim's V_th list is a placeholder; only the
/// mux's swing Vdd - V_th reads it besides g_m, which then charges to the full Vdd). Planar tables
/// are evaluated exactly as before.
///
/// `model` = CircuitModel::cacti (meant for a CACTI table set, find_technology(dir, "cacti", node)):
/// V_dsat and the bottom and sidewall junction caps are the table's stored values instead of NVSim's
/// derived ones, and the gate-oxide leakage I_g,on(T) is kept [CACTI parameter.cc DeviceType].
DeviceModel make_device_model(const Technology& technology, std::string_view flavour, double temperature,
                              double max_nmos_size_f = 100.0, CircuitModel model = CircuitModel::nvsim);

/// Gate (input) capacitance of one transistor of `width` [NVSim formula.cpp CalculateGateCap];
/// FinFET: of its whole fins [NS-Cache formula.cpp CalculateGateCap].
double gate_cap(const DeviceModel& d, double width);

/// @brief Input and output (drain) capacitance of a gate laid out in a region of height
/// `region_height`, with folding [NVSim formula.cpp CalculateGateCapacitance; note §2.0]. FinFET
/// with drain_cap_per_width: output = C_d,total x (fin-quantised width of each drain network, times
/// the inputs for a parallel network), without folding or region (NeuroSim's total drain cap already
/// includes junction, sidewall and gate-edge parts).
struct GateCaps {
  double input = 0.0;   // C_g(W_n) + C_g(W_p)
  double output = 0.0;  // drain junction + sidewall + drain-to-channel of both networks
};
GateCaps gate_caps(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p, double region_height);

/// Drain capacitance of a lone transistor [NVSim formula.cpp CalculateDrainCap]; FinFET with
/// drain_cap_per_width: that per fin-quantised width, whatever the region.
double drain_cap(const DeviceModel& d, double width, Channel channel, double region_height);

/// Layout footprint of a gate or transistor [NVSim formula.cpp CalculateGateArea]. FinFET: NVSim's
/// planar layout of the fin-quantised drawn widths (NS-Cache's CPP/fin-pitch layout is not modelled).
struct Footprint {
  double height = 0.0, width = 0.0;
  double area() const { return height * width; }
};
Footprint gate_area(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p, double region_height);

/// Subthreshold leakage current (A) of a gate: INV worst state, NAND/NOR with NVSim's stack ratios
/// [NVSim formula.cpp CalculateGateLeakage]; FinFET: of the fin-quantised widths (NS-Cache
/// formula.cpp; NVSim's worst-state INV kept, NS-Cache averages N and P). Multiply by Vdd for power.
/// CircuitModel::cacti: CACTI's average over the 2^k input states, stacks of j off transistors
/// leaking 0.43^(j-1) (UNI_LEAK_STACK_FACTOR), plus the state-averaged gate-oxide leakage
/// [CACTI basic_circuit.cc cmos_Isub_leakage, cmos_Ig_leakage; note §4.2].
double gate_leakage(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p);

/// On-resistance k_R Vdd / (I_on W) [NVSim formula.cpp CalculateOnResistance]; FinFET: W of whole fins.
double on_resistance(const DeviceModel& d, double width, Channel channel);

/// Transconductance mu C_ox / 2 (W / L) min(V_dsat, Vdd - Vth) [NVSim formula.cpp CalculateTransconductance];
/// with transconductance_per_width: that times the fin-quantised width [NS-Cache formula.cpp].
double transconductance(const DeviceModel& d, double width, Channel channel);

/// @brief Horowitz delay of a stage with time constant `tau`, `beta` = 1/(R g_m) and input slope
/// `ramp_in` (1/s) [NVSim formula.cpp horowitz; note §2.0].
struct Delay {
  double latency = 0.0;
  double ramp_out = kStepRamp;  // output slope, 0.5 / latency
};
Delay horowitz(double tau, double beta, double ramp_in);

}  // namespace deepnvm::circuit
