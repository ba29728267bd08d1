// SPDX-License-Identifier: MIT
// Nsight Compute CSV: the details page (one row per launch and metric) and the raw page (one row per
// launch). Columns are found by name, so the older layout (with "Kernel Time"), the newer one (with
// "Block Size", "Grid Size", "Device", "CC"), the NVTX columns after "Host Name" and the rule columns
// after "Metric Value" all read the same way.
#include <set>

#include "deepnvm/core/error.h"
#include "detail.h"

namespace deepnvm::profile_detail {

namespace {

// What to pass to ncu so that every mapped metric is there (docs/models/profile.md).
constexpr std::string_view ncu_how_to =
    "profile with ncu --csv --print-units base --metrics "
    "lts__t_sectors_srcunit_tex_op_read.sum,lts__t_sectors_srcunit_tex_op_write.sum,"
    "lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum,lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum,"
    "lts__t_sectors_srcunit_ltcfabric_op_read.sum,lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum,"
    "dram__bytes_read.sum,dram__bytes_write.sum,gpu__time_duration.sum";

// The L2 metrics of one scope (gpus.md §2.2, §2.5).
struct L2Metrics {
  std::string read, write, read_hit, write_hit;
};
const L2Metrics tex_metrics{"lts__t_sectors_srcunit_tex_op_read.sum", "lts__t_sectors_srcunit_tex_op_write.sum",
                            "lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum",
                            "lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum"};
const L2Metrics all_metrics{"lts__t_sectors_op_read.sum", "lts__t_sectors_op_write.sum",
                            "lts__t_sectors_op_read_lookup_hit.sum", "lts__t_sectors_op_write_lookup_hit.sum"};
const std::string fabric_read = "lts__t_sectors_srcunit_ltcfabric_op_read.sum";
const std::string fabric_read_hit = "lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum";
const std::string duration = "gpu__time_duration.sum";
const std::string display_name = "device__attribute_display_name";

// Metrics whose value the mapping uses: a launch that lists one twice with two values is an error.
bool is_mapped(const std::string& name) {
  static const std::set<std::string> mapped{tex_metrics.read,
                                            tex_metrics.write,
                                            tex_metrics.read_hit,
                                            tex_metrics.write_hit,
                                            all_metrics.read,
                                            all_metrics.write,
                                            all_metrics.read_hit,
                                            all_metrics.write_hit,
                                            fabric_read,
                                            fabric_read_hit,
                                            duration,
                                            "dram__bytes_read.sum",
                                            "dram__bytes_write.sum",
                                            "dram__sectors_read.sum",
                                            "dram__sectors_write.sum"};
  return mapped.contains(name);
}

std::int64_t required_count(const ProfiledKernel& kernel, const std::string& name, Measure measure,
                            const std::string& source, std::string_view hint = "") {
  const auto value = metric_value(kernel, name, measure, source);
  if (!value) throw_missing_metric(kernel, name, source, hint, ncu_how_to);
  return to_count(*value, kernel, name, source);
}

// DRAM bytes from dram__bytes_<op>.sum, else 32 x dram__sectors_<op>.sum.
std::int64_t dram_bytes(const ProfiledKernel& kernel, const std::string& op, const std::string& source,
                        NoteLog& notes) {
  const std::string bytes = "dram__bytes_" + op + ".sum";
  const std::string sectors = "dram__sectors_" + op + ".sum";
  if (const auto value = metric_value(kernel, bytes, Measure::bytes, source))
    return to_count(*value, kernel, bytes, source);
  if (const auto value = metric_value(kernel, sectors, Measure::sectors, source)) {
    notes.add(fmt::format("dram_{}_bytes = 32 x {} ({} is absent)", op, sectors, bytes));
    return 32 * to_count(*value, kernel, sectors, source);
  }
  throw_missing_metric(kernel, bytes, source, fmt::format(" (or {})", sectors), ncu_how_to);
}

// A launch's identity in the file: ID, qualified by the process when several were profiled.
std::string launch_key(const CsvRecord& row, std::size_t id, std::optional<std::size_t> process) {
  return process ? row.fields[*process] + "/" + row.fields[id] : row.fields[id];
}

// Layer from the NVTX cell (innermost push/pop range); an unreadable cell becomes a note.
void set_nvtx(ProfiledKernel& kernel, const CsvRecord& row, std::optional<std::size_t> column, NoteLog& notes) {
  if (!column) return;
  const std::string& cell = row.fields[*column];
  if (auto ranges = parse_nvtx_push_pop(cell)) {
    kernel.nvtx_ranges = std::move(*ranges);
    kernel.layer = kernel.nvtx_ranges.empty() ? std::string() : kernel.nvtx_ranges.back();
  } else {
    notes.add(fmt::format("unrecognised NVTX cell on line {}: layer left empty ('{}')", row.line, cell));
  }
}

// Device name: the display-name metric where present (raw page, or asked for), else the "Device" column.
void set_device(ProfiledKernel& kernel) {
  if (const auto it = kernel.metrics.find(display_name); it != kernel.metrics.end()) kernel.device = it->second.value;
}

}  // namespace

std::optional<std::vector<std::string>> parse_nvtx_push_pop(std::string_view cell) {
  // ncu 2025.3, column "thread Domain:Push/Pop_Range:PL_Type:PL_Value:CLR_Type:Color:Msg_Type:Msg":
  //   <thread id>  "<domain>:<range>:<PL_Type>:<PL_Value>:<CLR_Type>:<Color>:<Msg_Type>:<Msg>"  "<...>"
  // one quoted entry per open range, outermost first. A range name may hold ':' (PyTorch's "aten::mm")
  // and, since ncu does not escape them, '"': the name is what lies between the domain and the six
  // trailing fields.
  const auto trim = [](std::string_view s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string_view::npos) return std::string_view();
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
  };
  std::string_view rest = trim(cell);
  std::vector<std::string> ranges;
  if (rest.empty()) return ranges;
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  rest = trim(rest.substr(digits));
  if (rest.empty()) return ranges;
  if (rest.size() < 2 || rest.front() != '"' || rest.back() != '"') return std::nullopt;
  rest = rest.substr(1, rest.size() - 2);
  std::vector<std::string_view> entries;
  std::size_t start = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '"') continue;
    std::size_t j = i + 1;
    while (j < rest.size() && rest[j] == ' ') ++j;
    if (j > i + 1 && j < rest.size() && rest[j] == '"') {  // `"  "` separates two entries
      entries.push_back(rest.substr(start, i - start));
      start = j + 1;
      i = j;
    }
  }
  entries.push_back(rest.substr(start));
  for (std::string_view entry : entries) {
    const std::size_t domain_end = entry.find(':');
    if (domain_end == std::string_view::npos) return std::nullopt;
    std::string_view name = entry.substr(domain_end + 1);
    for (int field = 0; field < 6; ++field) {
      const std::size_t colon = name.rfind(':');
      if (colon == std::string_view::npos) return std::nullopt;
      name = name.substr(0, colon);
    }
    ranges.emplace_back(name);
  }
  return ranges;
}

void read_ncu_details(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes) {
  Columns columns(header, reader.source(), "Nsight Compute details");
  const std::size_t id = columns.require("ID");
  const std::size_t kernel_name = columns.require("Kernel Name");
  const std::size_t metric_name = columns.require("Metric Name");
  const std::size_t metric_unit = columns.require("Metric Unit");
  const std::size_t metric_value_column = columns.require("Metric Value");
  const auto process = columns.find("Process ID");
  const auto device = columns.find("Device");
  const auto nvtx = columns.find_containing("Push/Pop_Range");

  std::map<std::string, std::size_t> index_of;  // launch key -> position in profile.kernels
  CsvRecord row;
  while (next_row(reader, row, profile.profiler_messages)) {
    columns.fit(row);
    const std::string& metric = row.fields[metric_name];
    if (metric.empty()) continue;  // a rule row ("Rule Name", "Rule Description"): no metric
    if (row.fields[id].empty())
      throw ConfigError(SourceLocation{reader.source(), row.line}, "ID", "metric '{}' has an empty launch ID", metric);
    const std::string key = launch_key(row, id, process);
    auto [it, inserted] = index_of.try_emplace(key, profile.kernels.size());
    if (inserted) {
      ProfiledKernel kernel;
      kernel.id = row.fields[id];
      kernel.name = row.fields[kernel_name];
      kernel.line = row.line;
      if (device) kernel.device = row.fields[*device];
      set_nvtx(kernel, row, nvtx, notes);
      profile.kernels.push_back(std::move(kernel));
    }
    ProfiledKernel& kernel = profile.kernels[it->second];
    if (kernel.name != row.fields[kernel_name])
      throw ConfigError(SourceLocation{reader.source(), row.line}, "Kernel Name",
                        "launch ID {} names kernel '{}' here but '{}' on line {}", kernel.id, row.fields[kernel_name],
                        kernel.name, kernel.line);
    RawMetric raw{row.fields[metric_value_column], row.fields[metric_unit], row.line};
    auto [slot, fresh] = kernel.metrics.try_emplace(metric, raw);
    if (!fresh && is_mapped(metric) && (slot->second.value != raw.value || slot->second.unit != raw.unit))
      throw ConfigError(SourceLocation{reader.source(), row.line}, metric,
                        "launch ID {} lists this metric twice with different values: '{} {}' (line {}) and '{} {}'",
                        kernel.id, slot->second.value, slot->second.unit, slot->second.line, raw.value, raw.unit);
  }
  for (ProfiledKernel& kernel : profile.kernels) {
    set_device(kernel);
    map_ncu_counters(kernel, reader.source(), notes);
  }
}

void read_ncu_raw(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes) {
  Columns columns(header, reader.source(), "Nsight Compute raw-page");
  const std::size_t id = columns.require("ID");
  const std::size_t kernel_name = columns.require("Kernel Name");
  const auto process = columns.find("Process ID");
  const auto device = columns.find("Device");
  const auto nvtx = columns.find_containing("Push/Pop_Range");
  // Metric columns: ncu metric names are <unit>__<counter>[.<rollup>]; the launch attributes
  // ("Kernel Name", "Grid Size", "CC", the NVTX columns) have no "__".
  std::vector<std::size_t> metric_columns;
  for (std::size_t i = 0; i < columns.names().size(); ++i)
    if (columns.names()[i].find("__") != std::string::npos) metric_columns.push_back(i);

  CsvRecord units;
  const bool has_row = next_row(reader, units, profile.profiler_messages);
  if (has_row) columns.fit(units);
  if (!has_row || !units.fields[id].empty())
    throw ConfigError(SourceLocation{reader.source(), has_row ? units.line : header.line + 1}, "",
                      "expected the units row (empty ID, one unit per metric) after the --page raw header on line {}",
                      header.line);

  std::set<std::string> seen;
  CsvRecord row;
  while (next_row(reader, row, profile.profiler_messages)) {
    columns.fit(row);
    if (row.fields[id].empty())
      throw ConfigError(SourceLocation{reader.source(), row.line}, "ID", "a launch row has an empty ID");
    if (!seen.insert(launch_key(row, id, process)).second)
      throw ConfigError(SourceLocation{reader.source(), row.line}, "ID", "launch ID {} appears twice", row.fields[id]);
    ProfiledKernel kernel;
    kernel.id = row.fields[id];
    kernel.name = row.fields[kernel_name];
    kernel.line = row.line;
    if (device) kernel.device = row.fields[*device];
    set_nvtx(kernel, row, nvtx, notes);
    for (std::size_t column : metric_columns)
      if (!row.fields[column].empty())
        kernel.metrics.emplace(columns.names()[column], RawMetric{row.fields[column], units.fields[column], row.line});
    set_device(kernel);
    map_ncu_counters(kernel, reader.source(), notes);
    profile.kernels.push_back(std::move(kernel));
  }
}

void map_ncu_counters(ProfiledKernel& kernel, const std::string& source, NoteLog& notes) {
  TrafficCounters& c = kernel.counters;
  const L2Metrics* l2 = &tex_metrics;
  if (has_metric(kernel, tex_metrics.read)) {
    kernel.l2_scope = L2Scope::sm_requests;
  } else if (has_metric(kernel, all_metrics.read)) {
    kernel.l2_scope = L2Scope::all_clients;
    l2 = &all_metrics;
    notes.add(
        fmt::format("L2 counters from the all-client metrics lts__t_sectors_op_*.sum ({} is absent): they also "
                    "count copy-engine and, on A100/H100, far-partition fabric lookups",
                    tex_metrics.read));
  } else {
    throw_missing_metric(kernel, tex_metrics.read, source, fmt::format(" (or the all-client {})", all_metrics.read),
                         ncu_how_to);
  }
  c.l2_read_sectors = required_count(kernel, l2->read, Measure::sectors, source);
  c.l2_write_sectors = required_count(kernel, l2->write, Measure::sectors, source);
  c.l2_read_hits = required_count(kernel, l2->read_hit, Measure::sectors, source);
  c.l2_write_hits = required_count(kernel, l2->write_hit, Measure::sectors, source);
  c.l2_write_allocates = 0;  // not observable: hardware counts write-allocates as write hits (gpus.md P6)
  c.dram_read_bytes = dram_bytes(kernel, "read", source, notes);
  c.dram_write_bytes = dram_bytes(kernel, "write", source, notes);
  const auto time = metric_value(kernel, duration, Measure::time, source);
  if (!time) throw_missing_metric(kernel, duration, source, "", ncu_how_to);
  c.time_s = *time;

  if (kernel.l2_scope == L2Scope::sm_requests) {
    if (const auto v = metric_value(kernel, fabric_read, Measure::sectors, source))
      kernel.fabric_read_sectors = to_count(*v, kernel, fabric_read, source);
    if (const auto v = metric_value(kernel, fabric_read_hit, Measure::sectors, source))
      kernel.fabric_read_hits = to_count(*v, kernel, fabric_read_hit, source);
    if (kernel.fabric_read_hits && c.l2_read_hits + *kernel.fabric_read_hits > c.l2_read_sectors)
      notes.add(
          "near-partition plus fabric read hits exceed the read sectors; the logical hits are capped at the read "
          "sectors (counters from different replay passes, gpus.md P2)");
  }
  if (c.l2_read_hits > c.l2_read_sectors || c.l2_write_hits > c.l2_write_sectors)
    notes.add("L2 hits exceed L2 lookups (counters from different replay passes, gpus.md P2); kept as measured");
}

}  // namespace deepnvm::profile_detail
