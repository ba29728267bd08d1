// SPDX-License-Identifier: MIT
#pragma once

// One trained layer on analog crossbar tiles (docs/models/imc.md §1-4). A weight w is a differential
// pair G± = g_min + k·w± (w± its positive and negative parts), with one scale k per layer; an input x
// is a read voltage v = v_r·x/x_range through a DAC; a tile of tile_rows inputs sums its currents per
// column, and an ADC digitizes each tile's partial sums, which are added digitally. With T > 1 time
// steps (low-fluctuation decomposition) each MVM is T reads at scale k/T, summed.
//
// Noise: programming spread, drift and RTN trap states are drawn per cell when the layer is
// programmed (one seed); read noise is drawn per read. Independent Gaussian read noise sums over a
// column to a Gaussian with variance Σ_j x_j² (Var Ĝ⁺_ij + Var Ĝ⁻_ij) / k², so it is drawn per output
// (`forward`); `forward_per_cell` draws every cell and is the reference the tests compare against.
// RTN states advance between the T steps of one MVM (a two-state Markov chain over read_time).
//
// Energy of one MVM: t_read Σ_steps Σ_ij (G⁺_ij + G⁻_ij)·v_j² in the cells, plus one DAC conversion per
// input per column tile and one ADC conversion per output per row tile, per step.

#include <cstdint>
#include <random>

#include <Eigen/Dense>
#include <pcg_random.hpp>

#include "deepnvm/imc/device.h"

namespace deepnvm::imc {

/// A converter: `bits` 0 is ideal; `energy` per conversion (J).
struct Converter {
  int bits = 0;
  double energy = 0.0;
};

struct CrossbarSpec {
  std::int64_t tile_rows = 128, tile_cols = 128;
  Converter dac, adc;
  double input_range = 1.0;   ///< |x| mapped to the full read voltage
  double adc_headroom = 1.0;  ///< ADC full scale as a fraction of a tile column's largest possible output
  int time_steps = 1;         ///< T of the low-fluctuation decomposition
  double scale = 0.0;         ///< k in S per unit weight; 0: (g_max - g_min) / max|w|
  /// forward() in single precision (twice the speed; Monte-Carlo sweeps); forward_per_cell() and
  /// energy() stay in double.
  bool single_precision = false;
};

using Matrix = Eigen::MatrixXd;
/// PCG-64 (O'Neill 2014; Debian's libpcg-cpp-dev): several times faster than std::mt19937_64, and
/// read noise takes billions of draws per sweep.
using Rng = pcg64;

/// `out` filled with independent standard normal deviates from `rng`, in batches by the Box–Muller
/// transform on 24-bit uniforms (Eigen's vectorized log, sin and cos; single precision). The
/// uniforms are never 0 or 1, so |z| < 5.9: the tails beyond (probability 4·10^-9) are cut.
void fill_normal(Rng& rng, Eigen::Ref<Eigen::ArrayXf> out);

/// States (1: occupied) of one RTN trap over `steps` reads `interval` apart, starting from its
/// stationary distribution: the two-state Markov chain of `rtn`.
std::vector<int> rtn_chain(const RtnNoise& rtn, std::size_t steps, double interval, Rng& rng);

/// Uniform symmetric quantizer of `bits` (levels ±(2^(bits-1) - 1)) over [-range, range]: round to
/// the nearest level, clip outside; bits 0 returns x.
double quantize(double x, int bits, double range);
/// quantize() of every element.
Eigen::ArrayXXd quantize(Eigen::ArrayXXd x, int bits, double range);

class CrossbarLayer {
 public:
  /// ConfigError for an empty matrix, a tile without rows or columns, T < 1, or a scale that does
  /// not fit the weights into [g_min, g_max].
  CrossbarLayer(Matrix weights, const ImcDevice& device, const CrossbarSpec& spec);

  /// Programs the cells for one seed: programming spread, per-cell drift, RTN trap states.
  void program(std::uint64_t seed);

  /// Y (out x batch) for inputs X (in x batch), read noise per output from `rng`.
  Matrix forward(const Matrix& x, Rng& rng) const;
  /// The same, every cell drawn on every read (slow; the reference for forward()).
  Matrix forward_per_cell(const Matrix& x, Rng& rng) const;

  /// Energy of the MVMs of `x` (closed form over the programmed conductances), J: cell_energy() plus
  /// converters_energy().
  double energy(const Matrix& x) const;
  /// The cells' share: t_read Σ (G⁺ + G⁻)·v² over every read, J.
  double cell_energy(const Matrix& x) const;
  /// The DAC and ADC conversions of `batch` MVMs, J.
  double converters_energy(std::int64_t batch) const;
  /// The same summed read by read, cell by cell (the tests' check of energy()).
  double energy_per_read(const Matrix& x) const;

  double scale() const { return k_; }
  std::int64_t rows() const { return w_.rows(); }
  std::int64_t cols() const { return w_.cols(); }

 private:
  Matrix dac(const Matrix& x) const;  ///< inputs after the DAC, in x units
  std::int64_t row_tiles() const { return (cols() + spec_.tile_rows - 1) / spec_.tile_rows; }
  std::int64_t col_tiles() const { return (rows() + spec_.tile_cols - 1) / spec_.tile_cols; }

  Matrix w_;
  ImcDevice device_;
  CrossbarSpec spec_;
  double k_ = 0.0;
  double gain_ = 1.0;  ///< output units per (conductance x input): 1/k times the drift compensation
  // Per step: the cells' conductances as programmed, drifted and with their RTN state (S), the
  // per-read variance of each pair (S^2), and what forward() multiplies by: the pair's weight and
  // variance in output units (in single precision when asked).
  std::vector<Matrix> g_pos_, g_neg_, variance_, weight_, weight_variance_;
  std::vector<Eigen::MatrixXf> weight_f_, weight_variance_f_;
  std::vector<double> adc_range_;  ///< per row tile: full scale of one step's partial sums
};

}  // namespace deepnvm::imc
