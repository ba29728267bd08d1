// SPDX-License-Identifier: MIT
// Array model speed: one subarray, one bank, a forced RAM (reference nvsim-A-001) and a full cache
// search (reference nvsim-B-12). The two reference benchmarks need shared/reference (CMake variable
// DEEPNVM_REFERENCE_DIR); without it they are not registered and a note goes to stderr. The
// micro-benchmarks need only data/ (an inline NVSim SRAM.cell). scripts/bench-array times the CLI
// against NVSim's recorded wall time instead.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "deepnvm/array/bank.h"
#include "deepnvm/array/evaluate.h"
#include "deepnvm/array/subarray.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/circuit/wire.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"

namespace {

namespace fs = std::filesystem;

// NVSim's SRAM.cell (shared/reference/nvsim/cells/SRAM.cell, comments dropped).
constexpr const char* kSramCell =
    "-MemCellType: SRAM\n-CellArea (F^2): 146\n-CellAspectRatio: 1.46\n-ReadMode: voltage\n"
    "-AccessType: CMOS\n-AccessCMOSWidth (F): 1.31\n-SRAMCellNMOSWidth (F): 2.08\n-SRAMCellPMOSWidth (F): 1.23\n";

// 22 nm HP at 350 K with NVSim's SRAM cell and local-aggressive / global-aggressive unrepeated
// wires: the setting of the note's worked example (array-model note §5, reference nvsim-B-06).
struct Setup {
  deepnvm::Technology tech = deepnvm::find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  deepnvm::circuit::DeviceModel device = deepnvm::circuit::make_device_model(tech, "hp", 350.0);
  deepnvm::ArrayCell cell = deepnvm::make_array_cell(
      deepnvm::read_nvsim_cell(kSramCell, "SRAM.cell")->characterize(deepnvm::CellContext{&tech, 350.0, "hp"}));
  deepnvm::circuit::WireModel global =
      deepnvm::circuit::make_wire_model(device, tech.wire("global_aggressive"), deepnvm::circuit::WireSpec{});

  deepnvm::SubArraySpec subarray_spec() const {
    deepnvm::SubArraySpec s;
    s.local_wire_res_per_length = deepnvm::wire_resistance_per_length(tech.wire("local_aggressive"), 350.0);
    s.local_wire_cap_per_length = deepnvm::wire_capacitance_per_length(tech.wire("local_aggressive"));
    return s;
  }
};

const Setup& setup() {
  static const Setup s;  // built once; read-only afterwards
  return s;
}

// The data subarray NVSim picks for the 8 MB SRAM L3 (note §5): 64 rows x 512 columns, m_SA = 32.
void BM_SizeSubarray(benchmark::State& state) {
  const Setup& s = setup();
  deepnvm::SubArraySpec spec = s.subarray_spec();
  spec.rows = 64;
  spec.columns = 512;
  spec.mux_sense_amp = 32;
  for (auto _ : state) benchmark::DoNotOptimize(deepnvm::size_subarray(s.device, spec, s.cell));
}
BENCHMARK(BM_SizeSubarray)->Unit(benchmark::kMicrosecond);

// Sizing plus the slope-dependent delay, as the bank evaluates a subarray.
void BM_SubarrayDelay(benchmark::State& state) {
  const Setup& s = setup();
  deepnvm::SubArraySpec spec = s.subarray_spec();
  spec.rows = 64;
  spec.columns = 512;
  spec.mux_sense_amp = 32;
  const deepnvm::SubArray sub = deepnvm::size_subarray(s.device, spec, s.cell);
  for (auto _ : state) benchmark::DoNotOptimize(deepnvm::subarray_delay(s.device, sub, 1e20));
}
BENCHMARK(BM_SubarrayDelay)->Unit(benchmark::kMicrosecond);

// One whole organisation of that cache's data array: 64 x 8 mats (1 x 8 active), 2 x 2 subarrays.
void BM_EvaluateBank(benchmark::State& state) {
  const Setup& s = setup();
  deepnvm::BankSpec spec;
  spec.mat_rows = 64;
  spec.mat_columns = 8;
  spec.active_mat_rows = 1;
  spec.active_mat_columns = 8;
  spec.subarray_rows = spec.subarray_columns = 2;
  spec.active_subarray_rows = spec.active_subarray_columns = 2;
  spec.capacity_bits = 8.0 * 1024 * 1024 * 8;
  spec.block_bits = 512;
  spec.subarray = s.subarray_spec();
  spec.subarray.mux_sense_amp = 32;
  if (!deepnvm::evaluate_bank(s.device, s.cell, s.global, spec).valid) {
    state.SkipWithError("the benchmark's bank organisation is invalid");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(deepnvm::evaluate_bank(s.device, s.cell, s.global, spec));
}
BENCHMARK(BM_EvaluateBank)->Unit(benchmark::kMicrosecond);

fs::path reference_dir() { return fs::path(DEEPNVM_REFERENCE_DIR) / "nvsim"; }

// A reference case's configuration with its cell taken from the reference cells folder.
deepnvm::NvsimConfig reference_config(const std::string& id) {
  deepnvm::NvsimConfig config = deepnvm::load_nvsim_config(reference_dir() / "inputs" / (id + ".cfg"));
  config.cell_file = reference_dir() / "cells" / config.cell_file_as_written;
  return config;
}

// The whole run of one reference case: technology and cell loading plus the (forced or full) search,
// on `threads` search threads (0: one per hardware thread).
void BM_EvaluateNvsimConfig(benchmark::State& state, const std::string& id, unsigned threads) {
  const deepnvm::NvsimConfig config = reference_config(id);
  std::uint64_t candidates = 0;
  for (auto _ : state) {
    const deepnvm::ArrayResult r = deepnvm::evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, threads);
    candidates = r.candidates;
    benchmark::DoNotOptimize(r.figures.read_latency);
  }
  state.counters["candidates"] = static_cast<double>(candidates);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(candidates));
}

// A capacity sweep of nvsim-B-12's cache over NVSim's full space (UseCactiAssumption off: the
// space the study searches), 512 KB to 8 MB, on one thread: one search per capacity, or all of them
// together (evaluate_array_capacities, each distinct mat sized once). The ratio is the point.
void BM_CapacitySweep(benchmark::State& state, bool together) {
  deepnvm::NvsimConfig config = reference_config("nvsim-B-12");
  config.use_cacti_assumption = false;
  const std::vector<std::uint64_t> capacities{512u << 10, 1u << 20, 2u << 20, 4u << 20, 8u << 20};
  const auto cell = deepnvm::load_nvsim_cell(config.cell_file);
  deepnvm::ArrayOptions options;
  options.threads = 1;
  std::uint64_t candidates = 0;
  for (auto _ : state) {
    candidates = 0;
    if (together) {
      for (const auto& r : deepnvm::evaluate_array_capacities(config, capacities, *cell, DEEPNVM_DATA_DIR, options))
        candidates += r.candidates;
    } else {
      for (const std::uint64_t c : capacities) {
        config.capacity = c;
        candidates += deepnvm::evaluate_array(config, *cell, DEEPNVM_DATA_DIR, options).candidates;
      }
    }
  }
  state.counters["candidates"] = static_cast<double>(candidates);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(candidates));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (fs::exists(reference_dir() / "inputs" / "nvsim-A-001.cfg")) {
    // Forced 256 KB SRAM RAM at 32 nm LOP: one candidate, so loading dominates.
    benchmark::RegisterBenchmark("BM_EvaluateNvsimConfig/nvsim-A-001", BM_EvaluateNvsimConfig,
                                 std::string("nvsim-A-001"), 1u)
        ->Unit(benchmark::kMillisecond);
    // 8 MB 16-way STT-MRAM L3 at 22 nm, sequential, ReadEDP: tag and data searches (3.7 M candidates),
    // on one thread (as NVSim) and on every hardware thread. Wall time is what counts here.
    for (const unsigned threads : {1u, 0u})
      benchmark::RegisterBenchmark(threads == 1 ? "BM_EvaluateNvsimConfig/nvsim-B-12/threads:1"
                                                : "BM_EvaluateNvsimConfig/nvsim-B-12/threads:all",
                                   BM_EvaluateNvsimConfig, std::string("nvsim-B-12"), threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(3);
    for (const bool together : {false, true})
      benchmark::RegisterBenchmark(together ? "BM_CapacitySweep/together" : "BM_CapacitySweep/one_by_one",
                                   BM_CapacitySweep, together)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(1)
          ->Repetitions(3);
  } else {
    std::fprintf(stderr, "bench_array: reference data not found at %s; skipping the nvsim-A-001 and nvsim-B-12 runs\n",
                 reference_dir().string().c_str());
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
