// SPDX-License-Identifier: MIT
// The classic-control environments against their physics: each model's derivative balances its
// mechanical energy (dE/dt = the power the force or torque puts in) at random states, a torque-free
// pendulum integrated finely conserves energy, the discrete steps follow the benchmark's update
// rules, and the episodes end where the tasks say.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include <mujoco/mujoco.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rl/env.h"

namespace deepnvm::rl {
namespace {

using std::numbers::pi;

// dE/dt along the derivative by central differences of E over a tiny time step.
template <std::size_t N, class Energy, class Derivative>
double energy_rate(const std::array<double, N>& s, Energy energy, Derivative derivative) {
  const std::array<double, N> d = derivative(s);
  const double h = 1e-6;
  std::array<double, N> ahead = s, behind = s;
  for (std::size_t i = 0; i < N; ++i) {
    ahead[i] += h * d[i];
    behind[i] -= h * d[i];
  }
  return (energy(ahead) - energy(behind)) / (2 * h);
}

double cartpole_energy(const std::array<double, 4>& s) {
  using namespace cartpole;
  const double x_dot = s[1], theta = s[2], w = s[3], l = half_length;
  // The pole's centre at (x + l sin θ, l cos θ); a uniform rod of length 2l: I = m (2l)²/12.
  const double vx = x_dot + l * std::cos(theta) * w, vy = -l * std::sin(theta) * w;
  return 0.5 * cart_mass * x_dot * x_dot + 0.5 * pole_mass * (vx * vx + vy * vy) + 0.5 * pole_mass * l * l / 3 * w * w +
         pole_mass * gravity * l * std::cos(theta);
}

double acrobot_energy(const std::array<double, 4>& s) {
  using namespace acrobot;
  const double t1 = s[0], t12 = s[0] + s[1], w1 = s[2], w12 = s[2] + s[3];
  // Centres of mass, y up, θ1 = 0 hanging down.
  const double v1x = com * std::cos(t1) * w1, v1y = com * std::sin(t1) * w1;
  const double v2x = link_length * std::cos(t1) * w1 + com * std::cos(t12) * w12;
  const double v2y = link_length * std::sin(t1) * w1 + com * std::sin(t12) * w12;
  const double kinetic = 0.5 * link_mass * (v1x * v1x + v1y * v1y) + 0.5 * inertia * w1 * w1 +
                         0.5 * link_mass * (v2x * v2x + v2y * v2y) + 0.5 * inertia * w12 * w12;
  const double potential = -link_mass * gravity * com * std::cos(t1) -
                           link_mass * gravity * (link_length * std::cos(t1) + com * std::cos(t12));
  return kinetic + potential;
}

double pendulum_energy(const std::array<double, 2>& s) {
  using namespace pendulum;
  return 0.5 * mass * length * length / 3 * s[1] * s[1] + mass * gravity * length / 2 * std::cos(s[0]);
}

TEST(ClassicControl, DerivativesBalanceEnergyAgainstTheInputPower) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> angle(-pi, pi), speed(-3, 3), u(-10, 10);
  for (int i = 0; i < 200; ++i) {
    const std::array<double, 4> c{speed(rng), speed(rng), angle(rng), speed(rng)};
    const double force = u(rng);
    const double cart_rate =
        energy_rate(c, cartpole_energy, [&](const auto& s) { return cartpole::derivative(s, force); });
    EXPECT_NEAR(cart_rate, force * c[1], 1e-6 * (1 + std::abs(force * c[1])));

    const std::array<double, 4> a{angle(rng), angle(rng), speed(rng), speed(rng)};
    const double torque = u(rng) / 10;
    const double arm_rate =
        energy_rate(a, acrobot_energy, [&](const auto& s) { return acrobot::derivative(s, torque); });
    EXPECT_NEAR(arm_rate, torque * a[3], 1e-6 * (1 + std::abs(torque * a[3])));

    const std::array<double, 2> p{angle(rng), speed(rng)};
    const double rate = energy_rate(p, pendulum_energy, [&](const auto& s) { return pendulum::derivative(s, torque); });
    EXPECT_NEAR(rate, torque * p[1], 1e-6 * (1 + std::abs(torque * p[1])));
  }
}

TEST(ClassicControl, UnforcedAcrobotKeepsItsEnergyUnderFineIntegration) {
  // RK4 at 1 ms for 5 s from a swinging state: energy drifts by less than 1e-8 of its scale.
  std::array<double, 4> s{1.0, -0.5, 0.3, 2.0};
  const double e0 = acrobot_energy(s), h = 1e-3;
  const auto f = [](const std::array<double, 4>& x) { return acrobot::derivative(x, 0.0); };
  const auto add = [](std::array<double, 4> x, const std::array<double, 4>& k, double dt) {
    for (int i = 0; i < 4; ++i) x[i] += dt * k[i];
    return x;
  };
  for (int n = 0; n < 5000; ++n) {
    const auto k1 = f(s), k2 = f(add(s, k1, h / 2)), k3 = f(add(s, k2, h / 2)), k4 = f(add(s, k3, h));
    for (int i = 0; i < 4; ++i) s[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  EXPECT_NEAR(acrobot_energy(s), e0, 1e-8 * 30);
}

TEST(ClassicControl, CartPoleStepsAreTheBenchmarksEulerUpdate) {
  auto env = make_environment("cartpole");
  EnvRng rng(3);
  std::array<double, 4> obs{};
  env->reset(rng, obs);
  for (const double o : obs) EXPECT_LE(std::abs(o), 0.05);
  for (int t = 0; t < 5; ++t) {
    const std::array<double, 4> before = obs;
    const double action = t % 2;
    const StepResult r = env->step(std::span<const double>(&action, 1), obs);
    const auto d = cartpole::derivative(before, action == 1 ? cartpole::force_mag : -cartpole::force_mag);
    for (int i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(obs[i], before[i] + cartpole::dt * d[i]);
    EXPECT_EQ(r.reward, 1.0);
    EXPECT_FALSE(r.done());
  }
  // Always pushing right tips the pole over (|θ| > 12°) within a second or two.
  int steps = 5;
  const double right = 1;
  StepResult r;
  while (!(r = env->step(std::span<const double>(&right, 1), obs)).done()) ++steps;
  EXPECT_TRUE(r.terminated);
  EXPECT_GT(std::abs(obs[2]), cartpole::theta_limit);
  EXPECT_LT(steps, 100);
}

TEST(ClassicControl, EpisodesEndAtTheirTimeLimits) {
  // A pendulum never terminates: 200 steps, then truncated.
  auto pendulum = make_environment("pendulum");
  EnvRng rng(4);
  std::array<double, 3> obs{};
  pendulum->reset(rng, obs);
  EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0, 1e-12);
  const double torque = 5.0;  // clipped to 2
  int steps = 0;
  StepResult r;
  do {
    r = pendulum->step(std::span<const double>(&torque, 1), obs);
    ++steps;
    EXPECT_LE(r.reward, 0.0);
    EXPECT_GE(r.reward, -(pi * pi + 0.1 * 64 + 0.001 * 4) - 1e-9);
    EXPECT_LE(std::abs(obs[2]), pendulum::max_speed);
  } while (!r.done());
  EXPECT_EQ(steps, pendulum::max_steps);
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.terminated);

  // An acrobot doing nothing hangs: −1 per step for 500 steps.
  auto arm = make_environment("acrobot");
  std::array<double, 6> arm_obs{};
  arm->reset(rng, arm_obs);
  const double idle = 1;  // zero torque
  double total = 0;
  steps = 0;
  do {
    r = arm->step(std::span<const double>(&idle, 1), arm_obs);
    total += r.reward;
    ++steps;
  } while (!r.done());
  EXPECT_EQ(steps, acrobot::max_steps);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(total, -500.0);
}

TEST(ClassicControl, AcrobotPumpedThroughTheSecondJointReachesTheLine) {
  // Torque in the direction of the second joint's motion puts in power τ·θ̇2 > 0 at every instant;
  // with energy rising, the tip reaches the line well before the time limit.
  auto arm = make_environment("acrobot");
  EnvRng rng(5);
  std::array<double, 6> obs{};
  arm->reset(rng, obs);
  StepResult r;
  int steps = 0;
  do {
    const double action = obs[5] > 0 ? 2 : 0;
    r = arm->step(std::span<const double>(&action, 1), obs);
    ++steps;
  } while (!r.done());
  EXPECT_TRUE(r.terminated) << "after " << steps << " steps";
  EXPECT_LT(steps, 200);
  EXPECT_GT(-obs[0] - (obs[0] * obs[2] - obs[1] * obs[3]), 1.0);  // -cos θ1 - cos(θ1 + θ2)
}

TEST(ClassicControl, BadNamesAndActionsAreRefused) {
  try {
    make_environment("cartpol");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cartpole"), std::string::npos) << e.what();
  }
  auto env = make_environment("cartpole");
  EnvRng rng(1);
  std::array<double, 4> obs{};
  env->reset(rng, obs);
  const double bad = 2;
  EXPECT_THROW(env->step(std::span<const double>(&bad, 1), obs), ModelError);
  const double two[2] = {0, 1};
  EXPECT_THROW(env->step(std::span<const double>(two, 2), obs), ModelError);
}

const std::filesystem::path kData(DEEPNVM_DATA_DIR);

TEST(MujocoEnvironment, TheDoublePendulumModelConservesEnergyWithoutDampingOrForce) {
  char error[1000] = "";
  mjModel* m = mj_loadXML((kData / "rl" / "double_pendulum.xml").string().c_str(), nullptr, error, sizeof error);
  ASSERT_NE(m, nullptr) << error;
  mjData* d = mj_makeData(m);
  m->opt.enableflags |= mjENBL_ENERGY;
  m->opt.timestep = 1e-3;
  for (int i = 0; i < m->nv; ++i) m->dof_damping[i] = 0;
  d->qpos[1] = 0.3;  // both poles tilted: a chaotic swing
  d->qpos[2] = -0.2;
  mj_forward(m, d);
  const double e0 = d->energy[0] + d->energy[1];
  double swing = 0;
  for (int i = 0; i < 2000; ++i) {
    mj_step(m, d);
    swing = std::max(swing, std::abs(d->qvel[2]));
  }
  mj_forward(m, d);
  EXPECT_GT(swing, 5.0);  // it did move
  EXPECT_NEAR(d->energy[0] + d->energy[1], e0, 1e-4);
  mj_deleteData(d);
  mj_deleteModel(m);
}

TEST(MujocoEnvironment, TheUncontrolledDoublePendulumFallsAndRewardsAreBounded) {
  auto env = make_environment("double_pendulum", kData);
  ASSERT_EQ(env->observation_size(), 8);
  EnvRng rng(2);
  std::array<double, 8> obs{};
  env->reset(rng, obs);
  EXPECT_NEAR(obs[3], 1.0, 0.01);  // cos θ1: upright
  const double idle = 0;
  StepResult r;
  int steps = 0;
  do {
    r = env->step(std::span<const double>(&idle, 1), obs);
    ++steps;
    EXPECT_LE(r.reward, 10.0 - 0.64);  // the tip is never above 1.2 m
  } while (!r.done());
  EXPECT_TRUE(r.terminated);
  EXPECT_LT(steps, 200);
  // The same seed gives the same episode.
  auto again = make_environment("double_pendulum", kData);
  EnvRng same(2);
  std::array<double, 8> obs2{};
  again->reset(same, obs2);
  for (int t = 0; t < steps; ++t) again->step(std::span<const double>(&idle, 1), obs2);
  EXPECT_EQ(obs, obs2);
}

TEST(MujocoEnvironment, BadModelFilesAreNamed) {
  const auto dir = std::filesystem::temp_directory_path() / ("deepnvm-rl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "rl");
  std::ofstream(dir / "rl" / "double_pendulum.xml") << "<mujoco><worldbody><body><joint type='slide'/>";
  try {
    make_environment("double_pendulum", dir);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("double_pendulum.xml"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::rl
