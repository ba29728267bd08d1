// SPDX-License-Identifier: MIT
#pragma once

// Internal to the profile layer: the pieces the ncu and nvprof readers share.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deepnvm/profile/csv.h"
#include "deepnvm/profile/import.h"

namespace deepnvm::profile_detail {

/// What a metric measures, which fixes the units it may carry and its base unit.
enum class Measure {
  sectors,  // base: sector (32 B); nvprof "transactions" are sectors too
  bytes,    // base: byte
  time,     // base: second
  percent,  // base: percent
};

/// A number as the profilers print it: optional sign, digits with optional thousands separators
/// ("1,234,567"), optional fraction and exponent. Nothing if `text` is not exactly that.
std::optional<double> parse_number(std::string_view text);

/// The value of metric `name` of `kernel` in the base unit of `measure`, or nothing if the kernel
/// lacks the metric or it reads "n/a". A unit glued to the value ("7.65%") is split off. Throws
/// ConfigError (source, the metric's line, key = name) on a non-numeric value, an unknown unit, or a
/// negative count.
std::optional<double> metric_value(const ProfiledKernel& kernel, const std::string& name, Measure measure,
                                   const std::string& source);

/// True if `kernel` has metric `name` with a value other than "n/a".
bool has_metric(const ProfiledKernel& kernel, const std::string& name);

/// ConfigError for a metric the mapping needs and the kernel lacks; `hint` is appended (e.g. the
/// accepted alternative).
[[noreturn]] void throw_missing_metric(const ProfiledKernel& kernel, const std::string& name, const std::string& source,
                                       std::string_view hint, std::string_view how_to_collect);

/// A non-negative count rounded to the nearest integer (sector and byte counts printed with a
/// decimal prefix, "1.23 Msector", are not exact).
std::int64_t to_count(double value, const ProfiledKernel& kernel, const std::string& name, const std::string& source);

/// Notes that repeat for many kernels, counted and kept in first-seen order.
class NoteLog {
 public:
  void add(const std::string& note);
  /// "note" or "note (N kernels)".
  std::vector<std::string> lines() const;

 private:
  std::vector<std::pair<std::string, std::size_t>> notes_;
};

/// Column positions by header name.
class Columns {
 public:
  Columns(const CsvRecord& header, std::string source, std::string_view layout);
  std::optional<std::size_t> find(const std::string& name) const;
  /// The first column whose name contains `part`.
  std::optional<std::size_t> find_containing(std::string_view part) const;
  /// The column `name`, or ConfigError at the header line naming the column. Rows must reach it.
  std::size_t require(const std::string& name);
  const std::vector<std::string>& names() const { return header_.fields; }
  /// Pads `row` with empty fields to the header's width. ncu ends a metric row after the first rule
  /// column ("Rule Name") when the header has five, so a short row is fine as long as it reaches
  /// every required column; a row longer than the header, or one that stops before a required
  /// column, is a ConfigError naming its line.
  void fit(CsvRecord& row) const;

 private:
  CsvRecord header_;
  std::string source_;
  std::string layout_;
  std::size_t needed_ = 0;  // fields a row must have: one past the last required column
};

/// Next data row: skips blank lines and profiler chatter ("==PROF==", "==WARNING==", ... — the
/// WARNING and ERROR lines are kept in `messages`). False at the end of the text.
bool next_row(CsvReader& reader, CsvRecord& row, std::vector<std::string>& messages);

/// Names of the NVTX push/pop ranges in an ncu "thread Domain:Push/Pop_Range:..." cell, outermost
/// first (see ncu.cpp for the format); nothing if the cell is empty, std::nullopt if unrecognised.
std::optional<std::vector<std::string>> parse_nvtx_push_pop(std::string_view cell);

// Readers, one per format: they consume the rows after `header` and fill profile.kernels (and notes).
void read_ncu_details(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes);
void read_ncu_raw(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes);
void read_nvprof_summary(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes);
void read_nvprof_trace(CsvReader& reader, const CsvRecord& header, Profile& profile, NoteLog& notes);

/// Fills kernel.counters (and the fabric fields) from its ncu metrics.
void map_ncu_counters(ProfiledKernel& kernel, const std::string& source, NoteLog& notes);
/// Fills kernel.counters from its nvprof metrics; counts are multiplied by kernel.invocations
/// (summary mode prints per-invocation averages).
void map_nvprof_counters(ProfiledKernel& kernel, const std::string& source, NoteLog& notes);

}  // namespace deepnvm::profile_detail
