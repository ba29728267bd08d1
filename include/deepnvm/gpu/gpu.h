// SPDX-License-Identifier: MIT
#pragma once

// GPU presets (`kind: gpu` files under data/gpus/): SMs, clocks, L1/shared memory, L2 organisation,
// DRAM, peak throughput per precision, per-SM residency limits and the CTA tiles the lowering uses.
// Every value in a file is a mapping {value, source[, modelling_choice]}: the source says where the
// number comes from (shared/docs/notes/gpus.md tags it [S], [C], [R] or [I]); values NVIDIA does not
// publish (L2 associativity, slice hashing, kernel tiles) carry `modelling_choice: true`.
// Values are SI inside: bytes, Hz, bytes/s, FLOP/s (written `s^-1` in the files).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/core/config.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/workload/graph.h"

namespace deepnvm {

/// A CTA (thread block) tile of a GEMM main loop: TM x TN outputs, TK of the reduction per stage.
struct GemmTile {
  int m = 0, n = 0, k = 0;
  bool operator==(const GemmTile&) const = default;
};

/// Where one value of a preset comes from.
struct ValueSource {
  std::string source;
  bool modelling_choice = false;
  bool operator==(const ValueSource&) const = default;
};

/// @brief One GPU.
struct GpuSpec {
  std::string name;         // preset name, "gtx1080ti"
  std::string description;  // "NVIDIA GeForce GTX 1080 Ti (GP102, Pascal)"
  std::string source;       // the file's overall note

  // ---- compute
  std::string architecture;        // "pascal", "volta", "ampere", "hopper"
  std::string compute_capability;  // "6.1"
  double process = 0;              // feature size, m
  int sms = 0;
  std::optional<double> base_clock;  // Hz
  double boost_clock = 0;            // Hz; the clock of the roofline and of L2 bandwidth
  int fp32_lanes_per_sm = 0;
  std::optional<double> peak_fp32, peak_fp16, peak_bf16, peak_int8;  // dense FLOP/s (int8: OP/s)

  // ---- L1 / shared memory, per SM
  double l1_bytes = 0;              // unified L1/texture (data cache) capacity
  double shared_memory_per_sm = 0;  // largest shared-memory carve-out
  bool l1_caches_global_loads = false;

  // ---- residency limits per SM (CUDA compute-capability tables)
  int max_ctas_per_sm = 0;
  int max_threads_per_sm = 0;
  int registers_per_sm = 0;
  double max_shared_memory_per_cta = 0;

  // ---- L2
  double l2_capacity = 0;
  int l2_slices = 0;
  int l2_ways = 0;
  double l2_line = 0;    // bytes
  double l2_sector = 0;  // bytes
  int l2_partitions = 1;
  std::string l2_slice_hash;
  double l2_bandwidth = 0;  // bytes/s

  // ---- DRAM
  std::string dram_type;
  double dram_bandwidth = 0;  // bytes/s
  double dram_capacity = 0;   // bytes

  // ---- kernel tiles per precision (modelling choices)
  std::optional<GemmTile> tile_fp32, tile_fp16, tile_bf16, tile_int8;

  std::map<std::string, ValueSource> sources;  // key -> where its value comes from; every key present

  /// Peak FLOP/s of GEMMs in `type`; ModelError naming the preset when it has none.
  double peak(DType type) const;
  /// CTA tile of GEMMs in `type`; ModelError when the preset has none.
  GemmTile tile(DType type) const;

  bool operator==(const GpuSpec&) const = default;
};

/// The keys a gpu file may hold besides kind, name, description and source, in file order.
std::vector<std::string> gpu_value_keys();

/// @brief Parses a loaded `kind: gpu` document strictly: an unknown key, a value without a source, a
/// wrong unit or an out-of-range value is a ConfigError naming file, line and key.
GpuSpec parse_gpu(const ConfigNode& document);
GpuSpec load_gpu(const std::filesystem::path& path);

/// Normalized JSON of a preset (SI values, with sources).
nlohmann::ordered_json gpu_json(const GpuSpec& gpu);

/// Names of the presets in `<data_dir>/gpus/`, sorted.
std::vector<std::string> gpu_preset_names(const std::filesystem::path& data_dir);
/// The preset called `name` (the `name` inside a file of `<data_dir>/gpus/`); ConfigError listing
/// the known ones if there is none.
GpuSpec gpu_preset(const std::filesystem::path& data_dir, std::string_view name);

/// Adds the `gpu` input kind.
void register_builtin_gpu(Registry<InputKind>& kinds);

}  // namespace deepnvm
