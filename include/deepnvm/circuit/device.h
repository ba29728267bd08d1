// SPDX-License-Identifier: MIT
#pragma once

// The transistor-level primitives every peripheral circuit is built from: one technology device
// evaluated at one operating point, and the gate capacitance, drain capacitance, layout area,
// on-resistance, transconductance, subthreshold leakage and Horowitz delay of NVSim's formula.cpp
// (commit 6334d00; shared/docs/notes/array-model.md §2.0). SI units throughout.

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
  double gate_length = 0.0;                                  // L_phy, m
  double cap_ideal_gate = 0.0, cap_fringe = 0.0, cap_overlap = 0.0;  // F/m of width
  double cap_ox = 0.0;                                       // F/m^2
  double cap_junction = 0.0;                                 // bottom, F/m^2 (from Vdd)
  double cap_sidewall = 0.0, cap_drain_to_channel = 0.0;     // F/m (from Vdd)
  double mobility_n = 0.0, mobility_p = 0.0;                 // m^2/(V s)
  double vdsat_n = 0.0, vdsat_p = 0.0;                       // V
  double pn_size_ratio = 0.0;                                // W_p / W_n of a balanced inverter
  double effective_resistance_multiplier = 0.0;              // k_R
  double on_current_n = 0.0, on_current_p = 0.0;             // A/m at `temperature`
  double off_current_n = 0.0, off_current_p = 0.0;           // A/m at `temperature`
  double max_nmos_width = 0.0;                               // MaxNmosSize * F, m

  /// Minimum transistor width, 1.5 F.
  double min_width() const { return kMinNmosWidthF * feature_size; }
  /// Gate capacitance per width, C_gi + C_ov + 3 C_f.
  double cap_gate_per_width() const { return cap_ideal_gate + cap_overlap + 3.0 * cap_fringe; }
};

/// @brief Evaluates `flavour` of `technology` at `temperature` (K). NVSim indexes its tables by
/// whole kelvin (linear between the 10 K points); `max_nmos_size_f` is the cfg's MaxNmosSize in F.
/// ModelError if the device lacks a parameter the NVSim equations need.
DeviceModel make_device_model(const Technology& technology, std::string_view flavour, double temperature,
                              double max_nmos_size_f = 100.0);

/// Gate (input) capacitance of one transistor of `width` [NVSim formula.cpp CalculateGateCap].
double gate_cap(const DeviceModel& d, double width);

/// @brief Input and output (drain) capacitance of a gate laid out in a region of height
/// `region_height`, with folding [NVSim formula.cpp CalculateGateCapacitance; note §2.0].
struct GateCaps {
  double input = 0.0;   // C_g(W_n) + C_g(W_p)
  double output = 0.0;  // drain junction + sidewall + drain-to-channel of both networks
};
GateCaps gate_caps(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p, double region_height);

/// Drain capacitance of a lone transistor [NVSim formula.cpp CalculateDrainCap].
double drain_cap(const DeviceModel& d, double width, Channel channel, double region_height);

/// Layout footprint of a gate or transistor [NVSim formula.cpp CalculateGateArea].
struct Footprint {
  double height = 0.0, width = 0.0;
  double area() const { return height * width; }
};
Footprint gate_area(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p,
                    double region_height);

/// Subthreshold leakage current (A) of a gate: INV worst state, NAND/NOR with NVSim's stack ratios
/// [NVSim formula.cpp CalculateGateLeakage]. Multiply by Vdd for power.
double gate_leakage(const DeviceModel& d, Gate gate, int inputs, double width_n, double width_p);

/// On-resistance k_R Vdd / (I_on W) [NVSim formula.cpp CalculateOnResistance].
double on_resistance(const DeviceModel& d, double width, Channel channel);

/// Transconductance mu C_ox / 2 (W / L) min(V_dsat, Vdd - Vth) [NVSim formula.cpp CalculateTransconductance].
double transconductance(const DeviceModel& d, double width, Channel channel);

/// @brief Horowitz delay of a stage with time constant `tau`, `beta` = 1/(R g_m) and input slope
/// `ramp_in` (1/s) [NVSim formula.cpp horowitz; note §2.0].
struct Delay {
  double latency = 0.0;
  double ramp_out = kStepRamp;  // output slope, 0.5 / latency
};
Delay horowitz(double tau, double beta, double ramp_in);

}  // namespace deepnvm::circuit
