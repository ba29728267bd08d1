// SPDX-License-Identifier: MIT
#include "deepnvm/profile/csv.h"

#include <utility>

#include "deepnvm/core/error.h"

namespace deepnvm {

namespace {

// Why a record could not be read, and on which line.
struct CsvFault {
  std::string message;
  std::size_t line = 0;
};

// Length of the line break at `pos` (1 for LF, 2 for CRLF), or 0 if there is none.
std::size_t line_break_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  if (text[pos] == '\n') return 1;
  if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') return 2;
  return 0;
}

// Parses one record starting at `pos`; on success moves `pos` and `line` past its line break.
std::optional<CsvFault> parse_record(std::string_view text, std::size_t& pos, std::size_t& line,
                                     std::vector<std::string>& fields) {
  enum class State { field_start, unquoted, quoted, after_quote };
  fields.clear();
  std::string field;
  State state = State::field_start;
  std::size_t quote_line = line;
  while (true) {
    if (pos >= text.size()) {
      if (state == State::quoted)
        return CsvFault{fmt::format("unterminated quoted field (opened on line {})", quote_line), line};
      fields.push_back(std::move(field));
      return std::nullopt;
    }
    const char c = text[pos];
    if (state == State::quoted) {
      if (c != '"') {
        if (c == '\n') ++line;
        field += c;
        ++pos;
        continue;
      }
      if (pos + 1 < text.size() && text[pos + 1] == '"') {  // a doubled quote
        field += '"';
        pos += 2;
        continue;
      }
      const std::size_t next = pos + 1;
      if (next >= text.size() || text[next] == ',' || line_break_at(text, next) > 0) {
        state = State::after_quote;
        ++pos;
        continue;
      }
      field += '"';  // the ncu tolerance described in csv.h: a lone quote inside a quoted field
      ++pos;
      continue;
    }
    if (state == State::field_start && c == '"') {
      state = State::quoted;
      quote_line = line;
      ++pos;
      continue;
    }
    if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      state = State::field_start;
      ++pos;
      continue;
    }
    if (const std::size_t eol = line_break_at(text, pos); eol > 0) {
      pos += eol;
      ++line;
      fields.push_back(std::move(field));
      return std::nullopt;
    }
    if (state == State::after_quote)  // unreachable: a closing quote is only taken before , or EOL
      return CsvFault{"text after a closing quote", line};
    if (c == '"') return CsvFault{"quote inside an unquoted field (quote the whole field and double the quote)", line};
    state = State::unquoted;
    field += c;
    ++pos;
  }
}

}  // namespace

CsvReader::CsvReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

std::string_view CsvReader::peek_line() const {
  if (at_end()) return {};
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view out = text_.substr(pos_, end - pos_);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

void CsvReader::skip_line() {
  if (at_end()) return;
  const std::size_t end = text_.find('\n', pos_);
  pos_ = end == std::string_view::npos ? text_.size() : end + 1;
  ++line_;
}

CsvRecord CsvReader::read_record() {
  CsvRecord record;
  record.line = line_;
  if (auto fault = parse_record(text_, pos_, line_, record.fields))
    throw ConfigError(SourceLocation{source_, fault->line}, "", "malformed CSV: {}", fault->message);
  return record;
}

std::optional<std::vector<std::string>> parse_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t pos = 0;
  std::size_t line_number = 1;
  if (parse_record(line, pos, line_number, fields) || pos < line.size()) return std::nullopt;
  return fields;
}

}  // namespace deepnvm
