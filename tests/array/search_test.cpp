// SPDX-License-Identifier: MIT
// The organisation search itself: it finds the exact optimum of the model over the space (checked
// against brute force on small spaces, in NVSim's loop order with NVSim's strict-better rule), and
// its result does not depend on the thread count.
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "deepnvm/array/evaluate.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/tech/technology.h"
#include "reference_data.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

NvsimConfig reference_config(const std::string& id) {
  const fs::path dir = testing::nvsim_reference_dir();
  NvsimConfig config = load_nvsim_config(dir / "inputs" / (id + ".cfg"));
  config.cell_file = dir / "cells" / config.cell_file_as_written;
  return config;
}

double target_value(const Bank& b, OptimizationTarget t) {
  switch (t) {
    case OptimizationTarget::read_latency:
      return b.read_latency;
    case OptimizationTarget::read_edp:
      return b.read_latency * b.read_energy;
    case OptimizationTarget::area:
      return b.area();
    case OptimizationTarget::leakage:
      return b.leakage;
    default:
      return b.read_latency;
  }
}

// Brute force over the subarray grid, activation and the three mux levels of a RAM whose bank grid,
// buffer style and wires are fixed: every candidate through evaluate_bank, in NVSim's order, keeping
// the first strictly better one.
struct BruteBest {
  BankSpec spec;
  double value = std::numeric_limits<double>::infinity();
  int valid = 0;
};

BruteBest brute_force(const NvsimConfig& c, OptimizationTarget target) {
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", c.process_node);
  const std::string flavour(device_flavour(c.device_roadmap));
  const circuit::DeviceModel device = circuit::make_device_model(tech, flavour, c.temperature, c.max_nmos_size);
  const ArrayCell cell =
      make_array_cell(load_nvsim_cell(c.cell_file)->characterize(CellContext{&tech, c.temperature, flavour}));
  auto wire = [&](const WireSetting& w) {
    circuit::WireSpec spec;
    spec.sense_voltage = cell.min_sense_voltage;
    return circuit::make_wire_model(device, tech.wire(wire_types()[static_cast<std::size_t>(*w.type)]), spec);
  };
  const circuit::WireModel local = wire(c.local_wire), global = wire(c.global_wire);
  BruteBest best;
  for (int sr = 1; sr <= 2; sr *= 2)
    for (int sc = 1; sc <= 2; sc *= 2)
      for (int asc = 1; asc <= sc; asc *= 2)
        for (int asr = 1; asr <= sr; asr *= 2)
          for (int m0 = 1; m0 <= 256; m0 *= 2)
            for (int m1 = 1; m1 <= 256; m1 *= 2)
              for (int m2 = 1; m2 <= 256; m2 *= 2) {
                BankSpec s;
                s.mat_rows = c.force_bank->rows;
                s.mat_columns = c.force_bank->columns;
                s.active_mat_rows = c.force_bank->active_rows;
                s.active_mat_columns = c.force_bank->active_columns;
                s.subarray_rows = sr;
                s.subarray_columns = sc;
                s.active_subarray_rows = asr;
                s.active_subarray_columns = asc;
                s.capacity_bits = static_cast<double>(c.capacity) * 8.0;
                s.block_bits = static_cast<std::int64_t>(c.word_width);
                if (s.block_bits / (s.active_mat_rows * s.active_mat_columns * asc * asr) == 0) continue;
                s.subarray.mux_sense_amp = m0;
                s.subarray.mux_output_lev1 = m1;
                s.subarray.mux_output_lev2 = m2;
                s.subarray.internal_sensing = c.internal_sensing;
                s.subarray.buffer_style = *c.buffer_design;
                s.subarray.local_wire_res_per_length = local.res_per_length;
                s.subarray.local_wire_cap_per_length = local.cap_per_length;
                const Bank b = evaluate_bank(device, cell, global, s);
                if (!b.valid) continue;
                ++best.valid;
                const double v = target_value(b, target);
                if (v < best.value) {
                  best.value = v;
                  best.spec = s;
                }
              }
  return best;
}

TEST(Search, FindsTheBruteForceOptimumOverSubarraysAndMuxes) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  for (const auto& [id, target] :
       {std::pair{"nvsim-A-001", OptimizationTarget::read_latency},
        std::pair{"nvsim-A-020", OptimizationTarget::read_edp}, std::pair{"nvsim-A-053", OptimizationTarget::area}}) {
    NvsimConfig c = reference_config(id);
    c.force_mat.reset();
    c.force_mux_sense_amp.reset();
    c.force_mux_output_lev1.reset();
    c.force_mux_output_lev2.reset();
    c.optimization_target = target;
    ASSERT_TRUE(c.force_bank && c.buffer_design && c.local_wire.type && c.global_wire.type) << id;
    const BruteBest brute = brute_force(c, target);
    ASSERT_GT(brute.valid, 1) << id;
    const ArrayResult r = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, 2);
    EXPECT_EQ(r.valid_candidates, static_cast<std::uint64_t>(brute.valid)) << id;
    EXPECT_EQ(target_value(r.data.bank, target), brute.value) << id;
    const BankSpec& s = r.data.spec;
    EXPECT_EQ(s.subarray_rows, brute.spec.subarray_rows) << id;
    EXPECT_EQ(s.subarray_columns, brute.spec.subarray_columns) << id;
    EXPECT_EQ(s.active_subarray_rows, brute.spec.active_subarray_rows) << id;
    EXPECT_EQ(s.active_subarray_columns, brute.spec.active_subarray_columns) << id;
    EXPECT_EQ(s.subarray.mux_sense_amp, brute.spec.subarray.mux_sense_amp) << id;
    EXPECT_EQ(s.subarray.mux_output_lev1, brute.spec.subarray.mux_output_lev1) << id;
    EXPECT_EQ(s.subarray.mux_output_lev2, brute.spec.subarray.mux_output_lev2) << id;
  }
}

TEST(Search, ResultDoesNotDependOnTheThreadCount) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  const NvsimConfig c = reference_config("nvsim-B-13");
  const auto one = to_json(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, 1)).dump();
  for (const unsigned threads : {2u, 3u, 8u})
    EXPECT_EQ(to_json(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, threads)).dump(), one) << threads << " threads";
}

// The batched search (evaluate_array_capacities) against one search per capacity: the whole result,
// JSON for JSON, for a cache (sequential, NVSim's reduced space), a cache with constraints (the second
// pass) and a RAM with its bank grid free (unforced: the grids differ per capacity).
TEST(Search, CapacitiesSearchedTogetherGiveEachSearchAlone) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  NvsimConfig cache = reference_config("nvsim-B-12");
  NvsimConfig constrained = cache;
  constrained.constraints.read_latency = 0.1;
  constrained.constraints.area = 0.5;
  NvsimConfig ram = reference_config("nvsim-A-020");
  ram.force_bank.reset();
  for (const NvsimConfig* c : {&cache, &constrained, &ram}) {
    const std::vector<std::uint64_t> capacities{c->capacity / 4, c->capacity, c->capacity / 2};
    ArrayOptions options;
    options.threads = 2;
    const std::vector<ArrayResult> together =
        evaluate_array_capacities(*c, capacities, *load_nvsim_cell(c->cell_file), DEEPNVM_DATA_DIR, options);
    ASSERT_EQ(together.size(), capacities.size());
    for (std::size_t i = 0; i < capacities.size(); ++i) {
      NvsimConfig alone = *c;
      alone.capacity = capacities[i];
      EXPECT_EQ(to_json(together[i]).dump(), to_json(evaluate_nvsim_config(alone, DEEPNVM_DATA_DIR, options)).dump())
          << c->cell_file << " at " << capacities[i] << " B";
    }
  }
}

}  // namespace
}  // namespace deepnvm
