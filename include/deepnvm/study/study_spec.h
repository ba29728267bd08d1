// SPDX-License-Identifier: MIT
#pragma once

// Study files (`kind: study`, data/studies/*.yaml) and DRAM energy tables (`kind: dram_energy`,
// data/dram/*.yaml), read strictly: an unknown key, a wrong unit, an unknown network, GPU, cell or
// DRAM type is a ConfigError naming the file, the line and the key (the unknown-name ones list the
// known names).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::study {

/// A workload measured with a profiler (nvprof / Nsight Compute CSV, profile/import.h).
struct ProfileWorkload {
  std::string file;                    ///< CSV, relative to the study file
  std::optional<std::string> name;     ///< name in the results; default: the file's stem
  std::optional<std::string> network;  ///< zoo name or ONNX file the model's curve comes from
  std::string mode = "training";
  std::int64_t batch = 1;
  static const Schema<ProfileWorkload>& schema();
};

struct BatchSizes {
  std::vector<std::int64_t> training;
  std::vector<std::int64_t> inference;
  static const Schema<BatchSizes>& schema();
};

struct ScalabilitySpec {
  bool enabled = true;
  double from = 1 << 20;   ///< bytes, all slices
  double to = 1ull << 30;  ///< bytes, all slices
  static const Schema<ScalabilitySpec>& schema();
};

struct MissRatioSpec {
  std::string method = "sampled";  ///< "sampled" (SHARDS) or "exact"
  double sampling_rate = 1.0 / 16;
  std::int64_t seed = 0;
  static const Schema<MissRatioSpec>& schema();
};

struct ArraySettings {
  std::string optimize = "read_edp";
  std::string model = "nvsim";
  std::string access_mode = "sequential";  ///< how a slice reads tag and data (array_spec.h modes)
  std::string roadmap = "hp";
  double temperature = 350;
  std::int64_t associativity = 0;  ///< 0: the GPU's L2 ways
  static const Schema<ArraySettings>& schema();
};

struct EnergySettings {
  bool dram = true;                             ///< add DRAM energy to the totals and EDPs
  std::optional<std::string> dram_type;         ///< default: the GPU's dram_type
  std::string dram_table = "dram/energy.yaml";  ///< relative to the data directory
  static const Schema<EnergySettings>& schema();
};

/// @brief A whole study file.
struct StudySpec {
  std::string name;
  std::string description;
  std::string gpu;                        ///< preset name (data/gpus)
  double node = 0;                        ///< m
  std::vector<std::string> technologies;  ///< cell ids (data/cells/<id>.yaml) or cell files
  std::string baseline = "sram";
  std::vector<std::string> networks;  ///< zoo names or .onnx files
  std::vector<ProfileWorkload> profiles;
  std::vector<std::string> modes;
  BatchSizes batch;
  std::string dtype = "fp32";
  std::string optimizer = "sgd_momentum";
  bool iso_area = true;
  ScalabilitySpec scalability;
  MissRatioSpec miss_ratio;
  ArraySettings array;
  EnergySettings energy;

  std::filesystem::path file;  ///< where it was read from (set by load_study)
  static const Schema<StudySpec>& schema();
};

/// @brief Reads a study file strictly. Network names are checked against `networks`, technologies
/// against `<data_dir>/cells`, the GPU against `<data_dir>/gpus`, with the file, line and key.
/// `networks` defaults to the built-in zoo.
StudySpec load_study(const std::filesystem::path& path, const std::filesystem::path& data_dir,
                     const Registry<NetworkFactory>* networks = nullptr);

/// The cell file of technology `id` (a path as written, relative to the study file, or
/// `<data_dir>/cells/<id>.yaml`); ConfigError listing the known cell ids if there is none.
std::filesystem::path technology_cell_file(const StudySpec& spec, const std::string& id,
                                           const std::filesystem::path& data_dir);
/// The id a technology entry stands for in results: the file stem of a path, else the id itself.
std::string technology_id(const std::string& entry);

/// One DRAM type's access energy.
struct DramType {
  std::string name;
  double energy_per_bit = 0;  ///< J per bit transferred
  std::string source;
  bool assumption = false;
  static const Schema<DramType>& schema();
};

struct DramEnergyTable {
  std::string source;
  std::vector<DramType> types;
  static const Schema<DramEnergyTable>& schema();
  /// ConfigError listing the known types when `name` is not one (case-insensitive).
  const DramType& find(const std::string& name, const SourceLocation& where = {}) const;
};

DramEnergyTable load_dram_table(const std::filesystem::path& path);

/// Adds the `study` and `dram_energy` input kinds (`deepnvm check`, `deepnvm schema`).
void register_builtin_study(Registry<InputKind>& kinds);

}  // namespace deepnvm::study
