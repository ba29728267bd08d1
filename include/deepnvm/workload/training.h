// SPDX-License-Identifier: MIT
#pragma once

// Expansion of a network into the ordered steps one iteration executes (docs/models/traffic.md
// "Training expansion"): inference is the forward pass; training is forward, backward (per layer in
// reverse order: backward-data, then backward-weight) and the optimizer update of every parameter
// tensor, with every activation the backward pass needs stashed.
//
// The plan knows nothing of GPUs. It names the buffers an iteration touches (activations, weights,
// gradients, optimizer state, saved statistics, workspaces) with their sizes, and for each step the
// buffers it reads and writes, its FLOPs and, for GEMM-like steps, the GEMM shape and how each
// operand is laid out in its buffer, so that lowering can place buffers at addresses and generate
// the accesses of tiled kernels.
//
// Memory layout (a modelling choice, docs/models/traffic.md): activations are batch-major and
// channels-last (NHWC for images, [N, S, E] for sequences), as CUTLASS's implicit GEMM expects;
// convolution filters are [K][R][S][C/groups]; Linear weights are [out][in] as PyTorch stores them.
//
// FLOPs (exact, tested): the forward step FLOPs of a layer equal `flops(net, layer, batch)` at
// inference. Training changes the forward of batch norm only (batch statistics: 8 per element, as
// layer norm, instead of the folded 2). Backward: each data-gradient GEMM and each weight-gradient
// GEMM costs 2·MACs of the forward GEMM it differentiates (conv dgrad and wgrad MACs = fprop MACs);
// a bias gradient 1 per output-gradient element; the nominal per-element costs of the other
// backward steps are listed at `backward_flops_per_element` in training.cpp and in the doc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/workload/graph.h"

namespace deepnvm {

enum class Mode { inference, training };
enum class Optimizer { sgd_momentum, adam };
/// Which part of the iteration a step belongs to.
enum class Pass { forward, backward_data, backward_weight, update };

std::string_view mode_name(Mode mode);             // "inference", "training"
std::string_view optimizer_name(Optimizer opt);    // "sgd_momentum", "adam"
std::string_view pass_name(Pass pass);             // "fwd", "dgrad", "wgrad", "update"
Mode parse_mode(std::string_view name);            // ConfigError listing the known names
Optimizer parse_optimizer(std::string_view name);  // accepts "sgd" for sgd_momentum

/// FLOPs per parameter of one optimizer step: SGD with momentum 4 (v = μv + g: 2; w -= lr·v: 2);
/// Adam 14 (m: 3, v: 4, bias-corrected m̂ and v̂: 2, sqrt, +ε, divide, ·lr, subtract: 5).
std::int64_t update_flops_per_parameter(Optimizer opt);
/// Optimizer state tensors per parameter tensor: 1 (momentum) or 2 (Adam m and v).
int optimizer_state_count(Optimizer opt);

enum class BufferRole {
  input,            // graph inputs (images, token ids): did not originate on the GPU in the iteration
  activation,       // layer outputs (stashed in training)
  weight,           // learned parameters
  activation_grad,  // gradients of activations
  weight_grad,      // gradients of parameters
  optimizer_state,  // momentum, Adam m and v
  saved,            // forward by-products the backward reads (max-pool indices, attention probabilities)
  workspace,        // temporaries of one step (attention score gradients)
};
std::string_view buffer_role_name(BufferRole role);

using BufferId = std::size_t;

/// A region of memory of one iteration; `bytes` is its physical size (batch included).
struct Buffer {
  std::string name;
  BufferRole role = BufferRole::activation;
  std::int64_t bytes = 0;
  bool operator==(const Buffer&) const = default;
};

/// A contiguous byte range of a buffer that a streaming step reads or writes. A range longer than the
/// buffer wraps around it (a parameter broadcast over the batch). With `gather_row_bytes` > 0 the
/// range is bytes/gather_row_bytes rows picked at data-dependent places in the buffer (embedding).
struct Region {
  BufferId buffer = 0;
  std::int64_t offset = 0;  // bytes from the buffer start
  std::int64_t bytes = 0;
  std::int64_t gather_row_bytes = 0;
  bool operator==(const Region&) const = default;
};

/// One index of a matrix operand, split in two levels: index x lies at
/// (x / lo_count)·hi_stride + (x % lo_count)·lo_stride elements. lo_count = 0 means no split.
struct IndexMap {
  std::int64_t lo_count = 0;
  std::int64_t lo_stride = 0;
  std::int64_t hi_stride = 0;
  bool operator==(const IndexMap&) const = default;
};

/// Geometry of an implicit-GEMM gather (im2col) over an NHWC activation: rows are pixels
/// (n, oh, ow) of the output grid, columns taps (r, s, c) with c fastest. Forward: input pixel
/// (oh·stride + r·dilation - pad, ...). Transposed (the data gradient): input pixel
/// ((oh + pad - r·dilation) / stride, ...) where the division is exact, else the tap is skipped.
struct Im2col {
  std::int64_t in_h = 0, in_w = 0;    // grid of the gathered tensor
  std::int64_t out_h = 0, out_w = 0;  // pixel grid of the rows
  std::int64_t channels = 0;          // channels per tap (per group)
  std::int64_t pixel_stride = 0;      // elements between pixels (all channels of all groups)
  Hw kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  bool transposed = false;
  bool operator==(const Im2col&) const = default;
};

/// Where a GEMM operand lives: element (row, col) of GEMM batch b is at
/// offset + rows(row) + cols(col) + batches(b) elements of `buffer`, or gathered by `im2col`.
struct Operand {
  BufferId buffer = 0;
  std::int64_t offset = 0;  // elements
  IndexMap rows, cols, batches;
  std::optional<Im2col> im2col;  // rows = pixels, cols = taps; batches select channel groups
  bool operator==(const Operand&) const = default;
};

/// C[M,N] = A[M,K]·B[K,N] for each of `batch` independent problems (heads, groups, samples).
struct Gemm {
  std::int64_t m = 0, n = 0, k = 0, batch = 1;
  Operand a, b, c;
  std::optional<BufferId> bias;  // read in the epilogue (N elements)
  std::int64_t macs() const { return m * n * k * batch; }
  bool operator==(const Gemm&) const = default;
};

enum class StepKind {
  gemm,         // tiled matrix product (implicit GEMM for convolutions)
  elementwise,  // one output element per input element(s)
  reduction,    // reduces along an axis (norms, pooling, bias gradients, statistics)
  gather,       // table lookup (embedding)
  copy,         // data movement (concat, transpose, slice)
  update,       // optimizer step over one parameter tensor
};
std::string_view step_kind_name(StepKind kind);

/// One step of the iteration.
struct Step {
  std::size_t layer = 0;  // index into Network::layers
  Pass pass = Pass::forward;
  std::string name;  // what the step computes: "fprop", "dgrad", "wgrad", "bias_grad", "softmax", ...
  StepKind kind = StepKind::elementwise;
  std::int64_t flops = 0;
  std::vector<Region> reads, writes;  // every byte range touched (for a GEMM: its operands whole)
  std::optional<Gemm> gemm;           // kind == gemm
  bool operator==(const Step&) const = default;
};

struct ExpansionOptions {
  Mode mode = Mode::inference;
  std::int64_t batch = 1;
  DType dtype = DType::fp32;  // of activations, weights and gradients (int64 token ids keep theirs)
  Optimizer optimizer = Optimizer::sgd_momentum;
  bool operator==(const ExpansionOptions&) const = default;
};

/// @brief The steps of one iteration and the buffers they touch.
struct ExecutionPlan {
  ExpansionOptions options;
  std::vector<Buffer> buffers;
  std::vector<Step> steps;
  std::vector<BufferId> tensor_buffer;  // forward storage of each network tensor

  std::int64_t flops() const;
  std::int64_t flops(Pass pass) const;
};

/// Expands `net` (ModelError for a batch < 1, or int8 training: int8 is inference-only here).
ExecutionPlan expand(const Network& net, const ExpansionOptions& options);

}  // namespace deepnvm
