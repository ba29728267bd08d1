// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace deepnvm {

/// @brief Base of every error the library throws; the CLI maps all of them to exit code 2.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Where a value came from: a file (or "<command line>", "<string>") and a 1-based line, 0 if unknown.
struct SourceLocation {
  std::string file;
  std::size_t line = 0;

  std::string to_string() const;  // "file:line" or "file"
};

/// @brief Bad user input: names the file, the line and the key, and says what was expected.
class ConfigError : public Error {
 public:
  ConfigError(SourceLocation where, std::string key, std::string message);

  template <typename... Args>
  ConfigError(SourceLocation where, std::string key, fmt::format_string<Args...> format, Args&&... args)
      : ConfigError(std::move(where), std::move(key), fmt::format(format, std::forward<Args>(args)...)) {}

  const SourceLocation& where() const noexcept { return where_; }
  const std::string& file() const noexcept { return where_.file; }
  std::size_t line() const noexcept { return where_.line; }
  const std::string& key() const noexcept { return key_; }
  /// The explanation without the location prefix.
  const std::string& detail() const noexcept { return detail_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string detail_;
};

/// @brief A model cannot evaluate valid-looking input (impossible organization, no feasible design).
class ModelError : public Error {
 public:
  explicit ModelError(const std::string& message) : Error(message) {}
  template <typename... Args>
  explicit ModelError(fmt::format_string<Args...> format, Args&&... args)
      : Error(fmt::format(format, std::forward<Args>(args)...)) {}
};

/// @brief A file could not be read or written.
class IoError : public Error {
 public:
  IoError(std::string path, const std::string& message);
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace deepnvm
