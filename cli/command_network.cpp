// SPDX-License-Identifier: MIT
// deepnvm network list|show : the DNN zoo (or an ONNX file) — layers, shapes, FLOPs and parameters.
#include <memory>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"
#include "deepnvm/workload/onnx_import.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm::cli {

namespace {

struct NetworkArgs {
  std::string name;
  std::int64_t batch = 1;
  std::string dtype = "fp32";
};

std::string giga(std::int64_t v) { return fmt::format("{:.4g}", static_cast<double>(v) / 1e9); }
std::string mega(std::int64_t v) { return fmt::format("{:.4g}", static_cast<double>(v) / 1e6); }

}  // namespace

Action add_network_command(CLI::App& app) {
  auto* network = app.add_subcommand("network", "DNN workloads: the model zoo's layers, shapes, FLOPs and parameters");
  network->require_subcommand(1);
  auto args = std::make_shared<NetworkArgs>();
  auto* list = network->add_subcommand("list", "Every zoo network with its parameters and FLOPs per sample");
  auto* show = network->add_subcommand("show", "The layers of one network, in execution order");
  show->add_option("name", args->name, "Network name, e.g. resnet50, or an ONNX file (FILE.onnx)")->required();
  for (auto* sub : {list, show}) {
    sub->add_option("--batch", args->batch, "Batch size")->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20));
    sub->add_option("--dtype", args->dtype, "Activation and weight type: fp32, fp16, bf16, int8")
        ->capture_default_str();
  }
  return [args, list](const Context& ctx) {
    ZooOptions options;
    try {
      options.dtype = parse_dtype(args->dtype);
    } catch (const ConfigError& e) {
      throw ConfigError({"<command line>", 0}, "--dtype", e.detail());
    }
    const auto& networks = ctx.builtins.networks;
    if (list->parsed()) {
      auto doc = json_document("network list");
      doc["batch"] = args->batch;
      doc["networks"] = nlohmann::ordered_json::array();
      Table table({"network", "layers", "parameters (M)", "GFLOPs", "source"});
      for (const std::string& name : networks.names()) {
        const Network net = networks.get(name)(options);
        doc["networks"].push_back({{"name", name},
                                   {"layers", net.layers.size()},
                                   {"parameters", parameter_count(net)},
                                   {"parameter_bytes", parameter_bytes(net)},
                                   {"flops", flops(net, args->batch)},
                                   {"macs", macs(net, args->batch)},
                                   {"source", net.source}});
        table.row({name, fmt::format("{}", net.layers.size()), mega(parameter_count(net)),
                   giga(flops(net, args->batch)), net.source.substr(0, 60)});
      }
      print(ctx.options.json ? json_text(doc) : table.str());
      return;
    }
    const bool onnx_file = args->name.size() > 5 && args->name.ends_with(".onnx");
    const Network net = onnx_file ? import_onnx(args->name, {.dtype = options.dtype})
                                  : networks.get(args->name, {"<command line>", 0}, "name")(options);
    auto doc = json_document("network show");
    doc["name"] = net.name;
    doc["source"] = net.source;
    doc["batch"] = args->batch;
    doc["parameters"] = parameter_count(net);
    doc["flops"] = flops(net, args->batch);
    doc["layers"] = nlohmann::ordered_json::array();
    Table table({"layer", "op", "output (per sample)", "MFLOPs", "parameters"});
    for (const Layer& layer : net.layers) {
      doc["layers"].push_back({{"name", layer.name},
                               {"op", op_name(layer.op)},
                               {"output_shape", net.output_shape(layer)},
                               {"flops", flops(net, layer, args->batch)},
                               {"parameters", parameter_count(layer.op)}});
      table.row({layer.name, std::string(op_name(layer.op)), shape_text(net.output_shape(layer)),
                 mega(flops(net, layer, args->batch)), fmt::format("{}", parameter_count(layer.op))});
    }
    if (ctx.options.json) {
      print(json_text(doc));
    } else {
      print(fmt::format("{}: {} layers, {} M parameters, {} GFLOPs at batch {}\nsource: {}\n\n{}", net.name,
                        net.layers.size(), mega(parameter_count(net)), giga(flops(net, args->batch)), args->batch,
                        net.source, table.str()));
    }
  };
}

}  // namespace deepnvm::cli
