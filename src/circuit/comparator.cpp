// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/comparator.h"

#include <algorithm>

namespace deepnvm::circuit {
namespace {
// Chain N/P widths and the per-bit pull-down / precharge widths, in units of F [NVSim Comparator.cpp].
constexpr double kChainNmosF[kComparatorChainLength] = {7.5, 15.0, 30.0, 50.0};
constexpr double kChainPmosF[kComparatorChainLength] = {12.5, 25.0, 50.0, 100.0};
constexpr double kPullDownNmosF = 12.5;
constexpr double kPrechargePmosF = 37.5;
constexpr int kQuarters = 4;
}  // namespace

Comparator size_comparator(const DeviceModel& device, const ComparatorSpec& spec) {
  Comparator c;
  const double F = device.feature_size;
  const double cap_region = kMaxTransistorHeightF * F;
  const double area_region = 40.0 * F;
  const double vdd2 = device.vdd * device.vdd;
  // The tag is split across four quarter comparators (NVSim assumes a multiple of four).
  c.quarter_bits = spec.tag_bits / kQuarters;
  const double bits = static_cast<double>(c.quarter_bits);
  const double w_pull_down = kPullDownNmosF * F;

  double chain_height = 0.0, chain_width = 0.0, chain_leakage = 0.0;
  for (int i = 0; i < kComparatorChainLength; ++i) {
    const double wn = kChainNmosF[i] * F, wp = kChainPmosF[i] * F;
    c.chain_width_n[i] = wn;
    const GateCaps caps = gate_caps(device, Gate::inv, 1, wn, wp, cap_region);
    c.input_cap[i] = caps.input;
    c.output_cap[i] = caps.output;
    const Footprint fp = gate_area(device, Gate::inv, 1, wn, wp, area_region);
    chain_height = std::max(chain_height, fp.height);
    chain_width += fp.width;
    chain_leakage += gate_leakage(device, Gate::inv, 1, wn, wp) * device.vdd;
  }

  // Each bit's pull-down is modelled as a NAND2 with no PMOS: its output cap loads the match line.
  const double cap_bit = gate_caps(device, Gate::nand, 2, w_pull_down, 0.0, area_region).output;
  c.bottom_cap = c.output_cap[kComparatorChainLength - 1] + bits * cap_bit;
  c.top_cap = bits * cap_bit + drain_cap(device, kPrechargePmosF * F, Channel::pmos, cap_region) + spec.load_cap;
  c.bottom_res = on_resistance(device, c.chain_width_n[kComparatorChainLength - 1], Channel::nmos);
  c.top_res = 2.0 * on_resistance(device, w_pull_down, Channel::nmos);

  const Footprint bit_fp = gate_area(device, Gate::nand, 2, w_pull_down, 0.0, area_region);
  c.figures.height = chain_height + bit_fp.height;  // the four quarters placed side by side
  c.figures.width = kQuarters * std::max(chain_width, bits * bit_fp.width);

  // Quirk Q24: the NAND2 leakage is that of its (zero-width) PMOS stack, i.e. 0; kept as NVSim has it.
  const double bit_leakage = bits * gate_leakage(device, Gate::nand, 2, w_pull_down, 0.0) * device.vdd;
  c.figures.leakage = kQuarters * (chain_leakage + bit_leakage);

  double energy = 0.0;
  for (int i = 0; i + 1 < kComparatorChainLength; ++i) energy += (c.output_cap[i] + c.input_cap[i + 1]) * vdd2;
  energy += (c.bottom_cap + c.top_cap) * vdd2;
  c.figures.read_energy = kQuarters * energy;
  c.figures.write_energy = c.figures.read_energy;
  return c;
}

Delay comparator_delay(const DeviceModel& device, const Comparator& c, double ramp_in) {
  double latency = 0.0;
  double ramp = ramp_in;
  for (int i = 0; i + 1 < kComparatorChainLength; ++i) {
    const double r = on_resistance(device, c.chain_width_n[i], Channel::nmos);
    const double beta = 1.0 / (r * transconductance(device, c.chain_width_n[i], Channel::nmos));
    const Delay stage = horowitz(r * (c.output_cap[i] + c.input_cap[i + 1]), beta, ramp);
    latency += stage.latency;
    ramp = stage.ramp_out;
  }
  const double tau = c.bottom_res * c.bottom_cap + (c.bottom_res + c.top_res) * c.top_cap;
  const Delay last = horowitz(tau, 0.0, ramp);
  return {latency + last.latency, last.ramp_out};
}

}  // namespace deepnvm::circuit
