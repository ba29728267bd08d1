// SPDX-License-Identifier: MIT
#pragma once

// A trained network's weights, as `deepnvm-learn export` writes them and the crossbar evaluation
// reads them (docs/models/imc.md §6). One file: the line "DEEPNVM-WEIGHTS 1", a one-line JSON header
// {"network": zoo name, "source": how it was trained, "tensors": [{"name", "shape"}, ...]}, then each
// tensor's float32 values, little-endian, row-major, in header order. Names are the zoo graph's
// layer names with ".weight" or ".bias" (fc1.weight: [out, in]; conv1.weight: [out, in, kh, kw]).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace deepnvm::imc {

struct WeightTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

struct WeightFile {
  std::string network, source;
  std::string file;  ///< where it was read from (errors name it)
  std::map<std::string, WeightTensor> tensors;
  /// The tensor `name` with `shape`; ConfigError naming the file, the tensor and the shape expected otherwise.
  const WeightTensor& get(const std::string& name, const std::vector<std::int64_t>& shape) const;
};

/// Writes `weights` atomically (IoError if it cannot).
void write_weights(const std::filesystem::path& path, const WeightFile& weights);

/// Reads a weight file; a missing file, a bad first line, a malformed header, a shape whose size does
/// not match, or a truncated or over-long file is an IoError naming the file and what was expected.
WeightFile read_weights(const std::filesystem::path& path);

}  // namespace deepnvm::imc
