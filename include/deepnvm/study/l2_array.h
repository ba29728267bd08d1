// SPDX-License-Identifier: MIT
#pragma once

// An L2 of one technology built with the array model (array/evaluate.h): `slices` identical cache
// slices of one power-of-two capacity, each evaluated as an NVSim-class cache whose access word is one
// 32-byte sector (docs/models/study.md §4).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/cell/cell.h"
#include "deepnvm/study/energy_delay.h"

namespace deepnvm::study {

/// @brief How every slice of an L2 is built.
struct L2ArraySpec {
  std::string technology;           ///< id in the study ("sram")
  std::filesystem::path cell_file;  ///< native cell file or NVSim .cell
  double node = 0;                  ///< m
  double temperature = 350;         ///< K
  std::string roadmap = "hp";       ///< device flavour of the periphery
  int slices = 1;
  int associativity = 16;
  double access_bytes = kSectorBytes;      ///< the array's access word (one sector)
  std::string optimize = "read_edp";       ///< organisation search target (array_spec.h names)
  std::string model = "nvsim";             ///< circuit model
  std::string access_mode = "sequential";  ///< normal | sequential | fast
  bool operator==(const L2ArraySpec&) const = default;
};

/// The inputs that decide the figures, normalized (cell file by content hash), for cache keys.
nlohmann::ordered_json l2_key(const L2ArraySpec& spec, std::uint64_t slice_bytes);

/// @brief The whole L2 (all slices) at one power-of-two slice capacity, searched with the array model.
/// ConfigError / ModelError from the array model pass through.
L2Figures evaluate_l2(const L2ArraySpec& spec, const Cell& cell, std::uint64_t slice_bytes,
                      const std::filesystem::path& data_dir, unsigned threads);

/// @brief evaluate_l2() at several slice capacities, searched in one pass (evaluate_array_capacities:
/// mats shared between capacities are sized once); the same figures as one call per capacity.
std::vector<L2Figures> evaluate_l2_slices(const L2ArraySpec& spec, const Cell& cell,
                                          const std::vector<std::uint64_t>& slice_bytes,
                                          const std::filesystem::path& data_dir, unsigned threads);

nlohmann::ordered_json to_json(const L2Figures& figures);
L2Figures l2_figures_from_json(const nlohmann::ordered_json& json);

}  // namespace deepnvm::study
