// SPDX-License-Identifier: MIT
#include "app.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm::cli {

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!text.ends_with('\n')) std::fputc('\n', stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) throw IoError("<stdout>", "write failed");
}

namespace {

void error_line(const std::string& message) { fmt::print(stderr, "deepnvm: error: {}\n", message); }

std::filesystem::path data_directory(const GlobalOptions& options) {
  if (!options.data.empty()) return options.data;
  if (const char* env = std::getenv("DEEPNVM_DATA_DIR"); env && *env) return env;
  return DEEPNVM_DATA_DIR;
}

// CLI11 reports "deepnvm typo" as a missing subcommand; name the word the user typed instead.
std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& e) {
  const auto remaining = app.remaining();
  if (app.get_subcommands().empty() && !remaining.empty() && !remaining.front().starts_with("-")) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return fmt::format("unknown command '{}'{}; commands: {}", remaining.front(),
                       did_you_mean(remaining.front(), names), quoted_list(names, ", "));
  }
  if (app.get_subcommands().empty() && !remaining.empty()) return fmt::format("unknown option '{}'", remaining.front());
  return e.what();
}

// CLI11 shows only a subcommand's own options in its help; say that the global ones apply too.
constexpr const char* kGlobalOptionsFooter =
    "Global options, accepted anywhere on the command line:\n"
    "  --json        print one JSON document on stdout\n"
    "  -q,--quiet    no progress bar or notes on stderr\n"
    "  --threads N   worker threads (0: all hardware threads)\n"
    "  --data DIR    data directory (default: $DEEPNVM_DATA_DIR, else the built-in one)";

}  // namespace

double parse_quantity_option(const std::string& text, Dimension dimension, const std::string& option) {
  try {
    return parse_quantity(text, dimension);
  } catch (const UnitError& e) {
    throw ConfigError({"<command line>", 0}, option, e.what());
  }
}

int run(int argc, char** argv) {
  GlobalOptions options;
  CLI::App app{
      "deepnvm: memory-technology-aware deep-learning hardware modelling.\n"
      "Cells, arrays and caches from device physics; DL workload traffic; NVM-vs-SRAM studies."};
  app.name("deepnvm");
  app.set_version_flag("--version", "deepnvm " DEEPNVM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // lets --json, --quiet and --threads follow the subcommand too
  app.add_flag("--json", options.json, "Print one JSON document on stdout instead of tables");
  app.add_flag("-q,--quiet", options.quiet, "No progress bar or notes on stderr");
  app.add_option("--threads", options.threads, "Worker threads (0: all hardware threads)")
      ->check(CLI::Range(0u, 4096u));
  app.add_option("--data", options.data, "Data directory (default: $DEEPNVM_DATA_DIR, else the built-in one)");

  std::map<const CLI::App*, Action> actions;
  const auto add = [&](Action (*add_command)(CLI::App&)) {
    Action action = add_command(app);
    CLI::App* sub = app.get_subcommands({}).back();
    sub->footer(kGlobalOptionsFooter);
    actions.emplace(sub, std::move(action));
  };
  add(add_units_command);
  add(add_schema_command);
  add(add_check_command);
  add(add_cell_command);
  add(add_network_command);
  add(add_array_command);
  add(add_traffic_command);
  add(add_run_command);
  add(add_accel_command);
  add(add_imc_command);
  add(add_learn_command);
  add(add_rl_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::CallForVersion&) {
    print("deepnvm " DEEPNVM_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11's own exit codes are not ours: every command-line error is 2, on one line.
    error_line(fmt::format("{} (see 'deepnvm --help')", describe_parse_error(app, e)));
    return 2;
  }
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());

  try {
    const Builtins builtins = make_builtins();
    const Context context{options, builtins, data_directory(options)};
    for (const CLI::App* sub : app.get_subcommands()) actions.at(sub)(context);
    return 0;
  } catch (const ExitStatus& e) {
    return e.code;
  } catch (const Error& e) {
    error_line(e.what());
    return 2;
  } catch (const std::exception& e) {
    error_line(fmt::format("internal error: {} (please report this)", e.what()));
    return 1;
  }
}

}  // namespace deepnvm::cli
