// SPDX-License-Identifier: MIT
#pragma once

// A trained network run on crossbars (docs/models/imc.md §6): every Conv2d (through im2col) and Linear
// of a zoo graph becomes a CrossbarLayer of its trained weights; biases, ReLU, pooling and reshapes
// are digital and exact. Each layer's DAC range is the largest input it sees on calibration images
// run without noise. Monte-Carlo evaluation programs every layer per seed (programming spread, drift,
// RTN) and draws read noise per MVM; it reports the accuracy of each seed, their mean with a 95 %
// confidence interval, and the energy per inference.

#include <cstdint>
#include <optional>
#include <vector>

#include "deepnvm/imc/crossbar.h"
#include "deepnvm/imc/weights.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm::imc {

/// Images as columns (features x N, the zoo graph's per-sample layout, values as trained) and labels.
struct Dataset {
  Matrix images;
  std::vector<int> labels;
};

struct AnalogOptions {
  CrossbarSpec crossbar;        ///< its `scale` is ignored: each layer's k comes from scale_fraction
  double scale_fraction = 1.0;  ///< k = fraction x (g_max - g_min) / max|w| per layer: E ∝ k
};

/// Energy of inferences on crossbars, J.
struct InferenceEnergy {
  double cells = 0.0, converters = 0.0;
  double total() const { return cells + converters; }
};

class AnalogNetwork {
 public:
  /// ModelError for graph operators other than conv2d (groups 1), linear, relu, pooling and reshape;
  /// ConfigError when `weights` lacks a tensor or its shape differs from the graph's.
  AnalogNetwork(const Network& net, const WeightFile& weights, const ImcDevice& device, const AnalogOptions& options,
                const Matrix& calibration);

  /// Programs every layer for one seed.
  void program(std::uint64_t seed);
  /// Logits (classes x N) on the crossbars, read noise from `rng`.
  Matrix logits(const Matrix& images, Rng& rng) const;
  /// Logits of the same network in exact arithmetic (no crossbar): the noise-free reference.
  Matrix logits_exact(const Matrix& images) const;
  /// Images per Monte-Carlo pass: 500, fewer when a layer's input matrix (a convolution's im2col
  /// columns) would pass 2·10^6 values (16 MB), so passes stay in memory the allocator reuses.
  Eigen::Index images_per_pass() const;
  /// Mean energy per inference over `images` on the crossbars, J.
  InferenceEnergy energy_per_inference(const Matrix& images) const;

 private:
  struct Step {
    enum class Kind { conv, linear, relu, pool, reshape } kind = Kind::reshape;
    Shape in, out;  // per sample
    Conv2d conv;
    Pool2d pool;
    Matrix weights;  // out x (in, or C·R·S), as trained
    Eigen::VectorXd bias;
    std::optional<CrossbarLayer> crossbar;
  };
  /// One step on `x`: on the crossbars with read noise from `rng`, or exactly when `rng` is null;
  /// adds the crossbar energy to `energy` if given.
  static Matrix advance(const Step& step, const Matrix& x, Rng* rng, InferenceEnergy* energy);
  Matrix run(const Matrix& images, Rng* rng, InferenceEnergy* energy) const;
  std::vector<Step> steps_;
};

struct MonteCarloResult {
  std::vector<double> accuracy;            ///< per seed
  double mean = 0.0, ci95 = 0.0;           ///< half-width of the 95 % confidence interval of the mean (Student t)
  double energy_per_inference = 0.0;       ///< J: cells and converters
  double cell_energy_per_inference = 0.0;  ///< J: the cells' share
  double exact_accuracy = 0.0;             ///< without crossbars
};

/// Fraction of `data` whose largest logit is its label.
double accuracy(const Matrix& logits, const std::vector<int>& labels);

/// @brief `seeds` Monte-Carlo runs (seed base_seed + s: programming, then read noise) over `data`, on
/// `threads` threads (0: hardware threads); the result does not depend on the thread count.
MonteCarloResult monte_carlo(const AnalogNetwork& network, const Dataset& data, int seeds, std::uint64_t base_seed,
                             unsigned threads = 0);

/// Two-sided 95 % Student t quantile with `dof` degrees of freedom (Cornish-Fisher expansion).
double student_t95(int dof);

}  // namespace deepnvm::imc
