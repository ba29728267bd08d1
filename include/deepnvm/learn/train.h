// SPDX-License-Identifier: MIT
#pragma once

// Quantization-aware training of a zoo network on Fashion-MNIST (docs/models/learn.md §3-4): Adam,
// cosine learning-rate decay over the planned epochs, a fixed seed, a checkpoint after every epoch
// (written to a temporary file and renamed) from which a run resumes bit for bit, and the learning
// curve as CSV. Progress goes to stderr.
//
// Determinism: the weights are initialized from torch's generator seeded with `seed`; the order of
// epoch k's mini-batches is a pure function of (seed, k); nothing else draws random numbers (no
// dropout, no augmentation). A checkpoint therefore needs no loader or generator state, and with one
// thread an interrupted and resumed run ends with the same weights as an uninterrupted one.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "deepnvm/learn/network.h"
#include "deepnvm/learn/quantize.h"
#include "deepnvm/workload/idx.h"

namespace deepnvm::learn {

struct TrainOptions {
  std::string network = "fmnist_lenet5";  ///< workload zoo name
  Quantization quantization = Quantization::fp32;
  int epochs = 1;                ///< planned epochs in all (a resumed run continues up to it)
  std::uint64_t seed = 1;        ///< weight initialization and batch order
  std::filesystem::path out;     ///< checkpoint.pt, curve.csv and summary.json go here
  bool resume = false;           ///< continue from out/checkpoint.pt when it exists
  int threads = 1;               ///< torch intra-op threads
  std::int64_t limit_train = 0;  ///< use only the first N training images (0: all)
  std::int64_t limit_test = 0;   ///< evaluate on the first N test images (0: all)
  std::int64_t batch_size = 128;
  double learning_rate = 1e-3;  ///< Adam's, at epoch 0; cosine decay to 0 at `epochs`
  double time_budget = 0;       ///< s; stop before an epoch that would end past it (0: none)
  bool quiet = false;           ///< no progress on stderr
  // Crossbar training techniques (docs/models/imc.md, "Training techniques"):
  std::filesystem::path device;  ///< imc_device file ("": none; required by the two below)
  double scale_fraction = 1.0;   ///< k = F·(g_max − g_min)/max|w| per layer, in (0, 1]
  bool noise_aware = false;      ///< T1: read noise and programming spread in the training forward
  double energy_reg = 0.0;       ///< T2: loss += λ·E_cells/E_ref (λ ≥ 0; E_ref at initialization)
};

/// One epoch of the learning curve.
struct EpochRecord {
  int epoch = 0;               ///< 1-based
  double train_loss = 0;       ///< mean cross-entropy over the epoch's mini-batches (training mode)
  double test_accuracy = 0;    ///< top-1 fraction on the test images, after the epoch
  double wall_time = 0;        ///< s, this epoch: training and evaluation
  double total_wall_time = 0;  ///< s, since the run started, over every session that resumed it
  bool operator==(const EpochRecord&) const = default;
};

struct TrainResult {
  std::vector<EpochRecord> curve;  ///< every epoch so far, resumed ones included
  int resumed_from = 0;            ///< epochs already done when this session started
  bool stopped_by_budget = false;
  std::int64_t train_images = 0, test_images = 0;
  double accuracy() const { return curve.empty() ? 0.0 : curve.back().test_accuracy; }
  double wall_time() const { return curve.empty() ? 0.0 : curve.back().total_wall_time; }
};

/// @brief Images as a float tensor [N, 1, rows, cols] holding (pixel - 128) / 128 (the pixel as a
/// signed 8-bit number, scaled to [-1, 1)), labels as int64 [N]; the first `limit` items (0: all).
struct TensorSet {
  torch::Tensor images, labels;
};
TensorSet to_tensors(const ImageSet& set, std::int64_t limit = 0);

/// @brief Trains as `options` says on `data`, writing out/checkpoint.pt after every epoch and
/// out/curve.csv and out/summary.json. ConfigError for a checkpoint of another network, quantization,
/// seed, device, scale fraction, noise-aware or energy-regularization setting, for an existing
/// checkpoint without `resume`, or for bad technique options (a noise-aware or energy-regularized run
/// without a device, λ < 0, a scale fraction outside (0, 1]).
TrainResult train(const TrainOptions& options, const FashionMnist& data);

/// @brief The crossbar techniques `options` asks for, its device loaded (nullptr: no --device);
/// ConfigError for λ < 0, a scale fraction outside (0, 1], or a technique without a device; the
/// device file's own errors (IoError, ConfigError) as load_imc_device throws them.
std::shared_ptr<AnalogTraining> analog_training(const TrainOptions& options);

/// Top-1 accuracy of `model` (evaluation mode) on `set`.
double evaluate(Classifier& model, const TensorSet& set, std::int64_t batch_size = 1000);

/// @brief What a checkpoint holds, less the optimizer state.
struct Checkpoint {
  std::string network;
  Quantization quantization = Quantization::fp32;
  std::uint64_t seed = 0;
  int planned_epochs = 0;
  std::string device;  ///< the imc_device's name ("": none)
  double scale_fraction = 1.0;
  bool noise_aware = false;
  double energy_reg = 0.0;
  double energy_ref = 0.0;  ///< J, E_cells of the first batch at initialization (T2)
  std::vector<EpochRecord> curve;
  Classifier model{nullptr};
};

/// Reads a checkpoint written by train(); IoError naming the file when it is not one.
Checkpoint load_checkpoint(const std::filesystem::path& path);

/// The learning curve as CSV: epoch,train_loss,test_accuracy,wall_time_s,total_wall_time_s.
std::string curve_csv(const std::vector<EpochRecord>& curve);

/// One JSON object: network, quantization, seed, epochs (done), planned_epochs, accuracy,
/// wall_time_s, threads, train_images, test_images, stopped_by_budget, resumed_from.
std::string summary_json(const TrainOptions& options, const TrainResult& result);

}  // namespace deepnvm::learn
