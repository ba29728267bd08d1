// SPDX-License-Identifier: MIT
// deepnvm array --nvsim-cfg FILE : evaluate an NVSim configuration with the NVSim-compatible model.
#include <memory>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/array/array_spec.h"
#include "deepnvm/array/evaluate.h"
#include "deepnvm/cell/register.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"

namespace deepnvm::cli {

namespace {

struct ArrayArgs {
  std::string spec;
  std::string nvsim_cfg;
  std::string cell_dir;
  std::string emit_nvsim;
  std::string model;   // empty: the file's (native) or nvsim
  std::string compat;  // empty: the file's (native) or nvsim
};

// NVSim opens the cell file relative to its working directory; deepnvm first tries the cfg's folder,
// then the working directory, then --cell-dir.
std::filesystem::path locate_cell(const NvsimConfig& config, const std::string& cell_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> tried{config.cell_file, fs::path(config.cell_file_as_written)};
  if (!cell_dir.empty()) tried.push_back(fs::path(cell_dir) / config.cell_file_as_written);
  for (const auto& p : tried)
    if (fs::is_regular_file(p)) return p;
  std::string list;
  for (const auto& p : tried) list += (list.empty() ? "" : ", ") + p.string();
  throw IoError(config.cell_file_as_written,
                fmt::format("cell file not found (looked for {}; --cell-dir adds a folder)", list));
}

std::string human(const ArrayResult& r) {
  const ArrayFigures& f = r.figures;
  const bool cache = r.target == DesignTarget::cache;
  Table t({"figure", "value"});
  t.row(
      {"design", fmt::format("{} of {} cells ({}), {} at {}", cache ? "cache" : "RAM", r.cell_name, r.cell_type,
                             format_quantity(r.node, dim::length), format_quantity(r.temperature, dim::temperature))});
  t.row({"area", format_quantity(f.area, dim::area)});
  if (cache) {
    t.row({"hit / miss latency", fmt::format("{} / {}", format_quantity(f.hit_latency, dim::time),
                                             format_quantity(f.miss_latency, dim::time))});
    t.row({"hit / miss energy", fmt::format("{} / {}", format_quantity(f.hit_energy, dim::energy),
                                            format_quantity(f.miss_energy, dim::energy))});
  } else {
    t.row({"read latency", format_quantity(f.read_latency, dim::time)});
    t.row({"read energy", format_quantity(f.read_energy, dim::energy)});
  }
  t.row({"write latency", format_quantity(f.write_latency, dim::time)});
  t.row({"write energy", format_quantity(f.write_energy, dim::energy)});
  if (f.set_reset) {
    t.row({"set / reset latency", fmt::format("{} / {}", format_quantity(f.set_latency, dim::time),
                                              format_quantity(f.reset_latency, dim::time))});
    t.row({"set / reset energy", fmt::format("{} / {}", format_quantity(f.set_energy, dim::energy),
                                             format_quantity(f.reset_energy, dim::energy))});
  }
  t.row({"leakage", format_quantity(f.leakage, dim::power)});
  auto organisation = [](const ArrayDesign& d) {
    const BankSpec& s = d.spec;
    return fmt::format("{}x{} mats ({}x{} active), {}x{} subarrays of {} x {}, mux {}/{}/{}", s.mat_rows, s.mat_columns,
                       s.active_mat_rows, s.active_mat_columns, s.subarray_rows, s.subarray_columns,
                       d.bank.mat->subarray.spec.rows, d.bank.mat->subarray.spec.columns, s.subarray.mux_sense_amp,
                       s.subarray.mux_output_lev1, s.subarray.mux_output_lev2);
  };
  t.row({cache ? "data array" : "organisation", organisation(r.data)});
  if (r.tag) t.row({"tag array", organisation(*r.tag)});
  if (r.slices > 1)
    t.row({"slices", fmt::format("{} identical slices (area and leakage above are of all of them)", r.slices)});
  t.row({"searched", fmt::format("{} organisations, {} legal", r.candidates, r.valid_candidates)});
  return t.str();
}

}  // namespace

Action add_array_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("array", "Memory arrays and caches: area, latency, energy and leakage (NVSim-compatible)");
  auto args = std::make_shared<ArrayArgs>();
  cmd->add_option("spec", args->spec, "A native array file (kind: array, YAML or JSON)");
  cmd->add_option("--nvsim-cfg", args->nvsim_cfg, "An NVSim .cfg file to evaluate instead");
  cmd->add_option("--cell-dir", args->cell_dir, "Also look for the cfg's MemoryCellInputFile in this folder");
  cmd->add_option("--emit-nvsim", args->emit_nvsim, "Also write the equivalent NVSim .cfg file here");
  cmd->add_option("--model", args->model, "Circuit model: nvsim (default) or cacti (overrides the file's model key)")
      ->check(CLI::IsMember({"nvsim", "cacti"}));
  cmd->add_option("--compat", args->compat,
                  "nvsim (default: NVSim's quirks and separate tag/data search) or fixed (quirks corrected, tag and "
                  "data optimised jointly; overrides the file's compat key)")
      ->check(CLI::IsMember({"nvsim", "fixed"}));
  return [args](const Context& ctx) {
    if (args->spec.empty() == args->nvsim_cfg.empty())
      throw ConfigError({"<command line>", 0}, "", "give either an array file or --nvsim-cfg FILE (exactly one)");
    NvsimConfig config;
    ArrayResult result;
    if (!args->spec.empty()) {
      const ConfigNode root = load_config_file(args->spec);
      const auto kind = root.find("kind");
      if (!kind || kind->scalar("kind") != "array")
        throw ConfigError(root.location(), "kind", "expected 'kind: array' in an array file");
      const ArraySpecFile spec = ArraySpecFile::schema().parse(root);
      config = to_nvsim_config(spec, args->spec);
      const auto cell = load_cell(config.cell_file, ctx.builtins.cell_models);
      ArrayOptions options;
      options.threads = ctx.options.threads;
      options.model = *circuit::parse_circuit_model(args->model.empty() ? spec.model : args->model);
      options.compat = *parse_compat(args->compat.empty() ? spec.compat : args->compat);
      result = evaluate_array(config, *cell, ctx.data_dir, options);
      scale_to_slices(result, spec.slices);
    } else {
      config = load_nvsim_config(args->nvsim_cfg);
      config.cell_file = locate_cell(config, args->cell_dir);
      ArrayOptions options;
      options.threads = ctx.options.threads;
      options.model = *circuit::parse_circuit_model(args->model.empty() ? "nvsim" : args->model);
      options.compat = *parse_compat(args->compat.empty() ? "nvsim" : args->compat);
      result = evaluate_nvsim_config(config, ctx.data_dir, options);
    }
    if (!ctx.options.quiet)
      for (const auto& w : result.warnings) fmt::print(stderr, "deepnvm: warning: {}\n", w);
    if (!args->emit_nvsim.empty()) write_file_atomic(args->emit_nvsim, to_nvsim_config(config));
    if (ctx.options.json) {
      auto doc = json_document("array");
      nlohmann::ordered_json body = to_json(result);
      doc["context"].update(body["context"]);  // the model's own context joins the envelope's
      body.erase("context");
      doc.update(body);
      print(json_text(doc));
    } else {
      print(human(result));
    }
  };
}

}  // namespace deepnvm::cli
