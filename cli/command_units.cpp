// SPDX-License-Identifier: MIT
// deepnvm units QUANTITY... : how deepnvm reads a quantity (unit rules, SI value).
#include <memory>

#include <fmt/format.h>

#include "app.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/report/json_output.h"
#include "deepnvm/report/table.h"

namespace deepnvm::cli {

Action add_units_command(CLI::App& app) {
  auto* sub = app.add_subcommand("units", "Show how quantities with units are read (\"2816 KiB\", \"0.5 ns\")");
  auto inputs = std::make_shared<std::vector<std::string>>();
  sub->add_option("quantity", *inputs, "Quantities to convert, e.g. '8 MiB' '22 nm' '5 Ohm*um^2'")->required();
  return [inputs](const Context& ctx) {
    std::vector<Quantity> parsed;
    for (const std::string& text : *inputs) {
      try {
        parsed.push_back(parse_quantity(text));
      } catch (const UnitError& e) {
        throw ConfigError({"<command line>", 0}, "quantity", "'{}': {}", text, e.what());
      }
    }
    if (ctx.options.json) {
      auto doc = json_document("units");
      doc["quantities"] = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < parsed.size(); ++i)
        doc["quantities"].push_back({{"input", (*inputs)[i]},
                                     {"value_si", parsed[i].value},
                                     {"dimension", dimension_name(parsed[i].dimension)},
                                     {"formatted", format_quantity(parsed[i].value, parsed[i].dimension)}});
      print(json_text(doc));
      return;
    }
    Table table({"input", "dimension", "SI value", "reads as"});
    for (std::size_t i = 0; i < parsed.size(); ++i)
      table.row({(*inputs)[i], dimension_name(parsed[i].dimension), fmt::format("{:.10g}", parsed[i].value),
                 format_quantity(parsed[i].value, parsed[i].dimension)});
    print(table.str());
  };
}

}  // namespace deepnvm::cli
