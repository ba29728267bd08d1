// SPDX-License-Identifier: MIT
// PE synthesis and characterization: the yosys JSON reader and the bit-parallel evaluator on a
// hand-written netlist, the gate library's sizing, and (with yosys) synthesized PEs checked against
// the reference and costed. Without yosys on PATH the synthesis tests are skipped, except in CI
// (CI=true), where that is a failure.
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/accel/characterize.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/process.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::accel {
namespace {

// y = a XOR b from four NAND2s, and z = NOT(a NOR b) = a OR b: the shapes yosys writes.
std::string xor_json(const std::string& extra_cell = "") {
  return R"({"modules": {"x": {"ports": {
      "a": {"direction": "input", "bits": [2]}, "b": {"direction": "input", "bits": [3]},
      "y": {"direction": "output", "bits": [7]}, "z": {"direction": "output", "bits": [9]}},
    "cells": {
      "n4": {"type": "$_NAND_", "connections": {"A": [5], "B": [6], "Y": [7]}},
      "n1": {"type": "$_NAND_", "connections": {"A": [2], "B": [3], "Y": [4]}},
      "n2": {"type": "$_NAND_", "connections": {"A": [2], "B": [4], "Y": [5]}},
      "n3": {"type": "$_NAND_", "connections": {"A": [4], "B": [3], "Y": [6]}},
      "o1": {"type": "$_NOR_", "connections": {"A": [2], "B": [3], "Y": [8]}},
      "i1": {"type": "$_NOT_", "connections": {"A": [8], "Y": [9]}})" +
         extra_cell + "}}}}";
}

TEST(Netlist, ReadsYosysJsonInTopologicalOrderAndEvaluates) {
  const GateNetlist n = parse_yosys_json(xor_json(), "xor.json");
  EXPECT_EQ(n.module, "x");
  ASSERT_EQ(n.gates.size(), 6u);
  EXPECT_EQ(n.count(GateKind::nand2), 4u);
  EXPECT_EQ(n.count(GateKind::nor2), 1u);
  EXPECT_EQ(n.count(GateKind::inv), 1u);
  // Written out of order: n4 first. Evaluated in order, every lane is right.
  std::vector<std::uint64_t> v(n.nets, 0);
  v[n.inputs.at("a")[0]] = 0b0101;
  v[n.inputs.at("b")[0]] = 0b0011;
  evaluate(n, v);
  EXPECT_EQ(v[n.outputs.at("y")[0]] & 0xF, 0b0110u);
  EXPECT_EQ(v[n.outputs.at("z")[0]] & 0xF, 0b0111u);
}

TEST(Netlist, RejectsWhatIsNotACmosGateNetlist) {
  const auto error_of = [](const std::string& text) {
    try {
      parse_yosys_json(text, "bad.json");
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of(xor_json(R"(, "f": {"type": "$_DFF_P_", "connections": {"C": [2], "D": [3], "Q": [10]}})"))
                .find("$_DFF_P_"),
            std::string::npos);
  EXPECT_NE(
      error_of(xor_json(R"(, "d": {"type": "$_NOT_", "connections": {"A": [2], "Y": [7]}})")).find("driven twice"),
      std::string::npos);
  EXPECT_NE(error_of(xor_json(R"(, "u": {"type": "$_NOT_", "connections": {"A": [42], "Y": [43]}})"))
                .find("driven by nothing"),
            std::string::npos);
  const std::string loop = R"({"modules": {"l": {"ports": {"y": {"direction": "output", "bits": [2]}},
    "cells": {"a": {"type": "$_NOT_", "connections": {"A": [3], "Y": [2]}},
              "b": {"type": "$_NOT_", "connections": {"A": [2], "Y": [3]}}}}}})";
  EXPECT_NE(error_of(loop).find("combinational loop"), std::string::npos);
  EXPECT_NE(error_of("{}").find("not a yosys JSON netlist"), std::string::npos);
}

GateLibrary library_16nm() {
  const Technology t = find_technology(DEEPNVM_DATA_DIR, default_table_set(16e-9), 16e-9);
  return gate_library(circuit::make_device_model(t, "hp", 350.0));
}

TEST(GateLibrary, SizesTheSeriesNetworksForAnInverterDrive) {
  const GateLibrary lib = library_16nm();
  const LibraryGate &inv = lib[GateKind::inv], &nand = lib[GateKind::nand2], &nor = lib[GateKind::nor2];
  EXPECT_DOUBLE_EQ(nand.width_n, 2 * inv.width_n);  // two nMOS in series
  EXPECT_DOUBLE_EQ(nor.width_p, 2 * inv.width_p);   // two pMOS in series
  for (const LibraryGate* g : {&inv, &nand, &nor}) {
    EXPECT_GT(g->area, 0.0);
    EXPECT_GT(g->input_cap, 0.0);
    EXPECT_GT(g->leakage, 0.0);
    // The doubled series network brings the worst-case resistance back to about the inverter's.
    EXPECT_NEAR(g->resistance / inv.resistance, 1.0, 0.25);
  }
  EXPECT_GT(nand.area, inv.area);
  EXPECT_GT(nor.area, nand.area);  // its wide pMOS pair
  EXPECT_GT(lib.vdd, 0.0);
}

bool have_yosys() { return !find_program("yosys").empty(); }

#define REQUIRE_YOSYS()                                                                     \
  do {                                                                                      \
    if (!have_yosys()) {                                                                    \
      const char* ci = std::getenv("CI");                                                   \
      if (ci && std::string(ci) == "true") FAIL() << "yosys is not on PATH (install-deps)"; \
      GTEST_SKIP() << "yosys is not on PATH";                                               \
    }                                                                                       \
  } while (false)

std::filesystem::path work_dir(const std::string& name) {
  return std::filesystem::temp_directory_path() / fmt::format("deepnvm-synth-test-{}-{}", getpid(), name);
}

// Exhaustive over activation x weight code for narrow PEs, with accumulators at the edges.
void expect_netlist_equals_reference(const PeSpec& pe, const GateNetlist& n) {
  const int code_bits = weight_code_bits(pe);
  const std::int64_t acc_max = (std::int64_t{1} << (pe.acc_bits - 1)) - 1;
  std::vector<std::uint64_t> values(n.nets, 0);
  std::size_t checked = 0;
  for (const std::int64_t acc : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, acc_max, -acc_max - 1}) {
    std::vector<std::pair<std::int64_t, std::uint64_t>> lanes;
    for (std::int64_t a = -(std::int64_t{1} << (pe.act_bits - 1)); a < (std::int64_t{1} << (pe.act_bits - 1)); ++a)
      for (std::uint64_t c = 0; c < (std::uint64_t{1} << code_bits); ++c) lanes.push_back({a, c});
    for (std::size_t start = 0; start < lanes.size(); start += 64) {
      const std::size_t count = std::min<std::size_t>(64, lanes.size() - start);
      const auto set = [&](const std::vector<std::uint32_t>& nets, auto bits_of) {
        for (std::size_t b = 0; b < nets.size(); ++b) {
          std::uint64_t word = 0;
          for (std::size_t l = 0; l < count; ++l) word |= ((bits_of(lanes[start + l]) >> b) & 1u) << l;
          values[nets[b]] = word;
        }
      };
      set(n.inputs.at("act"), [](const auto& p) { return static_cast<std::uint64_t>(p.first); });
      set(n.inputs.at("wcode"), [](const auto& p) { return p.second; });
      set(n.inputs.at("acc_in"), [&](const auto&) { return static_cast<std::uint64_t>(acc); });
      evaluate(n, values);
      for (std::size_t l = 0; l < count; ++l) {
        std::uint64_t raw = 0;
        const auto& out = n.outputs.at("acc_out");
        for (std::size_t b = 0; b < out.size(); ++b) raw |= ((values[out[b]] >> l) & 1u) << b;
        const std::int64_t want = mac(pe, acc, lanes[start + l].first, lanes[start + l].second);
        const std::uint64_t mask = (std::uint64_t{1} << pe.acc_bits) - 1;
        ASSERT_EQ(raw, static_cast<std::uint64_t>(want) & mask)
            << pe_name(pe) << " acc " << acc << " act " << lanes[start + l].first << " code "
            << lanes[start + l].second;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0u);
}

TEST(Synthesis, NarrowPesAreBitExactAfterSynthesis) {
  REQUIRE_YOSYS();
  for (const char* name : {"int4", "light1", "light2"}) {
    PeSpec pe = named_pe(name);
    if (pe.kind != PeKind::int_mac) pe.act_bits = 6;  // exhaustive stays small
    const auto dir = work_dir(name);
    const GateNetlist n = synthesize_pe(pe, dir);
    std::filesystem::remove_all(dir);
    EXPECT_GT(n.gates.size(), 20u) << name;
    expect_netlist_equals_reference(pe, n);
  }
  PeSpec saturating = named_pe("int4");
  saturating.overflow = Overflow::saturate;
  saturating.acc_bits = 9;  // saturates often on the edge accumulators
  const auto dir = work_dir("int4sat");
  const GateNetlist n = synthesize_pe(saturating, dir);
  std::filesystem::remove_all(dir);
  expect_netlist_equals_reference(saturating, n);
}

TEST(Synthesis, CostsGrowWithTheMultiplierAndLightPesCostLess) {
  REQUIRE_YOSYS();
  const GateLibrary lib = library_16nm();
  std::map<std::string, PeFigures> f;
  for (const char* name : {"int8", "int4", "light1"}) {
    const PeSpec pe = named_pe(name);
    const auto dir = work_dir(name);
    const GateNetlist n = synthesize_pe(pe, dir);
    std::filesystem::remove_all(dir);
    OperandStream s;
    s.macs = 4096;
    f[name] = characterize(pe, n, lib, s);
    EXPECT_EQ(f[name].macs_checked, 4096u) << name;
    EXPECT_EQ(f[name].gates, f[name].inverters + f[name].nand2 + f[name].nor2) << name;
    EXPECT_GT(f[name].energy_per_mac, 0.0) << name;
    EXPECT_GT(f[name].critical_path, 0.0) << name;
  }
  // An n x n array multiplier grows as n^2: INT8 against INT4 (same 2^8-product accumulator headroom).
  EXPECT_GT(f["int8"].area, 2.0 * f["int4"].area);
  EXPECT_GT(f["int8"].energy_per_mac, 2.0 * f["int4"].energy_per_mac);
  // LightPE-1 replaces the 8 x 8 multiplier by a shifter of 8 positions.
  EXPECT_LT(f["light1"].area, f["int8"].area);
  EXPECT_LT(f["light1"].energy_per_mac, f["int8"].energy_per_mac);
}

TEST(Synthesis, AMissingYosysIsAnIoErrorNamingThePackage) {
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent", 1);
  try {
    synthesize_pe(named_pe("int4"), work_dir("nopath"));
    setenv("PATH", saved.c_str(), 1);
    FAIL() << "no error";
  } catch (const IoError& e) {
    setenv("PATH", saved.c_str(), 1);
    EXPECT_NE(std::string(e.what()).find("yosys"), std::string::npos);
  }
  std::filesystem::remove_all(work_dir("nopath"));
}

}  // namespace
}  // namespace deepnvm::accel
