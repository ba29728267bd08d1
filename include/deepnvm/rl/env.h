// SPDX-License-Identifier: MIT
#pragma once

// Environments for the actor-learner RL system (issue 9, docs/models/rl.md): classic control
// written in C++ from the published equations of motion, with the constants, limits, rewards and
// episode lengths of the Gym/Gymnasium versions the RL literature reports on (CartPole-v1,
// Acrobot-v1, Pendulum-v1), so returns are comparable.
//
// An environment owns its state; step() advances it by one control interval. `terminated` marks a
// terminal state of the task (the pole fell, the tip reached the line); `truncated` marks the time
// limit, where the state is not terminal (bootstrapping continues through it).

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/core/registry.h"

namespace deepnvm::rl {

using EnvRng = std::mt19937_64;

/// Discrete actions 0..n-1, or a box of continuous actions within [low, high] per dimension.
struct ActionSpace {
  int discrete = 0;  ///< number of actions when discrete; 0 for a box
  std::vector<double> low, high;
  bool is_discrete() const { return discrete > 0; }
  /// Numbers per action: 1 for discrete (the index), the box's dimension otherwise.
  int size() const { return is_discrete() ? 1 : static_cast<int>(low.size()); }
};

struct StepResult {
  double reward = 0.0;
  bool terminated = false, truncated = false;
  bool done() const { return terminated || truncated; }
};

class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::string_view name() const = 0;
  virtual int observation_size() const = 0;
  virtual ActionSpace action_space() const = 0;
  /// Starts an episode from the task's initial-state distribution drawn from `rng`; writes the
  /// observation.
  virtual void reset(EnvRng& rng, std::span<double> observation) = 0;
  /// Applies `action` (a discrete index as a double, or the box values, clipped to the box) for one
  /// control interval; writes the next observation.
  virtual StepResult step(std::span<const double> action, std::span<double> observation) = 0;
};

/// Builds an environment; `data_dir` holds the physics models (data/rl/*.xml).
using EnvironmentFactory = std::function<std::unique_ptr<Environment>(const std::filesystem::path& data_dir)>;

/// cartpole, acrobot, pendulum (classic control); double_pendulum (MuJoCo).
Registry<EnvironmentFactory> builtin_environments();
/// ConfigError listing the known names for an unknown one; IoError for a missing or bad model file.
std::unique_ptr<Environment> make_environment(std::string_view name, const std::filesystem::path& data_dir = {});

std::unique_ptr<Environment> make_cartpole();
std::unique_ptr<Environment> make_acrobot();
std::unique_ptr<Environment> make_pendulum();
/// MuJoCo's inverted double pendulum on a cart (data/rl/double_pendulum.xml; Gymnasium's
/// InvertedDoublePendulum task): observation x, sin θ1, sin θ2, cos θ1, cos θ2, ẋ, θ̇1, θ̇2 (speeds
/// clipped to ±10), control in [−1, 1], 5 physics steps of 10 ms per action; reward 10 − (0.01 x_tip²
/// + (z_tip − 2)²) − (10^-3 θ̇1² + 5·10^-3 θ̇2²); terminal when the tip falls to 1 m; 1000 steps.
std::unique_ptr<Environment> make_double_pendulum(const std::filesystem::path& model_file);

// The models' constants (Gymnasium's classic-control values) and their continuous dynamics, exposed
// for the tests' energy balances: each derivative is the state's time derivative under the given
// force or torque.

/// CartPole (Barto, Sutton & Anderson 1983; frictionless equations as corrected by Florian 2007):
/// state (x, ẋ, θ, θ̇), θ from upright, the pole a uniform rod; ±force_mag on the cart; Euler steps
/// of dt; terminal beyond |x| > 2.4 m or |θ| > 12°; reward 1 per step; 500 steps (CartPole-v1).
namespace cartpole {
inline constexpr double gravity = 9.8, cart_mass = 1.0, pole_mass = 0.1, half_length = 0.5, force_mag = 10.0, dt = 0.02,
                        x_limit = 2.4, theta_limit = 12 * 3.14159265358979323846 / 180;
inline constexpr int max_steps = 500;
std::array<double, 4> derivative(const std::array<double, 4>& s, double force);
}  // namespace cartpole

/// Acrobot (Sutton & Barto 1998 §11.3, Spong 1995; Gymnasium's "book" equations): state (θ1, θ2,
/// θ̇1, θ̇2), θ1 from hanging down, torque −1, 0 or +1 on the second joint; RK4 over dt, velocities
/// clipped to ±4π, ±9π; terminal when the tip is 1 m above the pivot; reward −1 per step; 500 steps.
namespace acrobot {
inline constexpr double gravity = 9.8, link_length = 1.0, link_mass = 1.0, com = 0.5, inertia = 1.0, dt = 0.2,
                        max_vel1 = 4 * 3.14159265358979323846, max_vel2 = 9 * 3.14159265358979323846;
inline constexpr int max_steps = 500;
std::array<double, 4> derivative(const std::array<double, 4>& s, double torque);
}  // namespace acrobot

/// Pendulum (Gymnasium Pendulum-v1): state (θ, θ̇), θ from upright, a uniform rod of mass 1 and
/// length 1 with torque in [−2, 2] at the pivot; semi-implicit Euler over dt, speed clipped to ±8;
/// reward −(θ² + 0.1 θ̇² + 0.001 u²), θ wrapped to [−π, π); never terminal; 200 steps.
namespace pendulum {
inline constexpr double gravity = 10.0, mass = 1.0, length = 1.0, max_torque = 2.0, max_speed = 8.0, dt = 0.05;
inline constexpr int max_steps = 200;
std::array<double, 2> derivative(const std::array<double, 2>& s, double torque);
}  // namespace pendulum

}  // namespace deepnvm::rl
