// SPDX-License-Identifier: MIT
// The CPU/GPU-ratio model: its bounds on hand-computed cases, the calibration fit, sweep files and the
// CSV round trip, and the committed measured sweep reproduced within the stated error.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rl/ratio_model.h"
#include "deepnvm/rl/sweep_output.h"
#include "deepnvm/rl/system.h"

namespace deepnvm::rl {
namespace {

// Round numbers: an actor with its own policy spends 11 µs per frame and 30 µs per forward pass; one
// whose inference is central 10 µs per frame; the server 100 µs + 0.5 µs per observation per pass;
// an update of 160 frames 8 ms.
Calibration hand_calibration() {
  Calibration c;
  c.actor_frame = 11e-6;
  c.actor_pass = 30e-6;
  c.client_frame = 10e-6;
  c.central_fixed = 100e-6;
  c.central_per_obs = 0.5e-6;
  c.central_handover = 20e-6;
  c.learner_update = 8e-3;
  c.frames_per_update = 160;
  c.learner_on_cpu = false;
  c.cores = 16;
  return c;
}

TEST(RatioModel, ActorPlacementBoundsByHand) {
  const Calibration cal = hand_calibration();
  TargetMachine gpu_box;
  gpu_box.cores = 16;
  gpu_box.learner_on_cpu = false;
  SystemConfig c;  // actor placement, 1 env
  c.actors = 4;
  const Prediction p = predict(cal, gpu_box, c);
  const double per_frame = 11e-6 + 30e-6;
  EXPECT_NEAR(p.actor_bound, 4 / per_frame, 1e-6);
  EXPECT_NEAR(p.learner_bound, 160 / 8e-3, 1e-6);  // 20 000 frames/s
  EXPECT_NEAR(p.cpu_bound, 16 / per_frame, 1e-6);
  EXPECT_EQ(p.bound, "learner");  // four actors deliver 97 561 frames/s, the learner takes 20 000
  EXPECT_NEAR(p.frames_per_second, 20000, 1e-6);
  // 4 envs per actor share the forward pass: (4 x 11 + 30) µs per 4 frames.
  c.envs_per_actor = 4;
  EXPECT_NEAR(predict(cal, gpu_box, c).actor_bound, 4 * 4 / (44e-6 + 30e-6), 1e-6);
}

TEST(RatioModel, KneeWhereActorsMeetTheLearner) {
  const Calibration cal = hand_calibration();
  TargetMachine gpu_box;
  gpu_box.cores = 64;
  gpu_box.learner_on_cpu = false;
  // With 100 µs environment steps an actor delivers 1 / 131 µs = 7 634 frames/s and the learner takes
  // 20 000: the knee is at ceil(0.95 x 20000 x 131 µs) = 3 actors, where the learner becomes the limit.
  Calibration slow = cal;
  slow.actor_frame = 101e-6;
  const Knee k = knee(slow, gpu_box, SystemConfig{}, 32);
  EXPECT_EQ(k.config.actors, 3);
  EXPECT_EQ(k.prediction.bound, "learner");
  EXPECT_NEAR(k.best_frames_per_second, 20000, 1e-6);
  EXPECT_DOUBLE_EQ(k.config.cpu_gpu_ratio(), 3);
  // A GPU twice as fast doubles the learner's rate: the optimal ratio doubles (ceil(0.95 x 40000 x 131 µs) = 5).
  gpu_box.device_speed = 2;
  EXPECT_EQ(knee(slow, gpu_box, SystemConfig{}, 32).config.actors, 5);
  // Two cores only: the CPU bound (2 / 131 µs = 15 267 frames/s) caps it at 2 actors.
  gpu_box.cores = 2;
  const Knee capped = knee(slow, gpu_box, SystemConfig{}, 32);
  EXPECT_EQ(capped.config.actors, 2);
  EXPECT_NEAR(capped.best_frames_per_second, 2 / 131e-6, 1e-6);
}

TEST(RatioModel, LearnerOnTheCpuSharesTheCores) {
  Calibration cal = hand_calibration();
  cal.learner_on_cpu = true;
  TargetMachine two;
  two.cores = 2;
  SystemConfig c;
  c.actors = 8;
  const Prediction p = predict(cal, two, c);
  // CPU work per frame: 41 µs of actor, 50 µs of learner (8 ms / 160).
  EXPECT_NEAR(p.cpu_bound, 2 / (41e-6 + 50e-6), 1e-6);
  EXPECT_EQ(p.bound, "learner");  // 20 000 < 21 978
  EXPECT_NEAR(p.frames_per_second, 20000, 1e-6);
  // Eight actors pinned with one core each on a 2-core machine use 2 cores, not 8.
  EXPECT_NEAR(p.actor_bound, 2 / 41e-6, 1e-6);
}

TEST(RatioModel, BusyCoresMakeFramesDearer) {
  Calibration cal = hand_calibration();
  cal.learner_on_cpu = true;
  cal.core_scaling = 1.5;
  TargetMachine four;
  four.cores = 4;
  SystemConfig c;
  c.actors = 1;  // one core busy with an actor: no crowding
  EXPECT_NEAR(predict(cal, four, c).actor_bound, 1 / 41e-6, 1e-6);
  c.actors = 3;  // three of four: 1 + 0.5 x 2/3
  EXPECT_NEAR(predict(cal, four, c).actor_bound, 3 / (41e-6 * (1 + 0.5 * 2 / 3)), 1e-6);
  c.actors = 8;  // all four, and the learner's update with them
  const Prediction p = predict(cal, four, c);
  EXPECT_NEAR(p.cpu_bound, 4 / (1.5 * (41e-6 + 50e-6)), 1e-6);
  EXPECT_NEAR(p.learner_bound, 160 / (1.5 * 8e-3), 1e-6);
  four.core_scaling = 1;  // a target machine whose cores do not interfere
  EXPECT_NEAR(predict(cal, four, c).cpu_bound, 4 / (41e-6 + 50e-6), 1e-6);
}

TEST(RatioModel, CentralInferenceTakesTurnsWithTheDevice) {
  const Calibration cal = hand_calibration();
  TargetMachine gpu_box;
  gpu_box.cores = 16;
  gpu_box.learner_on_cpu = false;
  SystemConfig c;
  c.inference = InferencePlacement::central;
  c.inference_batch = 8;
  c.actors = 2;
  // A round of 2 frames: the actors' 10 µs (one core each), one pass of 2 (101 µs), the hand-over
  // (20 µs) and the updates' share of the device (2 x 8 ms / 160 = 100 µs).
  Prediction p = predict(cal, gpu_box, c);
  EXPECT_NEAR(p.frames_per_second, 2 / (10e-6 + 101e-6 + 20e-6 + 100e-6), 1e-6);
  EXPECT_NEAR(p.actor_bound, 2 / 30e-6, 1e-6);
  EXPECT_NEAR(p.learner_bound, 2 / 201e-6, 1e-6);
  EXPECT_EQ(p.bound, "learner");
  // 16 actors: two passes of 8 (2 x 104 µs), updates 16 x 50 µs.
  c.actors = 16;
  p = predict(cal, gpu_box, c);
  EXPECT_NEAR(p.frames_per_second, 16 / (10e-6 + 208e-6 + 20e-6 + 800e-6), 1e-6);
  // The same on 2 cores: the 16 actors' work takes 8 times as long.
  gpu_box.cores = 2;
  EXPECT_NEAR(predict(cal, gpu_box, c).frames_per_second, 16 / (80e-6 + 208e-6 + 20e-6 + 800e-6), 1e-6);
}

// A one-second run of 16 000 frames and 100 updates whose roles spent the given CPU time.
Measurement run(InferencePlacement p, int envs, double actor_per_frame, double server_per_pass, double update,
                double frames_per_second = 16000) {
  Measurement m;
  m.config.inference = p;
  m.config.envs_per_actor = envs;
  m.config.inference_batch = envs;
  m.mean_inference_batch = envs;
  m.seconds = 1;
  m.frames = 16000;
  m.updates = 100;
  m.frames_per_second = frames_per_second;
  m.actor_cpu = actor_per_frame * 16000;
  m.inference_cpu = p == InferencePlacement::central ? server_per_pass * 16000 / envs : 0.0;
  m.learner_cpu = update * 100;
  m.frames_per_update = 160;
  m.learner_device = "cpu";
  m.machine_cores = 2;
  return m;
}

TEST(RatioModel, CalibrationFitsTheCostLines) {
  using P = InferencePlacement;
  // Actor: 11 µs + 30 µs / envs per frame; client: 10 µs + 2 µs / envs; server: 100 µs + 0.5 µs n.
  const Calibration c =
      calibrate({run(P::actor, 1, 41e-6, 0, 8e-3), run(P::actor, 8, 11e-6 + 30e-6 / 8, 0, 10e-3),
                 run(P::central, 1, 12e-6, 100.5e-6, 8e-3, 4000), run(P::central, 8, 10.25e-6, 104e-6, 8e-3, 8000)});
  EXPECT_NEAR(c.actor_frame, 11e-6, 1e-12);
  EXPECT_NEAR(c.actor_pass, 30e-6, 1e-12);
  EXPECT_NEAR(c.client_frame, 10e-6, 1e-12);
  EXPECT_NEAR(c.client_pass, 2e-6, 1e-12);
  EXPECT_NEAR(c.central_fixed, 100e-6, 1e-12);
  EXPECT_NEAR(c.central_per_obs, 0.5e-6, 1e-12);
  EXPECT_NEAR(c.learner_update, 8.5e-3, 1e-12);
  // Hand-over: each central run's round time less work, pass and updates (8.5 ms / 160 per frame).
  const double u = 8.5e-3 / 160, one = 1 / 4000.0 - (12e-6 + 100.5e-6 + u),
               eight = 8 / 8000.0 - (8 * 10.25e-6 + 104e-6 + 8 * u);
  EXPECT_NEAR(c.central_handover, (one + eight) / 2, 1e-12);
  EXPECT_TRUE(c.learner_on_cpu);
  EXPECT_EQ(c.cores, 2);
  EXPECT_EQ(c.frames_per_update, 160);
  EXPECT_EQ(c.core_scaling, 1);  // no run with several actors
  // Two actors whose frames each cost 1.25 times the one-actor line's CPU time.
  Measurement crowded = run(P::actor, 1, 1.25 * 41e-6, 0, 8e-3);
  crowded.config.actors = 2;
  EXPECT_NEAR(calibrate({run(P::actor, 1, 41e-6, 0, 8e-3), run(P::actor, 8, 11e-6 + 30e-6 / 8, 0, 10e-3), crowded,
                         run(P::central, 1, 12e-6, 100.5e-6, 8e-3)})
                  .core_scaling,
              1.25, 1e-9);
  // A cost that falls with the batch is noise: a constant, not a negative slope.
  const Calibration flat = calibrate({run(P::actor, 1, 40e-6, 0, 8e-3), run(P::actor, 8, 40e-6, 0, 8e-3),
                                      run(P::central, 1, 10e-6, 100e-6, 8e-3), run(P::central, 8, 10e-6, 90e-6, 8e-3)});
  EXPECT_EQ(flat.actor_pass, 0);
  EXPECT_NEAR(flat.central_fixed, 95e-6, 1e-12);
  EXPECT_EQ(flat.central_per_obs, 0);
  EXPECT_THROW(calibrate({run(P::actor, 1, 31e-6, 0, 8e-3)}), ConfigError);
}

class SweepFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("deepnvm-rl-sweep-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& text) {
    const auto p = dir_ / "sweep.yaml";
    std::ofstream(p) << text;
    return p;
  }
  void expect_error(const std::string& text, std::size_t line, const std::string& key) {
    try {
      load_rl_sweep(write(text));
      ADD_FAILURE() << "accepted:\n" << text;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_TRUE(e.key().starts_with(key)) << e.what();  // "actors[1]" for a list's element
      EXPECT_NE(std::string(e.what()).find("sweep.yaml"), std::string::npos) << e.what();
    }
  }
  std::filesystem::path dir_;
};

TEST_F(SweepFile, LoadsAndListsItsPoints) {
  const RlSweepSpec s =
      load_rl_sweep(write("kind: rl_sweep\nname: s\nenv: double_pendulum\ninference: [actor, central]\nactors: [1, 2]\n"
                          "envs_per_actor: [1, 4]\ninference_batch: [4, 8]\nseconds: 500 ms\n"));
  EXPECT_EQ(s.env, "double_pendulum");
  EXPECT_DOUBLE_EQ(s.seconds, 0.5);
  const std::vector<SystemConfig> points = sweep_points(s);
  // actor: 2 envs x 2 actors; central: 2 envs x 2 batches x 2 actors.
  ASSERT_EQ(points.size(), 4U + 8U);
  EXPECT_EQ(points[0].inference, InferencePlacement::actor);
  EXPECT_EQ(points[3].envs_per_actor, 4);
  EXPECT_EQ(points[3].inference_batch, 4);  // actor placement: its forward batch is its envs
  EXPECT_EQ(points.back().inference, InferencePlacement::central);
  EXPECT_EQ(points.back().inference_batch, 8);
  const std::vector<SystemConfig> cal = calibration_points(s, 4);
  ASSERT_EQ(cal.size(), 5U);
  EXPECT_EQ(cal[3].inference_batch, 8);
  EXPECT_EQ(cal[4].actors, 4);  // one actor per core: the core scaling
  EXPECT_EQ(calibration_points(s, 1).size(), 4U);
}

TEST_F(SweepFile, BadFilesNameLineAndKey) {
  expect_error("kind: rl_sweep\nname: s\nactors: [1, -2]\n", 3, "actors");
  expect_error("kind: rl_sweep\nname: s\nenv: cartpol\n", 3, "env");
  expect_error("kind: rl_sweep\nname: s\ninference: [actor, gpu]\n", 3, "inference");
  expect_error("kind: rl_sweep\nname: s\nactor: [1]\n", 3, "actor");
  expect_error("kind: rl_sweep\nname: s\nseconds: 5 kg\n", 3, "seconds");
  expect_error("kind: rl_sweep\nname: s\nactors: []\n", 3, "actors");
  expect_error("kind: imc_sweep\nname: s\n", 1, "kind");
  expect_error("kind: rl_sweep\nenv: cartpole\n", 1, "name");
}

TEST(SweepCsv, RoundTrip) {
  RlSweepResult r;
  r.spec.name = "t";
  using P = InferencePlacement;
  r.calibration_runs = {run(P::actor, 1, 41e-6, 0, 8e-3), run(P::central, 1, 10e-6, 100e-6, 8e-3)};
  r.calibration = calibrate(r.calibration_runs);
  r.machine.cores = 2;
  for (int n : {1, 2, 4}) {
    SweepPoint p;
    p.measured = run(P::actor, 1, 41e-6, 0, 8e-3);
    p.measured.config.actors = n;
    p.measured.frames_per_second = 1000.0 * std::min(n, 2);
    p.measured.cpu_watts = 20.5;
    r.points.push_back(p);
  }
  predict_and_mark(r);
  EXPECT_TRUE(r.points[1].knee);  // 2 actors reach the best
  const auto path = std::filesystem::temp_directory_path() / ("deepnvm-rl-csv-" + std::to_string(getpid()) + ".csv");
  std::ofstream(path) << sweep_csv(r);
  const SweepCsv back = read_sweep_csv(path);
  std::filesystem::remove(path);
  ASSERT_EQ(back.calibration_runs.size(), 2U);
  ASSERT_EQ(back.points.size(), 3U);
  EXPECT_EQ(back.points[2].config.actors, 4);
  EXPECT_DOUBLE_EQ(back.points[2].frames_per_second, 2000);
  EXPECT_DOUBLE_EQ(*back.points[2].cpu_watts, 20.5);
  EXPECT_FALSE(back.points[2].gpu_watts.has_value());
  EXPECT_EQ(back.calibration_runs[1].config.inference, P::central);
  EXPECT_DOUBLE_EQ(back.calibration_runs[1].inference_cpu, 1.6);
}

}  // namespace
}  // namespace deepnvm::rl

namespace deepnvm::rl {
namespace {

// The committed measured sweep of the 2-core development machine (data/rl/results/two_core, made by
// `deepnvm rl sweep data/rl/sweeps/two_core.yaml`): the model, calibrated from the sweep's own five
// short calibration runs only, predicts all 56 points. Stated error (docs/models/rl.md §6): mean
// under 20 %, every point under 50 % (two sweeps of the same file differ by 11 % on average, 35 % at
// most, on this machine), and in every series the measured frame rate at the model's knee at least
// 65 % of the series' best.
TEST(RatioModel, ReproducesTheCommittedTwoCoreSweep) {
  const SweepCsv csv = read_sweep_csv(std::filesystem::path(DEEPNVM_DATA_DIR) / "rl/results/two_core/two_core.csv");
  ASSERT_EQ(csv.calibration_runs.size(), 5U);
  ASSERT_EQ(csv.points.size(), 56U);
  RlSweepResult r;
  r.calibration = calibrate(csv.calibration_runs);
  r.machine.cores = csv.calibration_runs.front().machine_cores;
  r.machine.learner_on_cpu = true;
  for (const Measurement& m : csv.points) r.points.push_back({m, {}, false, false});
  predict_and_mark(r);
  const ModelError e = model_error(r);
  EXPECT_LT(e.mean, 0.20);
  EXPECT_LT(e.max, 0.50);
  EXPECT_GE(e.knee_throughput, 0.65);
  EXPECT_EQ(e.series, 8U);
}

}  // namespace
}  // namespace deepnvm::rl
