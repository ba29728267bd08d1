// SPDX-License-Identifier: MIT
// The environments by name.
#include "deepnvm/rl/env.h"

namespace deepnvm::rl {

Registry<EnvironmentFactory> builtin_environments() {
  Registry<EnvironmentFactory> r("environment");
  r.add("cartpole", "CartPole-v1: balance a pole on a cart, 2 actions, 500 steps",
        [](const std::filesystem::path&) { return make_cartpole(); });
  r.add("acrobot", "Acrobot-v1: swing a two-link arm's tip above a line, 3 torques, 500 steps",
        [](const std::filesystem::path&) { return make_acrobot(); });
  r.add("pendulum", "Pendulum-v1: swing up and hold a pendulum, torque in [-2, 2], 200 steps",
        [](const std::filesystem::path&) { return make_pendulum(); });
  r.add("double_pendulum", "MuJoCo: an inverted double pendulum on a cart, force in [-1, 1], 1000 steps",
        [](const std::filesystem::path& data) { return make_double_pendulum(data / "rl" / "double_pendulum.xml"); });
  return r;
}

std::unique_ptr<Environment> make_environment(std::string_view name, const std::filesystem::path& data_dir) {
  return builtin_environments().create(name, data_dir);
}

}  // namespace deepnvm::rl
