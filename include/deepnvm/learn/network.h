// SPDX-License-Identifier: MIT
#pragma once

// Trainable networks built from the workload zoo's graphs (include/deepnvm/workload/zoo.h), so the
// network whose accuracy is measured is, layer for layer, the one the accelerator maps: the zoo is
// the single description of fmnist_lenet5 and fmnist_cnn. Every Conv2d and Linear of the graph becomes
// a QuantLayer (fake-quantized input activations and weights, quantize.h); ReLU, max pooling and
// reshapes pass through unquantized (they commute with the quantizers or need no PE).

#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include <torch/torch.h>

#include "deepnvm/learn/quantize.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm::learn {

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

 private:
  bool conv_ = false;
  Conv2d conv_op_{};
  QuantSpec spec_;
  torch::Tensor weight_, bias_, act_range_;
  std::int64_t last_macs_ = 0;
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
