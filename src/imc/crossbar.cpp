// SPDX-License-Identifier: MIT
// Crossbar tiles: programming, noisy MVMs (per output and per cell), converters and energy (imc.md §1-4).
#include "deepnvm/imc/crossbar.h"

#include <algorithm>
#include <cmath>

#include "deepnvm/core/error.h"

namespace deepnvm::imc {

namespace {

const SourceLocation kWhere{"<crossbar>", 0};

double normal(Rng& rng) { return std::normal_distribution<double>(0.0, 1.0)(rng); }
bool bernoulli(Rng& rng, double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p; }

// The probability the trap is occupied after `interval`, given its state now.
double occupied_after(const RtnNoise& rtn, bool occupied, double interval) {
  const double rate = rtn.capture_rate + rtn.emission_rate, pi = rtn.occupancy();
  const double memory = std::exp(-rate * interval);
  return occupied ? pi + (1 - pi) * memory : pi * (1 - memory);
}

}  // namespace

std::vector<int> rtn_chain(const RtnNoise& rtn, std::size_t steps, double interval, Rng& rng) {
  std::vector<int> s(steps);
  for (std::size_t t = 0; t < steps; ++t)
    s[t] = bernoulli(rng, t == 0 ? rtn.occupancy() : occupied_after(rtn, s[t - 1] != 0, interval)) ? 1 : 0;
  return s;
}

void fill_normal(Rng& rng, Eigen::Ref<Eigen::ArrayXf> out) {
  constexpr Eigen::Index kBatch = 512;  // pairs per pass: the temporaries stay in L1
  Eigen::ArrayXf u1(kBatch), u2(kBatch), radius(kBatch), angle(kBatch);
  for (Eigen::Index first = 0; first < out.size(); first += 2 * kBatch) {
    const Eigen::Index pairs = std::min(kBatch, (out.size() - first + 1) / 2);
    // Two 24-bit uniforms in (0, 1) from each 64-bit draw, at the centres of their bins.
    for (Eigen::Index i = 0; i < pairs; ++i) {
      const std::uint64_t bits = rng();
      u1(i) = (static_cast<float>(bits >> 40) + 0.5f) * 0x1.0p-24f;
      u2(i) = (static_cast<float>((bits >> 16) & 0xFFFFFF) + 0.5f) * 0x1.0p-24f;
    }
    radius.head(pairs) = (-2.0f * u1.head(pairs).log()).sqrt();
    angle.head(pairs) = 6.2831853071795865f * u2.head(pairs);
    const Eigen::Index n = std::min(2 * pairs, out.size() - first);
    out.segment(first, pairs) = radius.head(pairs) * angle.head(pairs).cos();
    if (n > pairs) out.segment(first + pairs, n - pairs) = radius.head(n - pairs) * angle.head(n - pairs).sin();
  }
}

double quantize(double x, int bits, double range) {
  if (bits <= 0) return x;
  const double levels = std::ldexp(1.0, bits - 1) - 1, step = range / levels;
  return std::clamp(std::nearbyint(x / step), -levels, levels) * step;
}

Eigen::ArrayXXd quantize(Eigen::ArrayXXd x, int bits, double range) {
  if (bits <= 0) return x;
  const double levels = std::ldexp(1.0, bits - 1) - 1, step = range / levels;
  return (x / step).rint().cwiseMax(-levels).cwiseMin(levels) * step;
}

CrossbarLayer::CrossbarLayer(Matrix weights, const ImcDevice& device, const CrossbarSpec& spec)
    : w_(std::move(weights)), device_(device), spec_(spec) {
  if (w_.size() == 0) throw ConfigError(kWhere, "weights", "expected a non-empty weight matrix");
  if (spec_.tile_rows < 1 || spec_.tile_cols < 1)
    throw ConfigError(kWhere, "tile", "expected tiles of at least one row and column");
  if (spec_.time_steps < 1) throw ConfigError(kWhere, "time_steps", "expected at least 1, got {}", spec_.time_steps);
  if (!(spec_.input_range > 0) || !(spec_.adc_headroom > 0))
    throw ConfigError(kWhere, "input_range", "expected a positive input range and ADC headroom");
  const double wmax = w_.cwiseAbs().maxCoeff();
  const double span = device_.g_max - device_.g_min;
  k_ = spec_.scale > 0 ? spec_.scale : (wmax > 0 ? span / wmax : span);
  if (device_.g_min + k_ * wmax > device_.g_max * (1 + 1e-12))
    throw ConfigError(kWhere, "scale", "scale {} S per unit weight puts |w| = {} above g_max ({} S)", k_, wmax,
                      device_.g_max);
  gain_ = 1.0 / k_;
  // A step's partial sums of one row tile span at most x_range · Σ_j |w_ij| / T.
  for (std::int64_t t = 0; t < row_tiles(); ++t) {
    const std::int64_t first = t * spec_.tile_rows, n = std::min(spec_.tile_rows, cols() - first);
    const double worst = w_.middleCols(first, n).cwiseAbs().rowwise().sum().maxCoeff();
    adc_range_.push_back(std::max(worst, 1e-300) * spec_.input_range * spec_.adc_headroom / spec_.time_steps);
  }
  program(0);
}

void CrossbarLayer::program(std::uint64_t seed) {
  Rng rng(seed);
  const int steps = spec_.time_steps;
  const double k_step = k_ / steps;
  const DriftNoise& drift = device_.drift;
  const bool drifting = drift.time > 0 && (drift.nu > 0 || drift.nu_sigma > 0);
  const double log_age = drifting ? std::log(drift.time / drift.t0) : 0.0;
  const auto programmed = [&](double w) {
    double g = device_.g_min + k_step * w;
    if (device_.programming > 0) g *= std::exp(device_.programming * normal(rng));
    if (drifting) g *= std::exp(-std::max(0.0, drift.nu + drift.nu_sigma * normal(rng)) * log_age);
    return g;
  };
  const Matrix pos = w_.cwiseMax(0.0), neg = (-w_).cwiseMax(0.0);
  Matrix g_pos = pos.unaryExpr(programmed), g_neg = neg.unaryExpr(programmed);
  gain_ = (drifting && drift.compensated ? std::exp(drift.nu * log_age) : 1.0) / k_;

  g_pos_.assign(steps, g_pos);
  g_neg_.assign(steps, g_neg);
  variance_.assign(steps, Matrix());
  const RtnNoise& rtn = device_.rtn;
  if (rtn.amplitude > 0 && rtn.occupancy() > 0) {
    // Each cell's trap, advanced read by read over the T steps of one MVM.
    for (Matrix* g : {&g_pos, &g_neg}) {
      std::vector<Matrix>& out = g == &g_pos ? g_pos_ : g_neg_;
      for (Eigen::Index i = 0; i < g->size(); ++i) {
        const std::vector<int> s = rtn_chain(rtn, steps, device_.read_time, rng);
        for (int t = 0; t < steps; ++t)
          if (s[t]) out[t](i) *= 1 - rtn.amplitude;
      }
    }
  }
  weight_.assign(steps, Matrix());
  weight_variance_.assign(steps, Matrix());
  weight_f_.assign(spec_.single_precision ? steps : 0, Eigen::MatrixXf());
  weight_variance_f_.assign(spec_.single_precision ? steps : 0, Eigen::MatrixXf());
  for (int t = 0; t < steps; ++t) {
    variance_[t] = g_pos_[t].unaryExpr([&](double g) { return device_.read_variance(g); }) +
                   g_neg_[t].unaryExpr([&](double g) { return device_.read_variance(g); });
    weight_[t] = gain_ * (g_pos_[t] - g_neg_[t]);
    weight_variance_[t] = gain_ * gain_ * variance_[t];
    if (spec_.single_precision) {
      weight_f_[t] = weight_[t].cast<float>();
      weight_variance_f_[t] = weight_variance_[t].cast<float>();
    }
  }
}

Matrix CrossbarLayer::dac(const Matrix& x) const {
  if (x.rows() != cols())
    throw ConfigError(kWhere, "inputs", "expected {} inputs per sample, got {}", cols(), x.rows());
  return quantize(x.array(), spec_.dac.bits, spec_.input_range).matrix();
}

Matrix CrossbarLayer::forward(const Matrix& x, Rng& rng) const {
  const Matrix xq = dac(x);
  Matrix y = Matrix::Zero(rows(), x.cols());
  // One tile's partial sums: mean from the weights, read noise drawn per output, then the ADC.
  Eigen::ArrayXf z;
  const auto tile_sums = [&](const auto& weight, const auto& variance, const auto& in, std::int64_t tile) {
    const std::int64_t first = tile * spec_.tile_rows, n = std::min(spec_.tile_rows, cols() - first);
    Eigen::ArrayXXd sums = (weight.middleCols(first, n) * in.middleRows(first, n)).template cast<double>().array();
    const Eigen::ArrayXXd sd =
        (variance.middleCols(first, n) * in.middleRows(first, n).cwiseProduct(in.middleRows(first, n)))
            .template cast<double>()
            .array()
            .sqrt();
    if ((sd > 0).any()) {
      z.resize(sums.size());
      fill_normal(rng, z);
      sums += sd * z.cast<double>().reshaped(sums.rows(), sums.cols());
    }
    y.array() += quantize(std::move(sums), spec_.adc.bits, adc_range_[tile]);
  };
  const Eigen::MatrixXf xf = spec_.single_precision ? xq.cast<float>() : Eigen::MatrixXf();
  for (int t = 0; t < spec_.time_steps; ++t)
    for (std::int64_t tile = 0; tile < row_tiles(); ++tile) {
      if (spec_.single_precision)
        tile_sums(weight_f_[t], weight_variance_f_[t], xf, tile);
      else
        tile_sums(weight_[t], weight_variance_[t], xq, tile);
    }
  return y;
}

Matrix CrossbarLayer::forward_per_cell(const Matrix& x, Rng& rng) const {
  const Matrix xq = dac(x);
  Matrix y = Matrix::Zero(rows(), x.cols());
  const auto read = [&](double g) { return g + std::sqrt(device_.read_variance(g)) * normal(rng); };
  for (Eigen::Index b = 0; b < x.cols(); ++b)
    for (int t = 0; t < spec_.time_steps; ++t)
      for (std::int64_t tile = 0; tile < row_tiles(); ++tile) {
        const std::int64_t first = tile * spec_.tile_rows, last = std::min(first + spec_.tile_rows, cols());
        for (Eigen::Index i = 0; i < rows(); ++i) {
          double current = 0;
          for (std::int64_t j = first; j < last; ++j)
            current += (read(g_pos_[t](i, j)) - read(g_neg_[t](i, j))) * xq(j, b);
          y(i, b) += quantize(gain_ * current, spec_.adc.bits, adc_range_[tile]);
        }
      }
  return y;
}

double CrossbarLayer::converters_energy(std::int64_t batch) const {
  const double per_step = static_cast<double>(cols() * col_tiles()) * spec_.dac.energy +
                          static_cast<double>(rows() * row_tiles()) * spec_.adc.energy;
  return per_step * spec_.time_steps * static_cast<double>(batch);
}

double CrossbarLayer::energy(const Matrix& x) const { return cell_energy(x) + converters_energy(x.cols()); }

double CrossbarLayer::cell_energy(const Matrix& x) const {
  const Matrix xq = dac(x);
  const double volts_per_x = device_.read_voltage / spec_.input_range;
  // Σ_b v_j² per input, then Σ_i (G⁺ + G⁻)_ij per input: one product per step.
  const Eigen::VectorXd v2 = xq.cwiseProduct(xq).rowwise().sum() * volts_per_x * volts_per_x;
  double cells = 0;
  for (int t = 0; t < spec_.time_steps; ++t) cells += (g_pos_[t] + g_neg_[t]).colwise().sum().dot(v2);
  return device_.read_time * cells;
}

double CrossbarLayer::energy_per_read(const Matrix& x) const {
  const Matrix xq = dac(x);
  const double volts_per_x = device_.read_voltage / spec_.input_range;
  double total = 0;
  for (Eigen::Index b = 0; b < x.cols(); ++b)
    for (int t = 0; t < spec_.time_steps; ++t)
      for (Eigen::Index i = 0; i < rows(); ++i)
        for (Eigen::Index j = 0; j < cols(); ++j) {
          const double v = xq(j, b) * volts_per_x;
          total += device_.read_time * (g_pos_[t](i, j) + g_neg_[t](i, j)) * v * v;
        }
  return total + converters_energy(x.cols());
}

}  // namespace deepnvm::imc
