// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/precharger.h"

#include <algorithm>

namespace deepnvm::circuit {

Precharger size_precharger(const DeviceModel& device, const PrechargerSpec& spec) {
  Precharger p;
  const double F = device.feature_size;
  const double region = 40.0 * F;
  const double columns = static_cast<double>(spec.columns);
  const double vdd2 = device.vdd * device.vdd;
  p.inverter_width_n = device.min_width();
  p.inverter_width_p = p.inverter_width_n * device.pn_size_ratio;
  const double w_equaliser = device.min_width();
  const double w_precharge = kPrechargePmosWidthF * F;
  p.bitline_cap = spec.bitline_cap;
  p.bitline_resistance = spec.bitline_resistance;

  // The column inverter drives the equaliser gate and both precharge gates.
  p.inverter_load_cap = gate_cap(device, w_equaliser) + 2.0 * gate_cap(device, w_precharge) +
                        drain_cap(device, p.inverter_width_n, Channel::nmos, region) +
                        drain_cap(device, p.inverter_width_p, Channel::pmos, region);
  p.bitline_output_cap =
      drain_cap(device, w_precharge, Channel::pmos, region) + drain_cap(device, w_equaliser, Channel::pmos, region);

  // One latency-first chain enables every column inverter through the enable wire.
  const double inverter_input = gate_cap(device, p.inverter_width_n) + gate_cap(device, p.inverter_width_p);
  OutputDriverSpec chain;
  chain.logical_effort = 1.0;
  chain.input_cap = inverter_input;
  chain.output_cap = columns * (inverter_input + spec.wire_cap_per_column);
  chain.output_resistance = 0.0;
  chain.inverse = true;
  chain.style = BufferStyle::latency;
  chain.min_driver_current = 0.0;
  p.driver = size_output_driver(device, chain);
  p.valid = p.driver.valid;
  p.invalid_reason = p.driver.invalid_reason;

  // Area: per column the two precharge PMOS and the equaliser side by side (or the inverter if wider),
  // the inverter row below them; never smaller than the enable chain.
  const Footprint fp_pre = gate_area(device, Gate::inv, 1, 0.0, w_precharge, region);
  const Footprint fp_eq = gate_area(device, Gate::inv, 1, 0.0, w_equaliser, region);
  const Footprint fp_inv = gate_area(device, Gate::inv, 1, p.inverter_width_n, p.inverter_width_p, region);
  const double column_width = std::max(2.0 * fp_pre.width + fp_eq.width, fp_inv.width);
  p.figures.width = std::max(column_width * columns, p.driver.figures.width);
  p.figures.height = std::max(std::max(fp_pre.height, fp_eq.height) + fp_inv.height, p.driver.figures.height);

  // Quirk Q27: the PMOS leakage uses the precharge voltage the caller gives, which NVSim always sets to
  // Vdd (also for SRAM, whose bitlines sit at Vdd/2).
  p.figures.leakage = p.driver.figures.leakage;
  p.figures.leakage +=
      columns * device.vdd * gate_leakage(device, Gate::inv, 1, p.inverter_width_n, p.inverter_width_p);
  p.figures.leakage += columns * spec.precharge_voltage * gate_leakage(device, Gate::inv, 1, 0.0, w_precharge);

  // The bitline recharge itself is not counted here (the bitline term of the subarray covers it).
  p.figures.read_energy = p.driver.figures.read_energy + p.inverter_load_cap * vdd2 * columns;
  p.figures.write_energy = 0.0;  // no precharge on writes
  return p;
}

PrechargerDelay precharger_delay(const DeviceModel& device, const Precharger& p, double ramp_in) {
  PrechargerDelay out;
  const Delay chain = output_driver_delay(device, p.driver, ramp_in);
  const double r_n = on_resistance(device, p.inverter_width_n, Channel::nmos);
  const double beta_n = 1.0 / (r_n * transconductance(device, p.inverter_width_n, Channel::nmos));
  const Delay inverter = horowitz(r_n * p.inverter_load_cap, beta_n, chain.ramp_out);
  out.enable_latency = chain.latency + inverter.latency;

  const double w_precharge = kPrechargePmosWidthF * device.feature_size;
  const double r_p = on_resistance(device, w_precharge, Channel::pmos);
  const double tau = r_p * (p.bitline_cap + p.bitline_output_cap) + p.bitline_resistance * p.bitline_cap / 2.0;
  const double beta_p = 1.0 / (r_p * transconductance(device, w_precharge, Channel::pmos));
  out.precharge = horowitz(tau, beta_p, inverter.ramp_out);
  return out;
}

}  // namespace deepnvm::circuit
