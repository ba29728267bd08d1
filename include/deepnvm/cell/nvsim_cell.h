// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/cell/cell.h"

namespace deepnvm {

/// @brief Reads an NVSim `.cell` file strictly: every key NVSim's reader (MemCell.cpp, NVSim
/// commit 6334d00) understands, with NVSim's spelling and unit; keys NVSim's own samples carry but
/// NVSim ignores (`-ReadEnergy (pJ)`) are accepted and reported in `ignored_keys` as
/// "file:line: key ignored (NVSim ignores it too)"; anything else is a ConfigError naming the line
/// and offering the closest key. SRAM files become an SramCell, MRAM/PCRAM/memristor a ResistiveCell.
std::unique_ptr<Cell> read_nvsim_cell(std::string_view text, const std::string& file_name);
std::unique_ptr<Cell> load_nvsim_cell(const std::filesystem::path& path);

/// @brief The NVSim `.cell` text equivalent to `f` (for cross-checks with NVSim). Needs the area in
/// F^2, so physics-derived cells must be characterized at a node. Figures NVSim cannot represent
/// (a separate SOT write path, retention, WER) are written as comments.
std::string to_nvsim_cell(const CellFigures& f);

}  // namespace deepnvm
