// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace deepnvm {

/// Optimal-string-alignment edit distance (insertions, deletions, substitutions, transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is a plausible typo of it (a few edits, scaled with length;
/// case-insensitive), else nothing. Used for every "did you mean" in error messages.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

/// " (did you mean 'x'?)" or "" — ready to append to an error message.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

/// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
/// above U+10FFFF count as invalid), or nothing if `text` is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// `field` as one RFC 4180 CSV field: unchanged, or in double quotes (inner quotes doubled) when it
/// holds a comma, a quote or a line break.
std::string csv_field(std::string_view field);

/// "'a', 'b' or 'c'"
std::string quoted_list(std::span<const std::string> items, std::string_view last_separator = " or ");

}  // namespace deepnvm
