// SPDX-License-Identifier: MIT
#pragma once

// A small RFC 4180 reader for the profiler CSVs (Nsight Compute, nvprof): quoted fields may hold
// commas, line breaks and doubled quotes; records end at LF or CRLF; every record knows the line it
// starts on, so errors can name file:line.
//
// One tolerance beyond RFC 4180, because Nsight Compute needs it: inside a quoted field, a quote
// that is followed by neither a quote, a comma nor the end of the line is kept as a literal quote.
// ncu 2025.3 writes its NVTX column as `"500  ""<default domain>:conv1:none…"" "` and does not
// double quotes that come from the user's range names, so `"conv1 "x""` would otherwise be
// unreadable. A quote inside an unquoted field is still an error.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepnvm {

/// One CSV record and the 1-based line it starts on.
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
};

/// @brief Reads records (and, where the caller wants, raw lines) from CSV text held in memory.
class CsvReader {
 public:
  /// `source` names the text in errors (a file path, or "<string>").
  CsvReader(std::string_view text, std::string source);

  bool at_end() const noexcept { return pos_ >= text_.size(); }
  /// 1-based line number of the current position.
  std::size_t line() const noexcept { return line_; }
  const std::string& source() const noexcept { return source_; }

  /// The current physical line, without its line break; for skipping profiler chatter.
  std::string_view peek_line() const;
  void skip_line();

  /// Parses one record from the current position (it may span lines inside quotes). Throws
  /// ConfigError naming source:line on an unterminated quoted field or a quote in an unquoted field.
  CsvRecord read_record();

 private:
  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

/// The fields of one physical line, or nothing if it is not well-formed CSV on its own.
std::optional<std::vector<std::string>> parse_csv_line(std::string_view line);

}  // namespace deepnvm
