// SPDX-License-Identifier: MIT
#pragma once

// Running the external programs some models drive (gnuplot for plots, yosys for synthesis): found on
// $PATH, run with fork/exec (no shell, so no quoting), waited for.

#include <filesystem>
#include <string>
#include <vector>

namespace deepnvm {

/// @brief The directory entry of `name` on `$PATH` that is an executable file, or empty.
std::filesystem::path find_program(const std::string& name);

/// Pass as run_program's stdout_file or stderr_file to let the child write to the caller's stream.
inline constexpr const char* kInheritStream = "<inherit>";

/// @brief Runs `argv` (argv[0]: the program's path) in `dir`, stdin from /dev/null, stdout to
/// `stdout_file` and stderr to `stderr_file` (each /dev/null when empty; truncated; the caller's own
/// stream when kInheritStream). Returns the exit status: 0..255, 128 + N when killed by signal N, -1
/// when it could not be started.
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                const std::filesystem::path& stdout_file = {}, const std::filesystem::path& stderr_file = {});

}  // namespace deepnvm
