// SPDX-License-Identifier: MIT
// Input handling speed: quantity parsing and strict loading of a technology file.
#include <benchmark/benchmark.h>

#include "deepnvm/core/quantity.h"
#include "deepnvm/tech/technology.h"

namespace {

void BM_ParseQuantity(benchmark::State& state) {
  const char* inputs[] = {"8 MiB", "2816 KiB", "22 nm", "0.5 ns", "5 Ohm*um^2", "1e6 A/cm^2", "397.3 cm^2/V/s"};
  for (auto _ : state)
    for (const char* text : inputs) benchmark::DoNotOptimize(deepnvm::parse_quantity(text));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(std::size(inputs)));
}
BENCHMARK(BM_ParseQuantity);

void BM_LoadTechnologyFile(benchmark::State& state) {
  const std::string path = std::string(DEEPNVM_DATA_DIR) + "/tech/nvsim/22nm.yaml";
  for (auto _ : state) benchmark::DoNotOptimize(deepnvm::load_technology(path));
}
BENCHMARK(BM_LoadTechnologyFile)->Unit(benchmark::kMicrosecond);

}  // namespace
