// SPDX-License-Identifier: MIT
#pragma once

// Fitted PE models: the figures of characterize.h (area, leakage, critical path, energy per MAC) as
// functions of the PE's widths, per PE kind and overflow rule, fitted once on synthesized designs so
// that exploring needs no synthesis. The coefficients live in a data file (`kind: pe_models`,
// data/accel/) with the flow, node and held-out errors that produced them.
//
// Each figure uses one basis of a small set, chosen per figure by 4-fold cross-validation on the
// training designs (the held-out designs only measure the result). a = act_bits, w = weight_bits
// (LightPE: exponent bits), la = log2 a, lw = log2 w; "linear" bases fit y = sum c_i f_i in
// relative error, "log" bases fit ln y = sum c_i f_i (a power law with interactions):
// - int:    poly2 (linear: 1, a·w, a, w, a², w²); logpoly2 (log: 1, la, lw, la·lw, la², lw²);
//           logpoly1 (log: 1, la, lw, la·lw); depth (linear: 1, la, lw, log2(a + w): the logic
//           depth of a partial-product tree and a parallel-prefix adder);
// - light1, light2: shifter (linear: 1, w·a, w·2^w, a, 2^w: a log shifter of w stages over
//           a + 2^w - 1 bits); shifter_adder (linear: 1, w·a, w·2^w, s·log2 s with s = a + 2^w:
//           the shifters and a parallel-prefix adder over s bits); logpoly2 (log: 1, la, w, la·w,
//           la², w²); logpoly1 (log: 1, la, w, la·w).
// The accumulator is the template's (template_acc_bits: product + 8 bits), so it is not a variable.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "deepnvm/accel/characterize.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"

namespace deepnvm::accel {

/// One figure's fit: its basis (see above), coefficients, and relative errors on held-out designs.
struct FigureFit {
  std::string basis;
  std::vector<double> coefficients;
  double mean_error = 0.0, max_error = 0.0;
  static const Schema<FigureFit>& schema();
};

struct PeModelFit {
  std::string kind;      ///< int, light1 or light2
  std::string overflow;  ///< wrap or saturate
  std::int64_t samples = 0, held_out = 0;
  FigureFit area, leakage, critical_path, energy_per_mac;
  static const Schema<PeModelFit>& schema();
};

struct PeModels {
  std::string source;
  double node = 0.0;
  std::string roadmap;
  double temperature = 0.0;
  std::string tool;
  std::vector<PeModelFit> models;
  static const Schema<PeModels>& schema();
  /// The fit for `pe`'s kind and overflow rule; ModelError naming the known ones otherwise.
  const PeModelFit& find(const PeSpec& pe) const;
};

/// Strict loader of a `kind: pe_models` file: ConfigError with file, line and key.
PeModels load_pe_models(const std::filesystem::path& path);

std::string kind_name(PeKind kind);

/// The bases a figure of `kind` may use (names as in the header comment).
std::vector<std::string> pe_bases(PeKind kind);

/// Coefficients of `basis` for `kind` (0 for a basis the kind does not have).
std::size_t basis_size(PeKind kind, const std::string& basis);

/// A figure's value for `pe` under a fit (ModelError for a basis the kind does not have).
double evaluate_fit(const FigureFit& fit, const PeSpec& pe);

/// A PE's figures from a fit (no synthesis): area, leakage, critical path and energy per MAC.
struct PeEstimate {
  double area = 0.0, leakage = 0.0, critical_path = 0.0, energy_per_mac = 0.0;
};
PeEstimate predict(const PeModelFit& fit, const PeSpec& pe);

/// @brief Which quarter (0..3) design `index` of a grid falls in: floor(4 frac(index φ)), the
/// golden-ratio sequence, which spreads the quarters over the grid without aliasing with its loops
/// (every fourth design in grid order would be the largest exponent of every LightPE activation).
/// The cross-validation folds are these quarters of the training designs.
std::size_t spread_quarter(std::size_t index);

/// Whether `deepnvm accel fit` holds design `index` of a grid out of the fit: quarter 3.
bool is_held_out(std::size_t index);

/// A characterized design: its spec and figures.
using PeSample = std::pair<PeSpec, PeFigures>;

/// @brief Fits every figure on `train`: for each basis, least squares (relative error for linear
/// bases, on ln y for log ones); the basis with the lowest mean relative error in 4-fold
/// cross-validation on `train` (folds: spread_quarter of the training index) is refitted on all of it. Mean and max
/// relative errors on `held_out`. All samples must share `train`'s kind and overflow rule; ModelError if a basis has
/// more coefficients than a fold has designs.
PeModelFit fit_pe_model(const std::vector<PeSample>& train, const std::vector<PeSample>& held_out);

/// The sweep `deepnvm accel fit` characterizes for one kind: activations 4..16 bits, int weights
/// 4..16 bits, LightPE exponents 1..4 bits, each with the template's accumulator.
std::vector<PeSpec> fit_grid(PeKind kind, Overflow overflow);

/// One design of a fit run: its spec, figures, and whether it was held out.
struct FitDesign {
  PeSpec pe;
  PeFigures figures;
  bool held_out = false;
};

/// @brief The designs `deepnvm accel fit` fits on: every design of fit_grid() for int, light1 and
/// light2 (with `overflow`), synthesized with yosys in a scratch folder of its own (removed
/// afterwards), characterized with `library` on `stream`, and marked by is_held_out().
/// `on_design` (if given) is called after each design (a progress bar).
std::vector<FitDesign> characterize_fit_grid(
    const GateLibrary& library, Overflow overflow, const OperandStream& stream,
    const std::function<void(std::size_t done, std::size_t total)>& on_design = {});

/// @brief fit_pe_model() per PE kind of `designs`, in the order the kinds first appear.
std::vector<PeModelFit> fit_pe_models(const std::vector<FitDesign>& designs);

/// The designs of a fit run as CSV, one row each (what `deepnvm accel fit --samples` writes).
std::string designs_csv(const std::vector<FitDesign>& designs);

/// The `kind: pe_models` YAML of `models` (what `deepnvm accel fit --out` writes).
std::string to_yaml(const PeModels& models);

/// Adds `pe_models` to the input kinds (deepnvm schema / check).
void register_builtin_accel(Registry<InputKind>& kinds);

}  // namespace deepnvm::accel
