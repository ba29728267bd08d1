// SPDX-License-Identifier: MIT
#pragma once

// ONNX import: an .onnx file with static shapes becomes a workload Network (docs/models/workload.md,
// "ONNX import", lists the supported operators, the fusions and the limits).
//
// The importer folds what is known at import time (initializers, Constant nodes, shape arithmetic
// such as Shape -> Gather -> Unsqueeze -> Concat -> Reshape), finds the batch dimension and removes
// it (graph shapes are per sample), and fuses the exporter's decompositions back into layers:
// LayerNorm (ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div-Mul-Add, or LayerNormalization), GELU (erf
// and tanh forms), attention (MatMul-scale-[mask]-Softmax-MatMul between the head split and merge)
// and MatMul + bias Add (one Linear). Parameters are counted from their shapes, so a file exported
// without weights (torch.onnx.export(..., export_params=False)) imports the same.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "deepnvm/workload/graph.h"

namespace deepnvm {

struct OnnxImportOptions {
  /// Network name; empty: the file name without its extension.
  std::string name{};
  /// Names of the graph inputs that carry data (images, token ids). Empty: every graph input that is
  /// not an initializer and whose leading dimension is symbolic; if none is symbolic, every such input
  /// that is not used as a weight (Conv/Gemm/MatMul/BatchNormalization/LayerNormalization weights,
  /// embedding tables). Name them when a file has static shapes and its parameters as inputs.
  std::vector<std::string> data_inputs{};
  /// Activation and weight type of the network.
  DType dtype = DType::fp32;
  bool operator==(const OnnxImportOptions&) const = default;
};

/// @brief Reads an ONNX model and returns its layer graph, per sample. Throws IoError when the file
/// cannot be read, and ModelError naming the file when it is not a valid model, has a dynamic
/// dimension other than the batch, or uses an operator outside the supported set (the message names
/// the op type and the node).
Network import_onnx(const std::filesystem::path& file, const OnnxImportOptions& options = {});

}  // namespace deepnvm
