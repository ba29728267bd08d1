// SPDX-License-Identifier: MIT
#pragma once

// Trainable networks built from the workload zoo's graphs (include/deepnvm/workload/zoo.h), so the
// network whose accuracy is measured is, layer for layer, the one the accelerator maps: the zoo is
// the single description of fmnist_lenet5 and fmnist_cnn. Every Conv2d and Linear of the graph becomes
// a QuantLayer (fake-quantized input activations and weights, quantize.h); ReLU, max pooling and
// reshapes pass through unquantized (they commute with the quantizers or need no PE).

#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include <torch/torch.h>

#include "deepnvm/imc/device.h"
#include "deepnvm/learn/quantize.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm::learn {

/// @brief Training for a crossbar of `device` (docs/models/imc.md §"Training techniques"): each
/// layer's conductances are G± = g_min + k·w± with k = scale_fraction·(g_max − g_min)/max|w| per
/// layer (detached). In training mode only:
/// - `noise` (T1, noise-aware training): the weights get the programming spread as a log-normal
///   factor exp(σ_prog·ε) per weight and batch, and the output the crossbar's aggregated read noise
///   y += sqrt(Σ_j Var_w,ij·x_j²)·ε with Var_w = (Var Ĝ⁺ + Var Ĝ⁻)/k² (ImcDevice::read_variance),
///   reparameterized so gradients flow through mean and deviation; RTN and drift are not modelled;
/// - `energy` (T2): the layer records E_cells = t_read·(v_r/x_range)²·mean_b Σ_ij (G⁺+G⁻)_ij·x_bj²
///   (summed over a convolution's output positions), x_range the batch's max|x| (detached), G from
///   |w| with k detached; ClassifierImpl::cell_energy() sums it over layers.
/// Evaluation mode is untouched: noise-free, no energy.
struct AnalogTraining {
  imc::ImcDevice device;
  double scale_fraction = 1.0;
  bool noise = false;
  bool energy = false;
};

/// @brief One conv or linear layer on the accelerator: y = W_q * x_q + b, b kept in fp32 (the bias
/// is added to the accumulator, outside the PE's multiply).
class QuantLayerImpl : public torch::nn::Module {
 public:
  QuantLayerImpl(const Conv2d& conv, const QuantSpec& spec);
  QuantLayerImpl(const Linear& linear, const QuantSpec& spec);

  torch::Tensor forward(const torch::Tensor& x);

  const torch::Tensor& weight() const { return weight_; }
  /// The weights the forward pass multiplies by (after the quantizer), detached.
  torch::Tensor deployed_weight() const;
  const torch::Tensor& bias() const { return bias_; }
  /// Activation range in use (0 until the first training batch).
  double activation_range() const { return act_range_.item<double>(); }
  /// MACs per sample of the last forward pass: output elements × weight elements per output channel.
  std::int64_t last_macs() const { return last_macs_; }
  /// Crossbar training (nullptr: none); not serialized.
  void set_analog(std::shared_ptr<const AnalogTraining> analog) { analog_ = std::move(analog); }
  /// J, E_cells of the last training-mode forward pass when energy is on (else undefined).
  const torch::Tensor& last_energy() const { return last_energy_; }

 private:
  torch::Tensor analog_weight(const torch::Tensor& wq, double k);
  torch::Tensor apply(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) const;
  bool conv_ = false;
  Conv2d conv_op_{};
  QuantSpec spec_;
  torch::Tensor weight_, bias_, act_range_;
  std::int64_t last_macs_ = 0;
  std::shared_ptr<const AnalogTraining> analog_;
  torch::Tensor last_energy_;
};
TORCH_MODULE(QuantLayer);

/// @brief A sequential classifier interpreted from a zoo graph: the layers must form a chain of
/// conv2d (groups 1, dilation 1), linear (untied), relu, max pool2d and reshape; anything else is a
/// ModelError naming the layer.
class ClassifierImpl : public torch::nn::Module {
 public:
  ClassifierImpl(const Network& net, Quantization quantization);

  /// [N, C, H, W] images -> [N, classes] logits.
  torch::Tensor forward(torch::Tensor x);

  const std::vector<QuantLayer>& layers() const { return layers_; }
  const Shape& input_shape() const { return input_shape_; }
  /// Crossbar training for every conv/linear layer (nullptr: none).
  void set_analog(const std::shared_ptr<const AnalogTraining>& analog);
  /// J, Σ over layers of E_cells of the last training-mode forward pass (energy on), else 0.
  torch::Tensor cell_energy() const;

 private:
  struct Step {
    std::variant<std::size_t, Pool2d, Activation, Reshape> op;  // size_t: index into layers_
  };
  std::vector<Step> steps_;
  std::vector<QuantLayer> layers_;
  Shape input_shape_;
};
TORCH_MODULE(Classifier);

/// The zoo network `name` (fmnist_lenet5, fmnist_cnn, ...) as a classifier, its weights initialized
/// from torch's generator seeded with `seed` (PyTorch's default initialization).
Classifier make_classifier(std::string_view name, Quantization quantization, std::uint64_t seed);

/// MACs per sample counted from the module's own shapes: one forward pass of a zero input in
/// evaluation mode, summing each QuantLayer's last_macs().
std::int64_t count_macs(Classifier& model);

/// Learned parameters (weights and biases), counted from the module.
std::int64_t count_parameters(Classifier& model);

}  // namespace deepnvm::learn
