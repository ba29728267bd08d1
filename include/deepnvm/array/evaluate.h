// SPDX-License-Identifier: MIT
#pragma once

// A whole NVSim run: an NVSim configuration (what to build, at which node, what part of the
// organisation space to search) evaluated with the bank/mat/subarray model, as a RAM or as a cache
// of a data and a tag array [NVSim main.cpp, Result.cpp (commit 6334d00);
// shared/docs/notes/array-model.md §1.6-1.9].

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/array/bank.h"
#include "deepnvm/array/compat.h"
#include "deepnvm/array/nvsim_config.h"
#include "deepnvm/circuit/model.h"
#include "deepnvm/circuit/wire.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {

/// The wire choice of one design: type and repeaters of the local and of the global wires.
struct WireChoice {
  WireType type = WireType::local_aggressive;
  RepeaterType repeater = RepeaterType::none;
  bool low_swing = false;
  bool operator==(const WireChoice&) const = default;
};

/// @brief One evaluated design of one array (data or tag): its organisation, wires and bank.
struct ArrayDesign {
  BankSpec spec;
  BufferDesignStyle buffer_style = BufferDesignStyle::latency;
  WireChoice local_wire, global_wire;
  Bank bank;
  bool valid() const { return bank.valid; }
};

/// @brief The figures of a RAM, or of a cache assembled from its data and tag arrays as NVSim's
/// Result::printAsCache does (reference README §4.2). SI units.
struct ArrayFigures {
  double area = 0.0, height = 0.0, width = 0.0;
  double read_latency = 0.0, write_latency = 0.0;
  double read_energy = 0.0, write_energy = 0.0;
  double leakage = 0.0;
  // Caches.
  double hit_latency = 0.0, miss_latency = 0.0, hit_energy = 0.0, miss_energy = 0.0;
  // SET/RESET cells (PCM, and memristors with an access device): write = the larger of the two.
  bool set_reset = false;
  double set_latency = 0.0, reset_latency = 0.0, set_energy = 0.0, reset_energy = 0.0;
};

/// @brief The result of evaluating an NVSim configuration.
struct ArrayResult {
  DesignTarget target = DesignTarget::ram;
  OptimizationTarget optimization_target = OptimizationTarget::read_latency;
  CacheAccessMode access_mode = CacheAccessMode::normal;
  ArrayDesign data;
  std::optional<ArrayDesign> tag;
  ArrayFigures figures;
  std::uint64_t candidates = 0;        // organisations evaluated (data + tag)
  std::uint64_t valid_candidates = 0;  // of which legal
  std::string cell_name, cell_type;
  double node = 0.0, temperature = 0.0;
  std::string node_source;
  circuit::CircuitModel model = circuit::CircuitModel::nvsim;
  Compat compat = Compat::nvsim;
  int slices = 1;  // area and leakage are of all slices; everything else is per slice  // "nvsim" (NVSim's own tables),
                   // or the table set used below 22 nm
  std::vector<std::string> warnings, ignored_keys;
};

/// @brief CACTI's whole-cache objective [CACTI Ucache.cc filter_tag_arr, filter_data_arr,
/// find_optimal_uca; reference README §6 item 10]: metrics in the order delay (access time), dynamic
/// read energy, leakage, cycle time, area. `weight` is CACTI's "design objective", `deviation` its
/// "deviate" (percent above the minimum a design may be), `ed` its "Optimize ED or ED^2" (0 NONE,
/// 1 ED, 2 ED^2).
struct CactiObjective {
  std::array<double, 5> weight{100.0, 0.0, 0.0, 0.0, 0.0};
  std::array<double, 5> deviation{1e5, 1e5, 1e5, 1e5, 1e5};
  int ed = 0;
  bool operator==(const CactiObjective&) const = default;
};

/// @brief How to evaluate: the circuit model (NVSim's, the default and bit-identical to NVSim, or the
/// CACTI-like one of cacti_mode.h), the search's thread count (0: one per hardware thread; the result
/// does not depend on it) and, for the CACTI model, CACTI's objective (default: the cfg's target
/// mapped as the reference runs did, cacti_objective_for()).
/// How `compat: fixed` chooses a cache's data and tag arrays: `joint` (the default) minimises the
/// cache's own target figure over every (tag, data) pair, pruned to the tags on the Pareto front of
/// the tag figures that target depends on; `separate` optimises each array alone for the target, as
/// NVSim does (quirk Q2), for comparison; `exhaustive` is `joint` without the pruning (every tag
/// against every data organisation: a brute-force reference for tests, quadratic in time).
enum class CacheSearch { joint, separate, exhaustive };

struct ArrayOptions {
  circuit::CircuitModel model = circuit::CircuitModel::nvsim;
  unsigned threads = 0;
  std::optional<CactiObjective> cacti_objective;
  /// `nvsim` reproduces NVSim (quirks and search semantics); `fixed` corrects the quirks that are
  /// bugs and searches caches jointly (docs/models/array.md "compat: fixed"). NVSim circuit model only.
  Compat compat = Compat::nvsim;
  CacheSearch cache_search = CacheSearch::joint;  // compat: fixed only
};

/// @brief compat: fixed's corrections of NVSim's device tables at the table nodes themselves: the
/// 22 nm I_on,p(T) = I_on,n(T)/2 without NVSim's one-step index shift (Q5), and the two table typos of
/// Q6 (90 nm LSTP I_off,n at 320 K, 65 nm LOP I_off,p at 370 K) replaced by the geometric mean of their
/// neighbours. Other table sets, and nodes between the tables, are returned unchanged.
Technology fixed_technology(Technology technology);

/// @brief The cache-level value of `target` for a tag bank and a data bank, as cache_figures()
/// reports it (hit latency and energy for the read targets; data + tag for leakage and area).
double cache_target_value(const ArrayFigures& cache, OptimizationTarget target);

/// @brief NVSim's Result::printAsCache [reference README §4.2; note §1.7]: the cache figures of a
/// data and a tag bank. With `compat == fixed`, the normal-mode hit latency waits for the tag only
/// at the data array's column decoder, max(T.read + D.coldec, D.mat) + D.tree (NVSim adds the
/// column decoder a second time: quirk Q9).
ArrayFigures cache_figures(const Bank& data, const Bank& tag, CacheAccessMode mode, bool set_reset,
                           Compat compat = Compat::nvsim);

/// @brief Evaluates `config` against the technology tables under `data_dir` [NVSim main.cpp]. The
/// NVSim table set is used at 22-90 nm (interpolated between table nodes as NVSim does). Forced
/// organisations (ForceBank, ForceMat, ForceMux*) fix the corresponding loops; the rest is searched
/// over NVSim's space for the optimisation target, first with the cfg's (or the basic) wires, then
/// refining local and global wires separately (note §1.6). Caches search the tag array first in
/// NVSim's reduced space (quirk Q1), each array for the same target (quirk Q2). Throws ConfigError /
/// ModelError for what NVSim would refuse (e.g. no valid organisation, external sensing with an H-tree).
/// The search runs on `threads` threads (0: one per hardware thread); the result does not depend on it.
/// With `options.compat == fixed` the quirks that are bugs are corrected and a cache's tag array is
/// searched in the full space jointly with its data array for the cache's own target (see CacheSearch).
/// With `options.model == cacti` the CACTI-like model runs instead (cacti_mode.h): CACTI's tables,
/// device and wires, CACTI's organisation family and CACTI's whole-cache objective.
ArrayResult evaluate_nvsim_config(const NvsimConfig& config, const std::filesystem::path& data_dir,
                                  const ArrayOptions& options);
ArrayResult evaluate_nvsim_config(const NvsimConfig& config, const std::filesystem::path& data_dir,
                                  unsigned threads = 0);

/// @brief The same with the cell already loaded (a native cell file, or any Cell model); the
/// config's cell path is ignored.
ArrayResult evaluate_array(const NvsimConfig& config, const Cell& cell, const std::filesystem::path& data_dir,
                           const ArrayOptions& options);
ArrayResult evaluate_array(const NvsimConfig& config, const Cell& cell, const std::filesystem::path& data_dir,
                           unsigned threads = 0);

/// @brief evaluate_array() of `config` at each of `capacities` (bytes, in place of config.capacity),
/// each result the same as that call's. The NVSim model searches every capacity in one pass, so a mat
/// that several capacities meet (the same mat under a bank grid of twice the mats, for twice the
/// capacity) is sized once: a capacity sweep costs far less than its searches one by one. Errors
/// name the capacity when there are several.
std::vector<ArrayResult> evaluate_array_capacities(const NvsimConfig& config, std::span<const std::uint64_t> capacities,
                                                   const Cell& cell, const std::filesystem::path& data_dir,
                                                   const ArrayOptions& options);

/// The JSON of `deepnvm array` (docs/json_format.md): fixed lower-case top-level SI keys.
nlohmann::ordered_json to_json(const ArrayResult& result);

}  // namespace deepnvm
