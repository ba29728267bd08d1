// SPDX-License-Identifier: MIT
// The step cost of each environment under a uniformly random policy, resets included: what one actor
// pays per frame before any inference (docs/models/rl.md §1).
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "deepnvm/rl/env.h"

namespace {

using namespace deepnvm::rl;

void BM_EnvStep(benchmark::State& state, const char* name) {
  auto env = make_environment(name, DEEPNVM_DATA_DIR);
  EnvRng rng(1);
  std::vector<double> obs(static_cast<std::size_t>(env->observation_size()));
  const ActionSpace space = env->action_space();
  std::vector<double> action(static_cast<std::size_t>(space.size()));
  std::uniform_int_distribution<int> pick(0, space.is_discrete() ? space.discrete - 1 : 0);
  std::uniform_real_distribution<double> box(space.is_discrete() ? 0.0 : space.low[0],
                                             space.is_discrete() ? 1.0 : space.high[0]);
  env->reset(rng, obs);
  for (auto _ : state) {
    for (double& a : action) a = space.is_discrete() ? pick(rng) : box(rng);
    if (env->step(action, obs).done()) env->reset(rng, obs);
    benchmark::DoNotOptimize(obs.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_EnvStep, cartpole, "cartpole");
BENCHMARK_CAPTURE(BM_EnvStep, acrobot, "acrobot");
BENCHMARK_CAPTURE(BM_EnvStep, pendulum, "pendulum");
BENCHMARK_CAPTURE(BM_EnvStep, double_pendulum, "double_pendulum");

}  // namespace

BENCHMARK_MAIN();
