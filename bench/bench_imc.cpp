// SPDX-License-Identifier: MIT
// Monte-Carlo evaluation of an MLP 784-256-10 on crossbars (imc layer): 10 000 test images per noise
// seed, read noise drawn per output and programming spread per cell. The goal is 10 000 images
// x 100 seeds in at most 60 s on the 2-core machine: BM_MlpMonteCarlo/2/100 measures exactly that
// (2 threads, 100 seeds); /1/10 is one thread on 10 seeds. Random weights and images: the cost does
// not depend on their values.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "deepnvm/imc/network.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::imc;

Network mlp() {
  GraphBuilder g("mlp", "bench");
  TensorId x = g.input("image", {784});
  Linear fc1;
  fc1.in_features = 784;
  fc1.out_features = 256;
  x = g.add("relu1", Activation{}, {g.add("fc1", fc1, {x})});
  Linear fc2;
  fc2.in_features = 256;
  fc2.out_features = 10;
  return std::move(g).finish({g.add("fc2", fc2, {x})});
}

WeightTensor random_tensor(std::vector<std::int64_t> shape, Rng& rng) {
  WeightTensor t;
  t.shape = std::move(shape);
  std::int64_t n = 1;
  for (auto d : t.shape) n *= d;
  std::normal_distribution<float> g(0.0f, 0.05f);
  for (std::int64_t i = 0; i < n; ++i) t.values.push_back(g(rng));
  return t;
}

void BM_MlpMonteCarlo(benchmark::State& state) {
  Rng rng(1);
  WeightFile w;
  w.network = "mlp";
  w.tensors["fc1.weight"] = random_tensor({256, 784}, rng);
  w.tensors["fc1.bias"] = random_tensor({256}, rng);
  w.tensors["fc2.weight"] = random_tensor({10, 256}, rng);
  w.tensors["fc2.bias"] = random_tensor({10}, rng);
  Dataset data;
  std::uniform_real_distribution<double> u(0, 1);
  data.images = Matrix::NullaryExpr(784, 10000, [&] { return u(rng); });
  data.labels.assign(10000, 0);
  ImcDevice d;
  d.g_min = 0.5e-6;
  d.g_max = 20e-6;
  d.read_voltage = 0.2;
  d.read_time = 10e-9;
  d.proportional = 0.05;
  d.programming = 0.05;
  AnalogOptions options;
  options.crossbar.adc.bits = 8;
  options.crossbar.single_precision = true;
  const AnalogNetwork net(mlp(), w, d, options, data.images.leftCols(256));
  const auto threads = static_cast<unsigned>(state.range(0));
  const auto seeds = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(monte_carlo(net, data, seeds, 1, threads));
  state.SetItemsProcessed(state.iterations() * seeds * 10000);
}
// Read-noise deviates, 1 812 at a time (one MLP image's partial sums): the batched Box–Muller
// generator the crossbars use against std::normal_distribution on std::mt19937_64, as before.
void BM_NormalDeviatesBatched(benchmark::State& state) {
  Rng rng(1);
  Eigen::ArrayXf z(1812);
  for (auto _ : state) {
    fill_normal(rng, z);
    benchmark::DoNotOptimize(z.data());
  }
  state.SetItemsProcessed(state.iterations() * z.size());
}
BENCHMARK(BM_NormalDeviatesBatched);

void BM_NormalDeviatesStd(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  std::vector<double> z(1812);
  for (auto _ : state) {
    for (double& v : z) v = normal(rng);
    benchmark::DoNotOptimize(z.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(z.size()));
}
BENCHMARK(BM_NormalDeviatesStd);

BENCHMARK(BM_MlpMonteCarlo)
    ->ArgNames({"threads", "seeds"})
    ->Args({1, 10})
    ->Args({2, 100})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
