// SPDX-License-Identifier: MIT
#pragma once

// STT-MRAM (1T-1MTJ) and SOT-MRAM (2T-1MTJ) cells characterized from device physics. The blocks
// below are shared: the MTJ, the access transistor(s) and the layout rule that turns transistor
// sizes into cell area. Equations and sources: docs/models/cells.md.

#include <optional>
#include <string>

#include "deepnvm/cell/cell.h"
#include "deepnvm/cell/mtj.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

/// The magnetic tunnel junction. Give R_P as `ra_product` (with `diameter`) or as `r_p`, and the
/// critical current as `critical_current`, `critical_current_density` or, for the macrospin
/// estimate, `efficiency` with `damping`.
struct MtjSpec {
  double diameter = 0.0;
  std::optional<double> ra_product, r_p;
  double tmr = 0.0;                // TMR at zero bias, (R_AP - R_P) / R_P
  double tmr_half_bias = 0.5;      // V_h, V
  double thermal_stability = 0.0;  // Delta at reference_temperature
  double reference_temperature = 300.0;
  double attempt_time = 1e-9;                                        // tau0
  std::optional<double> critical_current, critical_current_density;  // I_c0 or J_c0 (STT)
  std::optional<double> damping, efficiency;                         // alpha, eta
  std::optional<double> anisotropy_field;                            // mu0 H_k,eff, T
  std::string source;

  static const Schema<MtjSpec>& schema();
  /// The STT switching parameters at `temperature`, if the file gives enough to know I_c0.
  std::optional<mtj::SwitchingParameters> switching(double temperature) const;
  double parallel_resistance() const;
};

/// How the access transistors drive current. Planar nodes take I_on per width from the node; at
/// FinFET nodes the drive per fin is either given here or the node's per-width current times the
/// fin's effective width (the NS-Cache convention, array-model note §3.8).
struct AccessSpec {
  std::string flavour = "hp";
  double derating = 0.6;                      // k_deg: in-cell bias vs nominal I_on
  std::optional<double> on_current_per_fin;   // A, FinFET (overrides the node's table)
  std::optional<double> off_current_per_fin;  // A, FinFET (overrides the node's table)
  std::optional<double> fin_effective_width;  // 2 H_fin + W_fin: per-width node currents -> per fin
  double standby_bias = 0.0;                  // V across the access device in standby
  std::string source;

  static const Schema<AccessSpec>& schema();
};

/// Cell outline from transistor sizes (cells note §3.1 step 4): height = gate_pitches_high x CPP;
/// FinFET width = (fins + extra_fins) x fin pitch x (1 + routing_overhead); planar, in F,
/// height_f and width = W/F + spacing_f.
struct LayoutSpec {
  std::optional<double> gate_pitch, fin_pitch;
  double gate_pitches_high = 2.0;
  double extra_fins = 1.0;
  double routing_overhead = 0.0;
  std::optional<double> planar_height_f, planar_spacing_f;
  std::string source;

  static const Schema<LayoutSpec>& schema();
};

struct SttMramSpec {
  std::string name, source;
  MtjSpec mtj;
  double write_pulse = 0.0;
  double write_margin = 0.3;  // I_w = I_c(t_p) (1 + margin), for the target WER
  double read_voltage = 0.0;
  double read_time = 2e-9;
  AccessSpec access;
  LayoutSpec layout;

  static const Schema<SttMramSpec>& schema();
};

struct HeavyMetalSpec {
  double spin_hall_angle = 0.0;
  double resistivity = 0.0;
  double width = 0.0, thickness = 0.0, length = 0.0;
  std::string source;
  static const Schema<HeavyMetalSpec>& schema();
};

struct FreeLayerSpec {
  std::string orientation;     // "perpendicular" or "in_plane"
  double magnetization = 0.0;  // M_s, A/m
  double thickness = 0.0;
  double anisotropy_field = 0.0;                  // mu0 H_K,eff (perpendicular) or mu0 H_k (in-plane), T
  std::optional<double> in_plane_field;           // mu0 H_x, T (perpendicular)
  std::optional<double> damping;                  // alpha (in-plane)
  std::optional<double> effective_magnetization;  // mu0 M_eff, T (in-plane)
  std::string source;
  static const Schema<FreeLayerSpec>& schema();
};

struct SotMramSpec {
  std::string name, source;
  MtjSpec mtj;  // the read junction
  HeavyMetalSpec heavy_metal;
  FreeLayerSpec free_layer;
  double write_pulse = 0.0;
  double write_margin = 0.3;
  double read_voltage = 0.0;
  double read_time = 2e-9;
  AccessSpec access;
  LayoutSpec layout;

  static const Schema<SotMramSpec>& schema();
};

/// SOT threshold current I_c = J_c w_HM t_HM for the spec's free layer (cells note §2.2).
double sot_critical_current(const SotMramSpec& spec);

class SttMramCell final : public Cell {
 public:
  explicit SttMramCell(SttMramSpec spec) : spec_(std::move(spec)) {}
  CellFigures characterize(const CellContext& context) const override;
  const SttMramSpec& spec() const { return spec_; }

 private:
  SttMramSpec spec_;
};

class SotMramCell final : public Cell {
 public:
  explicit SotMramCell(SotMramSpec spec) : spec_(std::move(spec)) {}
  CellFigures characterize(const CellContext& context) const override;
  const SotMramSpec& spec() const { return spec_; }

 private:
  SotMramSpec spec_;
};

}  // namespace deepnvm
