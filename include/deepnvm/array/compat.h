// SPDX-License-Identifier: MIT
#pragma once

// Which behaviour the array model follows: NVSim's, quirks and search semantics included (`nvsim`,
// the default, bit-identical to NVSim commit 6334d00), or NVSim's equations with the quirks that
// are bugs corrected and a cache's data and tag arrays optimised jointly for the cache's own figure
// (`fixed`; docs/models/array.md "compat: fixed"; shared/docs/notes/array-model.md §4.1, §4.3 step 2).

#include <optional>
#include <string_view>

namespace deepnvm {

/// @brief `compat: nvsim | fixed` of the array model.
enum class Compat { nvsim, fixed };

/// The spelling in configuration files and on the command line ("nvsim", "fixed").
constexpr std::string_view compat_name(Compat c) { return c == Compat::fixed ? "fixed" : "nvsim"; }

/// Parses "nvsim" or "fixed" (exact, lower case); nullopt otherwise.
constexpr std::optional<Compat> parse_compat(std::string_view s) {
  if (s == "nvsim") return Compat::nvsim;
  if (s == "fixed") return Compat::fixed;
  return std::nullopt;
}

}  // namespace deepnvm
