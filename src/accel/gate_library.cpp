// SPDX-License-Identifier: MIT
#include "deepnvm/accel/gate_library.h"

#include <algorithm>

namespace deepnvm::accel {

GateLibrary gate_library(const circuit::DeviceModel& d) {
  using circuit::Channel;
  using circuit::Gate;
  GateLibrary lib;
  lib.vdd = d.vdd;
  lib.feature_size = d.feature_size;
  const double region = circuit::kMaxTransistorHeightF * d.feature_size;
  const double wn = d.min_width(), wp = d.pn_size_ratio * d.min_width();
  const auto make = [&](GateKind kind, Gate gate, int inputs, int series_n, int series_p) {
    LibraryGate g;
    g.kind = kind;
    g.inputs = inputs;
    g.width_n = wn * series_n;
    g.width_p = wp * series_p;
    g.area = circuit::gate_area(d, gate, inputs, g.width_n, g.width_p, region).area();
    const circuit::GateCaps caps = circuit::gate_caps(d, gate, inputs, g.width_n, g.width_p, region);
    g.input_cap = caps.input;
    g.output_cap = caps.output;
    g.leakage = circuit::gate_leakage(d, gate, inputs, g.width_n, g.width_p) * d.vdd;
    g.resistance = std::max(series_n * circuit::on_resistance(d, g.width_n, Channel::nmos),
                            series_p * circuit::on_resistance(d, g.width_p, Channel::pmos));
    g.transconductance = circuit::transconductance(d, g.width_n, Channel::nmos);
    lib.gates[static_cast<std::size_t>(kind)] = g;
  };
  make(GateKind::inv, Gate::inv, 1, 1, 1);
  make(GateKind::nand2, Gate::nand, 2, 2, 1);  // two nMOS in series, two pMOS in parallel
  make(GateKind::nor2, Gate::nor, 2, 1, 2);    // two pMOS in series, two nMOS in parallel
  return lib;
}

}  // namespace deepnvm::accel
