// SPDX-License-Identifier: MIT
#pragma once

// Quantities NVSim derives from a technology table rather than storing them. Each function cites
// the NVSim source (commit 6334d00) as given in shared/docs/notes/array-model.md §2.0, §2.1, §3.1.
// SI units throughout: F/m of width, F/m^2, Ohm*m, Ohm/m, V, K.

#include "deepnvm/tech/technology.h"

namespace deepnvm {

/// @brief Gate capacitance per width presented by a transistor: (C_gi + C_ov + 3 C_f) with
/// C_ov = 0.2 C_gi and C_poly = 0 in every NVSim table, i.e. 1.2 C_gi + 3 C_f
/// [NVSim formula.cpp:48; note §2.0]. CACTI uses the same form [CACTI basic_circuit.cc:130]. A device
/// that states `overlap_cap` uses it instead of 0.2 C_gi (NeuroSim's FinFET nodes: C_ov = C_f = 0, so
/// C_gate = C_gi per metre of effective fin width).
double gate_cap_per_width(const Device& device);

/// Built-in junction potential of NVSim's BSIM-style grading [NVSim Technology.cpp:1274-1288].
inline constexpr double kJunctionBuiltInPotential = 0.9;  // V

/// @brief Bottom junction capacitance per area, C_j = 1e-3 F/m^2 / (1 + Vdd/0.9 V)^0.5.
/// NVSim overwrites its per-node `capJunction` with this [NVSim Technology.cpp:1274-1288; note §2.0].
double junction_cap_bottom(double vdd);

/// @brief Sidewall junction capacitance per length, C_jsw = 2.5e-10 F/m / (1 + Vdd/0.9 V)^0.33
/// [NVSim Technology.cpp:1274-1288; note §2.0].
double junction_cap_sidewall(double vdd);

/// @brief Gate-edge ("drain to channel") junction capacitance per length,
/// C_jg = 0.5e-10 F/m / (1 + Vdd/0.9 V)^0.33 [NVSim Technology.cpp:1274-1288; note §2.0].
double junction_cap_gate_edge(double vdd);

/// @brief NMOS velocity-saturation voltage V_dsat,n = L_phy * 1e5 m/s / mu_n
/// [NVSim Technology.cpp:1274-1327 (common derivations); note §2.0 transconductance, §3.1].
/// ModelError if the device gives no electron mobility (FinFET table sets).
double saturation_voltage_n(const Device& device);

/// @brief On-resistance times width of the NMOS, R_on W = k_R Vdd / I_on,n(T), in Ohm*m
/// [NVSim formula.cpp:315; note §2.0]. Divide by a width to get R_on.
double on_resistance_width_n(const Device& device, double temperature);
/// The same for the PMOS with I_on,p(T).
double on_resistance_width_p(const Device& device, double temperature);

/// Temperature coefficient of copper resistivity NVSim applies from 293 K [NVSim Wire.cpp; note §2.1].
inline constexpr double kWireResistivityTempCoefficient = 0.0039;  // 1/K
inline constexpr double kWireReferenceTemperature = 293.0;         // K

/// @brief rho(T) = rho_20C (1 + 0.0039/K (T - 293 K)) [NVSim Wire.cpp:56-490; note §2.1] for
/// `resistivity_temperature_model: nvsim_linear`; rho_20C at every T for `none` (CACTI, McPAT).
double wire_resistivity(const Wire& wire, double temperature);

/// @brief r_w = alpha_scatter rho(T) / ((t - t_b - t_dish)(w - 2 t_b)), in Ohm/m [NVSim
/// Wire.cpp:56-490; note §2.1; CACTI basic_circuit.cc wire_resistance]. NVSim's tables have
/// alpha_scatter = 1 and t_dish = 0 (the Wire defaults).
double wire_resistance_per_length(const Wire& wire, double temperature);

/// @brief c_w = 2 eps0 3.9 w / t_ILD + 2 eps0 1.5 k_h t / s + 1.15e-10 F/m (vertical plate + Miller-1.5
/// sidewall + fixed fringe), s = pitch - width, eps0 = 8.85e-12 F/m as NVSim rounds it
/// [NVSim Wire.cpp:56-490; note §2.1].
double wire_capacitance_per_length(const Wire& wire);

}  // namespace deepnvm
