// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/basic_decoder.h"

#include <algorithm>

namespace deepnvm::circuit {
namespace {

constexpr double kAreaRegionF = 40.0;  // layout region of peripheral gates (caps use 20F, quirk Q17)

}  // namespace

BasicDecoder size_basic_decoder(const DeviceModel& d, const BasicDecoderSpec& spec) {
  BasicDecoder out;
  out.valid = true;
  const double w_min = d.min_width();
  OutputDriverSpec drv;
  drv.output_cap = spec.load_cap;
  drv.output_resistance = spec.load_resistance;
  drv.inverse = true;
  drv.style = BufferStyle::latency;  // basic decoders are always latency-first, with no current demand
  drv.min_driver_current = 0.0;

  if (spec.address_bits <= 1) {
    // 1->2: the address bit and its complement, each through an inverter chain fed by a min inverter.
    out.nand_inputs = 0;
    out.nand_gates = 0;
    drv.logical_effort = 1.0;
    drv.input_cap = gate_cap(d, w_min) + gate_cap(d, d.pn_size_ratio * w_min);
  } else {
    const int k = spec.address_bits == 2 ? 2 : 3;
    out.nand_inputs = k;
    out.nand_gates = k == 2 ? 4 : 8;
    out.nand_width_n = k * w_min;  // series stack sized up by its length
    out.nand_width_p = d.pn_size_ratio * w_min;
    drv.logical_effort = (k + d.pn_size_ratio) / (1.0 + d.pn_size_ratio);
    drv.input_cap = gate_cap(d, out.nand_width_n) + gate_cap(d, out.nand_width_p);
    const GateCaps caps =
        gate_caps(d, Gate::nand, k, out.nand_width_n, out.nand_width_p, kMaxTransistorHeightF * d.feature_size);
    out.nand_input_cap = caps.input;
    out.nand_output_cap = caps.output;
  }
  out.driver = size_output_driver(d, drv);
  if (!out.driver.valid) {
    out.valid = false;
    out.figures = out.driver.figures;
    return out;
  }

  const double vdd2 = d.vdd * d.vdd;
  BlockFigures& fig = out.figures;
  const BlockFigures& dfig = out.driver.figures;
  if (out.nand_inputs == 0) {
    fig.height = 2.0 * dfig.height;
    fig.width = dfig.width;
    fig.leakage = 2.0 * dfig.leakage;
    // The first stage's own input and output are charged on top of the chain's energy.
    fig.read_energy = (out.driver.cap_in[0] + out.driver.cap_out[0]) * vdd2 + dfig.read_energy;
  } else {
    const Footprint nand =
        gate_area(d, Gate::nand, out.nand_inputs, out.nand_width_n, out.nand_width_p, kAreaRegionF * d.feature_size);
    fig.height = std::max(nand.height, dfig.height) * out.nand_gates;
    fig.width = nand.width + dfig.width;
    fig.leakage =
        (gate_leakage(d, Gate::nand, out.nand_inputs, out.nand_width_n, out.nand_width_p) * d.vdd + dfig.leakage) *
        out.nand_gates;
    // One output switches per access.
    fig.read_energy = (out.nand_output_cap + out.driver.input_cap) * vdd2 + dfig.read_energy;
  }
  fig.write_energy = fig.read_energy;
  return out;
}

Delay basic_decoder_delay(const DeviceModel& d, const BasicDecoder& decoder, double ramp_in) {
  if (!decoder.valid) return Delay{kInfinite, kStepRamp};
  return nand_and_driver_delay(d, decoder.nand_inputs, decoder.nand_width_n, decoder.nand_output_cap, decoder.driver,
                               ramp_in);
}

}  // namespace deepnvm::circuit
