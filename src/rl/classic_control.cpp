// SPDX-License-Identifier: MIT
// CartPole, Acrobot and Pendulum from their equations of motion (rl.md §1; constants in env.h).
#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rl/env.h"

namespace deepnvm::rl {

namespace {

using std::numbers::pi;

double uniform(EnvRng& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// Wraps an angle to [-π, π).
double wrap(double a) { return a - 2 * pi * std::floor((a + pi) / (2 * pi)); }

void check_action(const Environment& env, std::span<const double> action) {
  if (static_cast<int>(action.size()) != env.action_space().size())
    throw ModelError(
        fmt::format("{}: expected {} action value(s), got {}", env.name(), env.action_space().size(), action.size()));
}

int discrete_action(const Environment& env, std::span<const double> action) {
  check_action(env, action);
  const int n = env.action_space().discrete;
  const double a = action[0];
  if (!(a >= 0 && a < n) || a != std::floor(a))
    throw ModelError(fmt::format("{}: action {} is not one of 0..{}", env.name(), a, n - 1));
  return static_cast<int>(a);
}

class CartPole final : public Environment {
 public:
  std::string_view name() const override { return "cartpole"; }
  int observation_size() const override { return 4; }
  ActionSpace action_space() const override { return {2, {}, {}}; }
  void reset(EnvRng& rng, std::span<double> obs) override {
    for (double& v : s_) v = uniform(rng, -0.05, 0.05);
    steps_ = 0;
    std::copy(s_.begin(), s_.end(), obs.begin());
  }
  StepResult step(std::span<const double> action, std::span<double> obs) override {
    const double force = discrete_action(*this, action) == 1 ? cartpole::force_mag : -cartpole::force_mag;
    const std::array<double, 4> d = cartpole::derivative(s_, force);
    // Explicit Euler, as the benchmark task defines it: positions move with the old velocities.
    for (int i = 0; i < 4; ++i) s_[i] += cartpole::dt * d[i];
    ++steps_;
    std::copy(s_.begin(), s_.end(), obs.begin());
    StepResult r;
    r.reward = 1.0;
    r.terminated = std::abs(s_[0]) > cartpole::x_limit || std::abs(s_[2]) > cartpole::theta_limit;
    r.truncated = !r.terminated && steps_ >= cartpole::max_steps;
    return r;
  }

 private:
  std::array<double, 4> s_{};
  int steps_ = 0;
};

class Acrobot final : public Environment {
 public:
  std::string_view name() const override { return "acrobot"; }
  int observation_size() const override { return 6; }
  ActionSpace action_space() const override { return {3, {}, {}}; }
  void reset(EnvRng& rng, std::span<double> obs) override {
    for (double& v : s_) v = uniform(rng, -0.1, 0.1);
    steps_ = 0;
    observe(obs);
  }
  StepResult step(std::span<const double> action, std::span<double> obs) override {
    const double torque = discrete_action(*this, action) - 1.0;
    // One classical Runge-Kutta step over dt with the torque held.
    const auto f = [&](const std::array<double, 4>& x) { return acrobot::derivative(x, torque); };
    const auto add = [](std::array<double, 4> x, const std::array<double, 4>& k, double h) {
      for (int i = 0; i < 4; ++i) x[i] += h * k[i];
      return x;
    };
    const double h = acrobot::dt;
    const auto k1 = f(s_), k2 = f(add(s_, k1, h / 2)), k3 = f(add(s_, k2, h / 2)), k4 = f(add(s_, k3, h));
    for (int i = 0; i < 4; ++i) s_[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    s_[0] = wrap(s_[0]);
    s_[1] = wrap(s_[1]);
    s_[2] = std::clamp(s_[2], -acrobot::max_vel1, acrobot::max_vel1);
    s_[3] = std::clamp(s_[3], -acrobot::max_vel2, acrobot::max_vel2);
    ++steps_;
    observe(obs);
    StepResult r;
    r.terminated = -std::cos(s_[0]) - std::cos(s_[0] + s_[1]) > 1.0;
    r.reward = r.terminated ? 0.0 : -1.0;
    r.truncated = !r.terminated && steps_ >= acrobot::max_steps;
    return r;
  }

 private:
  void observe(std::span<double> obs) const {
    const double o[6] = {std::cos(s_[0]), std::sin(s_[0]), std::cos(s_[1]), std::sin(s_[1]), s_[2], s_[3]};
    std::copy(std::begin(o), std::end(o), obs.begin());
  }
  std::array<double, 4> s_{};
  int steps_ = 0;
};

class Pendulum final : public Environment {
 public:
  std::string_view name() const override { return "pendulum"; }
  int observation_size() const override { return 3; }
  ActionSpace action_space() const override { return {0, {-pendulum::max_torque}, {pendulum::max_torque}}; }
  void reset(EnvRng& rng, std::span<double> obs) override {
    s_ = {uniform(rng, -pi, pi), uniform(rng, -1.0, 1.0)};
    steps_ = 0;
    observe(obs);
  }
  StepResult step(std::span<const double> action, std::span<double> obs) override {
    check_action(*this, action);
    const double u = std::clamp(action[0], -pendulum::max_torque, pendulum::max_torque);
    StepResult r;
    const double angle = wrap(s_[0]);
    r.reward = -(angle * angle + 0.1 * s_[1] * s_[1] + 0.001 * u * u);  // cost of the state the torque acts on
    // Semi-implicit Euler: the new speed moves the angle.
    s_[1] =
        std::clamp(s_[1] + pendulum::dt * pendulum::derivative(s_, u)[1], -pendulum::max_speed, pendulum::max_speed);
    s_[0] += pendulum::dt * s_[1];
    ++steps_;
    observe(obs);
    r.truncated = steps_ >= pendulum::max_steps;
    return r;
  }

 private:
  void observe(std::span<double> obs) const {
    obs[0] = std::cos(s_[0]);
    obs[1] = std::sin(s_[0]);
    obs[2] = s_[1];
  }
  std::array<double, 2> s_{};
  int steps_ = 0;
};

}  // namespace

namespace cartpole {
std::array<double, 4> derivative(const std::array<double, 4>& s, double force) {
  const double total = cart_mass + pole_mass, sin = std::sin(s[2]), cos = std::cos(s[2]);
  const double push = (force + pole_mass * half_length * s[3] * s[3] * sin) / total;
  const double theta_acc = (gravity * sin - cos * push) / (half_length * (4.0 / 3.0 - pole_mass * cos * cos / total));
  const double x_acc = push - pole_mass * half_length * theta_acc * cos / total;
  return {s[1], x_acc, s[3], theta_acc};
}
}  // namespace cartpole

namespace acrobot {
std::array<double, 4> derivative(const std::array<double, 4>& s, double torque) {
  const double m1 = link_mass, m2 = link_mass, l1 = link_length, lc1 = com, lc2 = com, i1 = inertia, i2 = inertia;
  const double t1 = s[0], t2 = s[1], w1 = s[2], w2 = s[3];
  // Mass-matrix terms and generalized gravity and Coriolis forces (Sutton & Barto's notation).
  const double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * std::cos(t2)) + i1 + i2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * std::cos(t2)) + i2;
  const double phi2 = m2 * lc2 * gravity * std::cos(t1 + t2 - pi / 2);
  const double phi1 = -m2 * l1 * lc2 * w2 * w2 * std::sin(t2) - 2 * m2 * l1 * lc2 * w2 * w1 * std::sin(t2) +
                      (m1 * lc1 + m2 * l1) * gravity * std::cos(t1 - pi / 2) + phi2;
  const double acc2 =
      (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * w1 * w1 * std::sin(t2) - phi2) / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
  const double acc1 = -(d2 * acc2 + phi1) / d1;
  return {w1, w2, acc1, acc2};
}
}  // namespace acrobot

namespace pendulum {
std::array<double, 2> derivative(const std::array<double, 2>& s, double torque) {
  // A uniform rod about its end: I = m l²/3, gravity's torque m g (l/2) sin θ.
  return {s[1], 3 * gravity / (2 * length) * std::sin(s[0]) + 3.0 / (mass * length * length) * torque};
}
}  // namespace pendulum

std::unique_ptr<Environment> make_cartpole() { return std::make_unique<CartPole>(); }
std::unique_ptr<Environment> make_acrobot() { return std::make_unique<Acrobot>(); }
std::unique_ptr<Environment> make_pendulum() { return std::make_unique<Pendulum>(); }

}  // namespace deepnvm::rl
