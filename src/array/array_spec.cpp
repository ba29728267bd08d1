// SPDX-License-Identifier: MIT
#include "deepnvm/array/array_spec.h"

#include <bit>
#include <cmath>

#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"

namespace deepnvm {
namespace {

bool is_power_of_two(double v) {
  return v >= 1.0 && v == std::floor(v) && std::has_single_bit(static_cast<std::uint64_t>(v));
}

template <typename E, std::size_t N>
E pick(const std::array<std::pair<std::string_view, E>, N>& table, std::string_view value) {
  for (const auto& [name, e] : table)
    if (name == value) return e;
  return table[0].second;  // unreachable: the schema's one_of admitted `value`
}

constexpr std::array<std::pair<std::string_view, DeviceRoadmap>, 3> kRoadmaps{
    {{"hp", DeviceRoadmap::hp}, {"lstp", DeviceRoadmap::lstp}, {"lop", DeviceRoadmap::lop}}};
constexpr std::array<std::pair<std::string_view, CacheAccessMode>, 3> kModes{
    {{"normal", CacheAccessMode::normal},
     {"sequential", CacheAccessMode::sequential},
     {"fast", CacheAccessMode::fast}}};
constexpr std::array<std::pair<std::string_view, OptimizationTarget>, 8> kTargets{
    {{"read_latency", OptimizationTarget::read_latency},
     {"write_latency", OptimizationTarget::write_latency},
     {"read_energy", OptimizationTarget::read_energy},
     {"write_energy", OptimizationTarget::write_energy},
     {"read_edp", OptimizationTarget::read_edp},
     {"write_edp", OptimizationTarget::write_edp},
     {"leakage", OptimizationTarget::leakage},
     {"area", OptimizationTarget::area}}};
constexpr std::array<std::pair<std::string_view, WireType>, 6> kWires{
    {{"local_aggressive", WireType::local_aggressive},
     {"local_conservative", WireType::local_conservative},
     {"semi_aggressive", WireType::semi_aggressive},
     {"semi_conservative", WireType::semi_conservative},
     {"global_aggressive", WireType::global_aggressive},
     {"global_conservative", WireType::global_conservative}}};
constexpr std::array<std::pair<std::string_view, BufferDesignStyle>, 3> kBuffers{
    {{"latency", BufferDesignStyle::latency},
     {"balance", BufferDesignStyle::balance},
     {"area", BufferDesignStyle::area}}};

template <typename E, std::size_t N>
std::vector<std::string> names(const std::array<std::pair<std::string_view, E>, N>& table) {
  std::vector<std::string> out;
  for (const auto& entry : table) out.emplace_back(entry.first);
  return out;
}

}  // namespace

const Schema<ArraySpecFile>& ArraySpecFile::schema() {
  static const Schema<ArraySpecFile> s = [] {
    Schema<ArraySpecFile> s("array",
                            "A memory array or cache of one cell at one node, evaluated with the NVSim-equivalent "
                            "model and organisation search (deepnvm array FILE).");
    s.allow_key("kind");
    using A = ArraySpecFile;
    s.field("name", &A::name).desc("Name of the design.");
    s.field("cell", &A::cell).desc("Cell file (native YAML/JSON or NVSim .cell), relative to this file.");
    s.field("node", &A::node).unit(dim::length).greater_than(0).desc("Technology node (feature size F).");
    s.field("roadmap", &A::roadmap)
        .one_of(names(kRoadmaps))
        .default_value("hp")
        .desc("Device flavour of the periphery and cell.");
    s.field("temperature", &A::temperature)
        .unit(dim::temperature)
        .min(300)
        .max(400)
        .default_value(350.0)
        .desc("Operating temperature (the device tables span 300-400 K).");
    s.field("design", &A::design)
        .one_of({"ram", "cache"})
        .default_value("cache")
        .desc("A plain RAM or a cache (data + tag).");
    s.field("capacity", &A::capacity).unit(dim::bytes).greater_than(0).desc("Capacity of all slices together.");
    s.field("slices", &A::slices)
        .min(1)
        .max(1024)
        .default_value(1)
        .desc("Identical slice arrays (a GPU L2's slices); area and leakage scale with it.");
    s.field("line", &A::line)
        .unit(dim::bytes)
        .greater_than(0)
        .desc("Cache line, or the RAM's word (bytes per access).");
    s.field("associativity", &A::associativity).min(1).max(1024).default_value(1).desc("Ways (caches).");
    s.field("access_mode", &A::access_mode)
        .one_of(names(kModes))
        .default_value("normal")
        .desc("How the tag and data arrays combine (caches).");
    s.field("optimize", &A::optimize)
        .one_of(names(kTargets))
        .default_value("read_edp")
        .desc("Optimisation target of the search.");
    s.field("local_wire", &A::local_wire)
        .one_of(names(kWires))
        .default_value("local_aggressive")
        .desc("Wire type inside the subarrays (unrepeated, full swing).");
    s.field("global_wire", &A::global_wire)
        .one_of(names(kWires))
        .default_value("global_aggressive")
        .desc("Wire type of the H-tree (unrepeated, full swing).");
    s.field("buffer_design", &A::buffer_design)
        .one_of(names(kBuffers))
        .desc("Driver sizing style; absent: all three are searched.");
    s.field("model", &A::model)
        .one_of({"nvsim", "cacti"})
        .default_value("nvsim")
        .desc(
            "Circuit model: nvsim (NVSim's equations, the default) or cacti (CACTI 7's tables, device, wires, "
            "organisation family and whole-cache objective; the wire and buffer keys are then ignored).");
    s.field("compat", &A::compat)
        .one_of({"nvsim", "fixed"})
        .default_value("nvsim")
        .desc(
            "nvsim: NVSim's equations, quirks and search semantics (tag and data optimised separately); fixed: the "
            "quirks that are bugs corrected and a cache's tag and data arrays optimised jointly for the cache's "
            "target (docs/models/array.md, compat: fixed). Model nvsim only.");
    s.check([](const ArraySpecFile& a, const ConfigNode& node) {
      if (a.compat == "fixed" && a.model == "cacti")
        throw ConfigError(node.location(), "compat",
                          "compat fixed corrects NVSim's quirks: it needs model nvsim, got model cacti");
      if (a.design == "ram" && a.associativity != 1)
        throw ConfigError(node.location(), "associativity", "a RAM has no ways: expected 1 or no key, got {}",
                          a.associativity);
    });
    return s;
  }();
  return s;
}

NvsimConfig to_nvsim_config(const ArraySpecFile& a, const std::filesystem::path& file) {
  const double slice = a.capacity / a.slices;
  const std::string where = file.string();
  if (!is_power_of_two(slice))
    throw ConfigError({where, 0}, "capacity",
                      "{} B over {} slices is {} B per slice: expected a power of two bytes per slice (the model's "
                      "address decoding needs it; e.g. 2816 KiB = 22 slices of 128 KiB)",
                      a.capacity, a.slices, slice);
  if (!is_power_of_two(a.line))
    throw ConfigError({where, 0}, "line", "expected a power of two bytes, got {} B", a.line);
  if (a.design == "cache" && !std::has_single_bit(static_cast<unsigned>(a.associativity)))
    throw ConfigError({where, 0}, "associativity", "expected a power of two, got {}", a.associativity);
  if (a.line * a.associativity > slice)
    throw ConfigError({where, 0}, "line", "one {} of {} B{} does not fit in a slice of {} B",
                      a.design == "cache" ? "set" : "word", a.line * a.associativity,
                      a.design == "cache" ? " (line x associativity)" : "", slice);
  NvsimConfig c;
  c.design_target = a.design == "cache" ? DesignTarget::cache : DesignTarget::ram;
  c.optimization_target = pick(kTargets, a.optimize);
  c.capacity = static_cast<std::uint64_t>(slice);
  c.word_width = static_cast<std::uint64_t>(a.line) * 8;
  c.associativity = a.associativity;
  c.cache_access_mode = pick(kModes, a.access_mode);
  c.process_node = a.node;
  c.device_roadmap = pick(kRoadmaps, a.roadmap);
  c.temperature = a.temperature;
  c.cell_file_as_written = a.cell;
  c.cell_file = file.parent_path() / a.cell;
  c.local_wire = {pick(kWires, a.local_wire), RepeaterType::none, false};
  c.global_wire = {pick(kWires, a.global_wire), RepeaterType::none, false};
  if (a.buffer_design) c.buffer_design = pick(kBuffers, *a.buffer_design);
  return c;
}

void scale_to_slices(ArrayResult& r, int slices) {
  r.slices = slices;
  r.figures.area *= slices;
  r.figures.leakage *= slices;
}

}  // namespace deepnvm
