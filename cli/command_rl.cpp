// SPDX-License-Identifier: MIT
// deepnvm rl ARGS... : distributed RL training, CPU/GPU-ratio sweeps and model. Runs `deepnvm-learn rl
// ARGS`, the trainer being libtorch's (docs/models/rl.md; DESIGN.md, learn layer).
#include "app.h"

namespace deepnvm::cli {

Action add_rl_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "rl",
      "Distributed RL: actor-learner training, CPU/GPU-ratio sweeps and model (runs deepnvm-learn rl: "
      "'deepnvm rl --help')");
  sub->prefix_command();
  sub->allow_extras();
  sub->fallthrough(false);
  sub->set_help_flag();
  return [sub](const Context&) {
    std::vector<std::string> args{"rl"};
    for (const std::string& a : sub->remaining()) args.push_back(a);
    run_learn_program(args);
  };
}

}  // namespace deepnvm::cli
