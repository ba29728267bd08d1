// SPDX-License-Identifier: MIT
// The actor-learner trainer: V-trace against hand-computed returns, the synchronous mode's
// bit-determinism and learning on CartPole, both inference placements threaded, bad options.
#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rltrain/trainer.h"

namespace deepnvm::rltrain {
namespace {

torch::Tensor column(std::vector<float> v) {
  const auto n = static_cast<std::int64_t>(v.size());
  return torch::from_blob(v.data(), {n, 1}).clone();
}

TEST(VTrace, OnPolicyTargetsAreDiscountedReturns) {
  const torch::Tensor logp = column({-0.7F, -0.2F, -1.1F});
  const torch::Tensor rewards = column({1, 2, 3}), discounts = column({0.9F, 0.9F, 0.9F});
  const torch::Tensor values = column({0.5F, 0.4F, 0.3F, 10});
  const VTraceTargets t = vtrace(logp, logp, rewards, discounts, values, 1.0, 1.0);
  const double vs2 = 3 + 0.9 * 10, vs1 = 2 + 0.9 * vs2, vs0 = 1 + 0.9 * vs1;
  EXPECT_NEAR(t.vs[0][0].item<double>(), vs0, 1e-4);
  EXPECT_NEAR(t.vs[1][0].item<double>(), vs1, 1e-4);
  EXPECT_NEAR(t.vs[2][0].item<double>(), vs2, 1e-4);
  EXPECT_NEAR(t.advantages[0][0].item<double>(), 1 + 0.9 * vs1 - 0.5, 1e-4);
  EXPECT_NEAR(t.advantages[2][0].item<double>(), 3 + 0.9 * 10 - 0.3, 1e-4);
}

TEST(VTrace, AnEpisodeEndCutsTheTrace) {
  const torch::Tensor logp = column({-0.5F, -0.5F, -0.5F});
  const torch::Tensor rewards = column({1, 2, 3}), discounts = column({0.9F, 0, 0.9F});
  const torch::Tensor values = column({0.5F, 0.4F, 0.3F, 10});
  const VTraceTargets t = vtrace(logp, logp, rewards, discounts, values, 1.0, 1.0);
  EXPECT_NEAR(t.vs[1][0].item<double>(), 2, 1e-5);  // terminal: no bootstrap from the next episode
  EXPECT_NEAR(t.vs[0][0].item<double>(), 1 + 0.9 * 2, 1e-5);
}

TEST(VTrace, ImportanceWeightsAreClipped) {
  const torch::Tensor rewards = column({1, 1}), discounts = column({0.5F, 0.5F});
  const torch::Tensor values = column({0, 0, 4});
  const torch::Tensor behaviour = column({std::log(0.2F), std::log(0.2F)});
  // The learner's policy makes the actions 4x likelier: clipped at 1, as on-policy.
  const VTraceTargets up =
      vtrace(column({std::log(0.8F), std::log(0.8F)}), behaviour, rewards, discounts, values, 1, 1);
  const VTraceTargets on = vtrace(behaviour, behaviour, rewards, discounts, values, 1, 1);
  EXPECT_TRUE(torch::allclose(up.vs, on.vs));
  // Half as likely: rho = c = 0.5. vs_1 = V_1 + 0.5 (1 + 0.5 x 4 - 0) = 1.5; vs_0 = 0.5 (1 + 0) + 0.5 x 0.5 x 1.5.
  const VTraceTargets down =
      vtrace(column({std::log(0.1F), std::log(0.1F)}), behaviour, rewards, discounts, values, 1, 1);
  EXPECT_NEAR(down.vs[1][0].item<double>(), 1.5, 1e-5);
  EXPECT_NEAR(down.vs[0][0].item<double>(), 0.5 + 0.25 * 1.5, 1e-5);
}

TrainerOptions sync_cartpole(std::int64_t frames, std::uint64_t seed) {
  TrainerOptions o;
  o.env = "cartpole";
  o.system.envs_per_actor = 8;
  o.frames = frames;
  o.seed = seed;
  o.synchronous = true;
  return o;
}

bool same_parameters(PolicyNet& a, PolicyNet& b) {
  const auto pa = a->parameters(), pb = b->parameters();
  if (pa.size() != pb.size()) return false;
  for (std::size_t i = 0; i < pa.size(); ++i)
    if (!torch::equal(pa[i], pb[i])) return false;
  return true;
}

TEST(Trainer, SynchronousModeIsBitDeterministicUnderTheSeed) {
  TrainResult a = train(sync_cartpole(8000, 7)), b = train(sync_cartpole(8000, 7)), c = train(sync_cartpole(8000, 8));
  ASSERT_FALSE(a.returns.empty());
  EXPECT_EQ(a.returns, b.returns);
  EXPECT_TRUE(same_parameters(a.net, b.net));
  EXPECT_EQ(a.measurement.updates, b.measurement.updates);
  EXPECT_NE(a.returns, c.returns);
  EXPECT_FALSE(same_parameters(a.net, c.net));
}

TEST(Trainer, SynchronousModeLearnsCartPoleWithin60000Frames) {
  const TrainResult r = train(sync_cartpole(60000, 1));
  ASSERT_GE(r.returns.size(), 120U);
  double first = 0;
  for (std::size_t i = 0; i < 20; ++i) first += r.returns[i] / 20;
  // A uniformly random policy averages about 22 steps; the trained one at least 100 over its last 100 episodes.
  EXPECT_LT(first, 40);
  EXPECT_GE(r.curve.back().mean_return, 100) << "first 20 episodes: " << first;
  EXPECT_GE(r.measurement.frames, 60000);
}

TEST(Trainer, BothInferencePlacementsRunThreaded) {
  for (const rl::InferencePlacement p : {rl::InferencePlacement::actor, rl::InferencePlacement::central}) {
    TrainerOptions o;
    o.env = "pendulum";  // continuous actions, bootstraps at the time limit
    o.system.inference = p;
    o.system.actors = 3;
    o.system.envs_per_actor = 2;
    o.system.inference_batch = 4;
    o.frames = 6000;
    const TrainResult r = train(o);
    const rl::Measurement& m = r.measurement;
    SCOPED_TRACE(std::string(rl::placement_name(p)));
    EXPECT_GE(m.frames, 6000);
    EXPECT_GE(m.updates, 1);
    EXPECT_GT(m.episodes, 0);  // 200-step episodes
    EXPECT_GT(m.env_step, 0);
    EXPECT_GT(m.learner_update, 0);
    if (p == rl::InferencePlacement::central) {
      EXPECT_GE(m.mean_inference_batch, 1);
      EXPECT_LE(m.mean_inference_batch, 4);
      EXPECT_GT(m.central_forward, 0);
    } else {
      EXPECT_DOUBLE_EQ(m.mean_inference_batch, 2);
      EXPECT_GT(m.actor_forward, 0);
    }
    const Evaluation ev = evaluate(r.net, "pendulum", {}, 2, 1, true);
    EXPECT_LE(ev.max_return, 0);  // Pendulum's rewards are never positive
  }
}

TEST(Trainer, RefusesWhatItCannotRun) {
  TrainerOptions o;
  o.env = "cartpol";
  EXPECT_THROW(train(o), ConfigError);
  o.env = "cartpole";
  o.system.actors = 0;
  EXPECT_THROW(train(o), ConfigError);
  o.system.actors = 1;
  if (!torch::cuda::is_available()) {
    o.learner_device = "cuda";
    EXPECT_THROW(train(o), ConfigError);
  }
}

}  // namespace
}  // namespace deepnvm::rltrain
