// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <memory>

#include "deepnvm/cell/cell.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"

namespace deepnvm {

/// Adds the cell kinds (`sram_cell`, `stt_mram_cell`, `sot_mram_cell`, `resistive_cell`, `fefet_cell`) to both
/// registries: as input kinds (check, schema) and as cell models (characterization).
void register_builtin_cell(Registry<InputKind>& kinds, Registry<CellFactory>& models);

/// Loads a cell file: NVSim `.cell` files by their extension, native YAML/JSON files by their `kind`.
std::unique_ptr<Cell> load_cell(const std::filesystem::path& path, const Registry<CellFactory>& models);

}  // namespace deepnvm
