// SPDX-License-Identifier: MIT
#include "deepnvm/report/table.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace deepnvm {
namespace {

// UTF-8 aware width: count code points, not bytes, so "µm²" lines up.
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A number, optionally followed by one unit word ("2.75 MiB"): right-aligned so digits line up.
bool looks_numeric(const std::string& s) {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{}) return false;
  const std::string_view rest(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr));
  return rest.empty() || (rest.front() == ' ' && rest.find(' ', 1) == std::string_view::npos);
}

}  // namespace

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

Table& Table::row(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
  return *this;
}

std::string Table::str() const {
  std::vector<std::size_t> widths(header_.size());
  for (std::size_t c = 0; c < header_.size(); ++c) {
    widths[c] = display_width(header_[c]);
    for (const auto& r : rows_) widths[c] = std::max(widths[c], display_width(r[c]));
  }
  const auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(widths[c] - display_width(cells[c]), ' ');
      const bool right = !header && looks_numeric(cells[c]);
      if (c > 0) out += "  ";
      out += right ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : "");
    }
    return out + "\n";
  };
  std::string out = line(header_, true);
  std::vector<std::string> rule;
  for (std::size_t w : widths) rule.emplace_back(w, '-');
  out += line(rule, true);
  for (const auto& r : rows_) out += line(r, false);
  return out;
}

}  // namespace deepnvm
