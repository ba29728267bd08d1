// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "deepnvm/all/builtins.h"
#include "deepnvm/core/quantity.h"

namespace deepnvm::cli {

/// Options accepted anywhere on the command line, before or after the subcommand.
struct GlobalOptions {
  bool json = false;
  bool quiet = false;
  unsigned threads = 0;  // 0: all hardware threads
  std::string data;      // --data: the data directory
};

/// What every subcommand gets: the global options and the library's registries.
struct Context {
  const GlobalOptions& options;
  const Builtins& builtins;
  std::filesystem::path data_dir;  // --data, else $DEEPNVM_DATA_DIR, else the built-in path
};

/// A subcommand registers its CLI11 options and returns the action to run when it is selected.
using Action = std::function<void(const Context&)>;

Action add_units_command(CLI::App& app);
Action add_schema_command(CLI::App& app);
Action add_check_command(CLI::App& app);
Action add_cell_command(CLI::App& app);
Action add_network_command(CLI::App& app);
Action add_array_command(CLI::App& app);
Action add_traffic_command(CLI::App& app);
Action add_run_command(CLI::App& app);
Action add_accel_command(CLI::App& app);
Action add_imc_command(CLI::App& app);
Action add_learn_command(CLI::App& app);
Action add_rl_command(CLI::App& app);

/// Runs deepnvm-learn (beside deepnvm, else on $PATH) with `args`; ExitStatus when it fails
/// (deepnvm learn, deepnvm imc train|export).
void run_learn_program(const std::vector<std::string>& args);

/// Thrown by a command whose outcome a program it ran has already reported (deepnvm learn runs
/// deepnvm-learn): run() exits with `code` and prints nothing more.
struct ExitStatus {
  int code = 0;
};

/// Parses `argv`, runs the chosen subcommand and maps every outcome to an exit code:
/// 0 success (also --help and --version), 2 any command-line or input error, 1 internal error.
int run(int argc, char** argv);

/// Prints `text` on stdout, ending it with a newline if it has none; an IoError if stdout fails.
void print(const std::string& text);

/// A quantity given on the command line (e.g. "16 nm" for --node): a unit error becomes a
/// ConfigError naming `option` (exit 2).
double parse_quantity_option(const std::string& text, Dimension dimension, const std::string& option);

}  // namespace deepnvm::cli
