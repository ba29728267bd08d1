// SPDX-License-Identifier: MIT
// The CACTI-like circuit model (circuit::CircuitModel::cacti): CACTI's leakage state model by hand,
// the NVSim model left untouched, and the seven CACTI 7 reference caches (shared/reference/cacti,
// part C) evaluated with CACTI's tables, wires and organisation family, side by side with CACTI's
// access time, read energy, leakage and data + tag area.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/array/cacti_mode.h"
#include "deepnvm/array/cacti_uca.h"
#include "deepnvm/circuit/device.h"
#include "deepnvm/tech/technology.h"
#include "reference_data.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;
using circuit::CircuitModel;
using circuit::Gate;
using nlohmann::json;

circuit::DeviceModel cacti_22nm_hp(CircuitModel model) {
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "cacti", 22e-9);
  return circuit::make_device_model(tech, "hp", 350.0, 100.0, model);
}

TEST(CactiModel, NamesRoundTrip) {
  EXPECT_EQ(circuit::parse_circuit_model("cacti"), CircuitModel::cacti);
  EXPECT_EQ(circuit::parse_circuit_model("nvsim"), CircuitModel::nvsim);
  EXPECT_FALSE(circuit::parse_circuit_model("CACTI").has_value());
  EXPECT_EQ(circuit::circuit_model_name(CircuitModel::cacti), "cacti");
}

TEST(CactiModel, DeviceKeepsCactiStoredValues) {
  const circuit::DeviceModel d = cacti_22nm_hp(CircuitModel::cacti);
  EXPECT_EQ(d.model, CircuitModel::cacti);
  EXPECT_DOUBLE_EQ(d.vdd, 0.8);
  EXPECT_NEAR(d.off_current_n, 0.2152, 1e-9);     // 2.152e-7 A/um at 350 K
  EXPECT_NEAR(d.gate_leakage_n, 1.81e-3, 1e-12);  // 1.81e-9 A/um
  EXPECT_NEAR(d.vdsat_n, 0.0233, 1e-12);
  EXPECT_DOUBLE_EQ(d.cap_junction, 0.0);
  EXPECT_NEAR(d.cap_sidewall, 2.5e-10, 1e-20);  // 2.5e-16 F/um
  // The NVSim model of the same table derives them instead and has no gate leakage.
  const circuit::DeviceModel n = cacti_22nm_hp(CircuitModel::nvsim);
  EXPECT_EQ(n.gate_leakage_n, 0.0);
  EXPECT_GT(n.cap_junction, 0.0);
}

// CACTI basic_circuit.cc cmos_Isub_leakage / cmos_Ig_leakage, worked by hand at 22 nm HP, 350 K:
// I_off = 0.2152 A/m, I_g = 1.81e-3 A/m.
TEST(CactiModel, GateLeakageAveragesStates) {
  const circuit::DeviceModel d = cacti_22nm_hp(CircuitModel::cacti);
  const double ioff = 0.2152, ig = 1.81e-3, wn = 1e-6, wp = 2e-6;
  // INV: (I_n + I_p) / 2 for both subthreshold and gate leakage.
  EXPECT_NEAR(circuit::gate_leakage(d, Gate::inv, 1, wn, wp), (ioff + ig) * (wn + wp) / 2.0, 1e-15);
  // NAND2: sub = (2 I_p + I_n (C(2,1) + 0.43 C(2,2))) / 4;
  // gate = (I_gp (1 C(2,1) + 2 C(2,2)) + 2 I_gn + I_gn C(2,1) 1 / 2) / 4.
  const double nand_sub = (2.0 * wp * ioff + wn * ioff * (2.0 + 0.43)) / 4.0;
  const double nand_ig = (wp * ig * (2.0 + 2.0) + 2.0 * wn * ig + wn * ig * 2.0 / 2.0) / 4.0;
  EXPECT_NEAR(circuit::gate_leakage(d, Gate::nand, 2, wn, wp), nand_sub + nand_ig, 1e-15);
  // NOR3: sub = (I_p (3 + 0.43 * 3 + 0.43^2) + 3 I_n) / 8.
  const double nor_sub = (wp * ioff * (3.0 + 0.43 * 3.0 + 0.43 * 0.43) + 3.0 * wn * ioff) / 8.0;
  const double nor_ig = (3.0 * wp * ig + wp * ig * (3.0 * 1 + 3.0 * 2) / 2.0 + wn * ig * (3.0 + 6.0 + 3.0)) / 8.0;
  EXPECT_NEAR(circuit::gate_leakage(d, Gate::nor, 3, wn, wp), nor_sub + nor_ig, 1e-15);
  // The NVSim model of the same device: worst-state inverter, no gate leakage.
  const circuit::DeviceModel n = cacti_22nm_hp(CircuitModel::nvsim);
  EXPECT_NEAR(circuit::gate_leakage(n, Gate::inv, 1, wn, wp), ioff * wp, 1e-15);
}

// The SRAM cell of note §4.2: (W_n + W_p + W_a / 2) I_off Vdd plus the inverters' gate leakage,
// 1.50e-8 W per cell at 22 nm HP (146 F^2 cell, W_a/W_p/W_n = 1.31/1.23/2.08 F).
TEST(CactiModel, SramCellLeakageMatchesNote) {
  const circuit::DeviceModel d = cacti_22nm_hp(CircuitModel::cacti);
  const double F = 22e-9;
  const double inv = circuit::gate_leakage(d, Gate::inv, 1, 2.08 * F, 1.23 * F);
  const double port = circuit::gate_leakage(d, Gate::inv, 1, 1.31 * F, 0.0);
  const double cell = (2.0 * inv + port) * d.vdd;
  EXPECT_NEAR(cell, 1.50e-8, 0.02e-8);
}

// ---------------------------------------------------------------------------------------------

// CACTI's own objective keys of a reference run ("design objective", "deviate", "Optimize ED").
CactiObjective objective_of(const json& cfg) {
  auto numbers = [](std::string text) {
    std::array<double, 5> v{};
    std::size_t i = 0;
    for (std::size_t start = 0; i < 5; ++i) {
      const std::size_t end = text.find(':', start);
      v[i] = std::stod(text.substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return v;
  };
  CactiObjective o;
  o.weight = numbers(cfg["design objective (weight delay, dynamic power, leakage power, cycle time, area)"]);
  o.deviation = numbers(cfg["deviate (delay, dynamic power, leakage power, cycle time, area)"]);
  const std::string ed = cfg["Optimize ED or ED^2 (ED, ED^2, NONE):"];
  o.ed = ed == "\"ED\"" ? 1 : ed == "\"ED^2\"" ? 2 : 0;
  return o;
}

// The reference runs' objectives are those cacti_objective_for maps from the NVSim targets.
TEST(CactiModel, ObjectiveMapping) {
  const CactiObjective edp = cacti_objective_for(OptimizationTarget::read_edp);
  EXPECT_EQ(edp.ed, 1);
  EXPECT_EQ(edp.weight, (std::array<double, 5>{100, 100, 0, 0, 0}));
  const CactiObjective area = cacti_objective_for(OptimizationTarget::area);
  EXPECT_EQ(area.ed, 0);
  EXPECT_EQ(area.weight, (std::array<double, 5>{0, 0, 0, 0, 100}));
  EXPECT_EQ(cacti_objective_for(OptimizationTarget::read_latency).weight, (std::array<double, 5>{100, 0, 0, 0, 0}));
}

// CACTI Ucache.cc by hand: three candidates (access, dynamic, leakage, cycle, area).
TEST(CactiModel, ObjectiveChoosesAsCacti) {
  const std::vector<CactiFigures> c{{1.0, 4.0, 1.0, 1.0, 3.0}, {2.0, 1.0, 1.0, 1.0, 1.0}, {1.5, 2.0, 1.0, 1.0, 2.0}};
  CactiObjective o;
  o.ed = 1;  // costs 4, 2, 3
  EXPECT_EQ(cacti_pick(c, o), 1u);
  o.ed = 2;  // costs 4, 4, 4.5: first best
  EXPECT_EQ(cacti_pick(c, o), 0u);
  o.ed = 0;
  o.weight = {100, 0, 0, 0, 0};
  EXPECT_EQ(cacti_pick(c, o), 0u);
  o.weight = {0, 0, 0, 0, 100};
  EXPECT_EQ(cacti_pick(c, o), 1u);
  o.deviation = {60, 1e5, 1e5, 1e5, 1e5};  // candidate 1 is 100 % slower than the fastest
  EXPECT_EQ(cacti_pick(c, o), 2u);
  // filter_tag_arr: weights and deviations even when ED is set.
  o.ed = 1;
  EXPECT_EQ(cacti_pick_tag(c, o), 2u);
  // filter_data_arr drops only what is > 50 % above the minimum in both delay and energy.
  const CactiFigures min = cacti_minima(c);
  EXPECT_TRUE(cacti_keep_data(c[0], min));
  EXPECT_TRUE(cacti_keep_data({1.6, 1.6, 0, 0, 0}, {1.0, 1.0, 0, 0, 0}) == false);
}

fs::path cacti_reference_dir() { return fs::path(DEEPNVM_REFERENCE_DIR) / "cacti"; }

struct Errors {
  std::string id;
  double access = 0.0, energy = 0.0, leakage = 0.0, area = 0.0;  // ours / CACTI - 1
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

TEST(CactiModel, ReferenceCaches) {
  if (!fs::exists(cacti_reference_dir() / "cases.jsonl")) GTEST_SKIP() << "no CACTI reference data";
  std::vector<Errors> rows;
  std::ifstream in(cacti_reference_dir() / "cases.jsonl");
  std::string report =
      "| case | NVSim pair | access ours/CACTI (ns) | err | read E (nJ) | err | leakage (W) | err | "
      "data+tag area (mm^2) | err |\n|---|---|---|---|---|---|---|---|---|---|\n";
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json c = json::parse(line);
    const std::string pair = c["matches_nvsim_case"].get<std::string>();
    const fs::path nv = testing::nvsim_reference_dir();
    NvsimConfig config = load_nvsim_config(nv / "inputs" / (pair + ".cfg"));
    config.cell_file = nv / "cells" / config.cell_file_as_written;
    ArrayOptions options;
    options.model = CircuitModel::cacti;
    options.cacti_objective = objective_of(c["inputs"]["cfg"]);
    const ArrayResult r = evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, options);
    EXPECT_EQ(r.model, CircuitModel::cacti);
    EXPECT_EQ(r.node_source, "cacti");
    const json& ref = c["results"];
    const double ref_area = ref["data_area_m2"].get<double>() + ref["tag_area_m2"].get<double>();
    Errors e{c["id"].get<std::string>(), r.figures.hit_latency / ref["access_time_s"].get<double>() - 1.0,
             r.figures.hit_energy / ref["read_dynamic_energy_J"].get<double>() - 1.0,
             r.figures.leakage / ref["leakage_power_W"].get<double>() - 1.0, r.figures.area / ref_area - 1.0};
    report += fmt::format(
        "| {} | {} | {:.3f} / {:.3f} | {:+.1f} % | {:.3f} / {:.3f} | {:+.1f} % | {:.3f} / {:.3f} | "
        "{:+.1f} % | {:.3f} / {:.3f} | {:+.1f} % |\n",
        e.id, pair, r.figures.hit_latency * 1e9, ref["access_time_s"].get<double>() * 1e9, 100 * e.access,
        r.figures.hit_energy * 1e9, ref["read_dynamic_energy_J"].get<double>() * 1e9, 100 * e.energy, r.figures.leakage,
        ref["leakage_power_W"].get<double>(), 100 * e.leakage, r.figures.area * 1e6, ref_area * 1e6, 100 * e.area);
    rows.push_back(e);
  }
  ASSERT_EQ(rows.size(), 7u);
  std::vector<double> a, en, l, ar;
  for (const Errors& e : rows) {
    a.push_back(std::abs(e.access));
    en.push_back(std::abs(e.energy));
    l.push_back(std::abs(e.leakage));
    ar.push_back(std::abs(e.area));
  }
  report += fmt::format("\nmedian |err|: access {:.1f} %, read energy {:.1f} %, leakage {:.1f} %, area {:.1f} %\n\n",
                        100 * median(a), 100 * median(en), 100 * median(l), 100 * median(ar));
  report += fmt::format("max |err|: access {:.1f} %, read energy {:.1f} %, leakage {:.1f} %, area {:.1f} %\n",
                        100 * *std::max_element(a.begin(), a.end()), 100 * *std::max_element(en.begin(), en.end()),
                        100 * *std::max_element(l.begin(), l.end()), 100 * *std::max_element(ar.begin(), ar.end()));
  std::printf("%s", report.c_str());
  RecordProperty("report", report);
  // scripts/validate-array appends this table to docs/validation/array.md (part C).
  if (const char* path = std::getenv("DEEPNVM_VALIDATION_REPORT"))
    std::ofstream(path, std::ios::app)
        << "\n## Part C: CACTI 7 SRAM caches, `model: cacti`\n\nEach case is run from its paired NVSim "
           "cfg with `--model cacti` and CACTI's own objective keys of the reference run (test "
           "`CactiModel.ReferenceCaches`, `tests/array/cacti_test.cpp`); ours / CACTI 7. Access time, "
           "read energy (hit), leakage (data + tag) and data + tag area. Goal: median <= 15 %, max <= 35 % "
           "on each. `cacti-C-07` has ECC on, which the model does not add (docs/models/array.md §11).\n\n"
        << report;
  // The goal is median <= 15 % and max <= 35 % on each metric. What the port reaches (see the
  // report, docs/models/array.md §11): medians of 1-3 %, the worst case the area-optimised cacti-C-04,
  // whose flat objective lets a near-tie in area pick an organisation 31 % faster than CACTI's, and the
  // ECC-on cacti-C-07 (ECC is not modelled: 12-15 % low on energy, leakage and area).
  for (const auto& [name, v, max_allowed] : {std::tuple{"access", a, 0.35}, std::tuple{"read energy", en, 0.20},
                                             std::tuple{"leakage", l, 0.15}, std::tuple{"area", ar, 0.20}}) {
    EXPECT_LE(median(v), 0.05) << name;
    EXPECT_LE(*std::max_element(v.begin(), v.end()), max_allowed) << name;
  }
}

// CACTI's repeated "Global_30" wire [wire.cc] against the table every reference run prints ("Wire
// Properties"): cacti-C-06 at 22 nm and cacti-C-02 at 32 nm, 350 K, ITRS HP, semi-global conservative.
TEST(CactiModel, RepeatedWireMatchesCactiTable) {
  struct Printed {
    double node, opt_size, opt_spacing_mm, opt_delay_ns_per_mm, size, spacing_mm, delay_ns_per_mm;
  };
  for (const Printed& p : {Printed{22e-9, 42.0297, 0.0329013, 0.216837, 10.0297, 0.0329013, 0.28134},
                           Printed{32e-9, 40.4238, 0.0633157, 0.192687, 18.4238, 0.163316, 0.248644}}) {
    const Technology tech = find_technology(DEEPNVM_DATA_DIR, "cacti", p.node);
    const circuit::DeviceModel d = circuit::make_device_model(tech, "hp", 350.0, 100.0, CircuitModel::cacti);
    const CactiRepeatedWire w = make_cacti_tech(tech, "hp", d, ArrayCell{}).global_30;
    EXPECT_NEAR(w.optimal_size, p.opt_size, 1e-3 * p.opt_size) << p.node;
    EXPECT_NEAR(w.optimal_spacing * 1e3, p.opt_spacing_mm, 1e-3 * p.opt_spacing_mm) << p.node;
    EXPECT_NEAR(w.optimal_delay * 1e-3 * 1e9, p.opt_delay_ns_per_mm, 1e-3 * p.opt_delay_ns_per_mm) << p.node;
    EXPECT_NEAR(w.size, p.size, 1e-3 * p.size) << p.node;
    EXPECT_NEAR(w.spacing * 1e3, p.spacing_mm, 1e-3 * p.spacing_mm) << p.node;
    EXPECT_NEAR(w.delay * 1e-3 * 1e9, p.delay_ns_per_mm, 1e-3 * p.delay_ns_per_mm) << p.node;
  }
}

}  // namespace
}  // namespace deepnvm
