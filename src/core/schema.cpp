// SPDX-License-Identifier: MIT
#include "deepnvm/core/schema.h"

#include <algorithm>

namespace deepnvm {

std::string ValueRules::range_text(bool integer) const {
  const auto show = [&](double v) {
    return integer ? fmt::format("{}", static_cast<long long>(v)) : format_quantity(v, unit, 6);
  };
  if (!choices.empty()) return "one of " + quoted_list(choices);
  if (min && max)
    return fmt::format("{} {} and {} {}", min_exclusive ? ">" : ">=", show(*min),
                       max_exclusive ? "<" : "<=", show(*max));
  if (min) return fmt::format("{} {}", min_exclusive ? ">" : ">=", show(*min));
  if (max) return fmt::format("{} {}", max_exclusive ? "<" : "<=", show(*max));
  return {};
}

void ValueRules::check_range(double value, const std::string& shown, const ConfigNode& node, const std::string& key,
                             bool integer) const {
  const bool too_low = min && (min_exclusive ? !(value > *min) : !(value >= *min));
  const bool too_high = max && (max_exclusive ? !(value < *max) : !(value <= *max));
  if (too_low || too_high)
    throw ConfigError(node.location(), key, "out of range: expected {}, got '{}'", range_text(integer), shown);
}

void ValueRules::check_choice(const std::string& value, const ConfigNode& node, const std::string& key) const {
  if (choices.empty() || std::find(choices.begin(), choices.end(), value) != choices.end()) return;
  throw ConfigError(node.location(), key, "'{}' is not allowed{}; expected one of {}", value,
                    did_you_mean(value, choices), quoted_list(choices));
}

namespace {

void append_markdown(const SchemaInfo& info, int level, std::string& out, std::vector<std::string>& done) {
  if (std::find(done.begin(), done.end(), info.kind) != done.end()) return;
  done.push_back(info.kind);
  out +=
      fmt::format("{} `{}`\n\n{}\n\n", std::string(static_cast<std::size_t>(level), '#'), info.kind, info.description);
  out += "| key | type | example | allowed | default | description |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const FieldInfo& f : info.fields) {
    out += fmt::format("| `{}` | {} | `{}` | {} | {} | {} |\n", f.name, f.type, f.example, f.range,
                       f.required                ? "**required**"
                       : f.default_value.empty() ? "(optional)"
                                                 : "`" + f.default_value + "`",
                       f.description);
  }
  out += "\n";
  for (const FieldInfo& f : info.fields)
    if (f.nested) append_markdown(*f.nested, level + 1, out, done);
}

}  // namespace

std::string schema_markdown(const SchemaInfo& info) {
  std::string out;
  std::vector<std::string> done;
  append_markdown(info, 2, out, done);
  return out;
}

nlohmann::ordered_json schema_json(const SchemaInfo& info) {
  nlohmann::ordered_json out;
  out["kind"] = info.kind;
  out["description"] = info.description;
  out["fields"] = nlohmann::ordered_json::array();
  for (const FieldInfo& f : info.fields) {
    nlohmann::ordered_json field;
    field["name"] = f.name;
    field["type"] = f.type;
    field["example"] = f.example;
    field["range"] = f.range;
    field["required"] = f.required;
    field["default"] =
        f.default_value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.default_value);
    field["description"] = f.description;
    if (f.nested) field["mapping"] = schema_json(*f.nested);
    out["fields"].push_back(std::move(field));
  }
  return out;
}

}  // namespace deepnvm
