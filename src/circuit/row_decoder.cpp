// SPDX-License-Identifier: MIT
#include "deepnvm/circuit/row_decoder.h"

#include <algorithm>

namespace deepnvm::circuit {
namespace {

constexpr double kAreaRegionF = 40.0;  // layout region of peripheral gates (caps use 20F, quirk Q17)

}  // namespace

RowDecoder size_row_decoder(const DeviceModel& d, const RowDecoderSpec& spec) {
  RowDecoder out;
  out.rows = spec.rows;
  // Up to 8 rows the predecoded line drives the wordline driver directly; more rows need a NAND of
  // two predecoded lines. Way selection adds one NAND input in either case.
  if (spec.rows <= 8)
    out.nand_inputs = spec.way_select ? 2 : 0;
  else
    out.nand_inputs = spec.way_select ? 3 : 2;

  const double w_min = d.min_width();
  OutputDriverSpec drv;
  drv.output_cap = spec.load_cap;
  drv.output_resistance = spec.load_resistance;
  drv.inverse = true;
  drv.style = spec.style;
  drv.min_driver_current = spec.min_driver_current;
  if (out.nand_inputs > 0) {
    const int k = out.nand_inputs;
    out.nand_width_n = k * w_min;
    out.nand_width_p = d.pn_size_ratio * w_min;
    drv.logical_effort = (k + d.pn_size_ratio) / (1.0 + d.pn_size_ratio);
  } else {
    // The driver is fed by a minimum inverter's worth of input capacitance.
    out.nand_width_n = w_min;
    out.nand_width_p = d.pn_size_ratio * w_min;
    drv.logical_effort = 1.0;
  }
  drv.input_cap = gate_cap(d, out.nand_width_n) + gate_cap(d, out.nand_width_p);
  out.driver = size_output_driver(d, drv);
  if (!out.driver.valid) {
    out.valid = false;
    out.invalid_reason = out.driver.invalid_reason;
    out.figures = out.driver.figures;
    return out;
  }
  out.valid = true;

  const double vdd2 = d.vdd * d.vdd;
  const BlockFigures& dfig = out.driver.figures;
  BlockFigures& fig = out.figures;
  if (out.nand_inputs == 0) {
    fig.height = dfig.height;
    fig.width = dfig.width;
    fig.leakage = dfig.leakage;
    fig.read_energy = dfig.read_energy;
  } else {
    const GateCaps caps = gate_caps(d, Gate::nand, out.nand_inputs, out.nand_width_n, out.nand_width_p,
                                    kMaxTransistorHeightF * d.feature_size);
    out.nand_input_cap = caps.input;
    out.nand_output_cap = caps.output;
    const Footprint nand =
        gate_area(d, Gate::nand, out.nand_inputs, out.nand_width_n, out.nand_width_p, kAreaRegionF * d.feature_size);
    fig.height = std::max(nand.height, dfig.height);
    fig.width = nand.width + dfig.width;
    fig.leakage =
        dfig.leakage + gate_leakage(d, Gate::nand, out.nand_inputs, out.nand_width_n, out.nand_width_p) * d.vdd;
    fig.read_energy = (out.nand_output_cap + out.driver.input_cap) * vdd2 + dfig.read_energy;  // one row
  }
  fig.height *= spec.rows;
  fig.leakage *= spec.rows;
  fig.write_energy = fig.read_energy;
  return out;
}

Delay row_decoder_delay(const DeviceModel& d, const RowDecoder& decoder, double ramp_in) {
  if (!decoder.valid) return Delay{kInfinite, kStepRamp};
  return nand_and_driver_delay(d, decoder.nand_inputs, decoder.nand_width_n, decoder.nand_output_cap, decoder.driver,
                               ramp_in);
}

}  // namespace deepnvm::circuit
