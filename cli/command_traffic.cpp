// SPDX-License-Identifier: MIT
// deepnvm traffic : L2 and DRAM traffic of one training or inference iteration of a network on a GPU,
// at the GPU's L2 (or --l2) and, with --mrc, at every capacity of the miss-ratio curve.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/cachesim/traffic_model.h"
#include "deepnvm/core/progress.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"
#include "deepnvm/workload/onnx_import.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::cli {

namespace {

struct TrafficArgs {
  bool list = false;
  std::string network;
  std::string gpu;
  std::string mode;
  std::int64_t batch = 0;
  std::string dtype = "fp32";
  std::string optimizer = "sgd";
  std::string l2;
  std::string mrc;  // "", "exact" or "sampled"
  bool cold = false;
  bool flush = false;
};

const SourceLocation kCommandLine{"<command line>", 0};

// Re-labels a parse error with the option it came from.
template <typename F>
auto parse_option(const char* option, F&& parse) {
  try {
    return parse();
  } catch (const ConfigError& e) {
    throw ConfigError(kCommandLine, option, e.detail());
  } catch (const UnitError& e) {
    throw ConfigError(kCommandLine, option, e.what());
  }
}

std::uint64_t parse_capacity(const std::string& text) {
  const double bytes = parse_option("--l2", [&] { return parse_quantity(text, dim::bytes); });
  if (!(bytes >= 128) || bytes != std::floor(bytes) || bytes > 1e15)
    throw ConfigError(kCommandLine, "--l2", "expected a whole number of bytes >= 128 B (e.g. 4 MiB), got '{}'", text);
  return static_cast<std::uint64_t>(bytes);
}

nlohmann::ordered_json counters_json(const TrafficCounters& c) {
  return {{"l2_read_sectors", c.l2_read_sectors},
          {"l2_write_sectors", c.l2_write_sectors},
          {"l2_read_hits", c.l2_read_hits},
          {"l2_write_hits", c.l2_write_hits},
          {"l2_write_allocates", c.l2_write_allocates},
          {"dram_read_bytes", c.dram_read_bytes},
          {"dram_write_bytes", c.dram_write_bytes},
          {"flops", c.flops},
          {"time_s", c.time_s}};
}

double ratio(std::int64_t a, std::int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0; }
std::string percent(double x) { return fmt::format("{:.1f} %", 100 * x); }
std::string bytes_text(double b) { return format_quantity(b, dim::bytes); }

std::string human(const TrafficResult& r, const TrafficArgs& args) {
  const TrafficCounters t = r.traffic.total();
  std::string out = fmt::format(
      "{} on {}, {}, batch {}, {}: {} kernels, L2 {} ({} slices x {} ways, {} indexing), {} iteration\n\n", r.network,
      r.gpu, args.mode, args.batch, args.dtype, r.kernels.size(), bytes_text(static_cast<double>(r.l2_bytes)),
      r.l2.slices, r.l2.ways, cachesim::to_string(r.l2.indexing), r.warm ? "steady-state (warm)" : "cold");
  Table totals({"total", "value"});
  totals.row({"L2 read sectors", fmt::format("{}", t.l2_read_sectors)});
  totals.row({"L2 write sectors", fmt::format("{}", t.l2_write_sectors)});
  totals.row({"L2 read hit rate", percent(ratio(t.l2_read_hits, t.l2_read_sectors))});
  totals.row({"L2 write allocates",
              fmt::format("{} ({})", t.l2_write_allocates, percent(ratio(t.l2_write_allocates, t.l2_write_sectors)))});
  totals.row({"DRAM read", bytes_text(static_cast<double>(t.dram_read_bytes))});
  totals.row({"DRAM write", bytes_text(static_cast<double>(t.dram_write_bytes))});
  totals.row({"GFLOPs", fmt::format("{:.4g}", static_cast<double>(t.flops) / 1e9)});
  totals.row({"time (roofline)", format_quantity(t.time_s, dim::time)});
  out += totals.str() + "\n";

  std::vector<std::size_t> order(r.traffic.kernels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t top = std::min<std::size_t>(10, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      return r.traffic.kernels[a].counters.time_s > r.traffic.kernels[b].counters.time_s;
                    });
  Table kernels({"kernel", "layer", "read sectors", "write sectors", "read hits", "DRAM read", "DRAM write", "time"});
  for (std::size_t i = 0; i < top; ++i) {
    const KernelTraffic& k = r.traffic.kernels[order[i]];
    const TrafficCounters& c = k.counters;
    kernels.row({k.name, k.layer, fmt::format("{}", c.l2_read_sectors), fmt::format("{}", c.l2_write_sectors),
                 percent(ratio(c.l2_read_hits, c.l2_read_sectors)), bytes_text(static_cast<double>(c.dram_read_bytes)),
                 bytes_text(static_cast<double>(c.dram_write_bytes)), format_quantity(c.time_s, dim::time)});
  }
  out += fmt::format("top {} kernels by time\n{}", top, kernels.str());

  if (r.mrc) {
    Table curve({"L2 capacity", "read miss ratio", "write miss ratio", "DRAM read", "DRAM write"});
    for (const cachesim::MrcPoint& p : r.mrc->points())
      curve.row({bytes_text(static_cast<double>(p.capacity_bytes)), fmt::format("{:.4f}", p.read_miss_ratio),
                 fmt::format("{:.4f}", p.write_miss_ratio), bytes_text(p.dram_read_bytes),
                 bytes_text(p.dram_write_bytes)});
    out += fmt::format("\nmiss-ratio curve ({}, error bound {:.4f})\n{}", cachesim::to_string(r.mrc->method()),
                       r.mrc->error_bound(), curve.str());
  }
  return out;
}

nlohmann::ordered_json result_json(const TrafficResult& r, const TrafficArgs& args, const LoweringOptions& lowering) {
  auto doc = json_document("traffic");
  doc["network"] = r.network;
  doc["gpu"] = r.gpu;
  doc["mode"] = std::string(mode_name(lowering.mode));
  doc["batch"] = lowering.batch;
  doc["dtype"] = std::string(dtype_name(lowering.dtype));
  if (lowering.mode == Mode::training) doc["optimizer"] = std::string(optimizer_name(lowering.optimizer));
  doc["l2_bytes"] = r.l2_bytes;
  doc["l2"] = {{"slices", r.l2.slices},
               {"ways", r.l2.ways},
               {"line_bytes", kL2LineBytes},
               {"sector_bytes", kL2SectorBytes},
               {"indexing", std::string(cachesim::to_string(r.l2.indexing))},
               {"policy", std::string(cachesim::to_string(r.l2.policy))}};
  doc["iteration"] = r.warm ? "warm" : "cold";
  doc["flush_between_kernels"] = args.flush;
  if (args.flush) doc["flush_write_bytes"] = r.flush_write_bytes;
  doc["stream"] = {{"kernels", r.kernels.size()},
                   {"footprint_bytes", r.footprint_bytes},
                   {"measured_accesses", r.measured_accesses},
                   {"generated_accesses", r.generated_accesses},
                   {"l2_accesses", r.simulated_accesses},
                   {"curve_accesses", r.curve_accesses},
                   {"l2_warmup_first_kernel", r.warmup_first_kernel},
                   {"curve_warmup_first_kernel", r.mrc_warmup_first_kernel}};
  doc["total"] = counters_json(r.traffic.total());
  doc["kernels"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < r.traffic.kernels.size(); ++k) {
    const KernelTraffic& kt = r.traffic.kernels[k];
    nlohmann::ordered_json entry{
        {"name", kt.name}, {"layer", kt.layer}, {"pass", std::string(pass_name(r.kernels[k].pass))}};
    entry.update(counters_json(kt.counters));
    doc["kernels"].push_back(std::move(entry));
  }
  if (r.mrc) {
    doc["mrc_method"] = std::string(cachesim::to_string(r.mrc->method()));
    doc["mrc_error_bound"] = r.mrc->error_bound();
    doc["mrc_sampling_rate"] = r.mrc->sampling_rate();
    doc["mrc"] = nlohmann::ordered_json::array();
    for (const cachesim::MrcPoint& p : r.mrc->points())
      doc["mrc"].push_back({{"capacity_bytes", p.capacity_bytes},
                            {"read_miss_ratio", p.read_miss_ratio},
                            {"write_miss_ratio", p.write_miss_ratio},
                            {"dram_read_bytes", p.dram_read_bytes},
                            {"dram_write_bytes", p.dram_write_bytes}});
  }
  return doc;
}

void list(const Context& ctx) {
  const std::vector<std::string> networks = ctx.builtins.networks.names();
  const std::vector<std::string> gpus = gpu_preset_names(ctx.data_dir);
  if (ctx.options.json) {
    auto doc = json_document("traffic --list");
    doc["networks"] = networks;
    doc["gpus"] = gpus;
    print(json_text(doc));
    return;
  }
  std::string out = "networks:";
  for (const std::string& n : networks) out += " " + n;
  out += "\ngpus:";
  for (const std::string& g : gpus) out += " " + g;
  print(out);
}

}  // namespace

Action add_traffic_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "traffic", "L2 and DRAM traffic of one iteration of a network on a GPU (and miss-ratio curves with --mrc)");
  auto args = std::make_shared<TrafficArgs>();
  cmd->add_flag("--list", args->list, "List the networks and GPUs");
  cmd->add_option("--network", args->network, "Zoo network (see --list) or an ONNX file (FILE.onnx)");
  cmd->add_option("--gpu", args->gpu, "GPU preset (see --list)");
  cmd->add_option("--mode", args->mode, "inference or training");
  cmd->add_option("--batch", args->batch, "Batch size");
  cmd->add_option("--dtype", args->dtype, "fp32, fp16, bf16 or int8")->capture_default_str();
  cmd->add_option("--optimizer", args->optimizer, "Training optimizer: sgd (with momentum) or adam")
      ->capture_default_str();
  cmd->add_option("--l2", args->l2, "Simulated L2 capacity, e.g. 4MiB (default: the GPU's)");
  cmd->add_option("--mrc", args->mrc, "Also the miss-ratio curve at every capacity: sampled (default) or exact")
      ->expected(0, 1);
  cmd->add_flag("--cold", args->cold, "Report the first iteration from an empty L2 (no warm-up iteration)");
  cmd->add_flag("--flush-between-kernels", args->flush,
                "Write back and invalidate the L2 before every kernel (Nsight Compute --cache-control all)");
  return [args, cmd](const Context& ctx) {
    if (args->list) {
      list(ctx);
      return;
    }
    for (const auto& [value, option] :
         {std::pair{&args->network, "--network"}, std::pair{&args->gpu, "--gpu"}, std::pair{&args->mode, "--mode"}})
      if (value->empty()) throw ConfigError(kCommandLine, option, "is required (or --list)");
    if (cmd->count("--batch") == 0) throw ConfigError(kCommandLine, "--batch", "is required (or --list)");
    if (args->batch < 1 || args->batch > (std::int64_t{1} << 20))
      throw ConfigError(kCommandLine, "--batch", "expected a batch size from 1 to 1048576, got {}", args->batch);

    LoweringOptions lowering;
    lowering.mode = parse_option("--mode", [&] { return parse_mode(args->mode); });
    lowering.batch = args->batch;
    lowering.dtype = parse_option("--dtype", [&] { return parse_dtype(args->dtype); });
    if (lowering.dtype != DType::fp32 && lowering.dtype != DType::fp16 && lowering.dtype != DType::bf16 &&
        lowering.dtype != DType::int8)
      throw ConfigError(kCommandLine, "--dtype", "expected fp32, fp16, bf16 or int8, got '{}'", args->dtype);
    lowering.optimizer = parse_option("--optimizer", [&] { return parse_optimizer(args->optimizer); });

    TrafficOptions options;
    options.lowering = lowering;
    options.cold = args->cold;
    options.flush_between_kernels = args->flush;
    options.threads = static_cast<int>(ctx.options.threads);
    if (!args->l2.empty()) options.l2_bytes = parse_capacity(args->l2);
    if (cmd->count("--mrc") > 0) {
      cachesim::MrcOptions mrc;
      if (args->mrc == "exact") {
        mrc.method = cachesim::MrcMethod::exact;
      } else if (args->mrc.empty() || args->mrc == "sampled") {
        mrc.method = cachesim::MrcMethod::sampled;
      } else {
        throw ConfigError(kCommandLine, "--mrc", "expected 'exact' or 'sampled', got '{}'", args->mrc);
      }
      options.mrc = mrc;
    }

    const GpuSpec gpu = parse_option("--gpu", [&] { return gpu_preset(ctx.data_dir, args->gpu); });
    if (options.l2_bytes) parse_option("--l2", [&] { return l2_cache_spec(gpu, *options.l2_bytes, options.policy); });
    const bool onnx_file = args->network.size() > 5 && args->network.ends_with(".onnx");
    const ZooOptions zoo{.dtype = lowering.dtype, .sequence_length = 128};
    const Network net = onnx_file ? import_onnx(args->network, {.dtype = lowering.dtype})
                                  : ctx.builtins.networks.get(args->network, kCommandLine, "--network")(zoo);

    std::unique_ptr<Progress> bar;
    const TrafficProgress progress = [&](std::size_t done, std::size_t total) {
      if (!bar) bar = std::make_unique<Progress>("traffic", total, Progress::on_terminal(ctx.options.quiet));
      bar->advance();
      if (done == total) bar->finish();
    };
    const TrafficResult result = model_traffic(net, gpu, options, progress);
    if (bar) bar->finish();
    print(ctx.options.json ? json_text(result_json(result, *args, lowering)) : human(result, *args));
  };
}

}  // namespace deepnvm::cli
