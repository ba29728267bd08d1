// SPDX-License-Identifier: MIT
#include "deepnvm/study/study_spec.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"
#include "deepnvm/gpu/gpu.h"

namespace deepnvm::study {

const Schema<ProfileWorkload>& ProfileWorkload::schema() {
  static const Schema<ProfileWorkload> s = [] {
    Schema<ProfileWorkload> s("profile workload", "A workload measured with nvprof or Nsight Compute (CSV).");
    using P = ProfileWorkload;
    s.field("file", &P::file).desc("Profiler CSV, relative to the study file.");
    s.field("name", &P::name).desc("Name in the results (default: the file name without extension).");
    s.field("network", &P::network)
        .desc(
            "Zoo network or ONNX file whose modelled miss-ratio curve, scaled to the measurement, gives the "
            "traffic of other capacities (iso-area, scalability); without it those studies are refused.");
    s.field("mode", &P::mode).one_of({"training", "inference"}).default_value("training").desc("What was measured.");
    s.field("batch", &P::batch).min(1).max(1 << 20).default_value(1).desc("Batch size of the measurement.");
    return s;
  }();
  return s;
}

const Schema<BatchSizes>& BatchSizes::schema() {
  static const Schema<BatchSizes> s = [] {
    Schema<BatchSizes> s("batch sizes", "Batch sizes per mode.");
    s.field("training", &BatchSizes::training).min(1).max(1 << 20).default_value({}).desc("Training batch sizes.");
    s.field("inference", &BatchSizes::inference).min(1).max(1 << 20).default_value({}).desc("Inference batch sizes.");
    return s;
  }();
  return s;
}

const Schema<ScalabilitySpec>& ScalabilitySpec::schema() {
  static const Schema<ScalabilitySpec> s = [] {
    Schema<ScalabilitySpec> s("scalability", "Capacity sweep of every technology (power-of-two slices).");
    s.field("enabled", &ScalabilitySpec::enabled).default_value(true).desc("Run the sweep.");
    s.field("from", &ScalabilitySpec::from)
        .unit(dim::bytes)
        .greater_than(0)
        .default_value(1 << 20)
        .desc("Smallest L2 capacity (all slices); the sweep starts at the power-of-two slice at or below it.");
    s.field("to", &ScalabilitySpec::to)
        .unit(dim::bytes)
        .greater_than(0)
        .max(64.0 * (1ull << 30))
        .default_value(static_cast<double>(1ull << 30))
        .desc("Largest L2 capacity; the sweep ends at the power-of-two slice at or above it.");
    s.check([](const ScalabilitySpec& v, const ConfigNode& node) {
      if (v.to < v.from) throw ConfigError(node.location(), "to", "expected to >= from, got {} B < {} B", v.to, v.from);
    });
    return s;
  }();
  return s;
}

const Schema<MissRatioSpec>& MissRatioSpec::schema() {
  static const Schema<MissRatioSpec> s = [] {
    Schema<MissRatioSpec> s("miss ratio", "How the miss-ratio curve of every workload is built (cachesim/mrc.h).");
    s.field("method", &MissRatioSpec::method)
        .one_of({"sampled", "exact"})
        .default_value("sampled")
        .desc("SHARDS sampling (fast, with error bounds) or exact stack distances.");
    s.field("sampling_rate", &MissRatioSpec::sampling_rate)
        .greater_than(0)
        .max(1)
        .default_value(1.0 / 16)
        .desc("SHARDS rate (sampled only).");
    s.field("seed", &MissRatioSpec::seed).min(0).default_value(0).desc("Salt of the sampling hash.");
    return s;
  }();
  return s;
}

const Schema<ArraySettings>& ArraySettings::schema() {
  static const Schema<ArraySettings> s = [] {
    Schema<ArraySettings> s("array settings", "How every L2 slice is built with the array model.");
    s.field("optimize", &ArraySettings::optimize)
        .one_of({"read_latency", "write_latency", "read_energy", "write_energy", "read_edp", "write_edp", "leakage",
                 "area"})
        .default_value("read_edp")
        .desc("Organisation search target.");
    s.field("model", &ArraySettings::model).one_of({"nvsim", "cacti"}).default_value("nvsim").desc("Circuit model.");
    s.field("access_mode", &ArraySettings::access_mode)
        .one_of({"normal", "sequential", "fast"})
        .default_value("sequential")
        .desc(
            "How a slice reads a set: sequential reads the tags, then the one matching data way (the usual "
            "choice for large last-level caches, whose latency is dominated by the network; CACTI 6.5 "
            "technical report, 'sequential access'); normal reads all ways' data beside the tags.");
    s.field("roadmap", &ArraySettings::roadmap)
        .one_of({"hp", "lstp", "lop"})
        .default_value("hp")
        .desc("Device flavour of the periphery.");
    s.field("temperature", &ArraySettings::temperature)
        .unit(dim::temperature)
        .min(300)
        .max(400)
        .default_value(350.0)
        .desc("Operating temperature.");
    s.field("associativity", &ArraySettings::associativity)
        .min(0)
        .max(1024)
        .default_value(0)
        .desc("Ways of every slice (0: the GPU preset's l2_ways).");
    return s;
  }();
  return s;
}

const Schema<EnergySettings>& EnergySettings::schema() {
  static const Schema<EnergySettings> s = [] {
    Schema<EnergySettings> s("energy settings", "Energy model options.");
    s.field("dram", &EnergySettings::dram).default_value(true).desc("Add DRAM access energy to energy and EDP.");
    s.field("dram_type", &EnergySettings::dram_type).desc("DRAM type of the energy table (default: the GPU's).");
    s.field("dram_table", &EnergySettings::dram_table)
        .default_value("dram/energy.yaml")
        .desc("DRAM energy table, relative to the data directory.");
    return s;
  }();
  return s;
}

const Schema<StudySpec>& StudySpec::schema() {
  static const Schema<StudySpec> s = [] {
    Schema<StudySpec> s("study",
                        "A DeepNVM++ study: technologies x workloads at iso-capacity, iso-area and over a capacity "
                        "sweep (deepnvm run FILE).");
    s.allow_key("kind");
    s.allow_key("source");
    using S = StudySpec;
    s.field("name", &S::name).desc("Study name; results go to ./deepnvm-results/<name>/.");
    s.field("description", &S::description).default_value("").desc("Free text shown in the report.");
    s.field("gpu", &S::gpu).desc("GPU preset name (data/gpus).");
    s.field("node", &S::node).unit(dim::length).greater_than(0).desc("Technology node of the arrays.");
    s.field("technologies", &S::technologies)
        .desc("Cell ids (data/cells/<id>.yaml) or cell files (native YAML/JSON or NVSim .cell).");
    s.field("baseline", &S::baseline).default_value("sram").desc("The technology every ratio is taken against.");
    s.field("networks", &S::networks).default_value({}).desc("Zoo network names or ONNX files.");
    s.field("profiles", &S::profiles).default_value({}).desc("Measured workloads (profiler CSVs).");
    s.field("modes", &S::modes).one_of({"training", "inference"}).desc("Modes of every network.");
    s.field("batch", &S::batch).desc("Batch sizes per mode.");
    s.field("dtype", &S::dtype).one_of({"fp32", "fp16", "bf16", "int8"}).default_value("fp32").desc("Tensor type.");
    s.field("optimizer", &S::optimizer)
        .one_of({"sgd_momentum", "adam"})
        .default_value("sgd_momentum")
        .desc("Optimizer of training iterations.");
    s.field("iso_area", &S::iso_area).default_value(true).desc("Run the iso-area study.");
    s.field("scalability", &S::scalability).default_value(ScalabilitySpec{}).desc("Capacity sweep.");
    s.field("miss_ratio", &S::miss_ratio).default_value(MissRatioSpec{}).desc("Miss-ratio curve method.");
    s.field("array", &S::array).default_value(ArraySettings{}).desc("Array model settings.");
    s.field("energy", &S::energy).default_value(EnergySettings{}).desc("Energy model settings.");
    s.check([](const StudySpec& v, const ConfigNode& node) {
      if (v.technologies.empty())
        throw ConfigError(node.location(), "technologies", "expected at least one technology");
      std::set<std::string> ids;
      for (const auto& t : v.technologies)
        if (!ids.insert(technology_id(t)).second)
          throw ConfigError(node.location(), "technologies", "technology '{}' is listed twice", technology_id(t));
      if (!ids.contains(v.baseline)) {
        const std::vector<std::string> known(ids.begin(), ids.end());
        throw ConfigError(node.location(), "baseline", "baseline '{}' is not one of the technologies {}", v.baseline,
                          quoted_list(known));
      }
      if (v.networks.empty() && v.profiles.empty())
        throw ConfigError(node.location(), "networks", "expected at least one network or profile");
      if (v.modes.empty()) throw ConfigError(node.location(), "modes", "expected at least one mode");
      for (const auto& m : v.modes) {
        const auto& sizes = m == "training" ? v.batch.training : v.batch.inference;
        if (sizes.empty())
          throw ConfigError(node.location(), "batch", "mode '{}' is studied but batch.{} lists no batch size", m, m);
      }
    });
    return s;
  }();
  return s;
}

std::string technology_id(const std::string& entry) {
  const std::filesystem::path p(entry);
  if (p.has_extension() || entry.find('/') != std::string::npos) return p.stem().string();
  return entry;
}

std::filesystem::path technology_cell_file(const StudySpec& spec, const std::string& entry,
                                           const std::filesystem::path& data_dir) {
  const std::filesystem::path p(entry);
  if (p.has_extension() || entry.find('/') != std::string::npos)
    return p.is_absolute() ? p : spec.file.parent_path() / p;
  return data_dir / "cells" / (entry + ".yaml");
}

namespace {

std::vector<std::string> cell_ids(const std::filesystem::path& data_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(data_dir / "cells", ec))
    if (e.path().extension() == ".yaml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

SourceLocation item_location(const ConfigNode& root, const std::string& key, std::size_t index) {
  if (const auto node = root.find(key); node && node->is_sequence()) {
    const auto items = node->items();
    if (index < items.size()) return items[index].location();
  }
  return root.location();
}

}  // namespace

StudySpec load_study(const std::filesystem::path& path, const std::filesystem::path& data_dir,
                     const Registry<NetworkFactory>* networks) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "study")
    throw ConfigError(root.location(), "kind", "expected 'kind: study' in a study file");
  StudySpec spec = StudySpec::schema().parse(root);
  spec.file = path;

  for (std::size_t i = 0; i < spec.technologies.size(); ++i) {
    const auto file = technology_cell_file(spec, spec.technologies[i], data_dir);
    if (!std::filesystem::is_regular_file(file)) {
      const auto known = cell_ids(data_dir);
      throw ConfigError(item_location(root, "technologies", i), fmt::format("technologies[{}]", i),
                        "no cell '{}' (looked for {}){}; known cell ids: {}", spec.technologies[i], file.string(),
                        did_you_mean(spec.technologies[i], known), quoted_list(known, ", "));
    }
  }
  const auto gpus = gpu_preset_names(data_dir);
  if (std::find(gpus.begin(), gpus.end(), spec.gpu) == gpus.end()) {
    const auto node = root.find("gpu");
    throw ConfigError(node ? node->location() : root.location(), "gpu", "unknown GPU '{}'{}; known: {}", spec.gpu,
                      did_you_mean(spec.gpu, gpus), quoted_list(gpus, ", "));
  }
  const Registry<NetworkFactory> zoo = networks ? Registry<NetworkFactory>("network") : builtin_networks();
  const Registry<NetworkFactory>& known = networks ? *networks : zoo;
  auto check_network = [&](const std::string& name, const SourceLocation& where, const std::string& key) {
    if (name.ends_with(".onnx")) {
      const std::filesystem::path p(name);
      const auto file = p.is_absolute() ? p : spec.file.parent_path() / p;
      if (!std::filesystem::is_regular_file(file))
        throw ConfigError(where, key, "ONNX file '{}' not found (looked for {})", name, file.string());
      return;
    }
    known.get(name, where, key);  // ConfigError listing the known networks
  };
  for (std::size_t i = 0; i < spec.networks.size(); ++i)
    check_network(spec.networks[i], item_location(root, "networks", i), fmt::format("networks[{}]", i));
  for (std::size_t i = 0; i < spec.profiles.size(); ++i) {
    const ProfileWorkload& p = spec.profiles[i];
    const auto where = item_location(root, "profiles", i);
    const std::filesystem::path file =
        std::filesystem::path(p.file).is_absolute() ? std::filesystem::path(p.file) : spec.file.parent_path() / p.file;
    if (!std::filesystem::is_regular_file(file))
      throw ConfigError(where, fmt::format("profiles[{}].file", i), "profile '{}' not found (looked for {})", p.file,
                        file.string());
    if (p.network) check_network(*p.network, where, fmt::format("profiles[{}].network", i));
  }
  return spec;
}

const Schema<DramType>& DramType::schema() {
  static const Schema<DramType> s = [] {
    Schema<DramType> s("dram type", "Access energy of one DRAM type.");
    s.field("name", &DramType::name).desc("DRAM type as GPU presets name it (GDDR5X, HBM2, ...).");
    s.field("energy_per_bit", &DramType::energy_per_bit)
        .unit(dim::energy)
        .greater_than(0)
        .max(1e-9)
        .desc("Energy per bit transferred (device + I/O), e.g. '14 pJ'.");
    s.field("source", &DramType::source).desc("Where the number comes from.");
    s.field("assumption", &DramType::assumption)
        .default_value(false)
        .desc("True when no source gives the number and it is an engineering assumption.");
    s.check([](const DramType& v, const ConfigNode& node) {
      if (v.source.empty()) throw ConfigError(node.location(), "source", "expected a non-empty source");
    });
    return s;
  }();
  return s;
}

const Schema<DramEnergyTable>& DramEnergyTable::schema() {
  static const Schema<DramEnergyTable> s = [] {
    Schema<DramEnergyTable> s("dram_energy", "DRAM access energy per bit, per DRAM type, each with its source.");
    s.allow_key("kind");
    s.field("source", &DramEnergyTable::source).desc("Overall note on the table.");
    s.field("types", &DramEnergyTable::types).desc("One entry per DRAM type.");
    return s;
  }();
  return s;
}

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

const DramType& DramEnergyTable::find(const std::string& name, const SourceLocation& where) const {
  for (const DramType& t : types)
    if (lower(t.name) == lower(name)) return t;
  std::vector<std::string> names;
  for (const DramType& t : types) names.push_back(t.name);
  throw ConfigError(where, "dram_type", "no DRAM energy for '{}'{}; known: {}", name, did_you_mean(name, names),
                    quoted_list(names, ", "));
}

DramEnergyTable load_dram_table(const std::filesystem::path& path) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "dram_energy")
    throw ConfigError(root.location(), "kind", "expected 'kind: dram_energy' in a DRAM energy table");
  return DramEnergyTable::schema().parse(root);
}

void register_builtin_study(Registry<InputKind>& kinds) {
  kinds.add("study", StudySpec::schema().info().description, input_kind_of<StudySpec>());
  kinds.add("dram_energy", DramEnergyTable::schema().info().description, input_kind_of<DramEnergyTable>());
}

}  // namespace deepnvm::study
