// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/output_driver.h"

#include <algorithm>
#include <cmath>

namespace deepnvm::circuit {
namespace {

// Peripheral gates are laid out in 40F-high regions for area, but their capacitances are taken in
// MAX_TRANSISTOR_HEIGHT (20F) regions (quirk Q17).
constexpr double kAreaRegionF = 40.0;

// NVSim's stage-count rule: the nearest integer to log4(path effort), minus the gate in front.
int stage_count(double path_effort) {
  return std::max(0, static_cast<int>(std::log(path_effort) / std::log(kOptimalStageEffort) + 0.5) - 1);
}

// Sizes the stages in front of `last` backwards by stage effort `f`, never below the minimum width.
void size_backwards(const DeviceModel& d, OutputDriver& out, int last, double f) {
  for (int i = last - 1; i >= 0; --i) {
    out.width_n[i] = std::max(d.min_width(), out.width_n[i + 1] / f);
    out.width_p[i] = out.width_n[i] * d.pn_size_ratio;
  }
}

OutputDriver invalid_driver(const OutputDriverSpec& spec, std::string_view reason) {
  OutputDriver out;
  out.valid = false;
  out.invalid_reason = reason;
  out.load_cap = spec.output_cap;
  out.load_resistance = spec.output_resistance;
  out.figures.height = out.figures.width = kInfinite;
  out.figures.read_latency = out.figures.write_latency = kInfinite;
  out.figures.read_energy = out.figures.write_energy = kInfinite;
  out.figures.leakage = kInfinite;
  return out;
}

}  // namespace

OutputDriver size_output_driver(const DeviceModel& d, const OutputDriverSpec& spec) {
  // Width the last stage needs to sink the required current.
  const double current_width = std::max(d.min_width(), spec.min_driver_current / d.on_current_n);
  if (current_width > d.max_nmos_width)
    return invalid_driver(spec, "driver current needs an NMOS wider than MaxNmosSize");

  OutputDriver out;
  out.valid = true;
  out.load_cap = spec.output_cap;
  out.load_resistance = spec.output_resistance;
  const int inverse = spec.inverse ? 1 : 0;
  BufferStyle style = spec.style;

  if (style == BufferStyle::latency) {
    const double path_effort = std::max(1.0, spec.logical_effort * spec.output_cap / spec.input_cap);
    int n = stage_count(path_effort);
    if ((n % 2) ^ inverse) ++n;          // an inverting chain gets an odd number of stages
    n = std::min(n, kMaxInverterChain);  // NVSim clamps after the parity fix, so 20 stages is possible
    out.stages = n;
    double f = std::pow(path_effort, 1.0 / (n + 1));
    if (n > 0) {
      const int last = n - 1;
      out.width_n[last] =
          std::max(d.min_width(), spec.output_cap / f / d.cap_gate_per_width() / (1.0 + d.pn_size_ratio));
      if (out.width_n[last] > d.max_nmos_width) {
        // Clamp the last stage and spread the effort of the gate in front over the chain again.
        out.width_n[last] = d.max_nmos_width;
        const double last_cap = gate_cap(d, (1.0 + d.pn_size_ratio) * d.max_nmos_width);
        f = std::pow(spec.logical_effort * last_cap / spec.input_cap, 1.0 / n);
      }
      if (out.width_n[last] < current_width) {
        style = BufferStyle::balance;  // the load-sized stage cannot sink the current
      } else {
        out.width_p[last] = out.width_n[last] * d.pn_size_ratio;
        size_backwards(d, out, last, f);
      }
    }
  }

  if (style == BufferStyle::balance) {
    const double last_cap = gate_cap(d, current_width) * (1.0 + d.pn_size_ratio);
    const double path_effort = std::max(1.0, spec.logical_effort * last_cap / spec.input_cap);
    int n = stage_count(path_effort);
    if (!((n % 2) ^ inverse)) ++n;  // the fixed last stage comes on top: make the sized part even
    n = std::min(n, kMaxInverterChain);
    out.stages = n + 1;
    out.width_n[n] = current_width;
    out.width_p[n] = current_width * d.pn_size_ratio;
    size_backwards(d, out, n, std::pow(path_effort, 1.0 / (n + 1)));
  } else if (style == BufferStyle::area) {
    out.stages = 1;
    out.width_n[0] = current_width;  // AREA_OPT_CONSTRAIN = 1: already checked against MaxNmosSize
    out.width_p[0] = current_width * d.pn_size_ratio;
  }

  // Footprint (40F regions, side by side), capacitances (20F regions), energy and leakage.
  BlockFigures& fig = out.figures;
  const double region_cap = kMaxTransistorHeightF * d.feature_size;
  const double region_area = kAreaRegionF * d.feature_size;
  const double vdd2 = d.vdd * d.vdd;
  for (int i = 0; i < out.stages; ++i) {
    const Footprint fp = gate_area(d, Gate::inv, 1, out.width_n[i], out.width_p[i], region_area);
    fig.height = std::max(fig.height, fp.height);
    fig.width += fp.width;
    const GateCaps caps = gate_caps(d, Gate::inv, 1, out.width_n[i], out.width_p[i], region_cap);
    out.cap_in[i] = caps.input;
    out.cap_out[i] = caps.output;
    fig.leakage += gate_leakage(d, Gate::inv, 1, out.width_n[i], out.width_p[i]) * d.vdd;
  }
  out.input_cap = out.stages > 0 ? out.cap_in[0] : 0.0;
  if (out.stages > 0) {
    for (int i = 0; i + 1 < out.stages; ++i) fig.read_energy += (out.cap_out[i] + out.cap_in[i + 1]) * vdd2;
    fig.read_energy += (out.cap_out[out.stages - 1] + spec.output_cap) * vdd2;
  }
  fig.write_energy = fig.read_energy;
  return out;
}

Delay output_driver_delay(const DeviceModel& d, const OutputDriver& driver, double ramp_in) {
  if (!driver.valid) return Delay{kInfinite, kStepRamp};
  // A non-inverting chain can size to zero stages; NVSim would read outside its arrays there.
  if (driver.stages == 0) return Delay{0.0, ramp_in};
  Delay total{0.0, ramp_in};
  for (int i = 0; i < driver.stages; ++i) {
    const bool last = i == driver.stages - 1;
    const double r = on_resistance(d, driver.width_n[i], Channel::nmos);
    const double gm = transconductance(d, driver.width_n[i], Channel::nmos);
    const double tau = last ? r * (driver.cap_out[i] + driver.load_cap) + driver.load_cap * driver.load_resistance / 2.0
                            : r * (driver.cap_out[i] + driver.cap_in[i + 1]);
    const Delay stage = horowitz(tau, 1.0 / (r * gm), total.ramp_out);
    total.latency += stage.latency;
    total.ramp_out = stage.ramp_out;
  }
  return total;
}

Delay nand_and_driver_delay(const DeviceModel& d, int nand_inputs, double nand_width_n, double nand_output_cap,
                            const OutputDriver& driver, double ramp_in) {
  if (nand_inputs == 0) return output_driver_delay(d, driver, ramp_in);
  const double r = on_resistance(d, nand_width_n, Channel::nmos) * nand_inputs;  // series stack
  const double gm = transconductance(d, nand_width_n, Channel::nmos);
  const Delay nand = horowitz(r * (nand_output_cap + driver.input_cap), 1.0 / (r * gm), ramp_in);
  Delay chain = output_driver_delay(d, driver, nand.ramp_out);
  chain.latency += nand.latency;
  return chain;
}

}  // namespace deepnvm::circuit
