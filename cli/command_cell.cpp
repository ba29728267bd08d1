// SPDX-License-Identifier: MIT
// deepnvm cell show FILE : characterize a bitcell (native YAML or NVSim .cell) at a node.
#include <memory>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/cell/register.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::cli {

namespace {

struct CellArgs {
  std::string file;
  std::string node;
  std::string table_set;
  std::string temperature = "350 K";
  std::string emit_nvsim;
};

std::string show(const std::optional<double>& v, Dimension d) { return v ? format_quantity(*v, d) : "-"; }

std::string human(const CellFigures& f, const std::optional<Technology>& technology) {
  Table t({"figure", "value"});
  t.row({"cell", fmt::format("{} ({})", f.name, f.cell_type)});
  t.row({"node", technology ? fmt::format("{} ({}{})", show(f.node, dim::length), technology->name,
                                          technology->interpolated ? ", interpolated" : "")
                            : "-"});
  t.row({"area", f.area_f2 ? fmt::format("{:.4g} F^2 = {} ({:.4g} F high x {:.4g} F wide)", *f.area_f2,
                                         show(f.area_m2, dim::area), *f.height_f, *f.width_f)
                           : show(f.area_m2, dim::area)});
  t.row({"aspect ratio", fmt::format("{:.4g}", f.aspect_ratio)});
  t.row({"R_on / R_off", fmt::format("{} / {}", show(f.r_on, dim::resistance), show(f.r_off, dim::resistance))});
  t.row({"read", fmt::format("{} sensing, {} / {}", to_string(f.read.mode), show(f.read.voltage, dim::voltage),
                             show(f.read.current, dim::current))});
  if (f.cell_type != "sram") {
    t.row({"write (set / reset)",
           fmt::format("{} / {} for {} / {}", show(f.write.set_current, dim::current),
                       show(f.write.reset_current, dim::current), format_quantity(f.write.set_pulse, dim::time),
                       format_quantity(f.write.reset_pulse, dim::time))});
    t.row({"write energy", show(f.write.energy(), dim::energy)});
  }
  t.row({"access", fmt::format("{}{}{}", to_string(f.access.device),
                               f.access.fins ? fmt::format(", {} fins", *f.access.fins) : "",
                               f.access.width_f ? fmt::format(", {:.4g} F", *f.access.width_f) : "")});
  t.row({"standby leakage", show(f.leakage, dim::power)});
  if (f.retention_time) t.row({"retention", show(f.retention_time, dim::time)});
  if (f.write_error_rate) t.row({"write error rate", fmt::format("{:.3g}", *f.write_error_rate)});
  if (f.read_disturb_probability) t.row({"read disturb / read", fmt::format("{:.3g}", *f.read_disturb_probability)});
  std::string out = t.str();
  for (const auto& n : f.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace

Action add_cell_command(CLI::App& app) {
  auto* cell = app.add_subcommand("cell", "Memory bitcells: characterize SRAM, STT-MRAM, SOT-MRAM and resistive cells");
  cell->require_subcommand(1);
  auto* sub = cell->add_subcommand("show", "Characterize a cell file (native YAML or NVSim .cell)");
  auto args = std::make_shared<CellArgs>();
  sub->add_option("file", args->file, "Cell file: *.yaml / *.json (kind: ..._cell) or an NVSim *.cell")->required();
  sub->add_option("--node", args->node, "Technology node, e.g. '22 nm' (default: the file's own node, if any)");
  sub->add_option("--table-set", args->table_set,
                  "Technology tables: nvsim, cacti or deepnvm (default: nvsim at 22 nm and above, deepnvm below)");
  sub->add_option("--temperature", args->temperature, "Operating temperature")->capture_default_str();
  sub->add_option("--emit-nvsim", args->emit_nvsim, "Also write the equivalent NVSim .cell file here");
  return [args](const Context& ctx) {
    const auto cell = load_cell(args->file, ctx.builtins.cell_models);
    const double temperature = parse_quantity_option(args->temperature, dim::temperature, "--temperature");
    // Device tables span 300-400 K; the MTJ physics divides by T. Outside (0, 1000 K] nothing is meaningful.
    if (!(temperature > 0.0 && temperature <= 1000.0))
      throw ConfigError({"<command line>", 0}, "--temperature",
                        "expected a temperature above 0 K and at most 1000 K, "
                        "got '{}'",
                        args->temperature);
    std::optional<double> node = cell->own_node();
    if (!args->node.empty()) node = parse_quantity_option(args->node, dim::length, "--node");
    if (node && !(*node > 0.0))
      throw ConfigError({"<command line>", 0}, "--node", "expected a positive feature size, got '{}'", args->node);
    std::optional<Technology> technology;
    if (node) {
      const std::string set = !args->table_set.empty() ? args->table_set : std::string(default_table_set(*node));
      technology = find_technology(ctx.data_dir, set, *node);
    }
    const CellFigures figures = cell->characterize({technology ? &*technology : nullptr, temperature});
    if (!ctx.options.quiet)
      for (const auto& w : figures.ignored_keys) fmt::print(stderr, "deepnvm: warning: {}\n", w);
    if (!args->emit_nvsim.empty()) write_file_atomic(args->emit_nvsim, to_nvsim_cell(figures));
    if (ctx.options.json) {
      auto doc = json_document("cell show");
      doc["temperature_k"] = temperature;
      doc["technology"] = technology ? nlohmann::ordered_json{{"name", technology->name},
                                                              {"table_set", technology->table_set},
                                                              {"node", technology->node},
                                                              {"process", technology->process},
                                                              {"interpolated", technology->interpolated},
                                                              {"source", technology->source}}
                                     : nlohmann::ordered_json(nullptr);
      doc["cell"] = to_json(figures);
      print(json_text(doc));
    } else {
      print(human(figures, technology));
    }
  };
}

}  // namespace deepnvm::cli
