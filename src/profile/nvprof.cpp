// SPDX-License-Identifier: MIT
// nvprof CSV (Pascal and Volta; nvprof does not profile cc 8.0+): the metric summary
// (`nvprof --csv --metrics ...`, one row per kernel name and metric, values averaged over the
// invocations) and the GPU trace (`--print-gpu-trace`, one row per launch, one column per metric,
// optionally a units row).
#include <cmath>
#include <set>

#include "deepnvm/core/error.h"
#include "detail.h"

namespace deepnvm::profile_detail {

namespace {

constexpr std::string_view nvprof_how_to =
    "profile with nvprof --csv --metrics "
    "l2_tex_read_transactions,l2_tex_write_transactions,l2_tex_read_hit_rate,l2_tex_write_hit_rate,"
    "dram_read_transactions,dram_write_transactions";

// "name(args) [118]" -> "name(args)": the trace appends the correlation ID to kernel names.
std::string strip_correlation_id(const std::string& name) {
  if (name.empty() || name.back() != ']') return name;
  const std::size_t open = name.rfind(" [");
  if (open == std::string::npos) return name;
  for (std::size_t i = open + 2; i + 1 < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return name;
  return open + 3 <= name.size() - 1 ? name.substr(0, open) : name;
}

double required(const ProfiledKernel& kernel, const std::string& name, Measure measure, const std::string& source,
                std::string_view hint = "") {
  const auto value = metric_value(kernel, name, measure, source);
  if (!value) throw_missing_metric(kernel, name, source, hint, nvprof_how_to);
  return *value;
}

double hit_rate(const ProfiledKernel& kernel, const std::string& name, const std::string& source) {
  const double rate = required(kernel, name, Measure::percent, source);
  if (rate > 100.0)
    throw ConfigError(SourceLocation{source, kernel.metrics.at(name).line}, name,
                      "hit rate '{}' is above 100 % (expected a percentage in [0, 100])",
                      kernel.metrics.at(name).value);
  return rate;
}

// DRAM bytes: 32 x dram_<op>_transactions, else dram_<op>_bytes.
double dram_bytes(const ProfiledKernel& kernel, const std::string& op, const std::string& source) {
  const std::string transactions = "dram_" + op + "_transactions";
  const std::string bytes = "dram_" + op + "_bytes";
  if (const auto value = metric_value(kernel, transactions, Measure::sectors, source)) return 32.0 * *value;
  if (const auto value = metric_value(kernel, bytes, Measure::bytes, source)) return *value;
  throw_missing_metric(kernel, transactions, source, fmt::format(" (or {})", bytes), nvprof_how_to);
}

std::int64_t parse_invocations(const std::string& text, const std::string& source, std::size_t line) {
  const auto value = parse_number(text);
  if (!value || *value < 1 || *value != std::floor(*value))
    throw ConfigError(SourceLocation{source, line}, "Invocations", "'{}' is not a positive whole number", text);
  return static_cast<std::int64_t>(*value);
}

}  // namespace

void read_nvprof_summary(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes) {
  // nvprof prints one table per result kind: "Event result:" (column "Event Name") and "Metric
  // result:" ("Metric Name"), each with its own header.
  struct Table {
    Columns columns;
    std::size_t device, kernel, invocations, name, avg;
  };
  const auto table_of = [&](const CsvRecord& h) {
    Columns columns(h, reader.source(), "nvprof summary");
    const auto event = columns.find("Event Name");
    const std::size_t name = event ? columns.require("Event Name") : columns.require("Metric Name");
    const std::size_t device = columns.require("Device");
    const std::size_t kernel = columns.require("Kernel");
    const std::size_t invocations = columns.require("Invocations");
    const std::size_t avg = columns.require("Avg");
    return Table{columns, device, kernel, invocations, name, avg};
  };
  Table table = table_of(header);
  std::map<std::string, std::size_t> index_of;
  CsvRecord row;
  while (next_row(reader, row, profile.profiler_messages)) {
    if (!row.fields.empty() && row.fields[0] == "Device") {  // the next table's header
      table = table_of(row);
      continue;
    }
    table.columns.fit(row);
    const std::string key = row.fields[table.device] + '\x1f' + row.fields[table.kernel];
    const std::int64_t invocations = parse_invocations(row.fields[table.invocations], reader.source(), row.line);
    auto [it, inserted] = index_of.try_emplace(key, profile.kernels.size());
    if (inserted) {
      ProfiledKernel kernel;
      kernel.id = std::to_string(profile.kernels.size());
      kernel.name = row.fields[table.kernel];
      kernel.device = row.fields[table.device];
      kernel.invocations = invocations;
      kernel.line = row.line;
      profile.kernels.push_back(std::move(kernel));
    }
    ProfiledKernel& kernel = profile.kernels[it->second];
    if (kernel.invocations != invocations)
      throw ConfigError(SourceLocation{reader.source(), row.line}, "Invocations",
                        "kernel '{}' has {} invocations here but {} on line {}", kernel.name, invocations,
                        kernel.invocations, kernel.line);
    kernel.metrics.insert_or_assign(row.fields[table.name], RawMetric{row.fields[table.avg], "", row.line});
  }
  notes.add(
      "nvprof summary: one entry per kernel name; counts are Avg x Invocations and hits use the average hit "
      "rate, exact only when the invocations behave alike");
  for (ProfiledKernel& kernel : profile.kernels) map_nvprof_counters(kernel, reader.source(), notes);
}

void read_nvprof_trace(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes) {
  Columns columns(header, reader.source(), "nvprof GPU-trace");
  const std::size_t device = columns.require("Device");
  const auto kernel_column = columns.find("Kernel") ? columns.find("Kernel") : columns.find("Name");
  if (!kernel_column) columns.require("Kernel");  // throws, naming the column
  const std::set<std::string> identity{"Device", "Kernel", "Name", "Context", "Stream"};

  std::vector<std::string> units(columns.names().size());
  CsvRecord row;
  bool first = true;
  while (next_row(reader, row, profile.profiler_messages)) {
    columns.fit(row);
    if (first && row.fields[device].empty()) {  // the units row ("s,ms,,,..." in a timing trace)
      units = row.fields;
      first = false;
      continue;
    }
    first = false;
    const std::string& name = row.fields[*kernel_column];
    if (name.starts_with("[CUDA ")) continue;  // memcpy / memset activity, not a kernel
    ProfiledKernel kernel;
    kernel.id = std::to_string(profile.kernels.size());
    kernel.name = strip_correlation_id(name);
    kernel.device = row.fields[device];
    kernel.line = row.line;
    for (std::size_t i = 0; i < row.fields.size(); ++i)
      if (!identity.contains(columns.names()[i]) && !row.fields[i].empty())
        kernel.metrics.emplace(columns.names()[i], RawMetric{row.fields[i], units[i], row.line});
    map_nvprof_counters(kernel, reader.source(), notes);
    profile.kernels.push_back(std::move(kernel));
  }
}

void map_nvprof_counters(ProfiledKernel& kernel, const std::string& source, NoteLog& notes) {
  TrafficCounters& c = kernel.counters;
  const auto n = static_cast<double>(kernel.invocations);
  kernel.l2_scope = L2Scope::sm_requests;
  const double reads = required(kernel, "l2_tex_read_transactions", Measure::sectors, source);
  const double writes = required(kernel, "l2_tex_write_transactions", Measure::sectors, source);
  // Hits as Accel-Sim derives them (gpus.md §2.5): transactions x hit rate / 100.
  const double read_rate = hit_rate(kernel, "l2_tex_read_hit_rate", source);
  const double write_rate = hit_rate(kernel, "l2_tex_write_hit_rate", source);
  c.l2_read_sectors = to_count(reads * n, kernel, "l2_tex_read_transactions", source);
  c.l2_write_sectors = to_count(writes * n, kernel, "l2_tex_write_transactions", source);
  c.l2_read_hits = to_count(reads * n * read_rate / 100.0, kernel, "l2_tex_read_hit_rate", source);
  c.l2_write_hits = to_count(writes * n * write_rate / 100.0, kernel, "l2_tex_write_hit_rate", source);
  c.l2_write_allocates = 0;  // not observable (gpus.md P6)
  c.dram_read_bytes = to_count(dram_bytes(kernel, "read", source) * n, kernel, "dram_read_transactions", source);
  c.dram_write_bytes = to_count(dram_bytes(kernel, "write", source) * n, kernel, "dram_write_transactions", source);
  if (const auto time = metric_value(kernel, "Duration", Measure::time, source)) {
    c.time_s = *time * n;
  } else {
    notes.add(
        "nvprof metric runs carry no kernel duration: time_s = 0 (the 'Duration' column of a timing trace "
        "supplies it)");
  }
}

}  // namespace deepnvm::profile_detail
