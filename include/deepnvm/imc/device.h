// SPDX-License-Identifier: MIT
#pragma once

// An emerging-memory device as an analog weight (docs/models/imc.md §1-2): its conductance range, read
// conditions and fluctuations, from a cited data file (`kind: imc_device`, data/imc/). Every noise term
// is optional (0 = off):
// - per read, independent per cell: additive σ_a (S), proportional σ_p (relative) and shot-like
//   (Var = c·G), so Var Ĝ = σ_a² + σ_p²·G² + c·G;
// - random telegraph noise: a two-state trap per cell; occupied, it lowers G by the relative
//   `amplitude`; capture and emission rates set its occupancy c/(c + e) and its correlation time
//   1/(c + e);
// - programming: log-normal spread, Ĝ = G·exp(σ·ε), once per programming (per cell per seed);
// - drift: G(t) = G·(t/t0)^-ν with ν ~ N(ν, σ_ν) per cell, at the evaluation time t.

#include <filesystem>
#include <string>

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"

namespace deepnvm::imc {

struct RtnNoise {
  double amplitude = 0.0;      ///< relative drop of G while the trap is occupied
  double capture_rate = 0.0;   ///< 1/s, empty -> occupied
  double emission_rate = 0.0;  ///< 1/s, occupied -> empty
  double occupancy() const {
    return capture_rate + emission_rate > 0 ? capture_rate / (capture_rate + emission_rate) : 0;
  }
  static const Schema<RtnNoise>& schema();
};

struct DriftNoise {
  double nu = 0.0, nu_sigma = 0.0;  ///< drift exponent, mean and spread per cell
  double t0 = 1.0;                  ///< s, reference time after programming
  double time = 0.0;                ///< s, evaluation time (0: no drift)
  bool compensated = true;          ///< outputs rescaled by the mean drift factor (global compensation)
  static const Schema<DriftNoise>& schema();
};

struct ImcDevice {
  std::string name, source;
  double g_min = 0.0, g_max = 0.0;  ///< S
  double read_voltage = 0.0;        ///< V, full-scale input
  double read_time = 0.0;           ///< s per read
  double additive = 0.0;            ///< S per read
  double proportional = 0.0;        ///< relative, per read
  double shot = 0.0;                ///< S: Var Ĝ = shot·G per read
  RtnNoise rtn;
  double programming = 0.0;  ///< σ of ln G
  DriftNoise drift;
  static const Schema<ImcDevice>& schema();

  /// Variance of one read of a cell of conductance g from the independent per-read terms.
  double read_variance(double g) const { return additive * additive + proportional * proportional * g * g + shot * g; }
};

/// Strict loader (`kind: imc_device`): ConfigError with file, line and key.
ImcDevice load_imc_device(const std::filesystem::path& path);

void register_builtin_imc(Registry<InputKind>& kinds);

}  // namespace deepnvm::imc
