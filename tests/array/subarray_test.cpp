// SPDX-License-Identifier: MIT
// NVSim's subarray (SubArray.cpp): line RC against the array-model note's worked values (§5), the
// per-subarray breakdown NVSim prints for forced reference organisations (SRAM, STT-MRAM, PCRAM,
// crossbar ReRAM), and the validity rules of note §1.6 that live in the subarray.
#include "deepnvm/array/subarray.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/circuit/predecode_block.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

fs::path cell_dir() { return fs::path(DEEPNVM_REFERENCE_DIR) / "nvsim" / "cells"; }

// One forced reference organisation: the subarray as NVSim printed it, and the mat around it
// (the mat's row predecoders set the input slope).
struct Case {
  const char* cell_file;
  double node;
  const char* flavour;
  std::int64_t rows, columns;
  int m_sa, m1, m2;
  int subarrays_per_mat_rows = 1, subarrays_per_mat_cols = 1;
};

struct Evaluated {
  SubArray subarray;
  SubArrayTiming timing;
};

class SubArrayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(cell_dir() / "SRAM.cell")) GTEST_SKIP() << "NVSim reference cells missing at " << cell_dir();
  }

  static Evaluated evaluate(const Case& c, SubArraySpec spec = {}, double temperature = 350.0,
                            const char* local_wire = "local_aggressive") {
    const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", c.node);
    const circuit::DeviceModel d = circuit::make_device_model(tech, c.flavour, temperature);
    const CellFigures figures =
        load_nvsim_cell(cell_dir() / c.cell_file)->characterize(CellContext{&tech, temperature});
    const Wire& wire = tech.wire(local_wire);
    spec.rows = c.rows;
    spec.columns = c.columns;
    spec.mux_sense_amp = c.m_sa;
    spec.mux_output_lev1 = c.m1;
    spec.mux_output_lev2 = c.m2;
    spec.local_wire_res_per_length = wire_resistance_per_length(wire, temperature);
    spec.local_wire_cap_per_length = wire_capacitance_per_length(wire);
    Evaluated e{size_subarray(d, spec, make_array_cell(figures)), {}};
    if (!e.subarray.valid) return e;
    // The mat's row predecoders (NVSim Mat.cpp; note §2.2), at the mat centre, fed with a step.
    const int bits = e.subarray.row_address_bits;
    const int block2 = bits > 3 ? bits / 2 : 0;
    const double load = spec.local_wire_cap_per_length * (e.subarray.height * c.subarrays_per_mat_rows / 2.0 +
                                                          e.subarray.width * c.subarrays_per_mat_cols / 2.0);
    double ramp = circuit::kInfinite;
    for (int block_bits : {bits - block2, block2}) {
      if (block_bits == 0) continue;
      const auto block = circuit::size_predecode_block(d, {block_bits, load, 0.0});
      ramp = std::min(ramp, circuit::predecode_block_delay(d, block, circuit::kStepRamp).ramp_out);
    }
    e.timing = subarray_delay(d, e.subarray, ramp);
    return e;
  }
};

// Relative agreement with a value NVSim printed.
#define EXPECT_REL(actual, expected, tol) EXPECT_NEAR((actual), (expected), std::fabs(expected) * (tol))

TEST_F(SubArrayTest, BitlineOf64SramRowsMatchesWorkedValues) {
  // Note §5: 22 nm HP, 350 K, SRAM.cell, 64 x 512 with m_SA = 32 (the 8 MB cache of nvsim-B-06).
  const Evaluated e = evaluate({"SRAM.cell", 22e-9, "hp", 64, 512, 32, 1, 1, 2, 2});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_REL(s.bitline_length, 20.56e-6, 0.002);
  EXPECT_REL(s.cell_access_cap, 0.0299e-15, 0.01);
  EXPECT_REL(s.bitline_cap, 5.76e-15 + 0.956e-15, 0.01);
  EXPECT_REL(s.bitline_res, 1638.0, 0.005);
  EXPECT_DOUBLE_EQ(s.precharge_voltage, 0.45);
  EXPECT_EQ(s.sense_amps, 16);
  // NVSim prints the subarray as height x width = 21.761 um x 117.745 um.
  EXPECT_REL(s.height, 21.761e-6, 0.01);
  EXPECT_REL(s.width, 117.745e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 256.528e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 137.274e-12, 0.01);
  EXPECT_REL(e.timing.sense_amp_latency, 2.656e-12, 0.01);
  EXPECT_REL(e.timing.mux_latency, 23.387e-12, 0.01);
  EXPECT_REL(e.timing.read_latency, 419.845e-12, 0.01);
  EXPECT_DOUBLE_EQ(e.timing.write_latency, e.timing.read_latency);  // quirk Q29
  EXPECT_REL(s.read_energy, 1.166e-12, 0.01);
  EXPECT_REL(s.write_energy, 0.254e-12, 0.01);
}

TEST_F(SubArrayTest, SramAt32nmLopMatchesNvsimA001) {
  const Evaluated e = evaluate({"SRAM.cell", 32e-9, "lop", 1024, 512, 4, 2, 1, 2, 2});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_REL(s.height, 480.837e-6, 0.01);
  EXPECT_REL(s.width, 169.626e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 363.989e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 1.215e-9, 0.01);
  EXPECT_REL(e.timing.sense_amp_latency, 3.563e-12, 0.01);
  EXPECT_REL(e.timing.mux_latency, 22.331e-12, 0.01);
  EXPECT_REL(e.timing.precharge_latency, 1.780e-9, 0.01);
  EXPECT_REL(e.timing.charge_latency, 2.213e-9, 0.01);
  EXPECT_REL(e.timing.read_latency, 1.605e-9, 0.01);
  EXPECT_REL(s.read_energy, 10.705e-12, 0.01);
  EXPECT_REL(s.write_energy, 1.529e-12, 0.01);
  EXPECT_REL(s.row_decoder_read_energy, 0.060e-12, 0.01);
  EXPECT_REL(s.mux_decoder_read_energy, 0.145e-12, 0.01);
  EXPECT_REL(s.sense_amp_read_energy, 0.057e-12, 0.01);
  EXPECT_REL(s.mux_read_energy, 0.057e-12, 0.01);
  EXPECT_REL(s.precharge_read_energy, 0.252e-12, 0.01);
  // Mat leakage 21.213 mW = 4 subarrays + predecoders; the subarrays dominate.
  EXPECT_GT(4.0 * s.leakage, 0.9 * 21.213e-3);
  EXPECT_LT(4.0 * s.leakage, 21.213e-3);
}

TEST_F(SubArrayTest, SttMramCurrentSensingMatchesNvsimA020) {
  // 22 nm HP, 128 x 128, no column muxing: the I-V converter constants dominate (quirk Q28).
  const Evaluated e = evaluate({"sample_STTRAM.cell", 22e-9, "hp", 128, 128, 1, 1, 1});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_FALSE(s.voltage_sense);
  EXPECT_REL(s.height, 127.197e-6, 0.01);
  EXPECT_REL(s.width, 38.467e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 84.096e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 3.422e-12, 0.01);
  EXPECT_REL(e.timing.sense_amp_latency, 1.454e-9, 0.01);
  EXPECT_DOUBLE_EQ(e.timing.mux_latency, 0.0);
  EXPECT_REL(e.timing.precharge_latency, 73.251e-12, 0.01);
  EXPECT_REL(e.timing.charge_latency, 3.692e-12, 0.01);
  EXPECT_REL(e.timing.read_latency, 1.541e-9, 0.01);
  EXPECT_REL(e.timing.write_latency, 10.084e-9, 0.01);
  EXPECT_DOUBLE_EQ(e.timing.write_pulse, 10e-9);
  EXPECT_REL(s.cell_read_energy, 11.164e-12, 0.01);  // "Bitline & Cell Read Energy"
  EXPECT_REL(s.bitline_write_energy, 128.918e-12, 0.01);
  EXPECT_REL(s.read_energy, 30.553e-12, 0.01);
  EXPECT_REL(s.write_energy, 128.996e-12, 0.01);
}

TEST_F(SubArrayTest, SttMramWithBitlineMuxMatchesNvsimA107) {
  const Evaluated e = evaluate({"sample_STTRAM.cell", 22e-9, "hp", 512, 512, 16, 1, 1, 2, 2});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_REL(s.height, 69.624e-6, 0.01);
  EXPECT_REL(s.width, 126.443e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 446.571e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 46.066e-12, 0.01);
  EXPECT_REL(e.timing.mux_latency, 4.245e-12, 0.01);
  EXPECT_REL(e.timing.charge_latency, 73.747e-12, 0.01);
  EXPECT_REL(e.timing.read_latency, 1.951e-9, 0.01);
  EXPECT_REL(e.timing.write_latency, 10.447e-9, 0.01);
  EXPECT_REL(s.cell_read_energy, 2.792e-12, 0.01);
  EXPECT_REL(s.bitline_write_energy, 32.917e-12, 0.01);
  EXPECT_REL(s.read_energy, 8.240e-12, 0.01);
  EXPECT_REL(s.write_energy, 33.248e-12, 0.01);
}

TEST_F(SubArrayTest, PcramSetAndResetMatchNvsimA053) {
  // 22 nm HP, 256 x 1024, m_SA = 2: voltage sensing with a read current; SET/RESET by current.
  const Evaluated e = evaluate({"sample_PCRAM.cell", 22e-9, "hp", 256, 1024, 2, 1, 1});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_TRUE(s.voltage_sense);
  EXPECT_REL(s.height, 20.152e-6, 0.01);
  EXPECT_REL(s.width, 92.429e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 184.428e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 74.111e-12, 0.01);
  EXPECT_REL(e.timing.sense_amp_latency, 3.189e-12, 0.01);
  EXPECT_REL(e.timing.mux_latency, 1.012e-12, 0.01);
  EXPECT_REL(e.timing.precharge_latency, 79.182e-12, 0.01);
  EXPECT_REL(e.timing.charge_latency, 6.269e-12, 0.01);
  EXPECT_REL(e.timing.read_latency, 478.795e-12, 0.01);
  EXPECT_REL(e.timing.reset_latency, 40.407e-9, 0.01);
  EXPECT_REL(e.timing.set_latency, 150.407e-9, 0.01);
  EXPECT_REL(s.cell_read_energy, 0.118e-12, 0.01);
  EXPECT_REL(s.cell_reset_energy, 27.668e-9, 0.01);
  EXPECT_REL(s.cell_set_energy, 51.860e-9, 0.01);
  EXPECT_REL(s.set_energy, 51.861e-9, 0.01);
  EXPECT_GT(s.reset_energy, s.set_energy);  // NVSim's RESET total carries the SET total
  EXPECT_REL(s.read_energy, 5.507e-12, 0.01);
  EXPECT_REL(s.row_decoder_read_energy, 0.061e-12, 0.01);
  EXPECT_REL(s.mux_decoder_read_energy, 0.442e-12, 0.01);
  EXPECT_REL(s.sense_amp_read_energy, 0.259e-12, 0.01);
  EXPECT_REL(s.mux_read_energy, 0.509e-12, 0.01);
  EXPECT_REL(s.precharge_read_energy, 0.394e-12, 0.01);
}

TEST_F(SubArrayTest, CrossbarReramMatchesNvsimA071) {
  // 22 nm HP, 256 x 128 with muxes 2/4/2, no access device: both pulses plus two charges.
  const Evaluated e = evaluate({"sample_RRAM.cell", 22e-9, "hp", 256, 128, 2, 4, 2});
  const SubArray& s = e.subarray;
  ASSERT_TRUE(s.valid) << s.invalid_reason;
  EXPECT_REL(s.height, 290.729e-6, 0.01);
  EXPECT_REL(s.width, 27.412e-6, 0.01);
  EXPECT_REL(e.timing.row_decoder_latency, 56.965e-12, 0.01);
  EXPECT_REL(e.timing.bitline_latency, 8.951e-12, 0.01);
  EXPECT_REL(e.timing.sense_amp_latency, 1.455e-9, 0.01);
  EXPECT_REL(e.timing.mux_latency, 11.230e-12, 0.01);
  EXPECT_REL(e.timing.precharge_latency, 218.987e-12, 0.01);
  EXPECT_REL(e.timing.charge_latency, 157.680e-12, 0.01);
  EXPECT_REL(e.timing.read_latency, 1.533e-9, 0.01);
  EXPECT_REL(e.timing.write_latency, 20.374e-9, 0.01);
  EXPECT_REL(s.cell_read_energy, 0.004e-12, 0.15);  // printed with one significant digit
  EXPECT_REL(s.read_energy, 9.884e-12, 0.01);
  EXPECT_REL(s.write_energy, 5.963e-12, 0.01);
}

TEST_F(SubArrayTest, CrossbarWithoutBitlineMuxIsInvalid) {
  // Rule 4 of note §1.6 (a reference negative case: crossbar with sense-amp mux 1).
  const Evaluated e = evaluate({"sample_RRAM.cell", 22e-9, "hp", 256, 128, 1, 4, 2});
  EXPECT_FALSE(e.subarray.valid);
  EXPECT_FALSE(e.subarray.invalid_reason.empty());
  EXPECT_EQ(e.subarray.height, circuit::kInfinite);
  SubArraySpec external;
  external.internal_sensing = false;
  EXPECT_TRUE(evaluate({"sample_RRAM.cell", 22e-9, "hp", 256, 128, 1, 4, 2}, external).subarray.valid);
}

TEST_F(SubArrayTest, BitlineLeakageLimitsMosAccessedRows) {
  // Rule 5: at 22 nm HP, 350 K, I_on/I_off = 1826, so 1024 rows pass and 2048 do not.
  EXPECT_TRUE(evaluate({"sample_STTRAM.cell", 22e-9, "hp", 1024, 128, 4, 1, 1}).subarray.valid);
  const Evaluated e = evaluate({"sample_STTRAM.cell", 22e-9, "hp", 2048, 128, 4, 1, 1});
  EXPECT_FALSE(e.subarray.valid);
  const SubArrayTiming t = subarray_delay(circuit::DeviceModel{}, e.subarray, circuit::kStepRamp);
  EXPECT_EQ(t.read_latency, circuit::kInfinite);
  // SRAM has no such limit.
  EXPECT_TRUE(evaluate({"SRAM.cell", 22e-9, "hp", 2048, 128, 4, 1, 1}).subarray.valid);
}

TEST_F(SubArrayTest, NonSequentialCacheNeedsAColumnPerWayAndSplitsWrites) {
  SubArraySpec cache;
  cache.cache_non_sequential = true;
  cache.associativity = 128;
  EXPECT_FALSE(evaluate({"SRAM.cell", 22e-9, "hp", 64, 64, 1, 1, 1}, cache).subarray.valid);
  cache.associativity = 8;
  const Evaluated split = evaluate({"sample_STTRAM.cell", 22e-9, "hp", 128, 128, 1, 1, 1}, cache);
  const Evaluated whole = evaluate({"sample_STTRAM.cell", 22e-9, "hp", 128, 128, 1, 1, 1});
  ASSERT_TRUE(split.subarray.valid);
  EXPECT_NEAR(split.subarray.cell_set_energy * 8.0, whole.subarray.cell_set_energy, 1e-18);
  EXPECT_LT(split.subarray.write_energy, whole.subarray.write_energy / 7.0);
  EXPECT_DOUBLE_EQ(split.subarray.read_energy, whole.subarray.read_energy);
}

TEST_F(SubArrayTest, SenseAmpPitchRuleRejectsNarrowColumns) {
  // Rule 7: one sense amp per m_SA columns must be wider than 2F; an STT cell is 10F wide, so
  // even m_SA = 1 passes, while a (hypothetical) 1.9F-wide cell needs m_SA >= 2.
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  const circuit::DeviceModel d = circuit::make_device_model(tech, "hp", 350.0);
  ArrayCell cell =
      make_array_cell(load_nvsim_cell(cell_dir() / "sample_STTRAM.cell")->characterize(CellContext{&tech, 350.0}));
  SubArraySpec spec;
  spec.rows = 128;
  spec.columns = 128;
  spec.local_wire_res_per_length = wire_resistance_per_length(tech.wire("local_aggressive"), 350.0);
  spec.local_wire_cap_per_length = wire_capacitance_per_length(tech.wire("local_aggressive"));
  EXPECT_TRUE(size_subarray(d, spec, cell).valid);
  cell.width_f = 1.9;
  cell.access_width_f = 1.0;
  EXPECT_FALSE(size_subarray(d, spec, cell).valid);
  spec.mux_sense_amp = 2;
  EXPECT_TRUE(size_subarray(d, spec, cell).valid);
}

// Every forced reference RAM at a table node (parts A grid/nonhtree/variant/sample): the subarray
// figures NVSim prints agree within 0.5 % (or NVSim's print resolution). One failure lists every miss.
TEST_F(SubArrayTest, AllForcedReferenceRamsAgreeWithNvsim) {
  const fs::path cases = fs::path(DEEPNVM_REFERENCE_DIR) / "nvsim" / "cases.jsonl";
  if (!fs::exists(cases)) GTEST_SKIP() << "no reference cases at " << cases;
  const std::map<std::string, std::string> wires{{"LocalAggressive", "local_aggressive"},
                                                 {"LocalConservative", "local_conservative"},
                                                 {"SemiAggressive", "semi_aggressive"},
                                                 {"SemiConservative", "semi_conservative"}};
  const std::map<std::string, BufferDesignStyle> styles{{"latency", BufferDesignStyle::latency},
                                                        {"balance", BufferDesignStyle::balance},
                                                        {"area", BufferDesignStyle::area}};
  std::ifstream in(cases);
  int compared = 0;
  std::string misses;
  for (std::string line; std::getline(in, line);) {
    const auto c = nlohmann::json::parse(line);
    if (c["part"] != "A" || c["status"] != "ok") continue;
    const auto& sum = c["inputs"]["summary"];
    const int node = sum["process_node_nm"];
    if (node != 22 && node != 32 && node != 45 && node != 65 && node != 90) continue;  // interpolated nodes
    const auto& o = c["organization"];
    const std::string cell = sum["cell_file"];
    std::string flavour = sum["device_roadmap"];
    for (auto& ch : flavour) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto sub = o["subarrays_per_mat"];
    const Case k{cell.c_str(),
                 node * 1e-9,
                 flavour.c_str(),
                 o["subarray_rows"].get<std::int64_t>(),
                 o["subarray_cols"].get<std::int64_t>(),
                 o["mux_senseamp"].get<int>(),
                 o["mux_output_lev1"].get<int>(),
                 o["mux_output_lev2"].get<int>(),
                 sub[0].get<int>(),
                 sub[1].get<int>()};
    SubArraySpec spec;
    spec.internal_sensing = sum["internal_sensing"] == "true";
    spec.buffer_style = styles.at(sum["buffer_design_optimization"].get<std::string>());
    const std::string wire = wires.at(sum["local_wire"][0].get<std::string>());
    const Evaluated e = evaluate(k, spec, sum["temperature_K"].get<double>(), wire.c_str());
    const std::string id = c["id"];
    if (!e.subarray.valid) {
      misses += fmt::format("{}: invalid ({})\n", id, e.subarray.invalid_reason);
      continue;
    }
    const auto& b = c["breakdown"];
    // NVSim prints 3 decimals of ps, pJ and um: allow 0.5 % or the print resolution.
    const auto check = [&](const char* what, double ours, const nlohmann::json& ref) {
      if (ref.is_null()) return;
      const double r = ref.get<double>();
      const double resolution =
          std::string_view(what).starts_with("subarray h") || std::string_view(what).starts_with("subarray w") ? 1e-9
                                                                                                               : 1e-15;
      if (std::fabs(ours - r) > std::max(0.005 * std::fabs(r), 0.6 * resolution))
        misses += fmt::format("{} {}: ours {:.5g}, NVSim {:.5g}\n", id, what, ours, r);
    };
    const auto& rl = b["read_latency"];
    check("subarray height", e.subarray.height, b["area"]["subarray_height_m"]);
    check("subarray width", e.subarray.width, b["area"]["subarray_width_m"]);
    check("row decoder", e.timing.row_decoder_latency, rl["row_decoder_s"]);
    check("bitline", e.timing.bitline_latency, rl["bitline_s"]);
    if (spec.internal_sensing) check("sense amp", e.timing.sense_amp_latency, rl["senseamp_s"]);
    check("mux", e.timing.mux_latency, rl["mux_s"]);
    check("precharge", e.timing.precharge_latency, rl["precharge_s"]);
    check("subarray read latency", e.timing.read_latency, rl["subarray_s"]);
    check("subarray read energy", e.subarray.read_energy, b["read_dynamic_energy"]["subarray_per_active_subarray_J"]);
    if (b.contains("write_dynamic_energy"))
      check("subarray write energy", e.subarray.write_energy,
            b["write_dynamic_energy"]["subarray_per_active_subarray_J"]);
    ++compared;
  }
  EXPECT_GT(compared, 90);
  EXPECT_TRUE(misses.empty()) << misses;
}

}  // namespace
}  // namespace deepnvm
