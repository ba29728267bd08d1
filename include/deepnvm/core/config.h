// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "deepnvm/core/error.h"

namespace deepnvm {

/// @brief A node of a loaded YAML or JSON document that remembers its file and line.
///
/// JSON is read through the YAML parser on purpose: one code path, and line numbers for both.
class ConfigNode {
 public:
  struct Entry;

  ConfigNode(YAML::Node node, std::shared_ptr<const std::string> file, std::size_t fallback_line = 0);

  const std::string& file() const noexcept { return *file_; }
  /// 1-based line of the node, or of its key when the value is empty.
  std::size_t line() const noexcept { return line_; }
  SourceLocation location() const { return {*file_, line_}; }

  bool is_null() const { return node_.IsNull() || !node_.IsDefined(); }
  bool is_scalar() const { return node_.IsScalar(); }
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  /// "mapping", "list", "scalar" or "empty value", for messages.
  std::string type_name() const;

  /// The scalar text; a ConfigError naming `key` if this is not a scalar.
  const std::string& scalar(std::string_view key) const;
  /// Entries of a mapping in file order; keys must be scalars (checked at load time).
  std::vector<Entry> entries() const;
  /// Items of a list in file order.
  std::vector<ConfigNode> items() const;
  /// The value under `key` if present.
  std::unique_ptr<ConfigNode> find(std::string_view key) const;

  const YAML::Node& yaml() const noexcept { return node_; }

 private:
  YAML::Node node_;
  std::shared_ptr<const std::string> file_;
  std::size_t line_ = 0;
};

struct ConfigNode::Entry {
  std::string key;
  std::size_t key_line = 0;
  ConfigNode value;
};

/// @brief Loads a YAML or JSON file strictly.
///
/// Throws IoError for a missing, unreadable or non-regular file and ConfigError (with file and
/// line) for an empty document, malformed syntax, duplicate keys or non-scalar keys.
ConfigNode load_config_file(const std::filesystem::path& path);

/// Where `key` of the mapping `node` is, or the mapping itself when the key is absent (for errors).
SourceLocation where_is(const ConfigNode& node, const std::string& key);

/// @brief The whole text of an input file, with the checks every reader wants: IoError for a missing,
/// unreadable or non-regular file, a directory, or one larger than kMaxConfigBytes.
std::string read_input_file(const std::filesystem::path& path);

/// The same for text held in memory; `name` stands in for the file name in messages.
ConfigNode load_config_string(std::string_view text, const std::string& name);

/// Largest input accepted, so a wrong path to a huge binary fails fast with a clear message.
inline constexpr std::size_t kMaxConfigBytes = 64u << 20;

}  // namespace deepnvm
