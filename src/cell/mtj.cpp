// SPDX-License-Identifier: MIT
#include "deepnvm/cell/mtj.h"

#include <cmath>
#include <limits>

#include "deepnvm/core/constants.h"
#include "deepnvm/core/error.h"

namespace deepnvm::mtj {

namespace c = deepnvm::constants;

double junction_area(double diameter) { return c::pi * diameter * diameter / 4.0; }

double parallel_resistance(double ra_product, double area) { return ra_product / area; }

double tmr_at_bias(double tmr0, double bias, double half_bias_voltage) {
  return tmr0 / (1.0 + (bias * bias) / (half_bias_voltage * half_bias_voltage));
}

double thermal_stability_at(double delta_ref, double reference_temperature, double temperature) {
  return delta_ref * reference_temperature / temperature;
}

double macrospin_critical_current(double damping, double efficiency, double delta, double temperature) {
  return 4.0 * c::elementary_charge * damping * c::boltzmann * temperature * delta / (c::reduced_planck * efficiency);
}

double retention_time(double attempt_time, double delta) { return attempt_time * std::exp(delta); }

double precessional_time(double damping, double anisotropy_field, double delta) {
  const double theta0 = 1.0 / std::sqrt(2.0 * delta);
  return std::log(c::pi / (2.0 * theta0)) / (damping * c::electron_gyromagnetic_ratio * anisotropy_field);
}

Regime regime_for(double pulse) {
  if (pulse >= kThermalRegimeFrom) return Regime::thermal;
  if (pulse < kPrecessionalRegimeBelow) return Regime::precessional;
  return Regime::dynamic;
}

namespace {
double thermal_current(const SwitchingParameters& p, double pulse) {
  return p.critical_current * (1.0 - std::log(pulse / p.attempt_time) / p.delta);
}
double precessional_current(const SwitchingParameters& p, double pulse) {
  return p.critical_current * (1.0 + p.precessional_time / pulse);
}
}  // namespace

double critical_current_for_pulse(const SwitchingParameters& p, double pulse) {
  switch (regime_for(pulse)) {
    case Regime::thermal:
      return thermal_current(p, pulse);
    case Regime::precessional:
      return precessional_current(p, pulse);
    case Regime::dynamic:
      break;
  }
  // Weight of the precessional branch, linear in ln(t_p): 1 at 3 ns, 0 at 10 ns. Both branches fall
  // with t_p and the precessional one lies above I_c0 >= the thermal one, so the blend is continuous
  // at both edges and falls monotonically.
  const double s = std::log(kThermalRegimeFrom / pulse) / std::log(kThermalRegimeFrom / kPrecessionalRegimeBelow);
  return s * precessional_current(p, pulse) + (1.0 - s) * thermal_current(p, pulse);
}

double pulse_for_current(const SwitchingParameters& p, double current) {
  double lo = 1e-11, hi = 1.0;
  if (critical_current_for_pulse(p, hi) > current) return std::numeric_limits<double>::infinity();
  if (critical_current_for_pulse(p, lo) <= current) return lo;
  for (int i = 0; i < 200; ++i) {
    const double mid = std::sqrt(lo * hi);
    (critical_current_for_pulse(p, mid) > current ? lo : hi) = mid;
  }
  return hi;
}

namespace {
// Thermally activated switching: WER = exp(-t_p / tau_sw), tau_sw = tau0 exp[Delta max(0, 1 - i)].
double thermal_write_error_rate(const SwitchingParameters& p, double i, double pulse) {
  const double tau_sw = p.attempt_time * std::exp(p.delta * std::max(0.0, 1.0 - i));
  return std::exp(-pulse / tau_sw);
}
// Spin-torque-driven (precessional) switching, Butler et al. 2012 form; below I_c0 it cannot switch
// by precession, so the thermal form applies.
double precessional_write_error_rate(const SwitchingParameters& p, double i, double pulse, double tau_d) {
  if (i < 1.0) return thermal_write_error_rate(p, i, pulse);
  const double a = c::pi * c::pi * p.delta / 4.0;
  // At i = 1 the quotient is 0/0; its limit is 1 / (1 + 2 t_p / tau_D).
  const double x = i == 1.0 ? a / (1.0 + 2.0 * pulse / tau_d)
                            : a * (i - 1.0) / (i * std::exp(2.0 * (i - 1.0) * pulse / tau_d) - 1.0);
  return -std::expm1(-x);
}
}  // namespace

double damping_time(double damping, double anisotropy_field) {
  return (1.0 + damping * damping) / (damping * c::electron_gyromagnetic_ratio * anisotropy_field);
}

double write_error_rate(const SwitchingParameters& p, double current, double pulse) {
  const double i = current / p.critical_current;
  const double tau_d = p.damping_time;
  if (regime_for(pulse) != Regime::thermal && (tau_d <= 0.0 || p.precessional_time <= 0.0))
    throw ModelError("a write pulse under 10 ns needs the MTJ's damping and anisotropy field");
  switch (regime_for(pulse)) {
    case Regime::thermal:
      return thermal_write_error_rate(p, i, pulse);
    case Regime::precessional:
      return precessional_write_error_rate(p, i, pulse, tau_d);
    case Regime::dynamic:
      break;
  }
  // Geometric blend with the same weight as critical_current_for_pulse, so that the write current
  // sized in a regime and its error rate come from the same picture.
  const double s = std::log(kThermalRegimeFrom / pulse) / std::log(kThermalRegimeFrom / kPrecessionalRegimeBelow);
  const double lp = std::log(std::max(precessional_write_error_rate(p, i, pulse, tau_d), 1e-300));
  const double lt = std::log(std::max(thermal_write_error_rate(p, i, pulse), 1e-300));
  return std::exp(s * lp + (1.0 - s) * lt);
}

double read_disturb_probability(const SwitchingParameters& p, double read_current, double read_time) {
  const double rate = std::exp(-p.delta * (1.0 - read_current / p.critical_current)) / p.attempt_time;
  return -std::expm1(-read_time * rate);
}

double sot_critical_current_density_perpendicular(double magnetization, double free_layer_thickness,
                                                  double spin_hall_angle, double anisotropy_field,
                                                  double in_plane_field) {
  // mu0 M_s t_F with fields as mu0 H: (2e/hbar) M_s t_F (B_K/2 - B_x/sqrt2) / theta
  return (2.0 * c::elementary_charge / c::reduced_planck) * magnetization * free_layer_thickness / spin_hall_angle *
         (anisotropy_field / 2.0 - in_plane_field / std::sqrt(2.0));
}

double sot_critical_current_density_in_plane(double magnetization, double free_layer_thickness, double damping,
                                             double spin_hall_angle, double anisotropy_field,
                                             double effective_magnetization) {
  return (2.0 * c::elementary_charge / c::reduced_planck) * magnetization * free_layer_thickness * damping /
         spin_hall_angle * (anisotropy_field + effective_magnetization / 2.0);
}

}  // namespace deepnvm::mtj
