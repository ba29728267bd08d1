// SPDX-License-Identifier: MIT
#include "deepnvm/study/result_cache.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/error.h"
#include "deepnvm/study/hash.h"

namespace deepnvm::study {

std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (const char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string hash_hex(std::string_view data) { return fmt::format("{:016x}", fnv1a64(data)); }

namespace {
// Part of every key: another tool version or another build of the models never reads an entry.
const std::string& cache_format() {
  static const std::string format =
      fmt::format("deepnvm-study-cache-1 {} {}", DEEPNVM_VERSION, model_source_hash().substr(0, 16));
  return format;
}
}  // namespace

ResultCache::ResultCache(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::filesystem::path ResultCache::default_directory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "deepnvm";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "deepnvm";
  return {};
}

std::filesystem::path ResultCache::path_of(const std::string& section, const nlohmann::ordered_json& key) const {
  return directory_ / section / (hash_hex(cache_format() + key.dump()) + ".json");
}

std::optional<nlohmann::ordered_json> ResultCache::get(const std::string& section,
                                                       const nlohmann::ordered_json& key) const {
  if (!enabled()) return std::nullopt;
  const auto path = path_of(section, key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("format") || doc["format"] != cache_format() ||
      !doc.contains("key") || doc["key"] != key || !doc.contains("value"))
    return std::nullopt;
  return doc["value"];
}

void ResultCache::put(const std::string& section, const nlohmann::ordered_json& key,
                      const nlohmann::ordered_json& value) const {
  if (!enabled()) return;
  const auto path = path_of(section, key);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw IoError(path.parent_path().string(), fmt::format("cannot create the cache folder: {}", ec.message()));
  nlohmann::ordered_json doc{{"format", cache_format()}, {"key", key}, {"value", value}};
  write_file_atomic(path, doc.dump());
}

}  // namespace deepnvm::study
