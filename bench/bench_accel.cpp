// SPDX-License-Identifier: MIT
// Accelerator PE models: one PE's figures from the fitted models (pe_model.h) against the flow that
// produced them, yosys synthesis plus characterization (characterize.h), for the same INT8 PE. The
// ratio is the speed-up of model evaluation over synthesis per design point (QUIDAM reports 3-4
// orders of magnitude). The synthesis benchmark needs yosys on PATH (skipped otherwise).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "deepnvm/accel/pe_model.h"
#include "deepnvm/core/process.h"
#include "deepnvm/tech/technology.h"

namespace {

using namespace deepnvm;
using namespace deepnvm::accel;

const PeModels& models() {
  static const PeModels m =
      load_pe_models(std::filesystem::path(DEEPNVM_DATA_DIR) / "accel" / "pe_models_16nm_hp_350k.yaml");
  return m;
}

// The four figures of one PE from the fitted models (the model is found once, as a DSE would).
void BM_PredictPe(benchmark::State& state) {
  PeSpec pe = named_pe("int8");
  const PeModelFit& fit = models().find(pe);
  int act = 4;
  for (auto _ : state) {
    pe.act_bits = act;
    act = act == 16 ? 4 : act + 1;  // vary the design so nothing is hoisted
    benchmark::DoNotOptimize(predict(fit, pe));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PredictPe);

// yosys synthesis and characterization (the default 32 768-MAC stream) of the same PE.
void BM_SynthesizeAndCharacterizePe(benchmark::State& state) {
  if (find_program("yosys").empty()) {
    state.SkipWithError("yosys is not on PATH");
    return;
  }
  const PeSpec pe = named_pe("int8");
  const Technology t = find_technology(DEEPNVM_DATA_DIR, default_table_set(16e-9), 16e-9);
  const GateLibrary lib = gate_library(circuit::make_device_model(t, "hp", 350.0));
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("deepnvm-bench-accel-{}", getpid());
  for (auto _ : state) benchmark::DoNotOptimize(characterize(pe, synthesize_pe(pe, dir), lib));
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SynthesizeAndCharacterizePe)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
