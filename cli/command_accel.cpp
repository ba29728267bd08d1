// SPDX-License-Identifier: MIT
// deepnvm accel rtl: the synthesizable Verilog of one processing element of the accelerator template.
// deepnvm accel characterize: that PE synthesized with yosys and costed with the analytical gate library.
// deepnvm accel fit: the fitted PE models. deepnvm accel dse: a design-space exploration.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/accel/characterize.h"
#include "deepnvm/accel/dse.h"
#include "deepnvm/accel/pe_model.h"
#include "deepnvm/accel/rtl.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/progress.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"
#include "deepnvm/study/study_plots.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::cli {

namespace {

struct PeArgs {
  std::string pe;
  std::optional<int> act_bits, weight_bits, acc_bits;
  std::string overflow = "wrap";
};

void add_pe_options(CLI::App* sub, PeArgs& a) {
  sub->add_option("--pe", a.pe, "PE type: int16, int8, int4, light1 or light2")->required();
  sub->add_option("--act-bits", a.act_bits, "Activation width (default: the type's)");
  sub->add_option("--weight-bits", a.weight_bits, "Integer weight width, or exponent bits per LightPE term");
  sub->add_option("--acc-bits", a.acc_bits, "Accumulator width (default: the type's)");
  sub->add_option("--overflow", a.overflow, "Accumulator overflow: wrap or saturate")->default_str("wrap");
}

accel::PeSpec pe_of(const PeArgs& a) {
  const SourceLocation where{"<command line>", 0};
  accel::PeSpec pe = accel::named_pe(a.pe, where);
  if (a.act_bits) pe.act_bits = *a.act_bits;
  if (a.weight_bits) pe.weight_bits = *a.weight_bits;
  if (a.acc_bits) pe.acc_bits = *a.acc_bits;
  pe.overflow = accel::parse_overflow(a.overflow, where, "overflow");
  accel::validate(pe, where);
  return pe;
}

struct RtlArgs {
  PeArgs pe;
  std::string out;
};

struct CharacterizeArgs {
  PeArgs pe;
  std::string node = "16 nm", roadmap = "hp", temperature = "350 K", work;
  std::size_t macs = 1 << 15;
  std::uint64_t seed = 1;
};

struct FitArgs {
  std::string node = "16 nm", roadmap = "hp", temperature = "350 K", overflow = "wrap", out, samples;
  std::size_t macs = 1 << 14;
};

struct DseArgs {
  std::string file, out;
  bool no_cache = false;
  unsigned threads = 0;
};

// The gate library at the node, flavour and temperature of the options (ConfigError for bad values).
struct NodeChoice {
  double node = 0.0, temperature = 0.0;
  std::string technology;
  accel::GateLibrary library;
};

NodeChoice node_choice(const std::string& node_text, const std::string& roadmap, const std::string& temperature_text,
                       const std::filesystem::path& data_dir) {
  NodeChoice c;
  c.node = parse_quantity_option(node_text, dim::length, "--node");
  c.temperature = parse_quantity_option(temperature_text, dim::temperature, "--temperature");
  if (!(c.node > 0.0))
    throw ConfigError({"<command line>", 0}, "--node", "expected a positive node, got '{}'", node_text);
  if (!(c.temperature > 0.0 && c.temperature <= 1000.0))
    throw ConfigError({"<command line>", 0}, "--temperature", "expected 0 K < T <= 1000 K, got '{}'", temperature_text);
  const Technology technology = find_technology(data_dir, default_table_set(c.node), c.node);
  c.technology = technology.name;
  c.library = accel::gate_library(circuit::make_device_model(technology, roadmap, c.temperature));
  return c;
}

// yosys's folder for characterize: --work (kept), or a scratch folder removed when it goes out of scope.
struct WorkDir {
  std::filesystem::path dir;
  bool keep = false;
  ~WorkDir() {
    std::error_code ec;
    if (!keep) std::filesystem::remove_all(dir, ec);
  }
};

std::filesystem::path scratch_dir(const std::string& what) {
  return std::filesystem::temp_directory_path() / fmt::format("deepnvm-synth-{}-{}", getpid(), what);
}

void run_rtl(const RtlArgs& args, const Context& ctx) {
  const accel::PeSpec pe = pe_of(args.pe);
  const std::string verilog = accel::pe_verilog(pe);
  if (!args.out.empty()) write_file_atomic(args.out, verilog);
  if (ctx.options.json) {
    nlohmann::ordered_json doc = json_document("accel rtl");
    doc["module"] = accel::pe_module_name(pe);
    doc["weight_code_bits"] = accel::weight_code_bits(pe);
    if (args.out.empty())
      doc["verilog"] = verilog;
    else
      doc["file"] = args.out;
    print(json_text(doc));
  } else if (args.out.empty()) {
    print(verilog);
  } else {
    print(fmt::format("{}: module {}", args.out, accel::pe_module_name(pe)));
  }
}

void run_characterize(const CharacterizeArgs& args, const Context& ctx) {
  const accel::PeSpec pe = pe_of(args.pe);
  if (args.macs < accel::kMinStreamMacs)
    throw ConfigError({"<command line>", 0}, "--macs", "expected at least {}, got {}", accel::kMinStreamMacs,
                      args.macs);
  const NodeChoice at = node_choice(args.node, args.roadmap, args.temperature, ctx.data_dir);
  const double node = at.node, temperature = at.temperature;
  const accel::GateLibrary& library = at.library;

  // yosys's files go to --work, or to a scratch folder removed afterwards.
  const bool keep = !args.work.empty();
  const WorkDir cleanup{keep ? std::filesystem::path(args.work) : scratch_dir(accel::pe_name(pe)), keep};
  const std::filesystem::path& work = cleanup.dir;
  const accel::GateNetlist netlist = accel::synthesize_pe(pe, work);
  accel::OperandStream stream;
  stream.macs = args.macs;
  stream.seed = args.seed;
  const accel::PeFigures f = accel::characterize(pe, netlist, library, stream);

  if (ctx.options.json) {
    nlohmann::ordered_json doc = json_document("accel characterize");
    doc["pe"] = accel::pe_name(pe);
    doc["node_m"] = node;
    doc["technology"] = at.technology;
    doc["roadmap"] = args.roadmap;
    doc["temperature_k"] = temperature;
    doc["vdd_v"] = library.vdd;
    doc["gates"] = {{"total", f.gates}, {"inv", f.inverters}, {"nand2", f.nand2}, {"nor2", f.nor2}};
    doc["area_m2"] = f.area;
    doc["leakage_w"] = f.leakage;
    doc["critical_path_s"] = f.critical_path;
    doc["energy_per_mac_j"] = f.energy_per_mac;
    doc["toggles_per_mac"] = f.toggles_per_mac;
    doc["macs_checked"] = f.macs_checked;
    if (keep) doc["work_dir"] = work.string();
    print(json_text(doc));
    return;
  }
  Table t({"figure", "value"});
  t.row({"PE", accel::pe_name(pe)});
  t.row({"node",
         fmt::format("{} ({}, {}, {}, Vdd {})", format_quantity(node, dim::length), at.technology, args.roadmap,
                     format_quantity(temperature, dim::temperature), format_quantity(library.vdd, dim::voltage))});
  t.row({"gates", fmt::format("{} ({} INV, {} NAND2, {} NOR2)", f.gates, f.inverters, f.nand2, f.nor2)});
  t.row({"area", format_quantity(f.area, dim::area)});
  t.row({"leakage", format_quantity(f.leakage, dim::power)});
  t.row({"critical path", format_quantity(f.critical_path, dim::time)});
  t.row({"dynamic energy / MAC", format_quantity(f.energy_per_mac, dim::energy)});
  t.row({"toggles / MAC", fmt::format("{:.1f}", f.toggles_per_mac)});
  t.row({"checked", fmt::format("{} MACs of the netlist equal the reference", f.macs_checked)});
  print(t.str());
  print("Gate area only (no wiring or placement); zero-delay activity (no glitches): docs/models/accel.md §4.");
  if (keep) print(fmt::format("yosys files: {}", work.string()));
}

void run_fit(const FitArgs& args, const Context& ctx) {
  const NodeChoice at = node_choice(args.node, args.roadmap, args.temperature, ctx.data_dir);
  const accel::Overflow overflow = accel::parse_overflow(args.overflow, {"<command line>", 0}, "--overflow");
  if (args.macs < accel::kMinStreamMacs)
    throw ConfigError({"<command line>", 0}, "--macs", "expected at least {}, got {}", accel::kMinStreamMacs,
                      args.macs);
  accel::OperandStream stream;
  stream.macs = args.macs;
  std::unique_ptr<Progress> bar;
  const std::vector<accel::FitDesign> designs =
      accel::characterize_fit_grid(at.library, overflow, stream, [&](std::size_t done, std::size_t total) {
        if (!bar) bar = std::make_unique<Progress>("synthesizing PEs", total, Progress::on_terminal(ctx.options.quiet));
        bar->advance(done - bar->done());
      });
  if (bar) bar->finish();
  // The designs first: they are the data behind the fit, worth keeping even if a fit fails.
  if (!args.samples.empty()) write_file_atomic(args.samples, accel::designs_csv(designs));
  accel::PeModels models;
  models.node = at.node;
  models.roadmap = args.roadmap;
  models.temperature = at.temperature;
  models.tool = accel::yosys_version() + ": synth -flatten; abc -g cmos2; costed with deepnvm's gate library";
  models.models = accel::fit_pe_models(designs);
  const std::size_t samples = designs.size();
  models.source = fmt::format(
      "deepnvm accel fit --node '{}' --roadmap {} --temperature '{}' --overflow {} --macs {}: {} designs "
      "synthesized with yosys and characterized (accel/characterize.h), a quarter held out (is_held_out){}",
      args.node, args.roadmap, args.temperature, args.overflow, args.macs, samples,
      args.samples.empty() ? "" : fmt::format("; every design's figures: {}", args.samples));
  if (!args.out.empty()) write_file_atomic(args.out, accel::to_yaml(models));
  if (ctx.options.json) {
    nlohmann::ordered_json doc = json_document("accel fit");
    doc["models"] = accel::PeModels::schema().to_json(models);
    if (!args.out.empty()) doc["file"] = args.out;
    print(json_text(doc));
    return;
  }
  Table t({"kind", "fit / held out", "area", "leakage", "critical path", "energy / MAC"});
  const auto errors = [](const accel::FigureFit& f) {
    return fmt::format("{:.1f} % / {:.1f} %", 100.0 * f.mean_error, 100.0 * f.max_error);
  };
  for (const accel::PeModelFit& m : models.models)
    t.row({m.kind + "/" + m.overflow, fmt::format("{} / {}", m.samples, m.held_out), errors(m.area), errors(m.leakage),
           errors(m.critical_path), errors(m.energy_per_mac)});
  print(t.str());
  print("Held-out relative error, mean / max (goal: 5 % / 15 %).");
  if (!args.out.empty()) print(fmt::format("models: {}", args.out));
}

void run_dse(const DseArgs& args, const Context& ctx) {
  // Everything is read and checked before anything is written: a bad file leaves no output.
  const accel::DseSpec spec = accel::load_dse_spec(args.file, ctx.data_dir);
  const std::filesystem::path out =
      args.out.empty() ? std::filesystem::path("deepnvm-results") / spec.name : std::filesystem::path(args.out);
  accel::DseOptions options;
  options.data_dir = ctx.data_dir;
  options.threads = args.threads;
  if (!args.no_cache) options.cache = study::ResultCache(study::ResultCache::default_directory());
  const bool visible = Progress::on_terminal(ctx.options.quiet);
  std::unique_ptr<Progress> bar;
  std::string phase;
  options.progress = [&](const std::string& p, std::size_t done, std::size_t total) {
    if (p != phase) {
      if (bar) bar->finish();
      bar = std::make_unique<Progress>(p, total, visible);
      phase = p;
    }
    bar->advance(done - bar->done());
  };
  const auto start = std::chrono::steady_clock::now();
  const accel::DseContext context = accel::prepare_dse(spec, args.file, options);
  const double prepared = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  accel::DseResult result = accel::run_dse(spec, context, options);
  if (bar) bar->finish();
  result.buffer_seconds = prepared;

  std::filesystem::create_directories(out);
  write_file_atomic(out / "dse.csv", accel::dse_csv(result));
  nlohmann::ordered_json doc = json_document("accel dse");
  doc.update(accel::to_json(result));
  write_file_atomic(out / "dse.json", json_text(doc));
  for (const std::string& w : study::write_plots(accel::dse_plots(result), out).warnings)
    std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (ctx.options.json) {
    print(json_text(doc));
    return;
  }
  print(fmt::format("{}: {} configurations x {} networks = {} design points in {:.2f} s (models and buffers: {:.2f} s)",
                    spec.name, result.configs.size(), spec.networks.size(), result.points.size(),
                    result.evaluate_seconds, result.buffer_seconds));
  Table t({"network", "feasible", "perf/area spread", "energy spread", "LightPE perf/area", "LightPE energy",
           "accuracy front (LightPE)"});
  const auto ratio = [](const std::optional<double>& r) { return r ? fmt::format("{:.2f}x", *r) : std::string("-"); };
  for (const accel::DseSummary& s : result.summaries)
    t.row({s.network, fmt::format("{} / {}", s.feasible, s.points), fmt::format("{:.1f}x", s.perf_per_area_spread),
           fmt::format("{:.1f}x", s.energy_spread), ratio(s.light_perf_per_area_gain), ratio(s.light_energy_gain),
           s.on_accuracy_front ? fmt::format("{} ({})", s.on_accuracy_front, s.light_on_accuracy_front) : "-"});
  print(t.str());
  print(
      "Spreads: max/min over feasible designs (QADAM/QUIDAM: >5x perf/area, >35x energy). LightPE: best LightPE "
      "design against the best INT16 design, each on its own metric (published: up to 5.7x).");
  for (const accel::DseSummary& s : result.summaries)
    if (s.unmapped_macs > 0)
      print(fmt::format("note: {}: {} MACs of activation-activation products (attention) are not mapped", s.network,
                        s.unmapped_macs));
  print(fmt::format("results: {} (dse.csv, dse.json, plots)", out.string()));
}

}  // namespace

Action add_accel_command(CLI::App& app) {
  auto* accel = app.add_subcommand("accel", "Quantization-aware accelerator template (docs/models/accel.md)");
  accel->require_subcommand(1);
  auto rtl_args = std::make_shared<RtlArgs>();
  auto* rtl = accel->add_subcommand("rtl", "Verilog of one processing element (one combinational MAC)");
  add_pe_options(rtl, rtl_args->pe);
  rtl->add_option("--out", rtl_args->out, "Write the Verilog to this file (default: stdout)");

  auto ch_args = std::make_shared<CharacterizeArgs>();
  auto* ch = accel->add_subcommand(
      "characterize", "Synthesize one PE with yosys; area, leakage, delay and energy per MAC from the gate library");
  add_pe_options(ch, ch_args->pe);
  ch->add_option("--node", ch_args->node, "Technology node")->capture_default_str();
  ch->add_option("--roadmap", ch_args->roadmap, "Device flavour: hp, lstp or lop")->capture_default_str();
  ch->add_option("--temperature", ch_args->temperature, "Operating temperature")->capture_default_str();
  ch->add_option("--macs", ch_args->macs, "MACs of the activity simulation")->capture_default_str();
  ch->add_option("--seed", ch_args->seed, "Seed of the operand stream")->capture_default_str();
  ch->add_option("--work", ch_args->work, "Keep yosys's files (pe.v, synth.ys, netlist.json, yosys.log) here");

  auto fit_args = std::make_shared<FitArgs>();
  auto* fit = accel->add_subcommand(
      "fit", "Synthesize and characterize a grid of PEs per kind; fit the PE models (held-out errors)");
  fit->add_option("--node", fit_args->node, "Technology node")->capture_default_str();
  fit->add_option("--roadmap", fit_args->roadmap, "Device flavour: hp, lstp or lop")->capture_default_str();
  fit->add_option("--temperature", fit_args->temperature, "Operating temperature")->capture_default_str();
  fit->add_option("--overflow", fit_args->overflow, "Accumulator overflow: wrap or saturate")->capture_default_str();
  fit->add_option("--macs", fit_args->macs, "MACs of each activity simulation")->capture_default_str();
  fit->add_option("--out", fit_args->out, "Write the models (kind: pe_models YAML) to this file");
  fit->add_option("--samples", fit_args->samples, "Write every characterized design (CSV) to this file");
  auto dse_args = std::make_shared<DseArgs>();
  auto* dse = accel->add_subcommand(
      "dse", "Design-space exploration: every design point of a sweep file, Pareto fronts, CSV, JSON and plots");
  dse->add_option("file", dse_args->file, "Sweep file (kind: accel_dse)")->required();
  dse->add_option("--out", dse_args->out, "Output folder (default: ./deepnvm-results/<sweep name>)");
  dse->add_flag("--no-cache", dse_args->no_cache, "Rebuild the global-buffer table; neither read nor write the cache");
  dse->add_option("--threads", dse_args->threads, "Threads of the array searches (0: all)")->capture_default_str();
  return [rtl, ch, fit, rtl_args, ch_args, fit_args, dse_args](const Context& ctx) {
    if (rtl->parsed())
      run_rtl(*rtl_args, ctx);
    else if (ch->parsed())
      run_characterize(*ch_args, ctx);
    else if (fit->parsed())
      run_fit(*fit_args, ctx);
    else
      run_dse(*dse_args, ctx);
  };
}

}  // namespace deepnvm::cli
