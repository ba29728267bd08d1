// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/sense_amp.h"

#include <algorithm>
#include <cmath>

namespace deepnvm::circuit {

IvConverterConstants iv_converter_constants(double feature_size) {
  // HSPICE-derived per-node values as NVSim tabulates them; the last row (below 31 nm) is NVSim's own
  // uncalibrated placeholder (quirk Q28).
  if (feature_size >= 119e-9) return {0.49e-9, 8.52e-14, 1.40e-8};
  if (feature_size >= 89e-9) return {0.53e-9, 8.72e-14, 1.87e-8};
  if (feature_size >= 64e-9) return {0.62e-9, 9.00e-14, 2.57e-8};
  if (feature_size >= 44e-9) return {0.80e-9, 10.26e-14, 4.41e-9};
  if (feature_size >= 31e-9) return {1.07e-9, 12.56e-14, 12.54e-8};
  return {1.45e-9, 15e-14, 15e-8};
}

SenseAmp size_sense_amp(const DeviceModel& device, const SenseAmpSpec& spec) {
  SenseAmp sa;
  const double F = device.feature_size;
  if (spec.pitch <= 2.0 * F) {
    sa.valid = false;
    sa.invalid_reason = "sense-amp pitch not above 2F";
    sa.figures = {kInfinite, kInfinite, kInfinite, kInfinite, kInfinite, kInfinite, kInfinite};
    return sa;
  }
  if (spec.pitch <= 3.0 * F) {
    // Not an NVSim rule: in a region this narrow NVSim folds the sense-amp devices into fingers of
    // width <= 0 and carries negative or infinite capacitances on; such designs are refused here.
    sa.valid = false;
    sa.invalid_reason = "sense-amp pitch too narrow to fold its transistors (<= 3F)";
    sa.figures = {kInfinite, kInfinite, kInfinite, kInfinite, kInfinite, kInfinite, kInfinite};
    return sa;
  }
  const double amps = static_cast<double>(spec.amps);
  const double wp = kSenseAmpPmosWidthF * F, wn = kSenseAmpNmosWidthF * F;
  const double w_iso = kSenseAmpIsolationWidthF * F, w_en = kSenseAmpEnableWidthF * F, w_mux = kSenseAmpMuxWidthF * F;

  // Load presented at the sense node: the cross-coupled gates plus the drains tied to it, all laid
  // out across the amp's pitch.
  sa.input_cap = gate_cap(device, wp + wn) + drain_cap(device, wn, Channel::nmos, spec.pitch) +
                 drain_cap(device, wp, Channel::pmos, spec.pitch) +
                 drain_cap(device, w_iso, Channel::pmos, spec.pitch) +
                 drain_cap(device, w_mux, Channel::nmos, spec.pitch);

  const IvConverterConstants iv = spec.current_sense ? iv_converter_constants(F) : IvConverterConstants{};

  // Latency: the latch regenerates from V_s to Vdd with tau = C / (g_m,n + g_m,p).
  const double gm = transconductance(device, wn, Channel::nmos) + transconductance(device, wp, Channel::pmos);
  sa.figures.read_latency = iv.latency + sa.input_cap / gm * std::log(device.vdd / spec.sense_voltage);
  sa.figures.write_latency = 0.0;

  sa.figures.read_energy = (iv.energy + sa.input_cap * device.vdd * device.vdd) * amps;
  sa.figures.write_energy = 0.0;
  // Quirk Q12: the enable transistor's leakage power is multiplied by Vdd twice.
  const double idle = gate_leakage(device, Gate::inv, 1, w_en, 0.0) * device.vdd;
  sa.figures.leakage = (iv.leakage + idle * device.vdd) * amps;

  // Layout (CACTI 6.5 stack): devices drawn sideways across the pitch, so a footprint's height is
  // the stack's width and its width adds to the stack's height; then re-flowed to the pitch.
  double width = 0.0, height = 0.0;
  const auto stack = [&](double n, double p, double count) {
    const Footprint fp = gate_area(device, Gate::inv, 1, n, p, spec.pitch);
    width = std::max(width, fp.height);
    height += count * fp.width;
  };
  stack(0.0, wp, 2.0);
  stack(0.0, w_iso, 1.0);
  height += 2.0 * kGapSameDiffusionF * F;
  stack(wn, 0.0, 2.0);
  stack(w_en, 0.0, 1.0);
  height += 2.0 * kGapSameDiffusionF * F;
  height += kGapPAndNDiffusionF * F;
  height = height * width / spec.pitch;
  if (spec.current_sense) height += kIvConverterAreaF2 * F * F / spec.pitch;
  sa.figures.height = height;
  sa.figures.width = spec.pitch * amps;
  return sa;
}

}  // namespace deepnvm::circuit
