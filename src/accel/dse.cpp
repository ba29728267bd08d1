// SPDX-License-Identifier: MIT
// `deepnvm accel dse`: sweep files, the buffer table, design points, fronts, CSV, JSON and plots.
#include "deepnvm/accel/dse.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "deepnvm/cell/register.h"
#include "deepnvm/circuit/device.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/study/study_spec.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::accel {

namespace {

constexpr const char* kDefaultPeModels = "accel/pe_models_16nm_hp_350k.yaml";
constexpr const char* kDefaultDramEnergy = "dram/energy.yaml";

bool is_power_of_two(double bytes) {
  const auto b = static_cast<std::uint64_t>(bytes);
  return bytes >= 1 && static_cast<double>(b) == bytes && (b & (b - 1)) == 0;
}

// A path of the spec: relative to its file, or the shipped default under the data folder.
std::filesystem::path resolve(const std::string& given, const char* fallback, const std::filesystem::path& spec_file,
                              const std::filesystem::path& data_dir) {
  return given.empty() ? data_dir / fallback : spec_file.parent_path() / given;
}

std::filesystem::path cell_path(const std::filesystem::path& data_dir, const std::string& cell) {
  return data_dir / "cells" / (cell + ".yaml");
}

}  // namespace

const Schema<DseSweep>& DseSweep::schema() {
  static const Schema<DseSweep> s = [] {
    Schema<DseSweep> s("accel dse sweep", "The swept values; the design space is their Cartesian product.");
    const DseSweep d;
    s.field("pe", &DseSweep::pe).default_value(d.pe).desc("Named PE types: int16, int8, int4, light1, light2.");
    s.field("act_bits", &DseSweep::act_bits)
        .min(2)
        .max(16)
        .default_value(d.act_bits)
        .desc("Activation widths swept for every PE type (empty: each type's own; the accumulator follows).");
    s.field("dataflow", &DseSweep::dataflow).default_value(d.dataflow).desc("Dataflows: rs, ws, os.");
    s.field("rows", &DseSweep::rows).min(1).max(1024).default_value(d.rows).desc("PE array rows.");
    s.field("cols", &DseSweep::cols).min(1).max(1024).default_value(d.cols).desc("PE array columns.");
    s.field("ifmap_spad", &DseSweep::ifmap_spad)
        .min(1)
        .max(65536)
        .default_value(d.ifmap_spad)
        .desc("Ifmap scratchpad entries per PE (activations).");
    s.field("filter_spad", &DseSweep::filter_spad)
        .min(1)
        .max(65536)
        .default_value(d.filter_spad)
        .desc("Filter scratchpad entries per PE (weight codes).");
    s.field("psum_spad", &DseSweep::psum_spad)
        .min(1)
        .max(65536)
        .default_value(d.psum_spad)
        .desc("Partial-sum scratchpad entries per PE (accumulators).");
    s.field("glb", &DseSweep::glb)
        .unit(dim::bytes)
        .greater_than(0)
        .default_value(d.glb)
        .desc("Global buffer capacities (powers of two).");
    s.field("glb_cell", &DseSweep::glb_cell)
        .default_value(d.glb_cell)
        .desc("Global buffer cells: names of data/cells/*.yaml (sram, stt_mram, sot_mram, ...).");
    s.field("dram_bandwidth", &DseSweep::dram_bandwidth)
        .unit(dim::bandwidth)
        .greater_than(0)
        .default_value(d.dram_bandwidth)
        .desc("DRAM bandwidths.");
    s.field("clock", &DseSweep::clock)
        .unit(dim::frequency)
        .greater_than(0)
        .default_value(d.clock)
        .desc("Clock frequencies.");
    s.check([](const DseSweep& sw, const ConfigNode& node) {
      const auto nonempty = [&](std::size_t n, const char* key) {
        if (n == 0) throw ConfigError(where_is(node, key), key, "expected at least one value to sweep");
      };
      nonempty(sw.pe.size(), "pe");
      nonempty(sw.dataflow.size(), "dataflow");
      nonempty(sw.rows.size(), "rows");
      nonempty(sw.cols.size(), "cols");
      nonempty(sw.ifmap_spad.size(), "ifmap_spad");
      nonempty(sw.filter_spad.size(), "filter_spad");
      nonempty(sw.psum_spad.size(), "psum_spad");
      nonempty(sw.glb.size(), "glb");
      nonempty(sw.glb_cell.size(), "glb_cell");
      nonempty(sw.dram_bandwidth.size(), "dram_bandwidth");
      nonempty(sw.clock.size(), "clock");
      for (const std::string& pe : sw.pe) named_pe(pe, where_is(node, "pe"));
      for (const std::string& df : sw.dataflow) parse_dataflow(df, where_is(node, "dataflow"), "dataflow");
      for (const double g : sw.glb)
        if (!is_power_of_two(g))
          throw ConfigError(where_is(node, "glb"), "glb", "expected a power-of-two capacity (e.g. 128 KiB), got {} B",
                            g);
    });
    return s;
  }();
  return s;
}

const Schema<DseSpec>& DseSpec::schema() {
  static const Schema<DseSpec> s = [] {
    Schema<DseSpec> s("accel_dse", "A design-space exploration of the accelerator template (deepnvm accel dse).");
    s.allow_key("kind");
    s.field("name", &DseSpec::name).desc("Name of the sweep (output folder).");
    s.field("networks", &DseSpec::networks).desc("Workload zoo networks to run (deepnvm network --list).");
    s.field("batch", &DseSpec::batch).min(1).max(4096).default_value(1).desc("Samples per inference.");
    s.field("pe_models", &DseSpec::pe_models)
        .default_value("")
        .desc("Fitted PE models (kind pe_models), relative to this file; default: the shipped 16 nm fit.");
    s.field("dram_energy", &DseSpec::dram_energy)
        .default_value("")
        .desc("DRAM energy table (kind dram_energy), relative to this file; default: data/dram/energy.yaml.");
    s.field("dram", &DseSpec::dram).default_value("HBM2").desc("DRAM type of that table.");
    s.field("glb_word_bits", &DseSpec::glb_word_bits)
        .min(8)
        .max(4096)
        .default_value(64)
        .desc("Global buffer access width (a multiple of 8).");
    s.field("glb_banks", &DseSpec::glb_banks)
        .min(1)
        .max(1024)
        .default_value(8)
        .desc("Independent global buffer banks (bandwidth).");
    s.field("accuracy", &DseSpec::accuracy)
        .default_value("")
        .desc("Accuracy table (kind accuracy_table), relative to this file; optional.");
    s.field("sweep", &DseSpec::sweep).desc("The swept values.");
    s.check([](const DseSpec& spec, const ConfigNode& node) {
      if (spec.networks.empty())
        throw ConfigError(where_is(node, "networks"), "networks", "expected at least one network");
      if (spec.glb_word_bits % 8 != 0)
        throw ConfigError(where_is(node, "glb_word_bits"), "glb_word_bits", "expected a multiple of 8, got {}",
                          spec.glb_word_bits);
    });
    return s;
  }();
  return s;
}

DseSpec load_dse_spec(const std::filesystem::path& path, const std::filesystem::path& data_dir) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "accel_dse")
    throw ConfigError(root.location(), "kind", "expected 'kind: accel_dse' in a design-space exploration file");
  DseSpec spec = DseSpec::schema().parse(root);
  const Registry<NetworkFactory> zoo = builtin_networks();
  for (const std::string& n : spec.networks)
    if (!zoo.contains(n))
      throw ConfigError(where_is(root, "networks"), "networks", "unknown network '{}'; known: {}", n,
                        fmt::join(zoo.names(), ", "));
  const ConfigNode sweep = *root.find("sweep");
  for (const std::string& cell : spec.sweep.glb_cell)
    if (!std::filesystem::is_regular_file(cell_path(data_dir, cell)))
      throw ConfigError(where_is(sweep, "glb_cell"), "glb_cell", "unknown cell '{}': no file {}", cell,
                        cell_path(data_dir, cell).string());
  for (const auto& [given, fallback, key] : {std::tuple{spec.pe_models, kDefaultPeModels, "pe_models"},
                                             {spec.dram_energy, kDefaultDramEnergy, "dram_energy"},
                                             {spec.accuracy, "", "accuracy"}}) {
    if (given.empty() && std::string(key) == "accuracy") continue;
    const std::filesystem::path p = resolve(given, fallback, path, data_dir);
    if (!std::filesystem::is_regular_file(p))
      throw ConfigError(where_is(root, key), key, "no such file: {}", p.string());
  }
  return spec;
}

// ---- Accuracy tables ----------------------------------------------------------------------------

const Schema<AccuracyEntry>& AccuracyEntry::schema() {
  static const Schema<AccuracyEntry> s = [] {
    Schema<AccuracyEntry> s("accuracy entry", "One trained network under one quantization.");
    s.field("network", &AccuracyEntry::network).desc("Workload zoo name.");
    s.field("quantization", &AccuracyEntry::quantization)
        .one_of({"fp32", "int16", "int8", "int4", "light1", "light2"})
        .desc("Quantization the network was trained with (named PE types, or fp32).");
    s.field("accuracy", &AccuracyEntry::accuracy).min(0).max(1).desc("Top-1 test accuracy, a fraction.");
    s.field("epochs", &AccuracyEntry::epochs).min(1).desc("Training epochs.");
    s.field("seed", &AccuracyEntry::seed).min(0).desc("Random seed.");
    s.field("wall_time", &AccuracyEntry::wall_time).unit(dim::time).min(0).desc("Training wall time.");
    s.field("command", &AccuracyEntry::command).desc("The command that trained it.");
    return s;
  }();
  return s;
}

const Schema<AccuracyTable>& AccuracyTable::schema() {
  static const Schema<AccuracyTable> s = [] {
    Schema<AccuracyTable> s("accuracy_table", "Measured accuracy per network and quantization (deepnvm-learn).");
    s.allow_key("kind");
    s.field("source", &AccuracyTable::source).desc("How the table was made.");
    s.field("dataset", &AccuracyTable::dataset).desc("Dataset of the test accuracy.");
    s.field("entries", &AccuracyTable::entries).desc("One per network and quantization.");
    return s;
  }();
  return s;
}

std::optional<double> AccuracyTable::find(const std::string& network, const std::string& quantization) const {
  for (const AccuracyEntry& e : entries)
    if (e.network == network && e.quantization == quantization) return e.accuracy;
  return std::nullopt;
}

AccuracyTable load_accuracy_table(const std::filesystem::path& path) {
  const ConfigNode root = load_config_file(path);
  const auto kind = root.find("kind");
  if (!kind || kind->scalar("kind") != "accuracy_table")
    throw ConfigError(root.location(), "kind", "expected 'kind: accuracy_table' in an accuracy table");
  return AccuracyTable::schema().parse(root);
}

void register_builtin_accel_dse(Registry<InputKind>& kinds) {
  kinds.add("accel_dse", DseSpec::schema().info().description, input_kind_of<DseSpec>());
  kinds.add("accuracy_table", AccuracyTable::schema().info().description, input_kind_of<AccuracyTable>());
}

// ---- Preparing and running a sweep ------------------------------------------------------------------

DseContext prepare_dse(const DseSpec& spec, const std::filesystem::path& spec_file, const DseOptions& options) {
  DseContext ctx;
  ctx.pe_models = load_pe_models(resolve(spec.pe_models, kDefaultPeModels, spec_file, options.data_dir));
  const PeModels& pm = ctx.pe_models;
  const Technology tech = find_technology(options.data_dir, default_table_set(pm.node), pm.node);
  const circuit::DeviceModel device = circuit::make_device_model(tech, pm.roadmap, pm.temperature);
  ctx.library = gate_library(device);
  // The array's buses and neighbour links are short: the node's local wires.
  ctx.wires = {wire_capacitance_per_length(tech.wire("local_aggressive")), ctx.library.vdd};
  const study::DramEnergyTable dram =
      study::load_dram_table(resolve(spec.dram_energy, kDefaultDramEnergy, spec_file, options.data_dir));
  ctx.dram_energy_per_bit = dram.find(spec.dram, {spec_file.string(), 0}).energy_per_bit;
  if (!spec.accuracy.empty()) ctx.accuracy = load_accuracy_table(spec_file.parent_path() / spec.accuracy);
  for (const std::string& n : spec.networks) ctx.networks.push_back(network_layers(zoo_network(n), spec.batch));

  std::vector<std::pair<std::int64_t, int>> shapes;
  for (const AccelConfig& c : dse_configs(spec))
    for (const auto& shape : scratchpad_shapes(c))
      if (std::find(shapes.begin(), shapes.end(), shape) == shapes.end()) shapes.push_back(shape);
  const nlohmann::ordered_json library_key{
      {"node_m", pm.node}, {"temperature_k", pm.temperature}, {"roadmap", pm.roadmap}};
  ctx.read_ports =
      read_ports(ctx.library, library_key, shapes, options.cache, [&](std::size_t done, std::size_t total) {
        if (options.progress) options.progress("scratchpad read ports", done, total);
      });

  std::vector<std::uint64_t> capacities;
  for (const double g : spec.sweep.glb) capacities.push_back(static_cast<std::uint64_t>(g));
  std::sort(capacities.begin(), capacities.end());
  capacities.erase(std::unique(capacities.begin(), capacities.end()), capacities.end());
  const Registry<CellFactory> models = [] {
    Registry<InputKind> kinds{"input kind"};
    Registry<CellFactory> cells{"cell model"};
    register_builtin_cell(kinds, cells);
    return cells;
  }();
  std::size_t done = 0;
  const std::size_t total = spec.sweep.glb_cell.size();
  for (const std::string& cell_name : spec.sweep.glb_cell) {
    if (options.progress) options.progress("global buffers", done, total);
    BufferSpec b;
    b.cell = cell_name;
    b.cell_file = cell_path(options.data_dir, cell_name);
    b.node = pm.node;
    b.temperature = pm.temperature;
    b.roadmap = pm.roadmap;
    b.word_bits = static_cast<int>(spec.glb_word_bits);
    const auto cell = load_cell(b.cell_file, models);
    const std::vector<StorageFigures> figures =
        global_buffers(b, *cell, capacities, options.data_dir, options.cache, options.threads);
    for (std::size_t i = 0; i < capacities.size(); ++i) ctx.buffers[{cell_name, capacities[i]}] = figures[i];
    ++done;
  }
  if (options.progress) options.progress("global buffers", done, total);
  return ctx;
}

std::vector<AccelConfig> dse_configs(const DseSpec& spec) {
  const DseSweep& s = spec.sweep;
  // Each PE type at its own activation width, or at each swept one (named "<type>/a<bits>").
  std::vector<std::pair<std::string, PeSpec>> pes;
  for (const std::string& name : s.pe) {
    if (s.act_bits.empty()) pes.emplace_back(name, named_pe(name));
    for (const std::int64_t a : s.act_bits) {
      PeSpec pe = named_pe(name);
      pe.act_bits = static_cast<int>(a);
      pe.acc_bits = template_acc_bits(pe);
      pes.emplace_back(a == named_pe(name).act_bits ? name : fmt::format("{}/a{}", name, a), pe);
    }
  }
  std::vector<AccelConfig> out;
  for (const auto& [pe_name, pe_spec] : pes)
    for (const std::string& df : s.dataflow)
      for (const std::int64_t rows : s.rows)
        for (const std::int64_t cols : s.cols)
          for (const std::int64_t is : s.ifmap_spad)
            for (const std::int64_t fs : s.filter_spad)
              for (const std::int64_t ps : s.psum_spad)
                for (const double glb : s.glb)
                  for (const std::string& cell : s.glb_cell)
                    for (const double bw : s.dram_bandwidth)
                      for (const double clock : s.clock) {
                        AccelConfig c;
                        c.pe_name = pe_name;
                        c.pe = pe_spec;
                        c.array = {parse_dataflow(df, {"<sweep>", 0}, "dataflow"), rows, cols, is, fs, ps};
                        c.glb_bytes = static_cast<std::uint64_t>(glb);
                        c.glb_cell = cell;
                        c.dram_bandwidth = bw;
                        c.clock = clock;
                        out.push_back(c);
                      }
  return out;
}

std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a].first != values[b].first ? values[a].first > values[b].first : values[a].second < values[b].second;
  });
  std::vector<std::size_t> front;
  double best = std::numeric_limits<double>::infinity();
  for (const std::size_t i : order)
    if (values[i].second < best) {
      best = values[i].second;
      front.push_back(i);
    }
  return front;
}

namespace {

bool is_light(const AccelConfig& c) { return c.pe.kind != PeKind::int_mac; }

DseSummary summarize(const DseResult& r, const NetworkLayers& net) {
  DseSummary s;
  s.network = net.network;
  s.unmapped_macs = net.unmapped_macs;
  double ppa_min = std::numeric_limits<double>::infinity(), ppa_max = 0, e_min = ppa_min, e_max = 0;
  double int16_ppa = 0, light_ppa = 0, int16_e = ppa_min, light_e = ppa_min;
  for (const DsePoint& p : r.points) {
    if (p.network != net.network) continue;
    ++s.points;
    if (!p.metrics.feasible) continue;
    ++s.feasible;
    const AccelConfig& c = r.configs[p.config];
    const double ppa = p.metrics.perf_per_area, e = p.metrics.energy.total();
    ppa_min = std::min(ppa_min, ppa);
    ppa_max = std::max(ppa_max, ppa);
    e_min = std::min(e_min, e);
    e_max = std::max(e_max, e);
    if (c.pe_name == "int16") {
      int16_ppa = std::max(int16_ppa, ppa);
      int16_e = std::min(int16_e, e);
    }
    if (is_light(c)) {
      light_ppa = std::max(light_ppa, ppa);
      light_e = std::min(light_e, e);
    }
    if (p.front_accuracy) {
      ++s.on_accuracy_front;
      if (is_light(c)) ++s.light_on_accuracy_front;
    }
  }
  if (s.feasible > 0) {
    s.perf_per_area_spread = ppa_max / ppa_min;
    s.energy_spread = e_max / e_min;
  }
  if (int16_ppa > 0 && light_ppa > 0) {
    s.light_perf_per_area_gain = light_ppa / int16_ppa;
    s.light_energy_gain = int16_e / light_e;
  }
  return s;
}

}  // namespace

DseResult run_dse(const DseSpec& spec, const DseContext& ctx, const DseOptions& options) {
  DseResult r;
  r.spec = spec;
  r.pe_models_source = ctx.pe_models.source;
  r.configs = dse_configs(spec);
  const auto start = std::chrono::steady_clock::now();
  r.points.reserve(r.configs.size() * ctx.networks.size());
  for (std::size_t i = 0; i < r.configs.size(); ++i) {
    const AccelConfig& c = r.configs[i];
    const ComponentFigures parts = component_figures(
        c, ctx.pe_models.find(c.pe), ctx.library, ctx.read_ports, ctx.buffers.at({c.glb_cell, c.glb_bytes}),
        static_cast<int>(spec.glb_word_bits), static_cast<int>(spec.glb_banks), ctx.wires, ctx.dram_energy_per_bit);
    for (const NetworkLayers& net : ctx.networks) {
      DsePoint p;
      p.config = i;
      p.network = net.network;
      p.metrics = evaluate_design(c, parts, net);
      if (ctx.accuracy) p.accuracy = ctx.accuracy->find(net.network, c.pe_name);
      r.points.push_back(std::move(p));
    }
    if (options.progress && (i % 1024 == 0 || i + 1 == r.configs.size()))
      options.progress("design points", i + 1, r.configs.size());
  }
  for (const NetworkLayers& net : ctx.networks) {
    std::vector<std::size_t> ids, acc_ids;
    std::vector<std::pair<double, double>> hw, acc;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const DsePoint& p = r.points[i];
      if (p.network != net.network || !p.metrics.feasible) continue;
      ids.push_back(i);
      hw.emplace_back(p.metrics.perf_per_area, p.metrics.energy.total());
      if (p.accuracy) {
        acc_ids.push_back(i);
        acc.emplace_back(*p.accuracy, p.metrics.energy.total());
      }
    }
    for (const std::size_t k : pareto_front(hw)) r.points[ids[k]].front_hw = true;
    for (const std::size_t k : pareto_front(acc)) r.points[acc_ids[k]].front_accuracy = true;
    r.summaries.push_back(summarize(r, net));
  }
  r.evaluate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// ---- Output -------------------------------------------------------------------------------------

namespace {

std::string num(double v) { return fmt::format("{:.6g}", v); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string dse_csv(const DseResult& r) {
  std::string out =
      "network,pe,kind,act_bits,weight_bits,acc_bits,dataflow,rows,cols,ifmap_spad,filter_spad,psum_spad,glb_bytes,"
      "glb_cell,dram_bandwidth_Bps,clock_hz,feasible,why,area_mm2,macs,cycles,stall_cycles,latency_s,utilization,"
      "dram_bytes,energy_j,energy_mac_j,energy_spad_j,energy_glb_j,energy_noc_j,energy_dram_j,energy_leakage_j,"
      "perf_per_area_gops_mm2,efficiency_tops_w,accuracy,front_hw,front_accuracy\n";
  for (const DsePoint& p : r.points) {
    const AccelConfig& c = r.configs[p.config];
    const DesignMetrics& m = p.metrics;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},", p.network, c.pe_name,
                       kind_name(c.pe.kind), c.pe.act_bits, c.pe.weight_bits, c.pe.acc_bits,
                       dataflow_name(c.array.dataflow), c.array.rows, c.array.cols, c.array.ifmap_spad,
                       c.array.filter_spad, c.array.psum_spad, c.glb_bytes, c.glb_cell, num(c.dram_bandwidth),
                       num(c.clock), m.feasible ? 1 : 0, csv_field(m.why));
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", num(m.area * 1e6), num(m.macs),
                       num(m.cycles), num(m.stall_cycles), num(m.latency), num(m.utilization), num(m.dram_bytes),
                       num(m.energy.total()), num(m.energy.mac), num(m.energy.spad), num(m.energy.glb),
                       num(m.energy.noc), num(m.energy.dram), num(m.energy.leakage), num(m.perf_per_area * 1e-9 * 1e-6),
                       num(m.energy_efficiency * 1e-12), p.accuracy ? num(*p.accuracy) : "", p.front_hw ? 1 : 0,
                       p.front_accuracy ? 1 : 0);
  }
  return out;
}

namespace {

nlohmann::ordered_json point_json(const DseResult& r, const DsePoint& p) {
  const AccelConfig& c = r.configs[p.config];
  nlohmann::ordered_json j{{"pe", c.pe_name},
                           {"dataflow", dataflow_name(c.array.dataflow)},
                           {"rows", c.array.rows},
                           {"cols", c.array.cols},
                           {"spads", {c.array.ifmap_spad, c.array.filter_spad, c.array.psum_spad}},
                           {"glb_bytes", c.glb_bytes},
                           {"glb_cell", c.glb_cell},
                           {"dram_bandwidth_Bps", c.dram_bandwidth},
                           {"clock_hz", c.clock},
                           {"area_m2", p.metrics.area},
                           {"latency_s", p.metrics.latency},
                           {"energy_j", p.metrics.energy.total()},
                           {"perf_per_area_ops_s_m2", p.metrics.perf_per_area},
                           {"efficiency_ops_j", p.metrics.energy_efficiency}};
  if (p.accuracy) j["accuracy"] = *p.accuracy;
  return j;
}

}  // namespace

nlohmann::ordered_json to_json(const DseResult& r) {
  nlohmann::ordered_json j;
  j["name"] = r.spec.name;
  j["networks"] = r.spec.networks;
  j["batch"] = r.spec.batch;
  j["dram"] = r.spec.dram;
  j["pe_models_source"] = r.pe_models_source;
  j["configurations"] = r.configs.size();
  j["design_points"] = r.points.size();
  j["model_note"] =
      "Analytical estimates: fitted gate-level PE models (no wiring, zero-delay activity), register-file "
      "scratchpads from the gate library, NVSim-model global buffer, closed-form dataflow mappings; "
      "docs/models/accel.md §6-9.";
  auto& summaries = j["summaries"] = nlohmann::ordered_json::array();
  for (const DseSummary& s : r.summaries) {
    nlohmann::ordered_json o{
        {"network", s.network},
        {"points", s.points},
        {"feasible", s.feasible},
        {"perf_per_area_spread", s.perf_per_area_spread},
        {"energy_spread", s.energy_spread},
        {"light_perf_per_area_gain", s.light_perf_per_area_gain ? *s.light_perf_per_area_gain : 0.0},
        {"light_energy_gain", s.light_energy_gain ? *s.light_energy_gain : 0.0},
        {"on_accuracy_front", s.on_accuracy_front},
        {"light_on_accuracy_front", s.light_on_accuracy_front},
        {"unmapped_macs", s.unmapped_macs}};
    auto& hw = o["front_hw"] = nlohmann::ordered_json::array();
    auto& acc = o["front_accuracy"] = nlohmann::ordered_json::array();
    for (const DsePoint& p : r.points) {
      if (p.network != s.network) continue;
      if (p.front_hw) hw.push_back(point_json(r, p));
      if (p.front_accuracy) acc.push_back(point_json(r, p));
    }
    summaries.push_back(std::move(o));
  }
  return j;
}

std::vector<study::Plot> dse_plots(const DseResult& r) {
  std::vector<study::Plot> plots;
  for (const DseSummary& s : r.summaries) {
    // One data block per PE type, then the front; gnuplot's `index` picks them.
    std::vector<std::string> pes;  // PE names in sweep order
    for (const AccelConfig& c : r.configs)
      if (std::find(pes.begin(), pes.end(), c.pe_name) == pes.end()) pes.push_back(c.pe_name);
    std::string hw_dat, acc_dat;
    bool any_accuracy = false;
    for (const std::string& pe : pes) {
      hw_dat += fmt::format("# {}: GOPS/mm2, energy per inference (uJ)\n", pe);
      acc_dat += fmt::format("# {}: TOPS/W, accuracy (%)\n", pe);
      for (const DsePoint& p : r.points) {
        if (p.network != s.network || !p.metrics.feasible || r.configs[p.config].pe_name != pe) continue;
        hw_dat += fmt::format("{} {}\n", num(p.metrics.perf_per_area * 1e-15), num(p.metrics.energy.total() * 1e6));
        if (p.accuracy) {
          any_accuracy = true;
          acc_dat += fmt::format("{} {}\n", num(p.metrics.energy_efficiency * 1e-12), num(*p.accuracy * 100));
        }
      }
      hw_dat += "\n\n";
      acc_dat += "\n\n";
    }
    std::vector<const DsePoint*> hw_front, acc_front;
    for (const DsePoint& p : r.points) {
      if (p.network != s.network) continue;
      if (p.front_hw) hw_front.push_back(&p);
      if (p.front_accuracy) acc_front.push_back(&p);
    }
    hw_dat += "# Pareto front\n";
    for (const DsePoint* p : hw_front)
      hw_dat += fmt::format("{} {}\n", num(p->metrics.perf_per_area * 1e-15), num(p->metrics.energy.total() * 1e6));
    acc_dat += "# Pareto front\n";
    std::sort(acc_front.begin(), acc_front.end(), [](const DsePoint* a, const DsePoint* b) {
      return a->metrics.energy_efficiency < b->metrics.energy_efficiency;
    });
    for (const DsePoint* p : acc_front)
      acc_dat += fmt::format("{} {}\n", num(p->metrics.energy_efficiency * 1e-12), num(*p->accuracy * 100));

    std::string series;
    for (std::size_t i = 0; i < pes.size(); ++i)
      series += fmt::format("{}datafile index {} using 1:2 with points pt 7 ps 0.6 title \"{}\", \\\n",
                            i ? "     " : "plot ", i, pes[i]);
    const std::string front = fmt::format(
        "     datafile index {} using 1:2 with linespoints lw 2 lc rgb \"black\" pt 6 ps 1.2 title \"Pareto front\"\n",
        pes.size());
    const std::string hw_name = "dse_" + s.network + "_hw";
    plots.push_back(study::gnuplot_plot(
        hw_name, fmt::format("{}: performance per area against energy per inference, every feasible design", s.network),
        hw_dat, 900, 600,
        fmt::format("datafile = \"{}.dat\"\nset logscale xy\nset grid\nset key outside right\n"
                    "set xlabel \"performance per area (GOPS/mm^2)\"\nset ylabel \"energy per inference (uJ)\"\n"
                    "set title \"{} ({} design points)\"\n",
                    hw_name, s.network, s.feasible),
        series + front, "deepnvm accel dse"));
    if (!any_accuracy) continue;
    const std::string acc_name = "dse_" + s.network + "_accuracy";
    plots.push_back(study::gnuplot_plot(
        acc_name, fmt::format("{}: test accuracy against energy efficiency, every feasible design", s.network), acc_dat,
        900, 600,
        fmt::format("datafile = \"{}.dat\"\nset logscale x\nset grid\nset key outside right\n"
                    "set xlabel \"energy efficiency (TOPS/W)\"\nset ylabel \"test accuracy (%)\"\n"
                    "set title \"{}: accuracy against efficiency\"\n",
                    acc_name, s.network),
        series + front, "deepnvm accel dse"));
  }
  return plots;
}

}  // namespace deepnvm::accel
