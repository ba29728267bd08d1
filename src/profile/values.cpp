// SPDX-License-Identifier: MIT
// Numbers, units and columns as the profilers print them.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"
#include "detail.h"

namespace deepnvm::profile_detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the longest prefix of `text` that has the shape of a number (digits, thousands
// separators, fraction, exponent); the rest is a glued unit ("157.16GB/s", "7.65%").
std::size_t number_prefix_length(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  while (i < text.size() && (is_digit(text[i]) || text[i] == ',' || text[i] == '.')) ++i;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && is_digit(text[j])) {
      while (j < text.size() && is_digit(text[j])) ++j;
      i = j;
    }
  }
  return i;
}

struct UnitScale {
  std::string_view unit;
  double scale;
};

// Units each measure accepts, with the factor to its base unit. ncu rescales with decimal prefixes
// unless --print-units base is given (gpus.md §2.3); nvprof prints plain transaction counts and
// percentages with a glued "%". An empty unit is accepted where it cannot be ambiguous.
constexpr std::array sector_units{UnitScale{"", 1.0},        UnitScale{"sector", 1.0},  UnitScale{"Ksector", 1e3},
                                  UnitScale{"Msector", 1e6}, UnitScale{"Gsector", 1e9}, UnitScale{"Tsector", 1e12}};
constexpr std::array byte_units{UnitScale{"", 1.0},      UnitScale{"byte", 1.0},  UnitScale{"B", 1.0},
                                UnitScale{"Kbyte", 1e3}, UnitScale{"Mbyte", 1e6}, UnitScale{"Gbyte", 1e9},
                                UnitScale{"Tbyte", 1e12}};
constexpr std::array time_units{UnitScale{"ns", 1e-9},      UnitScale{"nsecond", 1e-9}, UnitScale{"us", 1e-6},
                                UnitScale{"usecond", 1e-6}, UnitScale{"ms", 1e-3},      UnitScale{"msecond", 1e-3},
                                UnitScale{"s", 1.0},        UnitScale{"second", 1.0}};
constexpr std::array percent_units{UnitScale{"", 1.0}, UnitScale{"%", 1.0}};

template <std::size_t N>
std::optional<double> scale_of(const std::array<UnitScale, N>& table, std::string_view unit) {
  for (const auto& entry : table)
    if (entry.unit == unit) return entry.scale;
  return std::nullopt;
}

template <std::size_t N>
std::vector<std::string> unit_names(const std::array<UnitScale, N>& table) {
  std::vector<std::string> out;
  for (const auto& entry : table)
    if (!entry.unit.empty()) out.emplace_back(entry.unit);
  return out;
}

std::string_view measure_name(Measure measure) {
  switch (measure) {
    case Measure::sectors:
      return "a sector count";
    case Measure::bytes:
      return "a byte count";
    case Measure::time:
      return "a duration";
    case Measure::percent:
      return "a percentage";
  }
  return "";
}

std::optional<double> unit_scale(Measure measure, std::string_view unit, std::vector<std::string>& accepted) {
  switch (measure) {
    case Measure::sectors:
      accepted = unit_names(sector_units);
      return scale_of(sector_units, unit);
    case Measure::bytes:
      accepted = unit_names(byte_units);
      return scale_of(byte_units, unit);
    case Measure::time:
      accepted = unit_names(time_units);
      return scale_of(time_units, unit);
    case Measure::percent:
      accepted = unit_names(percent_units);
      return scale_of(percent_units, unit);
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  std::size_t i = 0;
  std::string digits;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) digits += text[i++];
  // Integer part: plain digits, or groups of three separated by commas.
  std::size_t group = 0;
  bool grouped = false;
  bool any_digit = false;
  for (; i < text.size() && (is_digit(text[i]) || text[i] == ','); ++i) {
    if (text[i] == ',') {
      if (group == 0 || (grouped && group != 3) || (!grouped && group > 3)) return std::nullopt;
      grouped = true;
      group = 0;
      continue;
    }
    digits += text[i];
    ++group;
    any_digit = true;
  }
  if (grouped && group != 3) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    digits += text[i++];
    for (; i < text.size() && is_digit(text[i]); ++i) {
      digits += text[i];
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    digits += text[i++];
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) digits += text[i++];
    if (i >= text.size() || !is_digit(text[i])) return std::nullopt;
    for (; i < text.size() && is_digit(text[i]); ++i) digits += text[i];
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  const char* first = digits.data() + (digits.front() == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(first, digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool has_metric(const ProfiledKernel& kernel, const std::string& name) {
  const auto it = kernel.metrics.find(name);
  return it != kernel.metrics.end() && it->second.value != "n/a" && !it->second.value.empty();
}

std::optional<double> metric_value(const ProfiledKernel& kernel, const std::string& name, Measure measure,
                                   const std::string& source) {
  if (!has_metric(kernel, name)) return std::nullopt;
  const RawMetric& metric = kernel.metrics.at(name);
  const SourceLocation where{source, metric.line};
  std::string_view value = metric.value;
  std::string_view unit = metric.unit;
  const std::size_t number_end = number_prefix_length(value);
  if (number_end < value.size()) {
    // A unit glued to the number (nvprof: "7.65%", "157.16GB/s"); only where no unit column gave one.
    if (!unit.empty() || number_end == 0)
      throw ConfigError(where, name, "value '{}' is not a number (expected {} in '{}')", metric.value,
                        measure_name(measure), metric.unit);
    unit = value.substr(number_end);
    value = value.substr(0, number_end);
  }
  const std::optional<double> number = parse_number(value);
  if (!number)
    throw ConfigError(where, name, "value '{}' is not a number (digits with optional ',' thousands separators)",
                      metric.value);
  std::vector<std::string> accepted;
  const std::optional<double> scale = unit_scale(measure, unit, accepted);
  if (!scale)
    throw ConfigError(where, name, "unknown unit '{}' for {}: expected {}", unit, measure_name(measure),
                      quoted_list(accepted));
  if (*number < 0) throw ConfigError(where, name, "negative value '{}' for {}", metric.value, measure_name(measure));
  return *number * *scale;
}

void throw_missing_metric(const ProfiledKernel& kernel, const std::string& name, const std::string& source,
                          std::string_view hint, std::string_view how_to_collect) {
  const auto it = kernel.metrics.find(name);
  const std::string state = it == kernel.metrics.end() ? "has no metric" : "has no value ('n/a') for metric";
  std::vector<std::string> known;
  for (const auto& [metric, raw] : kernel.metrics) known.push_back(metric);
  throw ConfigError(SourceLocation{source, kernel.line}, name, "kernel {} '{}' {} {}{}; {}{}", kernel.id, kernel.name,
                    state, name, hint, how_to_collect,
                    it == kernel.metrics.end() ? did_you_mean(name, known) : std::string());
}

std::int64_t to_count(double value, const ProfiledKernel& kernel, const std::string& name, const std::string& source) {
  const double rounded = std::nearbyint(value);
  if (!(rounded >= 0) || rounded > static_cast<double>(std::numeric_limits<std::int64_t>::max()))
    throw ConfigError(SourceLocation{source, kernel.line}, name, "count {} is out of range", value);
  return static_cast<std::int64_t>(rounded);
}

void NoteLog::add(const std::string& note) {
  for (auto& [text, count] : notes_)
    if (text == note) {
      ++count;
      return;
    }
  notes_.emplace_back(note, 1);
}

std::vector<std::string> NoteLog::lines() const {
  std::vector<std::string> out;
  for (const auto& [text, count] : notes_)
    out.push_back(count > 1 ? fmt::format("{} ({} kernels)", text, count) : text);
  return out;
}

Columns::Columns(const CsvRecord& header, std::string source, std::string_view layout)
    : header_(header), source_(std::move(source)), layout_(layout) {}

std::optional<std::size_t> Columns::find(const std::string& name) const {
  for (std::size_t i = 0; i < header_.fields.size(); ++i)
    if (header_.fields[i] == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> Columns::find_containing(std::string_view part) const {
  for (std::size_t i = 0; i < header_.fields.size(); ++i)
    if (header_.fields[i].find(part) != std::string::npos) return i;
  return std::nullopt;
}

std::size_t Columns::require(const std::string& name) {
  if (const auto index = find(name)) {
    needed_ = std::max(needed_, *index + 1);
    return *index;
  }
  throw ConfigError(SourceLocation{source_, header_.line}, name, "the {} header has no column '{}'{}", layout_, name,
                    did_you_mean(name, header_.fields));
}

void Columns::fit(CsvRecord& row) const {
  if (row.fields.size() > header_.fields.size() || row.fields.size() < needed_)
    throw ConfigError(SourceLocation{source_, row.line}, "",
                      "malformed CSV: row has {} fields, the header (line {}) has {}", row.fields.size(), header_.line,
                      header_.fields.size());
  row.fields.resize(header_.fields.size());
}

bool next_row(CsvReader& reader, CsvRecord& row, std::vector<std::string>& messages) {
  while (!reader.at_end()) {
    const std::string_view line = reader.peek_line();
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      reader.skip_line();
      continue;
    }
    if (line.starts_with("==")) {
      if (line.find("==WARNING==") != std::string_view::npos || line.find("==ERROR==") != std::string_view::npos)
        messages.emplace_back(line);
      reader.skip_line();
      continue;
    }
    row = reader.read_record();
    return true;
  }
  return false;
}

}  // namespace deepnvm::profile_detail
