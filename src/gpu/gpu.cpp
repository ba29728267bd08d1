// SPDX-License-Identifier: MIT
#include "deepnvm/gpu/gpu.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <variant>

#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

namespace {

using Member = std::variant<int GpuSpec::*, double GpuSpec::*, std::optional<double> GpuSpec::*, bool GpuSpec::*,
                            std::string GpuSpec::*, std::optional<GemmTile> GpuSpec::*>;

// One declared value of a gpu file: key, member, unit, whether it must be given, and a description.
struct FieldDef {
  const char* key;
  Member member;
  Dimension unit;
  bool required;
  const char* description;
};

const Dimension kFlopRate = dim::frequency;  // FLOP/s: a count per second

const std::vector<FieldDef>& fields() {
  static const std::vector<FieldDef> defs{
      {"architecture", &GpuSpec::architecture, dim::none, true, "GPU architecture (pascal, volta, ampere, hopper)"},
      {"compute_capability", &GpuSpec::compute_capability, dim::none, true, "CUDA compute capability, e.g. 6.1"},
      {"process", &GpuSpec::process, dim::length, true, "process feature size"},
      {"sms", &GpuSpec::sms, dim::none, true, "streaming multiprocessors enabled"},
      {"base_clock", &GpuSpec::base_clock, dim::frequency, false, "base core clock"},
      {"boost_clock", &GpuSpec::boost_clock, dim::frequency, true, "boost core clock (roofline and L2 bandwidth)"},
      {"fp32_lanes_per_sm", &GpuSpec::fp32_lanes_per_sm, dim::none, true, "FP32 lanes per SM"},
      {"peak_fp32", &GpuSpec::peak_fp32, kFlopRate, false, "peak dense FP32 FLOP/s"},
      {"peak_fp16", &GpuSpec::peak_fp16, kFlopRate, false, "peak dense FP16 GEMM FLOP/s"},
      {"peak_bf16", &GpuSpec::peak_bf16, kFlopRate, false, "peak dense BF16 GEMM FLOP/s"},
      {"peak_int8", &GpuSpec::peak_int8, kFlopRate, false, "peak dense INT8 GEMM OP/s"},
      {"l1_capacity", &GpuSpec::l1_bytes, dim::bytes, true, "unified L1/texture capacity per SM"},
      {"shared_memory_per_sm", &GpuSpec::shared_memory_per_sm, dim::bytes, true, "largest shared memory per SM"},
      {"l1_caches_global_loads", &GpuSpec::l1_caches_global_loads, dim::none, true,
       "whether ordinary global loads are cached in L1 by default"},
      {"max_ctas_per_sm", &GpuSpec::max_ctas_per_sm, dim::none, true, "resident thread blocks per SM"},
      {"max_threads_per_sm", &GpuSpec::max_threads_per_sm, dim::none, true, "resident threads per SM"},
      {"registers_per_sm", &GpuSpec::registers_per_sm, dim::none, true, "32-bit registers per SM"},
      {"max_shared_memory_per_cta", &GpuSpec::max_shared_memory_per_cta, dim::bytes, true,
       "largest shared memory of one thread block"},
      {"l2_capacity", &GpuSpec::l2_capacity, dim::bytes, true, "L2 capacity"},
      {"l2_slices", &GpuSpec::l2_slices, dim::none, true, "L2 slices (LTS)"},
      {"l2_ways", &GpuSpec::l2_ways, dim::none, true, "L2 associativity"},
      {"l2_line", &GpuSpec::l2_line, dim::bytes, true, "L2 line size"},
      {"l2_sector", &GpuSpec::l2_sector, dim::bytes, true, "L2 sector size"},
      {"l2_partitions", &GpuSpec::l2_partitions, dim::none, true, "L2 partitions joined by a fabric"},
      {"l2_slice_hash", &GpuSpec::l2_slice_hash, dim::none, true, "address to slice mapping"},
      {"l2_bandwidth", &GpuSpec::l2_bandwidth, dim::bandwidth, true, "L2 bandwidth, whole chip"},
      {"dram_type", &GpuSpec::dram_type, dim::none, true, "DRAM technology"},
      {"dram_bandwidth", &GpuSpec::dram_bandwidth, dim::bandwidth, true, "peak DRAM bandwidth"},
      {"dram_capacity", &GpuSpec::dram_capacity, dim::bytes, true, "DRAM capacity"},
      {"tile_fp32", &GpuSpec::tile_fp32, dim::none, false, "GEMM CTA tile TMxTNxTK for fp32"},
      {"tile_fp16", &GpuSpec::tile_fp16, dim::none, false, "GEMM CTA tile TMxTNxTK for fp16"},
      {"tile_bf16", &GpuSpec::tile_bf16, dim::none, false, "GEMM CTA tile TMxTNxTK for bf16"},
      {"tile_int8", &GpuSpec::tile_int8, dim::none, false, "GEMM CTA tile TMxTNxTK for int8"},
  };
  return defs;
}

const std::vector<std::string> kPlainKeys{"kind", "name", "description", "source"};

std::vector<std::string> all_keys() {
  std::vector<std::string> out = kPlainKeys;
  for (const FieldDef& f : fields()) out.emplace_back(f.key);
  return out;
}

GemmTile parse_tile(const std::string& text, const ConfigNode& node, const std::string& key) {
  GemmTile t;
  int* parts[3] = {&t.m, &t.n, &t.k};
  const char* p = text.data();
  const char* end = p + text.size();
  for (int i = 0; i < 3; ++i) {
    const auto [ptr, ec] = std::from_chars(p, end, *parts[i]);
    const bool sep_ok = i < 2 ? (ptr != end && *ptr == 'x') : ptr == end;
    if (ec != std::errc{} || !sep_ok || *parts[i] < 1)
      throw ConfigError(node.location(), key,
                        "expected a tile 'TMxTNxTK' of positive integers such as '128x128x8', got '{}'", text);
    p = ptr + 1;
  }
  return t;
}

int parse_int(const std::string& text, const ConfigNode& node, const std::string& key) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size())
    throw ConfigError(node.location(), key, "expected an integer (plain digits, no unit), got '{}'", text);
  if (v < 1) throw ConfigError(node.location(), key, "expected a positive integer, got {}", v);
  return v;
}

double parse_positive(const std::string& text, Dimension unit, const ConfigNode& node, const std::string& key) {
  double v = 0;
  try {
    v = parse_quantity(text, unit);
  } catch (const UnitError& e) {
    throw ConfigError(node.location(), key, e.what());
  }
  if (!(v > 0)) throw ConfigError(node.location(), key, "expected a value > 0, got '{}'", text);
  return v;
}

void parse_value(GpuSpec& gpu, const FieldDef& f, const ConfigNode& node, const std::string& key) {
  const std::string& text = node.scalar(key);
  std::visit(
      [&](auto member) {
        using M = std::remove_cvref_t<decltype(gpu.*member)>;
        if constexpr (std::is_same_v<M, int>) {
          gpu.*member = parse_int(text, node, key);
        } else if constexpr (std::is_same_v<M, double> || std::is_same_v<M, std::optional<double>>) {
          gpu.*member = parse_positive(text, f.unit, node, key);
        } else if constexpr (std::is_same_v<M, bool>) {
          if (text != "true" && text != "false")
            throw ConfigError(node.location(), key, "expected true or false, got '{}'", text);
          gpu.*member = text == "true";
        } else if constexpr (std::is_same_v<M, std::string>) {
          if (text.empty()) throw ConfigError(node.location(), key, "expected a non-empty text");
          gpu.*member = text;
        } else {
          gpu.*member = parse_tile(text, node, key);
        }
      },
      f.member);
}

const std::vector<std::string> kSourcedKeys{"value", "source", "modelling_choice"};

void parse_sourced(GpuSpec& gpu, const FieldDef& f, const ConfigNode::Entry& entry) {
  const ConfigNode& node = entry.value;
  if (!node.is_map())
    throw ConfigError(node.location(), entry.key,
                      "expected a mapping {{value: ..., source: \"...\"}} (every value carries its source), got a {}",
                      node.type_name());
  const ConfigNode* value = nullptr;
  ValueSource src;
  bool has_source = false;
  const auto entries = node.entries();
  for (const auto& e : entries) {
    const std::string key = entry.key + "." + e.key;
    if (e.key == "value") {
      value = &e.value;
    } else if (e.key == "source") {
      src.source = e.value.scalar(key);
      if (src.source.empty()) throw ConfigError(e.value.location(), key, "the source must not be empty");
      has_source = true;
    } else if (e.key == "modelling_choice") {
      const std::string& t = e.value.scalar(key);
      if (t != "true" && t != "false")
        throw ConfigError(e.value.location(), key, "expected true or false, got '{}'", t);
      src.modelling_choice = t == "true";
    } else {
      throw ConfigError({node.file(), e.key_line}, key, "unknown key{}; expected one of {}",
                        did_you_mean(e.key, kSourcedKeys), quoted_list(kSourcedKeys));
    }
  }
  if (!value || value->is_null())
    throw ConfigError(node.location(), entry.key + ".value", "missing required key: the value ({})", f.description);
  if (!has_source)
    throw ConfigError(node.location(), entry.key + ".source",
                      "missing required key: every value of a gpu preset names its source");
  parse_value(gpu, f, *value, entry.key);
  gpu.sources[entry.key] = std::move(src);
}

}  // namespace

double GpuSpec::peak(DType type) const {
  const std::optional<double>* p = nullptr;
  switch (type) {
    case DType::fp32:
      p = &peak_fp32;
      break;
    case DType::fp16:
      p = &peak_fp16;
      break;
    case DType::bf16:
      p = &peak_bf16;
      break;
    case DType::int8:
      p = &peak_int8;
      break;
    default:
      break;
  }
  if (!p || !*p) throw ModelError("GPU preset '{}' gives no peak throughput for {}", name, dtype_name(type));
  return **p;
}

GemmTile GpuSpec::tile(DType type) const {
  const std::optional<GemmTile>* t = nullptr;
  switch (type) {
    case DType::fp32:
      t = &tile_fp32;
      break;
    case DType::fp16:
      t = &tile_fp16;
      break;
    case DType::bf16:
      t = &tile_bf16;
      break;
    case DType::int8:
      t = &tile_int8;
      break;
    default:
      break;
  }
  if (!t || !*t) throw ModelError("GPU preset '{}' gives no GEMM tile for {}", name, dtype_name(type));
  return **t;
}

std::vector<std::string> gpu_value_keys() {
  std::vector<std::string> out;
  for (const FieldDef& f : fields()) out.emplace_back(f.key);
  return out;
}

GpuSpec parse_gpu(const ConfigNode& document) {
  if (!document.is_map())
    throw ConfigError(document.location(), "", "expected a mapping of keys for a gpu, got a {}", document.type_name());
  GpuSpec gpu;
  const auto entries = document.entries();
  const std::vector<std::string> known = all_keys();
  bool has_kind = false, has_name = false;
  for (const auto& e : entries) {
    if (e.key == "kind") {
      if (e.value.scalar("kind") != "gpu")
        throw ConfigError(e.value.location(), "kind", "expected 'gpu', got '{}'", e.value.scalar("kind"));
      has_kind = true;
    } else if (e.key == "name") {
      gpu.name = e.value.scalar("name");
      has_name = !gpu.name.empty();
    } else if (e.key == "description") {
      gpu.description = e.value.scalar("description");
    } else if (e.key == "source") {
      gpu.source = e.value.scalar("source");
    } else {
      const auto f = std::find_if(fields().begin(), fields().end(), [&](const FieldDef& d) { return e.key == d.key; });
      if (f == fields().end())
        throw ConfigError({document.file(), e.key_line}, e.key, "unknown key in gpu{}; expected one of {}",
                          did_you_mean(e.key, known), quoted_list(known));
      parse_sourced(gpu, *f, e);
    }
  }
  if (!has_kind) throw ConfigError(document.location(), "kind", "missing required key: 'kind: gpu'");
  if (!has_name) throw ConfigError(document.location(), "name", "missing required key: the preset name");
  if (gpu.source.empty()) throw ConfigError(document.location(), "source", "missing required key: the file's source");
  for (const FieldDef& f : fields())
    if (f.required && !gpu.sources.count(f.key))
      throw ConfigError(document.location(), f.key, "missing required key: {}", f.description);
  // Cross-field checks: the stream generator assumes 128-byte lines of 32-byte sectors (gpu/access.h).
  const auto at = [&](const char* key) {
    for (const auto& e : entries)
      if (e.key == key) return e.value.location();
    return document.location();
  };
  if (gpu.l2_line != 128 || gpu.l2_sector != 32)
    throw ConfigError(at("l2_line"), "l2_line", "the access stream models 128 B lines of 32 B sectors; got {} and {}",
                      format_quantity(gpu.l2_line, dim::bytes), format_quantity(gpu.l2_sector, dim::bytes));
  const double sets = gpu.l2_capacity / (gpu.l2_line * gpu.l2_ways);
  if (sets != std::floor(sets))
    throw ConfigError(at("l2_ways"), "l2_ways", "capacity {} is not a whole number of {}-way sets of {} lines",
                      format_quantity(gpu.l2_capacity, dim::bytes), gpu.l2_ways,
                      format_quantity(gpu.l2_line, dim::bytes));
  const std::pair<const char*, const char*> pairs[] = {
      {"peak_fp32", "tile_fp32"}, {"peak_fp16", "tile_fp16"}, {"peak_bf16", "tile_bf16"}, {"peak_int8", "tile_int8"}};
  for (const auto& [peak, tile] : pairs)
    if (gpu.sources.count(peak) != gpu.sources.count(tile))
      throw ConfigError(at(peak), gpu.sources.count(peak) ? tile : peak,
                        "'{}' and '{}' come together: a precision the preset runs needs both", peak, tile);
  return gpu;
}

GpuSpec load_gpu(const std::filesystem::path& path) { return parse_gpu(load_config_file(path)); }

nlohmann::ordered_json gpu_json(const GpuSpec& gpu) {
  nlohmann::ordered_json out;
  out["kind"] = "gpu";
  out["name"] = gpu.name;
  out["description"] = gpu.description;
  out["source"] = gpu.source;
  for (const FieldDef& f : fields()) {
    if (!gpu.sources.count(f.key)) continue;
    nlohmann::ordered_json v;
    std::visit(
        [&](auto member) {
          using M = std::remove_cvref_t<decltype(gpu.*member)>;
          if constexpr (std::is_same_v<M, std::optional<GemmTile>>) {
            v = fmt::format("{}x{}x{}", (gpu.*member)->m, (gpu.*member)->n, (gpu.*member)->k);
          } else if constexpr (std::is_same_v<M, std::optional<double>>) {
            v = *(gpu.*member);
          } else {
            v = gpu.*member;
          }
        },
        f.member);
    const ValueSource& s = gpu.sources.at(f.key);
    out[f.key] = {{"value", v}, {"source", s.source}, {"modelling_choice", s.modelling_choice}};
  }
  return out;
}

std::vector<std::string> gpu_preset_names(const std::filesystem::path& data_dir) {
  std::vector<std::string> names;
  const auto dir = data_dir / "gpus";
  if (!std::filesystem::is_directory(dir)) throw IoError(dir.string(), "no GPU preset directory");
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") names.push_back(load_gpu(entry.path()).name);
  std::sort(names.begin(), names.end());
  return names;
}

GpuSpec gpu_preset(const std::filesystem::path& data_dir, std::string_view name) {
  const auto dir = data_dir / "gpus";
  if (!std::filesystem::is_directory(dir)) throw IoError(dir.string(), "no GPU preset directory");
  std::vector<std::string> known;
  // Files are named after their preset; try that first, then scan (the name inside decides).
  const auto direct = dir / (std::string(name) + ".yaml");
  if (std::filesystem::is_regular_file(direct)) {
    GpuSpec g = load_gpu(direct);
    if (g.name == name) return g;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    GpuSpec g = load_gpu(entry.path());
    if (g.name == name) return g;
    known.push_back(g.name);
  }
  std::sort(known.begin(), known.end());
  throw ConfigError({}, "gpu", "unknown GPU preset '{}'{}; known: {}", name, did_you_mean(name, known),
                    quoted_list(known, ", "));
}

void register_builtin_gpu(Registry<InputKind>& kinds) {
  kinds.add(
      "gpu", "GPU preset: SMs, clocks, L1/shared memory, L2, DRAM, peak throughput, tiles (every value sourced)",
      InputKind{[] {
                  SchemaInfo info{"gpu", "A GPU preset; every value is {value, source[, modelling_choice]}.", {}};
                  for (const FieldDef& f : fields())
                    info.fields.push_back(FieldInfo{
                        .name = f.key,
                        .type = f.unit == dim::none ? "sourced value" : "sourced " + dimension_name(f.unit),
                        .example = f.unit == dim::none ? "{value: ..., source: \"...\"}"
                                                       : "{value: " + dimension_example(f.unit) + ", source: \"...\"}",
                        .range = "",
                        .default_value = "",
                        .description = f.description,
                        .required = f.required,
                        .nested = nullptr});
                  return info;
                },
                [](const ConfigNode& node) { return gpu_json(parse_gpu(node)); }});
}

}  // namespace deepnvm
