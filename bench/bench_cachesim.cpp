// SPDX-License-Identifier: MIT
// Cache simulation speed on a synthetic GEMM-like L2 stream (4096 x 4096 x 2048 fp16, 128 x 128 CTA tiles,
// k-steps of 32, waves of 56 CTAs; 12.8 million accesses, 34.6 million sector lookups, 64 MiB footprint):
// the set-associative simulator (GTX 1080 Ti L2 shape) and the exact and sampled miss-ratio curves.
// Reported as accesses/s and sector lookups/s. Goals (issue 05): simulator >= 1e8 sector lookups/s,
// exact curve >= 5e7 accesses/s.
#include <numeric>

#include <benchmark/benchmark.h>

#include "deepnvm/cachesim/cache.h"
#include "deepnvm/cachesim/mrc.h"
#include "streams.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::cachesim;

const std::vector<L2Access>& gemm() {
  static const std::vector<L2Access> stream = test::gemm_stream(4096, 4096, 2048, 128, 128, 32, 56);  // read-only after
  return stream;
}

void report(benchmark::State& state, const std::vector<L2Access>& stream) {
  const auto sectors = std::accumulate(
      stream.begin(), stream.end(), std::int64_t{0},
      [](std::int64_t n, const L2Access& a) { return n + std::popcount(static_cast<unsigned>(a.sectors)); });
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["accesses_per_s"] =
      benchmark::Counter(iterations * static_cast<double>(stream.size()), benchmark::Counter::kIsRate);
  state.counters["sectors_per_s"] =
      benchmark::Counter(iterations * static_cast<double>(sectors), benchmark::Counter::kIsRate);
  state.counters["accesses"] = static_cast<double>(stream.size());
}

void BM_SimulatorGtx1080Ti(benchmark::State& state) {
  const auto& stream = gemm();
  const auto policy = static_cast<ReplacementPolicy>(state.range(0));
  for (auto _ : state) {
    SectoredCache cache(CacheSpec{
        .capacity = 2816 * 1024, .ways = 16, .slices = 22, .policy = policy, .indexing = SetIndexing::hash, .seed = 0});
    cache.consume(stream);
    benchmark::DoNotOptimize(cache.counters().l2_read_hits);
  }
  state.SetLabel(std::string(to_string(policy)));
  report(state, stream);
}
BENCHMARK(BM_SimulatorGtx1080Ti)
    ->Arg(static_cast<int>(ReplacementPolicy::lru))
    ->Arg(static_cast<int>(ReplacementPolicy::srrip))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_SimulatorLarge(benchmark::State& state) {  // 64 MiB, 16 ways: bigger than the last-level CPU cache
  const auto& stream = gemm();
  for (auto _ : state) {
    SectoredCache cache(CacheSpec{.capacity = 64 << 20, .ways = 16, .slices = 1, .indexing = SetIndexing::hash});
    cache.consume(stream);
    benchmark::DoNotOptimize(cache.counters().l2_read_hits);
  }
  report(state, stream);
}
BENCHMARK(BM_SimulatorLarge)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Mrc(benchmark::State& state) {
  const auto& stream = gemm();
  MrcOptions options;
  options.method = state.range(0) == 0 ? MrcMethod::exact : MrcMethod::sampled;
  if (state.range(0) > 0) options.sampling_rate = 1.0 / static_cast<double>(state.range(0));
  for (auto _ : state) {
    MrcBuilder builder(options);
    builder.consume(stream);
    benchmark::DoNotOptimize(builder.finish().error_bound());
  }
  state.SetLabel(state.range(0) == 0 ? "exact" : "sampled 1/" + std::to_string(state.range(0)));
  report(state, stream);
}
BENCHMARK(BM_Mrc)->Arg(0)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
