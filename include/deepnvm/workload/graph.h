// SPDX-License-Identifier: MIT
#pragma once

// The DNN layer graph: tensors with shapes and a dtype, and layers (operators) in execution order.
// Everything is a plain value; shapes, FLOPs and parameter counts are pure functions of the layer.
//
// Shapes are stored per sample, without the batch dimension ([C, H, W] for an image, [S, E] for a
// sequence): every operator here works on each sample independently at inference, so one graph
// serves every batch size, and `with_batch` prepends N where a full tensor shape is needed.
//
// FLOP convention (docs/models/workload.md): one multiply-add is 2 FLOPs; a bias add is 1 FLOP per
// output element; the other operators have a nominal per-element cost listed at `flops`. Data
// movement (reshape, transpose, slice, concat, embedding gather) is 0 FLOPs.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace deepnvm {

/// Element type of a tensor. Floating types carry activations and weights; the integer types carry
/// token ids (int64, as PyTorch's embedding takes them) and quantized data (int8).
enum class DType { fp32, fp16, bf16, int8, int32, int64 };

std::size_t dtype_bytes(DType type);
std::string_view dtype_name(DType type);  // "fp32", "bf16", ...
/// The DType named `name`; an unknown name throws ConfigError listing the known ones.
DType parse_dtype(std::string_view name);
bool is_floating(DType type);

/// Per-sample tensor shape (no batch dimension).
using Shape = std::vector<std::int64_t>;

std::int64_t element_count(const Shape& shape);  // product of the dimensions; 1 for a scalar
Shape with_batch(const Shape& shape, std::int64_t batch);
std::string shape_text(const Shape& shape);  // "[3, 224, 224]"

/// Height and width of a 2-D window, stride, padding or dilation.
struct Hw {
  std::int64_t h = 0, w = 0;
  bool operator==(const Hw&) const = default;
};

// ---- Operators --------------------------------------------------------------------------------
// One struct per operator kind, holding only its hyper-parameters; the graph supplies the inputs.

/// 2-D convolution, NCHW. Grouped when groups > 1; depthwise when groups == in_channels.
/// Input [in_channels, H, W] -> [out_channels, Ho, Wo], Ho = floor((H + 2p - d(k-1) - 1) / s) + 1.
struct Conv2d {
  std::int64_t in_channels = 0, out_channels = 0;
  Hw kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  std::int64_t groups = 1;
  bool bias = true;
  bool operator==(const Conv2d&) const = default;
};

/// Fully connected layer / GEMM on the last dimension: [..., in] -> [..., out]. Every leading
/// dimension (and the batch) is a GEMM row. `tied_to` names an earlier Embedding or Linear layer
/// whose weight matrix this one reuses (GPT-2's LM head); a tied weight is counted once.
struct Linear {
  std::int64_t in_features = 0, out_features = 0;
  bool bias = true;
  std::string tied_to{};
  bool operator==(const Linear&) const = default;
};

/// Batched matrix product of two activations: [..., m, k] x [..., k, n] -> [..., m, n]
/// ([..., n, k] for the second input when transpose_b). Leading dimensions must be equal.
struct MatMul {
  bool transpose_b = false;
  bool operator==(const MatMul&) const = default;
};

/// Multi-head scaled dot-product attention, the parameter-free core of an attention block:
/// inputs Q [Sq, E], K [Sk, E], V [Sk, E] -> [Sq, E], with E split into `heads` heads of E/heads.
/// It stands for split heads, Q·Kᵀ, scale by 1/sqrt(E/heads), mask, softmax, ·V and merge heads.
/// The Q/K/V and output projections stay separate Linear layers because networks differ there
/// (one packed QKV GEMM in ViT and GPT-2, three in BERT); this core is what fused kernels
/// (FlashAttention) implement, and what an importer folds the MatMul-Softmax-MatMul pattern into.
struct Attention {
  std::int64_t heads = 1;
  bool causal = false;  // decoder mask (GPT-2); masks cost no FLOPs here
  bool operator==(const Attention&) const = default;
};

enum class PoolKind { max, avg };

/// 2-D pooling with a fixed window; `ceil_mode` rounds the output size up as PyTorch does
/// (a window may not start in the right padding). Input [C, H, W] -> [C, Ho, Wo].
struct Pool2d {
  PoolKind kind = PoolKind::max;
  Hw kernel{1, 1}, stride{1, 1}, padding{0, 0};
  bool ceil_mode = false;
  bool operator==(const Pool2d&) const = default;
};

/// Adaptive 2-D pooling to a fixed output size (PyTorch's AdaptiveAvgPool2d / AdaptiveMaxPool2d):
/// output cell i covers input rows floor(i·H/Ho) .. ceil((i+1)·H/Ho) - 1.
struct AdaptivePool2d {
  PoolKind kind = PoolKind::avg;
  Hw output{1, 1};
  bool operator==(const AdaptivePool2d&) const = default;
};

/// Batch normalization at inference: a per-channel affine map of [C, ...] (learned scale and shift;
/// the running statistics are buffers, not parameters, as torch counts them).
struct BatchNorm {
  std::int64_t channels = 0;
  bool operator==(const BatchNorm&) const = default;
};

/// Layer normalization over the last dimension, with a learned scale and shift.
struct LayerNorm {
  std::int64_t features = 0;
  bool operator==(const LayerNorm&) const = default;
};

enum class ActivationKind { relu, relu6, gelu, gelu_tanh, sigmoid, tanh };

/// Elementwise nonlinearity; gelu is the erf form (torch.nn.GELU), gelu_tanh the tanh approximation
/// (GPT-2).
struct Activation {
  ActivationKind kind = ActivationKind::relu;
  bool operator==(const Activation&) const = default;
};

/// Elementwise sum of two or more tensors of one shape (residual connections, embedding sums).
struct Add {
  bool operator==(const Add&) const = default;
};

/// Concatenation along a per-sample axis (0 is channels for [C, H, W]).
struct Concat {
  std::int64_t axis = 0;
  bool operator==(const Concat&) const = default;
};

/// Softmax along a per-sample axis.
struct Softmax {
  std::int64_t axis = -1;
  bool operator==(const Softmax&) const = default;
};

/// Table lookup: integer ids [...] -> [..., dim].
struct Embedding {
  std::int64_t num_embeddings = 0, dim = 0;
  bool operator==(const Embedding&) const = default;
};

/// Reshape (flatten included) to a per-sample shape with the same element count.
struct Reshape {
  Shape shape;
  bool operator==(const Reshape&) const = default;
};

/// Permutation of the per-sample axes (ViT turns [E, 14, 14] patches into [196, E] tokens).
struct Transpose {
  std::vector<std::int64_t> permutation;
  bool operator==(const Transpose&) const = default;
};

/// Contiguous range [start, start + length) of one per-sample axis (the [CLS] token, Q/K/V out of a
/// packed projection).
struct Slice {
  std::int64_t axis = 0, start = 0, length = 1;
  bool operator==(const Slice&) const = default;
};

/// A learned tensor that is the same for every sample and is not a layer's weight (ViT's class
/// token and position embedding). No inputs; its shape is its output shape.
struct Parameter {
  Shape shape;
  bool operator==(const Parameter&) const = default;
};

using Op = std::variant<Conv2d, Linear, MatMul, Attention, Pool2d, AdaptivePool2d, BatchNorm, LayerNorm, Activation,
                        Add, Concat, Softmax, Embedding, Reshape, Transpose, Slice, Parameter>;

/// "conv2d", "linear", "matmul", "attention", "pool2d", "adaptive_pool2d", "batch_norm", "layer_norm",
/// "activation", "add", "concat", "softmax", "embedding", "reshape", "transpose", "slice", "parameter".
std::string_view op_name(const Op& op);
std::string_view activation_name(ActivationKind kind);

/// Output shape of `op` for the given per-sample input shapes; a mismatch (channels, ranks, counts)
/// throws ModelError naming what was expected.
Shape infer_output_shape(const Op& op, std::span<const Shape> inputs);

/// FLOPs per sample, convention above: conv and linear 2·MACs (+1 per output with bias); matmul and
/// attention 2·MACs (+ attention's scale 1 and softmax 5 per score); pooling one per window element
/// (adaptive windows summed exactly); batch norm 2 per element; layer norm 8 per element;
/// activations relu 1, relu6 2, sigmoid 4, tanh 4, gelu 8, gelu_tanh 9; add (n-1) per element;
/// softmax 5 per element; data movement 0.
std::int64_t flops(const Op& op, std::span<const Shape> inputs, const Shape& output);

/// Multiply-accumulates per sample of the GEMM-like operators (conv, linear, matmul, attention's two
/// products); 0 for the rest. flops() = 2·macs() + the non-GEMM terms.
std::int64_t macs(const Op& op, std::span<const Shape> inputs, const Shape& output);

/// Learned parameters owned by `op` (a tied Linear owns none).
std::int64_t parameter_count(const Op& op);

// ---- Graph -------------------------------------------------------------------------------------

using TensorId = std::size_t;  // index into Network::tensors

struct Tensor {
  std::string name;
  Shape shape;  // per sample
  DType dtype = DType::fp32;
  bool operator==(const Tensor&) const = default;
};

struct Layer {
  std::string name;
  Op op;
  std::vector<TensorId> inputs;
  TensorId output = 0;
  bool operator==(const Layer&) const = default;
};

/// @brief A network: graph inputs, then layers in a valid execution order, each producing one tensor.
struct Network {
  std::string name;
  std::string source;         // where the architecture comes from: paper, or file and version
  DType dtype = DType::fp32;  // of activations and weights
  std::vector<Tensor> tensors;
  std::vector<Layer> layers;
  std::vector<TensorId> inputs, outputs;
  bool operator==(const Network&) const = default;

  const Tensor& tensor(TensorId id) const { return tensors.at(id); }
  std::vector<Shape> input_shapes(const Layer& layer) const;  // per sample
  const Shape& output_shape(const Layer& layer) const { return tensors.at(layer.output).shape; }
};

std::int64_t flops(const Network& net, const Layer& layer, std::int64_t batch);
std::int64_t macs(const Network& net, const Layer& layer, std::int64_t batch);
std::int64_t flops(const Network& net, std::int64_t batch);
std::int64_t macs(const Network& net, std::int64_t batch);
std::int64_t parameter_count(const Network& net);
/// Bytes of learned parameters at the network's dtype (tied weights once).
std::int64_t parameter_bytes(const Network& net);

/// @brief Builds a Network layer by layer, inferring each output shape as it goes, so a graph that
/// exists is consistent: every layer name unique, every input produced before use, shapes valid.
class GraphBuilder {
 public:
  GraphBuilder(std::string name, std::string source, DType dtype = DType::fp32);

  /// A graph input; `dtype` defaults to the network's (token ids pass DType::int64).
  TensorId input(std::string name, Shape shape);
  TensorId input(std::string name, Shape shape, DType dtype);

  /// Appends a layer; its output tensor takes the layer's name. Throws ModelError on a duplicate
  /// name, an unknown input, bad shapes or a Linear tied to a layer of another shape.
  TensorId add(std::string name, Op op, std::vector<TensorId> inputs);

  const Shape& shape(TensorId id) const { return net_.tensors.at(id).shape; }

  /// The finished network with the given outputs.
  Network finish(std::vector<TensorId> outputs) &&;

 private:
  Network net_;
};

}  // namespace deepnvm
