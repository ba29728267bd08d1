// SPDX-License-Identifier: MIT
// Physics tasks on MuJoCo (Debian's libmujoco-dev) with our own MJCF models (rl.md §1).
#include <mujoco/mujoco.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rl/env.h"

namespace deepnvm::rl {

namespace {

// The model and its simulation state, freed with them.
struct Simulation {
  explicit Simulation(const std::filesystem::path& file) {
    char error[1000] = "";
    model = mj_loadXML(file.string().c_str(), nullptr, error, sizeof error);
    if (!model) {
      std::string why = error;  // MuJoCo's message spans lines; an error is one line
      std::replace(why.begin(), why.end(), '\n', ' ');
      while (!why.empty() && why.back() == ' ') why.pop_back();
      throw IoError(file.string(), fmt::format("MuJoCo could not load the model: {}", why));
    }
    data = mj_makeData(model);
  }
  ~Simulation() {
    mj_deleteData(data);
    mj_deleteModel(model);
  }
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  mjModel* model = nullptr;
  mjData* data = nullptr;
};

class DoublePendulum final : public Environment {
 public:
  explicit DoublePendulum(const std::filesystem::path& file) : sim_(file) {
    const mjModel* m = sim_.model;
    if (m->nq != 3 || m->nv != 3 || m->nu != 1)
      throw IoError(file.string(),
                    fmt::format("expected a cart and two hinges (3 positions, 3 speeds, 1 actuator); got {}, "
                                "{}, {}",
                                m->nq, m->nv, m->nu));
    tip_ = mj_name2id(m, mjOBJ_SITE, "tip");
    if (tip_ < 0) throw IoError(file.string(), "expected a site named 'tip' at the end of the second pole");
  }
  std::string_view name() const override { return "double_pendulum"; }
  int observation_size() const override { return 8; }
  ActionSpace action_space() const override { return {0, {-1.0}, {1.0}}; }
  void reset(EnvRng& rng, std::span<double> obs) override {
    mj_resetData(sim_.model, sim_.data);
    std::uniform_real_distribution<double> position(-0.1, 0.1);
    std::normal_distribution<double> speed(0.0, 0.1);
    for (int i = 0; i < sim_.model->nq; ++i) sim_.data->qpos[i] = position(rng);
    for (int i = 0; i < sim_.model->nv; ++i) sim_.data->qvel[i] = speed(rng);
    mj_forward(sim_.model, sim_.data);
    steps_ = 0;
    observe(obs);
  }
  StepResult step(std::span<const double> action, std::span<double> obs) override {
    if (action.size() != 1)
      throw ModelError(fmt::format("double_pendulum: expected 1 action value, got {}", action.size()));
    sim_.data->ctrl[0] = std::clamp(action[0], -1.0, 1.0);
    for (int i = 0; i < kFrameSkip; ++i) mj_step(sim_.model, sim_.data);
    ++steps_;
    observe(obs);
    const double x = sim_.data->site_xpos[3 * tip_], z = sim_.data->site_xpos[3 * tip_ + 2];
    const double w1 = sim_.data->qvel[1], w2 = sim_.data->qvel[2];
    StepResult r;
    r.reward = 10.0 - (0.01 * x * x + (z - 2) * (z - 2)) - (1e-3 * w1 * w1 + 5e-3 * w2 * w2);
    r.terminated = z <= 1.0;
    r.truncated = !r.terminated && steps_ >= kMaxSteps;
    return r;
  }

 private:
  static constexpr int kFrameSkip = 5, kMaxSteps = 1000;
  void observe(std::span<double> obs) const {
    const mjtNum* q = sim_.data->qpos;
    const mjtNum* v = sim_.data->qvel;
    const double o[8] = {q[0],
                         std::sin(q[1]),
                         std::sin(q[2]),
                         std::cos(q[1]),
                         std::cos(q[2]),
                         std::clamp(v[0], -10.0, 10.0),
                         std::clamp(v[1], -10.0, 10.0),
                         std::clamp(v[2], -10.0, 10.0)};
    std::copy(std::begin(o), std::end(o), obs.begin());
  }
  Simulation sim_;
  int tip_ = -1, steps_ = 0;
};

}  // namespace

std::unique_ptr<Environment> make_double_pendulum(const std::filesystem::path& model_file) {
  return std::make_unique<DoublePendulum>(model_file);
}

}  // namespace deepnvm::rl
