// SPDX-License-Identifier: MIT
// Format detection, the public entry points, and the conversion of measured kernels to Traffic.
#include <zlib.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "detail.h"

namespace deepnvm {

using profile_detail::NoteLog;

namespace {

bool contains(const std::vector<std::string>& fields, std::string_view name) {
  return std::find(fields.begin(), fields.end(), name) != fields.end();
}

// The format whose header these fields are, if any. The unsupported ncu summary page is an error.
std::optional<ProfileFormat> header_format(const std::vector<std::string>& fields, const std::string& source,
                                           std::size_t line) {
  if (fields.empty()) return std::nullopt;
  if (fields[0] == "ID") return contains(fields, "Metric Name") ? ProfileFormat::ncu_details : ProfileFormat::ncu_raw;
  if (contains(fields, "Invocations") && contains(fields, "Minimum") && contains(fields, "Average"))
    throw ConfigError(SourceLocation{source, line}, "",
                      "this is ncu's --print-summary page, which merges launches and has no NVTX ranges; profile "
                      "without --print-summary (the details page is one row per launch and metric)");
  if (fields[0] == "Device" && contains(fields, "Invocations") && contains(fields, "Avg") &&
      (contains(fields, "Metric Name") || contains(fields, "Event Name")))
    return ProfileFormat::nvprof_summary;
  if (contains(fields, "Device") && (contains(fields, "Kernel") || contains(fields, "Name")) &&
      contains(fields, "Context") && contains(fields, "Stream"))
    return ProfileFormat::nvprof_trace;
  return std::nullopt;
}

struct Header {
  ProfileFormat format;
  CsvRecord record;
};

// Skips what precedes the CSV table: profiler chatter ("==PROF==", "==<pid>==", "==WARNING==") and the
// profiled program's own output, up to the first line that is a known header.
Header find_header(CsvReader& reader, std::vector<std::string>& messages) {
  bool any_text = false;
  while (!reader.at_end()) {
    const std::string_view line = reader.peek_line();
    if (line.find_first_not_of(" \t") != std::string_view::npos) any_text = true;
    if (line.starts_with("==")) {
      if (line.find("==WARNING==") != std::string_view::npos || line.find("==ERROR==") != std::string_view::npos)
        messages.emplace_back(line);
    } else if (const auto fields = parse_csv_line(line)) {
      if (const auto format = header_format(*fields, reader.source(), reader.line())) {
        const std::size_t at = reader.line();
        reader.skip_line();
        return Header{*format, CsvRecord{*fields, at}};
      }
    }
    reader.skip_line();
  }
  if (!any_text) throw ConfigError(SourceLocation{reader.source(), 0}, "", "the profile is empty");
  throw ConfigError(SourceLocation{reader.source(), 0}, "",
                    "no profiler CSV header found: expected the output of `ncu --csv` (a header starting \"ID\") or "
                    "`nvprof --csv` (a header with \"Device\" and \"Kernel\")");
}

}  // namespace

std::string_view profile_format_name(ProfileFormat format) {
  switch (format) {
    case ProfileFormat::ncu_details:
      return "ncu_details";
    case ProfileFormat::ncu_raw:
      return "ncu_raw";
    case ProfileFormat::nvprof_summary:
      return "nvprof_summary";
    case ProfileFormat::nvprof_trace:
      return "nvprof_trace";
  }
  return "";
}

std::string_view l2_scope_name(L2Scope scope) {
  switch (scope) {
    case L2Scope::sm_requests:
      return "sm_requests";
    case L2Scope::all_clients:
      return "all_clients";
  }
  return "";
}

std::optional<double> ProfiledKernel::read_hit_rate() const {
  if (counters.l2_read_sectors == 0) return std::nullopt;
  return static_cast<double>(counters.l2_read_hits) / static_cast<double>(counters.l2_read_sectors);
}

std::optional<std::int64_t> ProfiledKernel::logical_read_hits() const {
  if (l2_scope != L2Scope::sm_requests || !fabric_read_hits) return std::nullopt;
  return std::min(counters.l2_read_hits + *fabric_read_hits, counters.l2_read_sectors);
}

std::optional<double> ProfiledKernel::logical_read_hit_rate() const {
  const auto hits = logical_read_hits();
  if (!hits || counters.l2_read_sectors == 0) return std::nullopt;
  return static_cast<double>(*hits) / static_cast<double>(counters.l2_read_sectors);
}

KernelTraffic ProfiledKernel::to_kernel_traffic(L2HitView view) const {
  KernelTraffic out{.name = name, .layer = layer, .counters = counters};
  if (view == L2HitView::logical) {
    const auto hits = logical_read_hits();
    if (!hits)
      throw ModelError("kernel {} '{}' has no logical L2 read hits: it needs the SM-request scope and {}", id, name,
                       "lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum (A100/H100 only)");
    out.counters.l2_read_hits = *hits;
  }
  return out;
}

Traffic Profile::to_traffic(L2HitView view) const {
  Traffic traffic;
  const bool ncu = format == ProfileFormat::ncu_details || format == ProfileFormat::ncu_raw;
  traffic.source = ncu ? "ncu" : "nvprof";
  traffic.kernels.reserve(kernels.size());
  for (const ProfiledKernel& kernel : kernels) traffic.kernels.push_back(kernel.to_kernel_traffic(view));
  return traffic;
}

ProfileFormat detect_profile_format(std::string_view text, const std::string& source) {
  CsvReader reader(text, source);
  std::vector<std::string> messages;
  return find_header(reader, messages).format;
}

Profile parse_profile(std::string_view text, const std::string& source) {
  CsvReader reader(text, source);
  Profile profile;
  profile.source = source;
  const Header header = find_header(reader, profile.profiler_messages);
  profile.format = header.format;
  NoteLog notes;
  switch (header.format) {
    case ProfileFormat::ncu_details:
      profile_detail::read_ncu_details(reader, header.record, profile, notes);
      break;
    case ProfileFormat::ncu_raw:
      profile_detail::read_ncu_raw(reader, header.record, profile, notes);
      break;
    case ProfileFormat::nvprof_summary:
      profile_detail::read_nvprof_summary(reader, header.record, profile, notes);
      break;
    case ProfileFormat::nvprof_trace:
      profile_detail::read_nvprof_trace(reader, header.record, profile, notes);
      break;
  }
  if (profile.kernels.empty())
    throw ConfigError(SourceLocation{source, header.record.line}, "",
                      "the {} table has a header but no kernel rows (did the profiled program launch any kernel?)",
                      profile_format_name(header.format));
  notes.add(
      "l2_write_allocates = 0: hardware counts a write to an absent sector as a write hit (gpus.md P6), so "
      "write-allocates are inside l2_write_hits and cannot be separated");
  notes.add("flops = 0: not measured by this import");
  profile.notes = notes.lines();
  return profile;
}

Profile read_profile(const std::filesystem::path& path) {
  // zlib reads a plain file as it is and a gzip file decompressed: measured CSVs are large and
  // repetitive (one row per launch and metric), so they are kept as .csv.gz.
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) throw IoError(path.string(), "cannot open the profile for reading");
  std::string text;
  std::array<char, 1 << 16> buffer{};
  int got = 0;
  while ((got = gzread(in, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0)
    text.append(buffer.data(), static_cast<std::size_t>(got));
  int status = Z_OK;
  const std::string error = got < 0 ? gzerror(in, &status) : "";
  gzclose(in);
  if (got < 0) throw IoError(path.string(), fmt::format("error while reading the profile: {}", error));
  return parse_profile(text, path.string());
}

Traffic import_profile(const std::filesystem::path& path) { return read_profile(path).to_traffic(); }

}  // namespace deepnvm
