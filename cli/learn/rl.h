// SPDX-License-Identifier: MIT
#pragma once

// deepnvm-learn rl train | sweep | model: the actor-learner trainer and the CPU/GPU-ratio sweep
// (docs/models/rl.md); `deepnvm rl ...` runs these.

#include <functional>

#include <CLI/CLI.hpp>

namespace deepnvm::learn_cli {

/// Adds `rl` and its subcommands to `app`; the returned action runs the one parsed.
std::function<void()> add_rl_commands(CLI::App& app);

}  // namespace deepnvm::learn_cli
