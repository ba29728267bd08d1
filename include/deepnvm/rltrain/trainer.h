// SPDX-License-Identifier: MIT
#pragma once

// The actor-learner RL trainer (docs/models/rl.md §3): N actor threads step environments and send
// unrolls of T steps to a learner that trains a libtorch policy/value network with IMPALA's V-trace
// off-policy correction (Espeholt et al. 2018). Inference runs either on the actors, each with a
// copy of the policy refreshed after every update (IMPALA), or on one server thread beside the
// learner that batches the actors' observations (SEED RL, Espeholt et al. 2020). The synchronous
// mode steps the actors in turn on the calling thread: bit-deterministic under the seed.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "deepnvm/rl/system.h"

namespace deepnvm::rltrain {

/// Two MLPs (tanh) on the observation: a policy (logits of a discrete action, or the mean of a
/// Gaussian with a learned log standard deviation per action dimension) and a value.
struct PolicyNetImpl : torch::nn::Module {
  PolicyNetImpl(int observation_size, int outputs, bool continuous, int hidden);
  torch::Tensor policy(const torch::Tensor& observations);  ///< [n, outputs]
  torch::Tensor value(const torch::Tensor& observations);   ///< [n]
  /// Log-probability of `actions` [n, action size] and entropy, each [n], under the policy `out`.
  std::pair<torch::Tensor, torch::Tensor> log_prob_entropy(const torch::Tensor& out, const torch::Tensor& actions);
  bool continuous;
  torch::nn::Sequential pi{nullptr}, v{nullptr};
  torch::Tensor log_std;
};
TORCH_MODULE(PolicyNet);

/// V-trace targets of a batch of unrolls (Espeholt et al. 2018, eq. 1 and §4.2), each [T, B]: the
/// value targets vs and the policy-gradient advantages rho_t (r_t + discount_t vs_{t+1} - V(x_t)).
/// Inputs [T, B] except `values` [T + 1, B] (the last row bootstraps); `discounts` is 0 at an
/// episode's end. Importance weights are clipped at rho_bar (advantages, TD errors) and c_bar (traces).
struct VTraceTargets {
  torch::Tensor vs, advantages;
};
VTraceTargets vtrace(const torch::Tensor& target_logp, const torch::Tensor& behaviour_logp,
                     const torch::Tensor& rewards, const torch::Tensor& discounts, const torch::Tensor& values,
                     double rho_bar, double c_bar);

struct TrainerOptions {
  std::string env = "cartpole";
  std::filesystem::path data_dir;  ///< physics models (data/rl)
  rl::SystemConfig system;
  std::int64_t unroll = 20, batch_unrolls = 8, hidden = 64;
  double learning_rate = 1e-3;  ///< Adam; decays linearly to 0 at `frames` when `decay` is set
  bool decay = true;
  double discount = 0.99, entropy_cost = 0.01, baseline_cost = 0.5, rho_bar = 1.0, c_bar = 1.0, max_grad_norm = 40.0;
  std::int64_t frames = 200000;    ///< stop after this many environment frames
  double warmup = 0, seconds = 0;  ///< > 0: stop after warmup + seconds of wall time; measure only after the warm-up
  bool synchronous = false;        ///< one thread, actors in turn: bit-deterministic
  std::uint64_t seed = 1;
  std::string learner_device = "cpu";
  double inference_timeout = 2e-3;  ///< central: longest wait for a fuller batch, s
  /// Called from the learner after each update with the frames so far and the curve.
  std::function<void(std::int64_t frames, std::int64_t target)> progress;
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. by SIGINT) to end the run early
};

struct CurvePoint {
  std::int64_t frames = 0;
  double seconds = 0;
  std::int64_t episodes = 0;
  double mean_return = 0;  ///< over the last 100 finished episodes
};

struct TrainResult {
  rl::Measurement measurement;
  std::vector<CurvePoint> curve;  ///< one point per update with a new episode
  std::vector<double> returns;    ///< every finished training episode's return, in order
  PolicyNet net{nullptr};
  bool interrupted = false;
};

/// ConfigError for an unknown environment, a learner device libtorch cannot use, or options out of range.
TrainResult train(const TrainerOptions& options);

struct Evaluation {
  std::int64_t episodes = 0;
  double mean_return = 0, min_return = 0, max_return = 0;
};
/// Runs `episodes` episodes of `env` with `net`'s policy (actions sampled, or the most likely one
/// when `greedy`), seeded by `seed`.
Evaluation evaluate(PolicyNet net, const std::string& env, const std::filesystem::path& data_dir, std::int64_t episodes,
                    std::uint64_t seed, bool greedy);

}  // namespace deepnvm::rltrain
