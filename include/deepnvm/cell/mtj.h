// SPDX-License-Identifier: MIT
#pragma once

// Magnetic tunnel junction physics used by the STT- and SOT-MRAM cells. Pure functions of SI
// values; every equation is written out, with its source, in docs/models/cells.md (section
// numbers "§" refer to shared/docs/notes/cells.md, which collects the sources).

namespace deepnvm::mtj {

/// Area of a circular junction of diameter d: A = pi d^2 / 4.
double junction_area(double diameter);

/// R_P = RA / A (cells note §1.1).
double parallel_resistance(double ra_product, double area);

/// TMR at bias V: TMR(V) = TMR0 / (1 + V^2 / V_h^2) (Zhang et al., IEEE TED 59(3) 2012; note §1.1).
double tmr_at_bias(double tmr0, double bias, double half_bias_voltage);

/// Thermal stability at temperature T for an energy barrier fixed at its reference value:
/// Delta(T) = Delta_ref T_ref / T (Delta = E_b / k_B T, note §1.2). The barrier's own temperature
/// dependence (M_s(T)) is not modelled.
double thermal_stability_at(double delta_ref, double reference_temperature, double temperature);

/// Macrospin critical current of a perpendicular free layer: I_c0 = 4 e alpha k_B T Delta / (hbar eta)
/// (Sun, PRB 62, 570 (2000); note §1.3). Delta at the same T.
double macrospin_critical_current(double damping, double efficiency, double delta, double temperature);

/// Mean retention time tau = tau0 exp(Delta) (Neel-Brown; note §1.2).
double retention_time(double attempt_time, double delta);

/// Precessional time constant tau_p = ln(pi / (2 theta0)) / (alpha gamma mu0 H_k), theta0 = 1/sqrt(2 Delta)
/// (Sun 2000; note §1.4). `anisotropy_field` is mu0 H_k,eff in tesla.
double precessional_time(double damping, double anisotropy_field, double delta);

/// Switching regime of an STT write pulse.
enum class Regime { thermal, dynamic, precessional };

/// Pulse widths that bound the regimes (note §1.4: thermal for t_p >~ 10 ns, precessional for
/// t_p <~ 3 ns, dynamic reversal in between).
inline constexpr double kThermalRegimeFrom = 10e-9;
inline constexpr double kPrecessionalRegimeBelow = 3e-9;

Regime regime_for(double pulse);

/// Critical current for a pulse of width t_p (note §1.4):
///  thermal:      I_c = I_c0 [1 - ln(t_p / tau0) / Delta]
///  precessional: I_c = I_c0 (1 + tau_p / t_p)
///  dynamic:      the two blended with a weight linear in ln(t_p), all precessional at 3 ns and all
///                thermal at 10 ns (a simplification of the fitted logistic blend of Raychowdhury
///                et al., IEDM 2009, whose constants are not public): continuous and monotonic.
struct SwitchingParameters {
  double critical_current = 0;   // I_c0, A
  double delta = 0;              // thermal stability at the operating temperature
  double attempt_time = 0;       // tau0, s
  double precessional_time = 0;  // tau_p, s; 0 if damping or anisotropy field is unknown
  double damping_time = 0;       // tau_D = (1 + alpha^2)/(alpha gamma mu0 H_k), s; 0 if unknown
};

/// tau_D = (1 + alpha^2) / (alpha gamma mu0 H_k) (Butler et al. 2012; note §1.5).
double damping_time(double damping, double anisotropy_field);

double critical_current_for_pulse(const SwitchingParameters& p, double pulse);

/// The pulse for a given write current: the inverse of critical_current_for_pulse (monotonic),
/// found by bisection in log(t_p) between 10 ps and 1 s. Returns +inf if even 1 s does not switch.
double pulse_for_current(const SwitchingParameters& p, double current);

/// Write error rate of a pulse of width t_p at current I (note §1.5), in the same regimes as
/// critical_current_for_pulse, so the write current and its error rate come from one picture:
///  thermal (t_p >= 10 ns): thermally activated switching, WER = exp(-t_p / tau_sw),
///      tau_sw = tau0 exp[Delta max(0, 1 - I/I_c0)] (Neel-Brown with a linearly lowered barrier);
///  precessional (t_p < 3 ns, I >= I_c0): Butler et al. 2012 form with tau_D = p.damping_time,
///      WER = 1 - exp{ -(pi^2 Delta / 4) (i - 1) / (i exp[2 (i - 1) t_p / tau_D] - 1) },  i = I / I_c0;
///  dynamic: geometric blend of the two with the critical current's weight.
/// The Butler prefactor is flagged unverified in the note; see docs/models/cells.md.
/// Throws ModelError below 10 ns if the precessional or damping time is unknown (0).
double write_error_rate(const SwitchingParameters& p, double current, double pulse);

/// Read-disturb probability of one read of duration t_r at current I_r (note §1.6):
/// P = 1 - exp{ -(t_r / tau0) exp[-Delta (1 - I_r / I_c0)] }, computed with expm1 so tiny values survive.
double read_disturb_probability(const SwitchingParameters& p, double read_current, double read_time);

/// Perpendicular SOT threshold current density with an in-plane field (Lee et al., APL 102, 112410
/// (2013); note §2.2): J_c = (2e/hbar)(M_s t_F / theta_SH)(mu0 H_K,eff / 2 - mu0 H_x / sqrt 2).
/// `magnetization` is M_s in A/m; fields are mu0 H in tesla.
double sot_critical_current_density_perpendicular(double magnetization, double free_layer_thickness,
                                                  double spin_hall_angle, double anisotropy_field,
                                                  double in_plane_field);

/// In-plane (type-y) SOT threshold (Liu et al., Science 336, 555 (2012); note §2.2):
/// J_c0 = (2e/hbar)(M_s t_F alpha / theta_SH)(mu0 H_k + mu0 M_eff / 2).
double sot_critical_current_density_in_plane(double magnetization, double free_layer_thickness, double damping,
                                             double spin_hall_angle, double anisotropy_field,
                                             double effective_magnetization);

}  // namespace deepnvm::mtj
