// SPDX-License-Identifier: MIT
// Accelerator PE models: one PE's figures from the fitted models (pe_model.h) against the flow that
// produced them, yosys synthesis plus characterization (characterize.h), for the same INT8 PE. The
// ratio is the speed-up of model evaluation over synthesis per design point (QUIDAM reports 3-4
// orders of magnitude). The synthesis benchmark needs yosys on PATH (skipped otherwise).
// BM_DsePoints: design points per second of `deepnvm accel dse` on the shipped sweep (one thread, a
// warm component tables); BM_DseBufferTable: building those tables from an empty cache (read-port
// syntheses and array searches).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "deepnvm/accel/dse.h"
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

const std::filesystem::path kSweep = std::filesystem::path(DEEPNVM_DATA_DIR) / "accel" / "dse_quidam.yaml";

// The buffer table of the sweep from an empty cache: every (cell, capacity), one search per cell.
void BM_DseBufferTable(benchmark::State& state) {
  const DseSpec spec = load_dse_spec(kSweep, DEEPNVM_DATA_DIR);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("deepnvm-bench-dse-{}", getpid());
  DseOptions options;
  options.data_dir = DEEPNVM_DATA_DIR;
  options.threads = 1;
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    options.cache = study::ResultCache(dir);
    benchmark::DoNotOptimize(prepare_dse(spec, kSweep, options));
  }
  std::filesystem::remove_all(dir);
  state.counters["buffers"] = static_cast<double>(spec.sweep.glb.size() * spec.sweep.glb_cell.size());
}
BENCHMARK(BM_DseBufferTable)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

// Every design point of the sweep (configurations x networks), with the buffer table built.
void BM_DsePoints(benchmark::State& state) {
  const DseSpec spec = load_dse_spec(kSweep, DEEPNVM_DATA_DIR);
  DseOptions options;
  options.data_dir = DEEPNVM_DATA_DIR;
  const DseContext context = prepare_dse(spec, kSweep, options);  // no cache: built once, before timing
  std::size_t points = 0;
  for (auto _ : state) {
    const DseResult r = run_dse(spec, context);
    points += r.points.size();
    benchmark::DoNotOptimize(r.points.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(points));
}
BENCHMARK(BM_DsePoints)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
