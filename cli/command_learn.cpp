// SPDX-License-Identifier: MIT
// deepnvm learn ARGS... : quantization-aware training. Runs the deepnvm-learn executable with ARGS, so
// that deepnvm itself never links libtorch (docs: DESIGN.md, learn layer; docs/models/learn.md).
#include <memory>
#include <system_error>

#include "app.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/process.h"

namespace deepnvm::cli {

namespace {

// deepnvm-learn beside the running deepnvm (a build tree or an install), else on $PATH.
std::filesystem::path find_learn_program() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = self.parent_path() / "deepnvm-learn";
    if (std::filesystem::is_regular_file(beside, ec)) return beside;
  }
  if (std::filesystem::path p = find_program("deepnvm-learn"); !p.empty()) return p;
  throw IoError("deepnvm-learn",
                "not found beside deepnvm nor on $PATH: it is built with -DDEEPNVM_BUILD_LEARN=ON (needs Debian's "
                "libtorch-dev, scripts/install-deps)");
}

}  // namespace

void run_learn_program(const std::vector<std::string>& args) {
  std::vector<std::string> argv{find_learn_program().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const int code = run_program(argv, {}, kInheritStream, kInheritStream);
  if (code < 0) throw IoError(argv[0], "cannot run it");
  if (code != 0) throw ExitStatus{code};
}

Action add_learn_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "learn", "Quantization-aware training on Fashion-MNIST (runs deepnvm-learn: 'deepnvm learn --help')");
  // Every argument after `learn` belongs to deepnvm-learn, --help and --data included.
  sub->prefix_command();
  sub->allow_extras();
  sub->fallthrough(false);
  sub->set_help_flag();
  return [sub](const Context&) { run_learn_program(sub->remaining()); };
}

}  // namespace deepnvm::cli
