// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/mux.h"

#include <algorithm>

namespace deepnvm::circuit {
namespace {
// Pass-device resistance allowed relative to the cell's on-resistance [NVSim constant.h IR_DROP_TOLERANCE].
constexpr double kIrDropTolerance = 0.2;
// Minimum pass-transistor width in units of W_min [NVSim Mux.cpp: 6 MIN_NMOS_SIZE F = 9F].
constexpr double kMinPassWidthInWmin = 6.0;
}  // namespace

Mux size_mux(const DeviceModel& device, const MuxSpec& spec) {
  Mux mux;
  // Quirk Q26: a level of degree 1 (or no instances) computes nothing, all caps stay 0.
  if (spec.inputs <= 1 || spec.instances <= 0) return mux;
  mux.exists = true;
  const double F = device.feature_size;
  const double width_for_current = spec.min_driver_current / device.on_current_n;
  const double width_min = kMinPassWidthInWmin * device.min_width();
  if (spec.resistive_cell) {
    // Keep the pass device's resistance a small fraction of the cell's so the divider is not spoiled.
    double w = on_resistance(device, F, Channel::nmos) * F / (spec.cell_on_resistance * kIrDropTolerance);
    w = std::min(w, device.max_nmos_width);
    mux.pass_width = std::max({w, width_for_current, width_min});
  } else {
    mux.pass_width = std::max(width_min, width_for_current);
  }
  const double region = 40.0 * F;
  mux.pass_cap = drain_cap(device, mux.pass_width, Channel::nmos, region);
  mux.output_cap = spec.inputs * mux.pass_cap;
  mux.load_for_previous = mux.output_cap + mux.pass_cap + spec.load_cap;
  mux.pass_resistance = on_resistance(device, mux.pass_width, Channel::nmos);

  const Footprint fp = gate_area(device, Gate::inv, 1, mux.pass_width, 0.0, region);
  mux.figures.height = fp.height;
  mux.figures.width = static_cast<double>(spec.instances) * spec.inputs * fp.width;
  // The input slope plays no part: a 90 % RC step response.
  mux.figures.read_latency = 2.3 * mux.pass_resistance * (mux.output_cap + spec.load_cap);
  mux.figures.write_latency = mux.figures.read_latency;
  // Worst case: every mux output switches, by Vdd - Vth through the NMOS.
  mux.figures.read_energy = (mux.output_cap + spec.next_input_cap) * device.vdd * (device.vdd - device.vth) *
                            static_cast<double>(spec.instances);
  mux.figures.write_energy = mux.figures.read_energy;
  mux.figures.leakage = 0.0;
  return mux;
}

}  // namespace deepnvm::circuit
