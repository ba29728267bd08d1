// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/wire.h"

#include <algorithm>
#include <cmath>

#include "deepnvm/circuit/sense_amp.h"
#include "deepnvm/tech/formulas.h"

namespace deepnvm::circuit {
namespace {

// Low-swing constants [NVSim constant.h].
constexpr double kLowSwingVoltage = 0.1;       // VOL_SWING, V
constexpr double kLowSwingOverdrive = 0.4;     // the "over drive voltage" NVSim multiplies in, V
constexpr double kLowSwingDriverResAdj = 8.6;  // RES_ADJ
constexpr double kLowSwingMaxDriverF = 100.0;  // MAX_NMOS_SIZE (the constant, not the cfg value)
// Repeaters are laid out without a height limit [NVSim Wire.cpp: region height 1 m for caps, 1e41 for area].
constexpr double kUnlimitedCapRegion = 1.0;    // m
constexpr double kUnlimitedAreaRegion = 1e41;  // m
// Penalised repeater search steps [NVSim Wire.cpp findPenalizedRepeater].
constexpr double kSpacingStep = 100e-6;  // m
constexpr double kSizeStep = 1.0;

// The repeater of `size` x the reference inverter: input cap, output (drain) cap, and drive resistance
// taken as the sum of pull-down and pull-up (quirk Q15).
struct Repeater {
  double input_cap, output_cap, resistance;
};
Repeater repeater(const DeviceModel& d, double size) {
  const double wn = d.min_width() * size;
  const double wp = wn * d.pn_size_ratio;
  return {gate_cap(d, wn) + gate_cap(d, wp),
          drain_cap(d, wn, Channel::nmos, kUnlimitedCapRegion) + drain_cap(d, wp, Channel::pmos, kUnlimitedCapRegion),
          on_resistance(d, wn, Channel::nmos) + on_resistance(d, wp, Channel::pmos)};
}

WireFigures infinite_figures() { return {kInfinite, kInfinite, kInfinite}; }

// The unrepeated low-swing wire of `length` [NVSim Wire.cpp CalculateLatencyAndPower, isLowSwing].
WireFigures low_swing_figures(const WireModel& w, double length) {
  const DeviceModel& d = w.device;
  const double F = d.feature_size;
  const double vdd2 = d.vdd * d.vdd;
  const double wn = d.min_width();
  const double wp = wn * d.pn_size_ratio;
  const double cap_region = kMaxTransistorHeightF * F;
  const double gate_region = 40.0 * F;

  // Slope seen by the transmitter: a minimum inverter loaded by itself, rising then falling.
  const GateCaps min_inv = gate_caps(d, Gate::inv, 1, wn, wp, cap_region);
  double self_load = min_inv.input + min_inv.output;
  const double r_up = on_resistance(d, wp, Channel::pmos);
  const Delay rise = horowitz(r_up * self_load, 1.0 / (r_up * transconductance(d, wp, Channel::pmos)), kStepRamp);
  double r_down = on_resistance(d, wn, Channel::nmos);
  const double gm_min_n = transconductance(d, wn, Channel::nmos);
  double beta = 1.0 / (r_down * gm_min_n);
  const Delay fall = horowitz(r_down * self_load, beta, rise.ramp_out);
  double ramp = fall.ramp_out;

  // FO4 of the minimum inverter, which sets the driver resistance for this wire.
  const double fo4 = horowitz(r_down * (min_inv.output + 4.0 * min_inv.input), beta, kStepRamp).latency;
  const double cap_wire = w.cap_per_length * length;
  const double res_wire = w.res_per_length * length;
  const double res_driver = (-8.0 * fo4 / (std::log(0.5) * cap_wire)) / kLowSwingDriverResAdj;
  double width_driver = r_down * wn / res_driver;
  width_driver = std::max(std::min(width_driver, kLowSwingMaxDriverF * F), wn);
  if (res_wire * cap_wire > 8.0 * fo4) width_driver = d.max_nmos_width;

  // One inverter sized by logical effort in front of the driver NMOS (no chain, to save leakage).
  const double cap_driver_gate = gate_caps(d, Gate::inv, 1, width_driver, 0.0, gate_region).input;
  const double effort_ratio = (2.0 + d.pn_size_ratio) / (1.0 + d.pn_size_ratio);
  const double cap_double_inv = gate_caps(d, Gate::inv, 1, 2.0 * wn, 2.0 * wp, gate_region).input;
  const double stage_effort = std::sqrt(effort_ratio * cap_driver_gate / cap_double_inv);
  const double required_cin = effort_ratio * cap_driver_gate / stage_effort;
  const double cap_unit_inv = gate_caps(d, Gate::inv, 1, wn, wp, gate_region).input;
  const double inv_size = std::max(required_cin / cap_unit_inv, 1.0);

  WireFigures out;
  // NAND2 stage: NVSim doubles the pull-down resistance but keeps the minimum NMOS transconductance.
  r_down *= 2.0;
  beta = 1.0 / (r_down * gm_min_n);
  const GateCaps nand = gate_caps(d, Gate::nand, 2, 2.0 * wn, wp, gate_region);
  const GateCaps inv = gate_caps(d, Gate::inv, 1, inv_size * wn, inv_size * wp, gate_region);
  double load = nand.output + inv.input;
  Delay stage = horowitz(r_down * load, beta, ramp);
  out.delay = stage.latency;
  out.energy = load * vdd2;
  ramp = stage.ramp_out;

  // Inverter stage driving the driver gate (beta again with the minimum NMOS transconductance).
  r_down = on_resistance(d, inv_size * wn, Channel::nmos);
  beta = 1.0 / (r_down * gm_min_n);
  load = inv.output + cap_driver_gate;
  stage = horowitz(r_down * load, beta, ramp);
  out.delay += stage.latency;
  out.energy += load * vdd2;
  ramp = stage.ramp_out;

  out.leakage = 2.0 * d.vdd * gate_leakage(d, Gate::inv, 1, inv_size * wn, inv_size * wp);
  out.leakage += 2.0 * d.vdd * gate_leakage(d, Gate::nand, 2, 2.0 * wn, wp);
  out.leakage *= 2.0;

  // The receiver: NVSim sizes a one-column sense amp with a 1 m pitch and uses only its input cap.
  SenseAmpSpec sa_spec;
  sa_spec.amps = 1;
  sa_spec.sense_voltage = w.sense_voltage;
  sa_spec.pitch = 1.0;
  const double cap_sa = size_sense_amp(d, sa_spec).input_cap;

  // The NMOS driver (pull-up and pull-down both NMOS) into the wire and the sense amp.
  const double drain_driver = drain_cap(d, width_driver, Channel::nmos, gate_region);
  load = cap_wire + 2.0 * drain_driver + cap_sa;
  const double r_driver = on_resistance(d, width_driver, Channel::nmos);
  beta = 1.0 / (r_driver * transconductance(d, width_driver, Channel::nmos));
  const double tau = r_driver * kLowSwingDriverResAdj * (cap_wire + 2.0 * drain_driver) + cap_wire * res_wire / 2.0 +
                     (r_driver + res_wire) * cap_sa;
  out.delay += horowitz(tau, beta, ramp).latency;
  out.energy += load * kLowSwingVoltage * kLowSwingOverdrive;
  out.energy *= 2.0;  // differential pair
  out.leakage += 4.0 * d.vdd * gate_leakage(d, Gate::inv, 1, width_driver, 0.0);
  // NVSim adds the receiver's readLatency, readDynamicEnergy and leakage here, but never computed them
  // (they keep their constructor value 0); reproduced by adding nothing.
  return out;
}

}  // namespace

double repeater_penalty(RepeaterKind kind) {
  switch (kind) {
    case RepeaterKind::none:
    case RepeaterKind::optimal:
      return 0.0;
    case RepeaterKind::penalty_5:
      return 0.05;
    case RepeaterKind::penalty_10:
      return 0.10;
    case RepeaterKind::penalty_20:
      return 0.20;
    case RepeaterKind::penalty_30:
      return 0.30;
    case RepeaterKind::penalty_40:
      return 0.40;
    case RepeaterKind::penalty_50:
      return 0.50;
  }
  return 0.0;
}

WireFigures repeated_wire_per_length(const DeviceModel& device, double res_per_length, double cap_per_length,
                                     double size, double spacing) {
  const Repeater rep = repeater(device, size);
  const double wire_cap = cap_per_length * spacing;
  const double wire_res = res_per_length * spacing;
  // Quirk Q15: the wire resistance charges the repeater's own output cap, not the next input.
  const double tau = rep.resistance * (rep.input_cap + rep.output_cap) + rep.resistance * wire_cap +
                     wire_res * rep.output_cap + 0.5 * wire_res * wire_cap;
  const double wn = device.min_width() * size;
  WireFigures per_length;
  per_length.delay = 0.693 * tau / spacing;
  per_length.energy = (rep.input_cap + rep.output_cap + wire_cap) * device.vdd * device.vdd / spacing;
  per_length.leakage = gate_leakage(device, Gate::inv, 1, wn, wn * device.pn_size_ratio) * device.vdd / spacing;
  return per_length;
}

WireModel make_wire_model(const DeviceModel& device, double res_per_length, double cap_per_length, double pitch,
                          const WireSpec& spec) {
  WireModel w;
  w.repeater = spec.repeater;
  w.low_swing = spec.low_swing;
  w.sense_voltage = spec.sense_voltage;
  w.pitch = pitch;
  w.res_per_length = res_per_length;
  w.cap_per_length = cap_per_length;
  w.device = device;
  if (spec.repeater == RepeaterKind::none) return w;
  if (spec.low_swing) {
    // NVSim stops the run on a repeated low-swing wire; here it is an invalid design.
    w.valid = false;
    return w;
  }

  // Delay-optimal repeater relative to the reference inverter (quirk Q15: R = R_n + R_p).
  const Repeater ref = repeater(device, 1.0);
  double size = std::sqrt(ref.resistance * cap_per_length / ref.input_cap / res_per_length);
  double spacing =
      std::sqrt(2.0 * ref.resistance * (ref.output_cap + ref.input_cap) / (res_per_length * cap_per_length));

  if (spec.repeater != RepeaterKind::optimal) {
    const WireFigures optimum = repeated_wire_per_length(device, res_per_length, cap_per_length, size, spacing);
    const double target_delay = optimum.delay * (1.0 + repeater_penalty(spec.repeater));
    double energy = optimum.energy;
    double leakage = optimum.leakage;
    double best_size = size, best_spacing = spacing;
    const double end_spacing = 4.0 * spacing;
    // Quirk Q16: `size` is not reset between spacings, so once the first spacing has walked it below
    // one, the later spacings try nothing.
    for (; spacing <= end_spacing; spacing += kSpacingStep) {
      for (; size >= 1.0; size -= kSizeStep) {
        const WireFigures f = repeated_wire_per_length(device, res_per_length, cap_per_length, size, spacing);
        if (f.delay <= target_delay && f.energy / energy + f.leakage / leakage < 2.0) {
          energy = f.energy;
          leakage = f.leakage;
          best_size = size;
          best_spacing = spacing;
        }
      }
    }
    size = best_size;
    spacing = best_spacing;
  }
  w.repeater_size = size;
  w.repeater_spacing = spacing;
  const WireFigures per_length = repeated_wire_per_length(device, res_per_length, cap_per_length, size, spacing);
  w.delay_per_length = per_length.delay;
  w.energy_per_length = per_length.energy;
  w.leakage_per_length = per_length.leakage;

  const double wn = device.min_width() * size;
  const Footprint fp = gate_area(device, Gate::inv, 1, wn, wn * device.pn_size_ratio, kUnlimitedAreaRegion);
  w.repeater_height = std::min(fp.height, fp.width);
  w.repeater_width = std::max(fp.height, fp.width);
  w.repeated_pitch = pitch + w.repeater_width;
  return w;
}

WireModel make_wire_model(const DeviceModel& device, const Wire& wire, const WireSpec& spec) {
  // Quirk Q14: NVSim re-derives the table of the next larger-or-equal node with F forced to it; the
  // Technology handed in already carries that node's wire geometry (see find_technology).
  return make_wire_model(device, wire_resistance_per_length(wire, device.temperature),
                         wire_capacitance_per_length(wire), wire.pitch, spec);
}

WireFigures wire_figures(const WireModel& wire, double length) {
  if (!wire.valid) return infinite_figures();
  if (wire.low_swing) return low_swing_figures(wire, length);
  if (wire.repeater == RepeaterKind::none) {
    const double rc = wire.res_per_length * wire.cap_per_length;
    return {2.3 * rc * length * length / 2.0, wire.cap_per_length * length * wire.device.vdd * wire.device.vdd, 0.0};
  }
  return {wire.delay_per_length * length, wire.energy_per_length * length, wire.leakage_per_length * length};
}

}  // namespace deepnvm::circuit
