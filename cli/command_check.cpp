// SPDX-License-Identifier: MIT
// deepnvm check FILE... : strict validation of input files against their declared kind.
#include <memory>

#include "app.h"
#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/config.h"
#include "deepnvm/report/json_output.h"

namespace deepnvm::cli {

namespace {

struct CheckArgs {
  std::vector<std::string> files;
  std::string out;
};

nlohmann::ordered_json check_file(const std::string& path, const Builtins& builtins) {
  const ConfigNode root = load_config_file(path);
  if (!root.is_map())
    throw ConfigError(root.location(), "", "expected a mapping with a 'kind' key, got a {}", root.type_name());
  const auto kind_node = root.find("kind");
  if (!kind_node)
    throw ConfigError(root.location(), "kind", "missing required key: every input file names its kind, one of {}",
                      quoted_list(builtins.input_kinds.names()));
  const std::string& kind = kind_node->scalar("kind");
  const InputKind& input = builtins.input_kinds.get(kind, kind_node->location(), "kind");
  nlohmann::ordered_json result;
  result["file"] = path;
  result["kind"] = kind;
  result["values"] = input.load(root);
  return result;
}

}  // namespace

Action add_check_command(CLI::App& app) {
  auto* sub = app.add_subcommand("check", "Validate input files strictly and print their values in SI units");
  auto args = std::make_shared<CheckArgs>();
  sub->add_option("file", args->files, "YAML or JSON input files")->required();
  sub->add_option("-o,--out", args->out, "Also write the normalized JSON to this file (all or nothing)");
  return [args](const Context& ctx) {
    auto doc = json_document("check");
    doc["files"] = nlohmann::ordered_json::array();
    // Every file is checked before anything is printed or written: one bad file, no output at all.
    for (const std::string& file : args->files) doc["files"].push_back(check_file(file, ctx.builtins));
    if (!args->out.empty()) write_file_atomic(args->out, json_text(doc) + "\n");
    if (ctx.options.json) {
      print(json_text(doc));
    } else {
      for (const auto& f : doc["files"])
        print(fmt::format("{}: ok ({}{})", f["file"].get<std::string>(), f["kind"].get<std::string>(),
                          f["values"].contains("name") ? " '" + f["values"]["name"].get<std::string>() + "'" : ""));
    }
  };
}

}  // namespace deepnvm::cli
