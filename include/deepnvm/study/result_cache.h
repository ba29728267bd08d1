// SPDX-License-Identifier: MIT
#pragma once

// The study's on-disk result cache (`${XDG_CACHE_HOME:-~/.cache}/deepnvm`): one JSON file per unit of work (an L2
// build, a workload's traffic curve), named by the hash of its normalized inputs, the tool version and the model
// sources it was built from (model_source_hash). Each file holds its full key, compared on load, so a hash collision
// or a stale format is a miss, never a wrong result. Entries are written atomically: a killed run leaves whole
// entries only, and the next run resumes from them.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace deepnvm::study {

/// SHA-256 of the sources under src/ and include/ this build was compiled from (generated at build
/// time by cmake/SourceHash.cmake).
std::string_view model_source_hash() noexcept;

class ResultCache {
 public:
  /// A disabled cache: every get misses, put does nothing.
  ResultCache() = default;
  explicit ResultCache(std::filesystem::path directory);

  /// ${XDG_CACHE_HOME:-$HOME/.cache}/deepnvm; empty when neither variable is set.
  static std::filesystem::path default_directory();

  bool enabled() const noexcept { return !directory_.empty(); }
  const std::filesystem::path& directory() const noexcept { return directory_; }

  /// The stored value of `key` in `section` ("l2", "traffic"), if present and whole.
  std::optional<nlohmann::ordered_json> get(const std::string& section, const nlohmann::ordered_json& key) const;
  /// Stores `value` under `key`; an unwritable cache is an IoError.
  void put(const std::string& section, const nlohmann::ordered_json& key, const nlohmann::ordered_json& value) const;

 private:
  std::filesystem::path path_of(const std::string& section, const nlohmann::ordered_json& key) const;
  std::filesystem::path directory_;
};

}  // namespace deepnvm::study
