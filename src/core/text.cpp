// SPDX-License-Identifier: MIT
#include "deepnvm/core/text.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace deepnvm {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates) {
  const std::string w = lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  bool best_same_start = false;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(w, lower(c));
    // On a tie, a candidate that starts like the word wins: "nmm" is "nm", not "mm".
    const bool same_start = !c.empty() && !word.empty() && c.front() == word.front();
    if (!best || d < best_distance || (d == best_distance && same_start && !best_same_start)) {
      best = c;
      best_distance = d;
      best_same_start = same_start;
    }
  }
  // A third of the length, at least one edit: "capacty" -> "capacity", but "foo" is not "bar".
  const std::size_t allowed = std::max<std::size_t>(1, std::max(word.size(), std::size_t{3}) / 3);
  if (best && best_distance <= allowed && best_distance < std::max(word.size(), best->size())) return best;
  return std::nullopt;
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  const auto match = closest_match(word, candidates);
  return match ? fmt::format(" (did you mean '{}'?)", *match) : std::string{};
}

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = byte(i);
    std::size_t length = 0;
    char32_t code = 0, min = 0;
    if (c < 0x80)
      length = 1, code = c;
    else if ((c & 0xE0) == 0xC0)
      length = 2, code = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
      length = 3, code = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
      length = 4, code = c & 0x07, min = 0x10000;
    else
      return i;
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return i;
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (const char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string quoted_list(std::span<const std::string> items, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? std::string(last_separator) : std::string(", ");
    out += fmt::format("'{}'", items[i]);
  }
  return out;
}

}  // namespace deepnvm
