// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// @brief Six-transistor SRAM cell: area from the layout (given in F^2, or absolutely where F^2
/// misleads, at FinFET nodes), leakage from the transistor widths and the node's off-currents.
struct SramSpec {
  std::string name;
  std::optional<double> node;
  std::optional<double> area_f2;  // planar convention (NVSim/CACTI: 146 F^2)
  std::optional<double> area;     // absolute, m^2 (TSMC 16FF HD: 0.07 um^2)
  double aspect_ratio = 1.46;
  double access_width_f = 1.31, nmos_width_f = 2.08, pmos_width_f = 1.23;  // in F (CACTI/NVSim defaults)
  std::string flavour = "hp";                                              // device flavour of the node the cell uses
  double min_sense_voltage = 0.08;
  std::string source;
  std::optional<int> process_node_nm;     // NVSim files only
  std::vector<std::string> ignored_keys;  // NVSim files only

  static const Schema<SramSpec>& schema();
};

/// Standby leakage of a 6T cell with both bitlines precharged to Vdd: one pull-down and one
/// access NMOS and one pull-up PMOS are off with Vdd across them, so
/// P = Vdd [I_off,n (W_pd + W_acc) + I_off,p W_pu] (docs/models/cells.md, "SRAM leakage").
double sram_cell_leakage(const Device& device, double temperature, double access_width, double nmos_width,
                         double pmos_width);

class SramCell final : public Cell {
 public:
  explicit SramCell(SramSpec spec);
  CellFigures characterize(const CellContext& context) const override;
  std::optional<double> own_node() const override {
    return spec_.node              ? spec_.node
           : spec_.process_node_nm ? std::optional<double>(*spec_.process_node_nm * 1e-9)
                                   : std::nullopt;
  }
  const SramSpec& spec() const { return spec_; }

 private:
  SramSpec spec_;
};

}  // namespace deepnvm
