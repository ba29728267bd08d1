// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string_view>

namespace deepnvm {

/// @brief Writes `content` to `path` all or nothing: a temporary file in the same directory is
/// written, flushed to disk and renamed over `path`, so an error or a kill never leaves a partial
/// result. Throws IoError naming the path.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace deepnvm
