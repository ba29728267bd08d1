// SPDX-License-Identifier: MIT
#pragma once

// NVSim `.cfg` files: the settings of one NVSim run (what to build, at which node, which part of the
// organisation space to search), read strictly into a plain struct in SI units.
//
// The key list is NVSim's InputParameter::ReadInputParameterFromFile. The reference runs used NVSim
// commit 6334d00; the copies of InputParameter.cpp we could read are the later commits 4bc8fbb and
// 92ea4e7 (same key list in both), cross-checked against every key the 137 reference inputs use
// (shared/reference/nvsim/inputs) and NVSim's shipped sample configurations.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepnvm {

/// `-DesignTarget`: a plain memory, a cache (data + tag arrays) or a content-addressable memory.
enum class DesignTarget { ram, cache, cam };

/// `-OptimizationTarget`; `exploration` is NVSim's full design-space dump (`Exploration`).
enum class OptimizationTarget {
  read_latency,
  write_latency,
  read_energy,
  write_energy,
  read_edp,
  write_edp,
  leakage,
  area,
  exploration
};

/// `-DeviceRoadmap`: the ITRS device flavour of the periphery (and of the cell's access device).
enum class DeviceRoadmap { hp, lstp, lop };

/// `-WriteScheme` (NVSim's multi-step writes). NVSim selects `normal` for any word it does not
/// know; deepnvm accepts only the explicit `Normal`.
enum class WriteScheme {
  normal,
  set_before_reset,
  reset_before_set,
  erase_before_set,
  erase_before_reset,
  write_and_verify
};

/// `-CacheAccessMode`: how the tag and data arrays combine (reference README §4.2).
enum class CacheAccessMode { normal, sequential, fast };

/// `-LocalWireType` / `-GlobalWireType`: the wire class whose pitch and RC tables are used.
enum class WireType {
  local_aggressive,
  local_conservative,
  semi_aggressive,
  semi_conservative,
  global_aggressive,
  global_conservative
};

/// `-LocalWireRepeaterType` / `-GlobalWireRepeaterType`: unrepeated, delay-optimal repeaters, or
/// repeaters sized for x % more delay than optimal in exchange for energy.
enum class RepeaterType { none, optimal, penalty_5, penalty_10, penalty_20, penalty_30, penalty_40, penalty_50 };

/// `-BufferDesignOptimization`: logical-effort driver sizing style (array-model note §2.0).
enum class BufferDesignStyle { latency, balance, area };

/// `-Routing`: H-tree or bus-like (non-H-tree) routing of mats in the bank.
enum class Routing { h_tree, non_h_tree };

/// The device flavour of deepnvm's technology files for an NVSim roadmap ("hp", "lstp", "lop").
std::string_view device_flavour(DeviceRoadmap v);

/// The NVSim spelling of each value, as a `.cfg` file writes it.
std::string_view nvsim_name(DesignTarget v);
std::string_view nvsim_name(OptimizationTarget v);
std::string_view nvsim_name(DeviceRoadmap v);
std::string_view nvsim_name(WriteScheme v);  // "Normal" for the default (NVSim has no word for it)
std::string_view nvsim_name(CacheAccessMode v);
std::string_view nvsim_name(WireType v);
std::string_view nvsim_name(RepeaterType v);
std::string_view nvsim_name(BufferDesignStyle v);
std::string_view nvsim_name(Routing v);

/// @brief One wire class setting (local or global). A field that is absent is searched over by NVSim.
struct WireSetting {
  std::optional<WireType> type;
  std::optional<RepeaterType> repeater;
  std::optional<bool> low_swing;

  bool operator==(const WireSetting&) const = default;
};

/// @brief `-ForceBank` / `-ForceMat (Total AxB, Active CxD): AxB, CxD`: a grid of A rows x B columns
/// (mats per bank, or subarrays per mat) of which C rows and D columns are active per access.
struct ForcedGrid {
  int rows = 0;
  int columns = 0;
  int active_rows = 0;
  int active_columns = 0;

  bool operator==(const ForcedGrid&) const = default;
};

/// @brief `-Apply<X>Constraint: x`: a design must be within (1 + x) of the best value of metric X
/// found by the search (array-model note §1.9). Absent means unconstrained.
struct NvsimConstraints {
  std::optional<double> read_latency;
  std::optional<double> write_latency;
  std::optional<double> read_energy;
  std::optional<double> write_energy;
  std::optional<double> leakage;
  std::optional<double> area;
  std::optional<double> read_edp;
  std::optional<double> write_edp;

  bool operator==(const NvsimConstraints&) const = default;
};

/// @brief Every setting NVSim's configuration reader understands, in SI units.
///
/// Settings NVSim defaults in its InputParameter constructor carry that default (a missing
/// `-ProcessNode`, `-DesignTarget` or `-OptimizationTarget` also adds a warning, so no default is
/// silent). Search-space settings (wires, buffer style, Force*) are optional: absent means NVSim
/// searches every value.
struct NvsimConfig {
  // What to build.
  DesignTarget design_target = DesignTarget::cache;                           // NVSim's default
  OptimizationTarget optimization_target = OptimizationTarget::read_latency;  // NVSim's default
  std::uint64_t capacity = 0;    // bytes (`-Capacity (B|KB|MB)`; NVSim's KB and MB are 1024 and 1024^2)
  std::uint64_t word_width = 0;  // bits; for a cache this is the line (`-WordWidth (bit)`)
  int associativity = 1;         // ways (`-Associativity (for cache only)`); NVSim's default 1
  CacheAccessMode cache_access_mode = CacheAccessMode::normal;
  WriteScheme write_scheme = WriteScheme::normal;

  // Technology and operating point.
  double process_node = 90e-9;  // feature size F, m (`-ProcessNode` in whole nm); NVSim's default 90 nm
  DeviceRoadmap device_roadmap = DeviceRoadmap::hp;  // required: NVSim leaves it uninitialised
  double temperature = 0.0;                          // K (`-Temperature (K)`, a whole number)
  /// The `-MemoryCellInputFile` value as written, and that path resolved against the directory of
  /// the `.cfg` (NVSim itself opens it relative to its working directory).
  std::string cell_file_as_written;
  std::filesystem::path cell_file;

  // Circuit choices.
  WireSetting local_wire;
  WireSetting global_wire;
  Routing routing = Routing::h_tree;
  bool internal_sensing = true;
  std::optional<BufferDesignStyle> buffer_design;  // absent: all three searched
  double max_nmos_size = 100.0;                    // largest NMOS width, in F (`-MaxNmosSize (F)`, MAX_NMOS_SIZE)
  std::optional<double> max_driver_current;        // A; NVSim parses it but never uses it (quirk Q31)

  // Organisation: forced parts of the search space (array-model note §1.8).
  std::optional<ForcedGrid> force_bank;  // mats per bank
  std::optional<ForcedGrid> force_mat;   // subarrays per mat
  std::optional<int> force_mux_sense_amp;
  std::optional<int> force_mux_output_lev1;
  std::optional<int> force_mux_output_lev2;
  /// `-UseCactiAssumption: Yes` (mats of 2x2 active subarrays, one row of mats active). NVSim
  /// applies it when its line is read, so a Force line *before* it is overridden by it and one
  /// after it overrides it (quirk Q3); the two flags record that order (false without both lines).
  bool use_cacti_assumption = false;
  bool cacti_assumption_after_force_bank = false;
  bool cacti_assumption_after_force_mat = false;

  // Search.
  bool enable_pruning = false;
  NvsimConstraints constraints;
  std::string output_file_prefix = "output";  // NVSim's exploration CSV name; NVSim's default

  // NAND flash (NVSim reads these; deepnvm's cell layer rejects flash cells).
  std::optional<std::uint64_t> flash_page_size;   // bytes (`-FlashPageSize (Byte)`)
  std::optional<std::uint64_t> flash_block_size;  // bytes (`-FlashBlockSize (KB)`, KB = 1024)

  // Diagnostics of the read.
  std::vector<std::string> ignored_keys;  // keys NVSim's samples carry but NVSim never reads, in file order
  std::vector<std::string> warnings;      // "file:line: ..." messages, in file order

  bool operator==(const NvsimConfig&) const = default;
};

/// @brief Reads NVSim `.cfg` text strictly. Every key must be one NVSim reads, spelled with the unit
/// NVSim's sscanf format expects; keys NVSim's own samples carry but NVSim ignores (`-Optimization`)
/// are accepted, listed in `ignored_keys` and warned about as "file:line: key ignored (NVSim ignores
/// it too)". Anything else (unknown key, unit typo, malformed or out-of-range value, unknown enum
/// value, duplicate, missing required key) is a ConfigError naming `file`, the line and the key,
/// with a did-you-mean where one fits. `file` names the input in messages and anchors the cell path.
NvsimConfig read_nvsim_config(std::string_view text, const std::filesystem::path& file);

/// @brief Reads an NVSim `.cfg` file (IoError if it cannot be read).
NvsimConfig load_nvsim_config(const std::filesystem::path& path);

/// @brief The NVSim `.cfg` text equivalent to `config` (readable by NVSim 6334d00 and by
/// read_nvsim_config). Ignored keys and warnings are not written. ModelError for a value NVSim's
/// format cannot carry (a fractional node or temperature).
std::string to_nvsim_config(const NvsimConfig& config);

}  // namespace deepnvm
