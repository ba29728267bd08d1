// SPDX-License-Identifier: MIT
#pragma once

// The native array input (`kind: array`): a RAM or cache of one cell at one node, optionally built
// as `slices` identical slice arrays (a GPU L2: the GTX 1080 Ti's 2816 KiB is 22 x 128 KiB), read
// strictly and turned into the NVSim-equivalent configuration the model evaluates.

#include <filesystem>
#include <optional>
#include <string>

#include "deepnvm/array/evaluate.h"
#include "deepnvm/core/schema.h"

namespace deepnvm {

struct ArraySpecFile {
  std::string name;
  std::string cell;  // cell file (native YAML/JSON or NVSim .cell), relative to the spec file
  double node = 0.0;
  std::string roadmap = "hp";
  double temperature = 350.0;
  std::string design = "cache";
  double capacity = 0.0;  // bytes, all slices together
  int slices = 1;
  double line = 0.0;  // bytes: the cache line, or the RAM word
  int associativity = 1;
  std::string access_mode = "normal";
  std::string optimize = "read_edp";
  std::string local_wire = "local_aggressive";
  std::string global_wire = "global_aggressive";
  std::optional<std::string> buffer_design;
  std::string model = "nvsim";   // circuit model: "nvsim" or "cacti" (circuit/model.h)
  std::string compat = "nvsim";  // "nvsim" (NVSim's quirks and search) or "fixed" (array/compat.h)

  static const Schema<ArraySpecFile>& schema();
};

/// @brief The NVSim-equivalent configuration of one slice of `spec` (whose file was `file`: the cell
/// path is resolved against its folder). ConfigError naming the key when the capacity does not split
/// into `slices` equal power-of-two slices, or a slice holds fewer bytes than one set.
NvsimConfig to_nvsim_config(const ArraySpecFile& spec, const std::filesystem::path& file);

/// Multiplies what grows with the slice count (area, leakage) by `slices`; latencies and energies per
/// access are those of one slice.
void scale_to_slices(ArrayResult& result, int slices);

}  // namespace deepnvm
