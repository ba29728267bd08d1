// SPDX-License-Identifier: MIT
// The end-to-end traffic model (lowering -> stream -> L2 simulation, and curves) on small networks.
// Rates are L2Access records per second of wall time, generation included: the records generated
// (warm-up tail and measured iteration) per second of the whole model_traffic call.
//
// The whole ResNet-50 command of the issue is timed by scripts/bench-traffic; `--benchmark_filter=ResNet50`
// runs it here too (about 10-20 s per iteration on the 2-core machine).
#include <benchmark/benchmark.h>

#include "deepnvm/cachesim/traffic_model.h"
#include "deepnvm/workload/zoo.h"

namespace {

using namespace deepnvm;

const GpuSpec& gtx1080ti() {
  static const GpuSpec gpu = gpu_preset(DEEPNVM_DATA_DIR, "gtx1080ti");
  return gpu;
}

void run(benchmark::State& state, const Network& net, const TrafficOptions& options) {
  std::uint64_t records = 0;
  for (auto _ : state) {
    const TrafficResult r = model_traffic(net, gtx1080ti(), options);
    records += r.generated_accesses;
    benchmark::DoNotOptimize(r.traffic.kernels.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["records"] = static_cast<double>(records) / static_cast<double>(state.iterations());
}

TrafficOptions options(Mode mode, std::int64_t batch, std::optional<cachesim::MrcMethod> mrc, int threads) {
  TrafficOptions o;
  o.lowering.mode = mode;
  o.lowering.batch = batch;
  if (mrc) {
    cachesim::MrcOptions m;
    m.method = *mrc;
    o.mrc = m;
  }
  o.threads = threads;
  return o;
}

// arg: threads
void BM_Resnet18InferenceL2(benchmark::State& state) {
  run(state, resnet18(), options(Mode::inference, 8, std::nullopt, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Resnet18InferenceL2)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Resnet18InferenceSampledMrc(benchmark::State& state) {
  run(state, resnet18(), options(Mode::inference, 8, cachesim::MrcMethod::sampled, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Resnet18InferenceSampledMrc)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Resnet18InferenceExactMrc(benchmark::State& state) {
  run(state, resnet18(), options(Mode::inference, 8, cachesim::MrcMethod::exact, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Resnet18InferenceExactMrc)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SqueezenetTrainingSampledMrc(benchmark::State& state) {
  run(state, squeezenet1_1(), options(Mode::training, 4, cachesim::MrcMethod::sampled, 2));
}
BENCHMARK(BM_SqueezenetTrainingSampledMrc)->Unit(benchmark::kMillisecond)->UseRealTime();

// The command (without process start and JSON): ResNet-50 training, batch 32, sampled curve.
void BM_ResNet50TrainingSampledMrc(benchmark::State& state) {
  run(state, resnet50(), options(Mode::training, 32, cachesim::MrcMethod::sampled, 2));
}
BENCHMARK(BM_ResNet50TrainingSampledMrc)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

// The exact curve alone over a ResNet-50 training iteration (its accesses/s is the exact-MRC rate
// when the L2 simulation runs on the other thread).
void BM_ResNet50TrainingExactMrc(benchmark::State& state) {
  run(state, resnet50(), options(Mode::training, 32, cachesim::MrcMethod::exact, 2));
}
BENCHMARK(BM_ResNet50TrainingExactMrc)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
