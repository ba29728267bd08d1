// SPDX-License-Identifier: MIT
#include "deepnvm/core/error.h"

namespace deepnvm {

std::string SourceLocation::to_string() const { return line == 0 ? file : fmt::format("{}:{}", file, line); }

namespace {
std::string format_config_error(const SourceLocation& where, const std::string& key, const std::string& detail) {
  std::string out = where.to_string();
  if (!key.empty()) out += fmt::format("{}key '{}'", out.empty() ? "" : ": ", key);
  if (!out.empty()) out += ": ";
  return out + detail;
}
}  // namespace

ConfigError::ConfigError(SourceLocation where, std::string key, std::string message)
    : Error(format_config_error(where, key, message)),
      where_(std::move(where)),
      key_(std::move(key)),
      detail_(std::move(message)) {}

IoError::IoError(std::string path, const std::string& message)
    : Error(fmt::format("{}: {}", path, message)), path_(std::move(path)) {}

}  // namespace deepnvm
