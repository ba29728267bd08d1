// SPDX-License-Identifier: MIT
#include "deepnvm/accel/pe_model.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <Eigen/Dense>

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"

namespace deepnvm::accel {

const Schema<FigureFit>& FigureFit::schema() {
  static const Schema<FigureFit> s = [] {
    Schema<FigureFit> s("figure fit", "One fitted figure: basis, coefficients, held-out errors.");
    s.field("basis", &FigureFit::basis)
        .one_of({"poly2", "logpoly2", "logpoly1", "depth", "shifter", "shifter_adder"})
        .desc("The basis (include/deepnvm/accel/pe_model.h).");
    s.field("coefficients", &FigureFit::coefficients).desc("One per basis function.");
    s.field("mean_error", &FigureFit::mean_error).min(0).desc("Mean relative error on the held-out designs.");
    s.field("max_error", &FigureFit::max_error).min(0).desc("Largest relative error on the held-out designs.");
    return s;
  }();
  return s;
}

const Schema<PeModelFit>& PeModelFit::schema() {
  static const Schema<PeModelFit> s = [] {
    Schema<PeModelFit> s("pe model fit", "The fitted figures of one PE kind and overflow rule.");
    s.field("kind", &PeModelFit::kind).one_of({"int", "light1", "light2"}).desc("PE kind.");
    s.field("overflow", &PeModelFit::overflow).one_of({"wrap", "saturate"}).desc("Accumulator overflow rule.");
    s.field("samples", &PeModelFit::samples).min(1).desc("Designs the coefficients were fitted on.");
    s.field("held_out", &PeModelFit::held_out).min(0).desc("Designs kept out of the fit to measure its error.");
    s.field("area", &PeModelFit::area).desc("Gate area, m^2.");
    s.field("leakage", &PeModelFit::leakage).desc("Leakage power, W.");
    s.field("critical_path", &PeModelFit::critical_path).desc("Critical path, s.");
    s.field("energy_per_mac", &PeModelFit::energy_per_mac).desc("Dynamic energy per MAC, J.");
    s.check([](const PeModelFit& m, const ConfigNode& node) {
      const PeKind kind = m.kind == "int" ? PeKind::int_mac : m.kind == "light1" ? PeKind::light1 : PeKind::light2;
      const std::vector<std::string> bases = pe_bases(kind);
      for (const FigureFit* f : {&m.area, &m.leakage, &m.critical_path, &m.energy_per_mac}) {
        if (std::find(bases.begin(), bases.end(), f->basis) == bases.end())
          throw ConfigError(node.location(), "basis", "basis {} is not one of kind {}'s: {}", f->basis, m.kind,
                            fmt::join(bases, ", "));
        if (f->coefficients.size() != basis_size(kind, f->basis))
          throw ConfigError(node.location(), "coefficients", "expected {} coefficients for basis {}, got {}",
                            basis_size(kind, f->basis), f->basis, f->coefficients.size());
      }
    });
    return s;
  }();
  return s;
}

const Schema<PeModels>& PeModels::schema() {
  static const Schema<PeModels> s = [] {
    Schema<PeModels> s("pe_models", "Fitted PE figures (deepnvm accel fit) with the flow and node that produced them.");
    s.allow_key("kind");
    s.field("source", &PeModels::source).desc("How the fit was made (command, tools, samples).");
    s.field("node", &PeModels::node).unit(dim::length).greater_than(0).desc("Technology node of the gate library.");
    s.field("roadmap", &PeModels::roadmap).desc("Device flavour of the gate library.");
    s.field("temperature", &PeModels::temperature).unit(dim::temperature).greater_than(0).desc("Temperature.");
    s.field("tool", &PeModels::tool).desc("Synthesis tool and version.");
    s.field("models", &PeModels::models).desc("One fit per PE kind and overflow rule.");
    return s;
  }();
  return s;
}

std::string kind_name(PeKind kind) {
  switch (kind) {
    case PeKind::int_mac:
      return "int";
    case PeKind::light1:
      return "light1";
    case PeKind::light2:
      return "light2";
  }
  return "int";
}

const PeModelFit& PeModels::find(const PeSpec& pe) const {
  for (const PeModelFit& m : models)
    if (m.kind == kind_name(pe.kind) && m.overflow == overflow_name(pe.overflow)) return m;
  std::vector<std::string> known;
  for (const PeModelFit& m : models) known.push_back(m.kind + "/" + m.overflow);
  throw ModelError("no fitted PE model for {}/{}; the file has {} (fit one with deepnvm accel fit)", kind_name(pe.kind),
                   overflow_name(pe.overflow), fmt::join(known, ", "));
}

PeModels load_pe_models(const std::filesystem::path& path) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "pe_models")
    throw ConfigError(root.location(), "kind", "expected 'kind: pe_models' in a fitted PE model file");
  return PeModels::schema().parse(root);
}

std::vector<std::string> pe_bases(PeKind kind) {
  if (kind == PeKind::int_mac) return {"poly2", "logpoly2", "logpoly1", "depth"};
  return {"shifter", "shifter_adder", "logpoly2", "logpoly1"};
}

namespace {

bool log_basis(const std::string& basis) { return basis.starts_with("log"); }

// The basis functions of `basis` for `pe` (see pe_model.h); empty for an unknown name.
std::vector<double> basis_functions(const std::string& basis, const PeSpec& pe) {
  const double a = pe.act_bits, w = pe.weight_bits, la = std::log2(a);
  const bool light = pe.kind != PeKind::int_mac;
  const double lw = light ? w : std::log2(w);  // LightPE exponents enter linearly: the shift is 2^w
  if (basis == "logpoly2") return {1.0, la, lw, la * lw, la * la, lw * lw};
  if (basis == "logpoly1") return {1.0, la, lw, la * lw};
  if (basis == "poly2" && !light) return {1.0, a * w, a, w, a * a, w * w};
  if (basis == "depth" && !light) return {1.0, la, lw, std::log2(a + w)};
  if (basis == "shifter" && light) {
    const double range = std::ldexp(1.0, pe.weight_bits);
    return {1.0, w * a, w * range, a, range};
  }
  if (basis == "shifter_adder" && light) {
    const double range = std::ldexp(1.0, pe.weight_bits), span = a + range;
    return {1.0, w * a, w * range, span * std::log2(span)};
  }
  return {};
}

double dot(const std::vector<double>& c, const std::vector<double>& f) {
  double y = 0.0;
  for (std::size_t i = 0; i < c.size(); ++i) y += c[i] * f[i];
  return y;
}

}  // namespace

std::size_t basis_size(PeKind kind, const std::string& basis) {
  PeSpec probe;
  probe.kind = kind;
  probe.act_bits = 8;
  probe.weight_bits = 2;
  return basis_functions(basis, probe).size();
}

double evaluate_fit(const FigureFit& fit, const PeSpec& pe) {
  const std::vector<double> f = basis_functions(fit.basis, pe);
  if (f.empty() || f.size() != fit.coefficients.size())
    throw ModelError("PE model basis {} does not apply to {} ({} coefficients)", fit.basis, pe_name(pe),
                     fit.coefficients.size());
  const double y = dot(fit.coefficients, f);
  return log_basis(fit.basis) ? std::exp(y) : y;
}

PeEstimate predict(const PeModelFit& fit, const PeSpec& pe) {
  return {evaluate_fit(fit.area, pe), evaluate_fit(fit.leakage, pe), evaluate_fit(fit.critical_path, pe),
          evaluate_fit(fit.energy_per_mac, pe)};
}

std::size_t spread_quarter(std::size_t index) {
  // The golden-ratio sequence frac(i φ) spreads any run of indices evenly over [0, 1), with no period
  // to alias with the grid's loops.
  const double x = static_cast<double>(index) * 0.6180339887498949;
  return static_cast<std::size_t>(4.0 * (x - std::floor(x)));
}

bool is_held_out(std::size_t index) { return spread_quarter(index) == 3; }

namespace {

// Least squares of one basis on `rows` (relative error for linear bases, ln y for log ones).
std::vector<double> solve(const std::string& basis, const std::vector<const PeSample*>& rows,
                          double (*figure)(const PeFigures&)) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto k = static_cast<Eigen::Index>(basis_functions(basis, rows.front()->first).size());
  if (n < k) throw ModelError("fit_pe_model: {} designs for the {} coefficients of basis {}", n, k, basis);
  Eigen::MatrixXd a(n, k);
  Eigen::VectorXd b(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    const PeSample& s = *rows[static_cast<std::size_t>(r)];
    const double y = figure(s.second);
    if (!(y > 0.0)) throw ModelError("fit_pe_model: {} has a non-positive figure {}", pe_name(s.first), y);
    const std::vector<double> f = basis_functions(basis, s.first);
    const bool log = log_basis(basis);
    for (Eigen::Index c = 0; c < k; ++c)
      a(r, c) = log ? f[static_cast<std::size_t>(c)] : f[static_cast<std::size_t>(c)] / y;
    b(r) = log ? std::log(y) : 1.0;
  }
  const Eigen::VectorXd x = a.colPivHouseholderQr().solve(b);
  return {x.data(), x.data() + x.size()};
}

// Mean and max relative error of a fit on `rows`.
std::pair<double, double> errors(const FigureFit& fit, const std::vector<const PeSample*>& rows,
                                 double (*figure)(const PeFigures&)) {
  double sum = 0.0, worst = 0.0;
  for (const PeSample* s : rows) {
    const double y = figure(s->second);
    const double e = std::fabs(evaluate_fit(fit, s->first) - y) / y;
    sum += e;
    worst = std::max(worst, e);
  }
  return {rows.empty() ? 0.0 : sum / static_cast<double>(rows.size()), worst};
}

FigureFit fit_figure(PeKind kind, const std::vector<PeSample>& train, const std::vector<PeSample>& held_out,
                     double (*figure)(const PeFigures&)) {
  constexpr std::size_t kFolds = 4;
  std::vector<const PeSample*> all;
  for (const PeSample& s : train) all.push_back(&s);
  FigureFit best;
  double best_cv = std::numeric_limits<double>::infinity();
  for (const std::string& basis : pe_bases(kind)) {
    double cv = 0.0;
    for (std::size_t fold = 0; fold < kFolds; ++fold) {
      std::vector<const PeSample*> fit_rows, check_rows;
      for (std::size_t i = 0; i < all.size(); ++i)
        (spread_quarter(i) == fold ? check_rows : fit_rows).push_back(all[i]);
      FigureFit trial{basis, solve(basis, fit_rows, figure), 0.0, 0.0};
      cv += errors(trial, check_rows, figure).first / kFolds;
    }
    if (cv < best_cv) {  // ties keep the earlier (simpler-listed) basis
      best_cv = cv;
      best.basis = basis;
    }
  }
  best.coefficients = solve(best.basis, all, figure);
  std::vector<const PeSample*> check;
  for (const PeSample& s : held_out) check.push_back(&s);
  std::tie(best.mean_error, best.max_error) = errors(best, check, figure);
  return best;
}

}  // namespace

PeModelFit fit_pe_model(const std::vector<PeSample>& train, const std::vector<PeSample>& held_out) {
  if (train.empty()) throw ModelError("fit_pe_model: no samples");
  const PeSpec& first = train.front().first;
  PeModelFit m;
  m.kind = kind_name(first.kind);
  m.overflow = std::string(overflow_name(first.overflow));
  m.samples = static_cast<std::int64_t>(train.size());
  m.held_out = static_cast<std::int64_t>(held_out.size());
  for (const auto* set : {&train, &held_out})
    for (const PeSample& s : *set)
      if (s.first.kind != first.kind || s.first.overflow != first.overflow)
        throw ModelError("fit_pe_model: {} mixed with {}", pe_name(s.first), pe_name(first));
  m.area = fit_figure(first.kind, train, held_out, [](const PeFigures& f) { return f.area; });
  m.leakage = fit_figure(first.kind, train, held_out, [](const PeFigures& f) { return f.leakage; });
  m.critical_path = fit_figure(first.kind, train, held_out, [](const PeFigures& f) { return f.critical_path; });
  m.energy_per_mac = fit_figure(first.kind, train, held_out, [](const PeFigures& f) { return f.energy_per_mac; });
  return m;
}

std::vector<PeSpec> fit_grid(PeKind kind, Overflow overflow) {
  std::vector<PeSpec> grid;
  const auto add = [&](int a, int w) {
    PeSpec pe;
    pe.kind = kind;
    pe.act_bits = a;
    pe.weight_bits = w;
    pe.acc_bits = template_acc_bits(pe);
    pe.overflow = overflow;
    validate(pe);
    grid.push_back(pe);
  };
  const std::array<int, 9> widths{4, 5, 6, 7, 8, 10, 12, 14, 16};
  if (kind == PeKind::int_mac) {
    for (const int a : widths)
      for (const int w : widths) add(a, w);
  } else {
    // Every activation width: a LightPE has few designs per activation, and cross-validation needs
    // enough of them to tell the bases apart.
    for (int a = 4; a <= 16; ++a)
      for (const int w : {1, 2, 3, 4}) add(a, w);
  }
  return grid;
}

std::vector<FitDesign> characterize_fit_grid(const GateLibrary& library, Overflow overflow, const OperandStream& stream,
                                             const std::function<void(std::size_t, std::size_t)>& on_design) {
  std::vector<std::vector<PeSpec>> grids;
  std::size_t total = 0;
  for (const PeKind kind : {PeKind::int_mac, PeKind::light1, PeKind::light2}) {
    grids.push_back(fit_grid(kind, overflow));
    total += grids.back().size();
  }
  std::vector<FitDesign> designs;
  for (const std::vector<PeSpec>& grid : grids)
    for (std::size_t i = 0; i < grid.size(); ++i) {
      const auto dir =
          std::filesystem::temp_directory_path() / fmt::format("deepnvm-fit-{}-{}", getpid(), pe_name(grid[i]));
      struct Scratch {
        std::filesystem::path dir;
        ~Scratch() {
          std::error_code ec;
          std::filesystem::remove_all(dir, ec);
        }
      } scratch{dir};
      const GateNetlist netlist = synthesize_pe(grid[i], dir);
      designs.push_back({grid[i], characterize(grid[i], netlist, library, stream), is_held_out(i)});
      if (on_design) on_design(designs.size(), total);
    }
  return designs;
}

std::vector<PeModelFit> fit_pe_models(const std::vector<FitDesign>& designs) {
  std::vector<PeModelFit> fits;
  std::vector<PeKind> kinds;
  for (const FitDesign& d : designs)
    if (std::find(kinds.begin(), kinds.end(), d.pe.kind) == kinds.end()) kinds.push_back(d.pe.kind);
  for (const PeKind kind : kinds) {
    std::vector<PeSample> train, held_out;
    for (const FitDesign& d : designs)
      if (d.pe.kind == kind) (d.held_out ? held_out : train).emplace_back(d.pe, d.figures);
    fits.push_back(fit_pe_model(train, held_out));
  }
  return fits;
}

std::string designs_csv(const std::vector<FitDesign>& designs) {
  std::string csv =
      "kind,overflow,act_bits,weight_bits,acc_bits,held_out,gates,area_m2,leakage_w,critical_path_s,energy_per_mac_j\n";
  for (const FitDesign& d : designs)
    csv += fmt::format("{},{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g}\n", kind_name(d.pe.kind),
                       overflow_name(d.pe.overflow), d.pe.act_bits, d.pe.weight_bits, d.pe.acc_bits, d.held_out ? 1 : 0,
                       d.figures.gates, d.figures.area, d.figures.leakage, d.figures.critical_path,
                       d.figures.energy_per_mac);
  return csv;
}

std::string to_yaml(const PeModels& models) {
  const auto list = [](const std::vector<double>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{:.9g}", i ? ", " : "", v[i]);
    return out + "]";
  };
  std::string out = fmt::format(
      "# SPDX-License-Identifier: MIT\n"
      "# Fitted PE figures, one basis per figure (bases: include/deepnvm/accel/pe_model.h; SI units: m^2, W,\n"
      "# s, J). Written by `deepnvm accel fit`; errors are relative, on held-out designs.\n"
      "kind: pe_models\n"
      "source: \"{}\"\n"
      "node: {:g} nm\n"
      "roadmap: {}\n"
      "temperature: {:g} K\n"
      "tool: \"{}\"\n"
      "models:\n",
      models.source, models.node * 1e9, models.roadmap, models.temperature, models.tool);
  for (const PeModelFit& m : models.models) {
    out += fmt::format("  - kind: {}\n    overflow: {}\n    samples: {}\n    held_out: {}\n", m.kind, m.overflow,
                       m.samples, m.held_out);
    const std::pair<const char*, const FigureFit*> figures[] = {{"area", &m.area},
                                                                {"leakage", &m.leakage},
                                                                {"critical_path", &m.critical_path},
                                                                {"energy_per_mac", &m.energy_per_mac}};
    for (const auto& [name, f] : figures)
      out += fmt::format("    {}: {{basis: {}, coefficients: {}, mean_error: {:.4g}, max_error: {:.4g}}}\n", name,
                         f->basis, list(f->coefficients), f->mean_error, f->max_error);
  }
  return out;
}

void register_builtin_accel(Registry<InputKind>& kinds) {
  kinds.add("pe_models", PeModels::schema().info().description, input_kind_of<PeModels>());
}

}  // namespace deepnvm::accel
