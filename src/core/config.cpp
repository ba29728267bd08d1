// SPDX-License-Identifier: MIT
#include "deepnvm/core/config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "deepnvm/core/text.h"

namespace deepnvm {
namespace {

std::size_t line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? 0 : static_cast<std::size_t>(mark.line) + 1;
}

// Deep nesting would exhaust the stack of the recursive walks below (and of yaml-cpp's own
// destructor); no real input of ours nests more than a dozen levels.
constexpr int kMaxDepth = 64;

// yaml-cpp decodes some escapes of double-quoted strings ("\N", "\_", "\L", "\P") to lone
// Latin-1 bytes, so valid UTF-8 text can still yield a scalar that is not UTF-8.
void check_scalar_utf8(const YAML::Node& node, const std::string& file) {
  if (find_invalid_utf8(node.Scalar()))
    throw ConfigError({file, line_of(node)}, "", "an escape sequence decodes to invalid UTF-8: expected UTF-8 text");
}

// Keys must be plain scalars and unique: yaml-cpp silently keeps the first of two equal keys.
void check_structure(const YAML::Node& node, const std::string& file, int depth) {
  if (depth > kMaxDepth) throw ConfigError({file, line_of(node)}, "", "nesting deeper than {} levels", kMaxDepth);
  if (node.IsScalar()) check_scalar_utf8(node, file);
  if (node.IsMap()) {
    std::map<std::string, std::size_t> seen;
    for (const auto& kv : node) {
      const std::size_t key_line = line_of(kv.first);
      if (!kv.first.IsScalar())
        throw ConfigError({file, key_line}, "", "a key must be a plain name, not a {}",
                          kv.first.IsMap()        ? "mapping"
                          : kv.first.IsSequence() ? "list"
                                                  : "empty value");
      check_scalar_utf8(kv.first, file);
      const std::string& key = kv.first.Scalar();
      if (const auto [it, inserted] = seen.emplace(key, key_line); !inserted)
        throw ConfigError({file, key_line}, key, "duplicate key (first given on line {})", it->second);
      check_structure(kv.second, file, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) check_structure(item, file, depth + 1);
  }
}

// Cheap pre-scan for flow-style nesting ("[[[[..."), which yaml-cpp parses recursively.
void check_flow_depth(std::string_view text, const std::string& file) {
  int depth = 0;
  std::size_t line = 1;
  for (char c : text) {
    if (c == '\n') ++line;
    if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) throw ConfigError({file, line}, "", "nesting deeper than {} levels", kMaxDepth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace

ConfigNode::ConfigNode(YAML::Node node, std::shared_ptr<const std::string> file, std::size_t fallback_line)
    : node_(std::move(node)), file_(std::move(file)) {
  line_ = line_of(node_);
  if (line_ == 0 || is_null()) line_ = fallback_line != 0 ? fallback_line : line_;
}

std::string ConfigNode::type_name() const {
  if (is_null()) return "empty value";
  if (is_map()) return "mapping";
  if (is_sequence()) return "list";
  return "scalar";
}

const std::string& ConfigNode::scalar(std::string_view key) const {
  if (!is_scalar()) throw ConfigError(location(), std::string(key), "expected a single value, got a {}", type_name());
  return node_.Scalar();
}

std::vector<ConfigNode::Entry> ConfigNode::entries() const {
  std::vector<Entry> out;
  if (!is_map()) return out;
  out.reserve(node_.size());
  for (const auto& kv : node_) {
    const std::size_t key_line = line_of(kv.first);
    out.push_back(Entry{kv.first.Scalar(), key_line, ConfigNode(kv.second, file_, key_line)});
  }
  return out;
}

std::vector<ConfigNode> ConfigNode::items() const {
  std::vector<ConfigNode> out;
  if (!is_sequence()) return out;
  for (const auto& item : node_) out.emplace_back(item, file_, line_);
  return out;
}

std::unique_ptr<ConfigNode> ConfigNode::find(std::string_view key) const {
  if (!is_map()) return nullptr;
  for (const auto& kv : node_)
    if (kv.first.Scalar() == key) return std::make_unique<ConfigNode>(kv.second, file_, line_of(kv.first));
  return nullptr;
}

ConfigNode load_config_string(std::string_view text, const std::string& name) {
  auto file = std::make_shared<const std::string>(name);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw ConfigError({name, 0}, "", "the file is empty: expected a mapping of keys and values");
  if (text.find('\0') != std::string_view::npos)
    throw ConfigError({name, 0}, "", "the file contains NUL bytes: expected YAML or JSON text");
  if (const auto bad = find_invalid_utf8(text)) {
    const auto line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n')) + 1;
    throw ConfigError({name, line}, "", "invalid UTF-8 (byte {} of the file): expected UTF-8 text", *bad + 1);
  }
  check_flow_depth(text, name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    const std::size_t line = e.mark.is_null() || e.mark.line < 0 ? 0 : static_cast<std::size_t>(e.mark.line) + 1;
    throw ConfigError({name, line}, "", "malformed YAML/JSON: {}", e.msg);
  }
  if (root.IsNull())
    throw ConfigError({name, line_of(root)}, "", "the document is empty: expected a mapping of keys and values");
  check_structure(root, name, 0);
  return ConfigNode(root, file, 1);
}

std::string read_input_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw IoError(name, "no such file");
  if (std::filesystem::is_directory(status)) throw IoError(name, "is a directory, expected a file");
  if (!std::filesystem::is_regular_file(status)) throw IoError(name, "is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(name, fmt::format("cannot open for reading: {}", std::strerror(errno)));
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxConfigBytes)
    throw IoError(name,
                  fmt::format("is {} bytes, more than the {} bytes an input file may have", size, kMaxConfigBytes));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError(name, "read failed");
  return buffer.str();
}

SourceLocation where_is(const ConfigNode& node, const std::string& key) {
  const auto child = node.find(key);
  return child ? child->location() : node.location();
}

ConfigNode load_config_file(const std::filesystem::path& path) {
  return load_config_string(read_input_file(path), path.string());
}

}  // namespace deepnvm
