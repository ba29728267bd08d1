// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// @brief A ferroelectric FET cell: one transistor whose threshold is set by the polarization of
/// its ferroelectric gate layer — low (programmed) or high (erased), a memory window apart. It is
/// read as a transistor (drain current at a read gate voltage between the two thresholds) and
/// written by gate voltage pulses that reverse the polarization. Equations: docs/models/cells.md.
struct FefetSpec {
  std::string name, source;
  std::optional<double> node;
  std::optional<double> area_f2, area;  // exactly one
  double aspect_ratio = 1.0;
  double width_f = 0.0;  // channel width in F; length is the node's gate length
  std::string flavour = "hp";
  std::optional<double> low_threshold;      // V; default: the node device's threshold
  double memory_window = 0.0;               // V_th,high - V_th,low
  std::optional<double> read_gate_voltage;  // default: the middle of the window
  double read_drain_voltage = 0.0;
  double slope_factor = 1.3;   // subthreshold slope factor n
  double write_voltage = 0.0;  // |V_G| of program (+) and erase (-) pulses
  double write_pulse = 0.0;
  double remanent_polarization = 0.0;  // P_r, C/m^2
  double ferroelectric_thickness = 0.0;
  double ferroelectric_permittivity = 0.0;  // relative

  static const Schema<FefetSpec>& schema();
};

/// EKV drain current, valid from weak to strong inversion (Enz, Krummenacher, Vittoz, Analog Integr.
/// Circ. Sig. Process. 8, 83 (1995)), source grounded:
/// I = 2 n mu C_ox (W/L) V_T^2 [ln^2(1 + e^{(V_G - V_th)/(2 n V_T)}) - ln^2(1 + e^{(V_G - V_th - n V_D)/(2 n V_T)})].
double ekv_drain_current(double mobility, double oxide_cap, double width, double length, double threshold,
                         double gate_voltage, double drain_voltage, double slope_factor, double temperature);

class FefetCell final : public Cell {
 public:
  explicit FefetCell(FefetSpec spec) : spec_(std::move(spec)) {}
  CellFigures characterize(const CellContext& context) const override;
  std::optional<double> own_node() const override { return spec_.node; }

 private:
  FefetSpec spec_;
};

}  // namespace deepnvm
