// SPDX-License-Identifier: MIT
// Cells from device physics: the physical trends the issue asks for, and bad native cell files.
#include <filesystem>
#include <fstream>

#include <set>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "deepnvm/cell/mram.h"
#include "deepnvm/cell/register.h"
#include "deepnvm/cell/resistive.h"
#include "deepnvm/cell/sram.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/tech/technology.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

const std::string kMtj =
    "mtj:\n"
    "  source: test\n"
    "  diameter: 40 nm\n"
    "  ra_product: 5 Ohm*um^2\n"
    "  tmr: 1.5\n"
    "  thermal_stability: 60\n"
    "  critical_current: 73.5 uA\n"
    "  damping: 0.01\n"
    "  anisotropy_field: 0.3 T\n";
const std::string kAccessAndLayout =
    "access:\n"
    "  source: test\n"
    "  on_current_per_fin: 65 uA\n"
    "layout:\n"
    "  source: test\n"
    "  gate_pitch: 90 nm\n"
    "  fin_pitch: 48 nm\n"
    "  planar_height_f: 6\n"
    "  planar_spacing_f: 2\n";

std::string stt_text(const std::string& extra = "") {
  return "kind: stt_mram_cell\nname: stt\nsource: test\n" + kMtj + "write_pulse: 10 ns\nread_voltage: 0.1 V\n" + extra +
         kAccessAndLayout;
}
std::string sot_text() {
  return "kind: sot_mram_cell\nname: sot\nsource: test\n" + kMtj +
         "heavy_metal: {source: test, spin_hall_angle: 0.3, resistivity: 200 uOhm*cm, width: 60 nm, thickness: 4 nm, "
         "length: 80 nm}\n"
         "free_layer: {source: test, orientation: in_plane, magnetization: 1e6 A/m, thickness: 1.5 nm, "
         "anisotropy_field: 0.02 T, damping: 0.01, effective_magnetization: 0.8 T}\n"
         "write_pulse: 2 ns\nread_voltage: 0.1 V\n" +
         kAccessAndLayout;
}

SttMramCell stt(const std::string& extra = "") {
  return SttMramCell(SttMramSpec::schema().parse(load_config_string(stt_text(extra), "stt.yaml")));
}
SotMramCell sot() { return SotMramCell(SotMramSpec::schema().parse(load_config_string(sot_text(), "sot.yaml"))); }

Technology nvsim(double node) { return find_technology(DEEPNVM_DATA_DIR, "nvsim", node); }

SramCell sram146() {
  SramSpec s;
  s.name = "sram";
  s.area_f2 = 146;
  return SramCell(s);
}

TEST(SttMram, DerivesResistancesCurrentsAndReliabilityFromTheMtj) {
  const CellFigures f = stt().characterize({nullptr, 300.0});
  EXPECT_NEAR(*f.r_on, 3979, 1);
  EXPECT_GT(*f.r_off, *f.r_on * 2.4);  // TMR 150 %, slightly rolled off at 0.1 V
  EXPECT_LT(*f.r_off, *f.r_on * 2.5);
  // Thermal regime at 10 ns, Delta 60: I_c = 73.5 uA (1 - ln(10)/60) = 70.7 uA; I_w = 1.3 I_c (note §6.3)
  EXPECT_NEAR(*f.write.set_current * 1e6, 91.9, 0.2);
  EXPECT_NEAR(*f.retention_time, 1e-9 * std::exp(60.0), 1e9);
  ASSERT_TRUE(f.read_disturb_probability);
  EXPECT_LT(*f.read_disturb_probability, 1e-15);
  ASSERT_TRUE(f.write_error_rate);
  EXPECT_LT(*f.write_error_rate, 1e-3);
  EXPECT_FALSE(f.area_m2);  // no node, no area
  EXPECT_FALSE(f.node);
}

TEST(SttMram, ShorterPulsesNeedMoreCurrentAndAreCharacterizedInEveryRegime) {
  double previous_current = 0.0;
  for (const char* pulse : {"100 ns", "10 ns", "5 ns", "2 ns", "1 ns"}) {
    std::string text = stt_text();
    text.replace(text.find("write_pulse: 10 ns"), 18, std::string("write_pulse: ") + pulse);
    const SttMramCell cell(SttMramSpec::schema().parse(load_config_string(text, "stt.yaml")));
    const CellFigures f = cell.characterize({nullptr, 300.0});
    EXPECT_GT(*f.write.set_current, previous_current) << pulse;
    ASSERT_TRUE(f.write_error_rate) << pulse;
    EXPECT_GE(*f.write_error_rate, 0.0);
    EXPECT_LE(*f.write_error_rate, 1.0);
    previous_current = *f.write.set_current;
  }
}

TEST(SttMram, CellAreaGrowsWithAccessWidth) {
  const Technology planar = nvsim(22e-9);
  double previous_area = 0.0, previous_width = 0.0;
  for (const char* margin : {"write_margin: 0.1\n", "write_margin: 0.5\n", "write_margin: 1.5\n"}) {
    const CellFigures f = stt(margin).characterize({&planar, 350.0});
    EXPECT_GT(*f.access.width_f, previous_width);
    EXPECT_GT(*f.area_f2, previous_area);
    previous_width = *f.access.width_f;
    previous_area = *f.area_f2;
  }
}

TEST(SotMram, WritesWithLessEnergyThanSttThroughTheSameMtj) {
  const Technology planar = nvsim(22e-9);
  for (const Technology* node : {static_cast<const Technology*>(nullptr), &planar}) {
    const CellFigures s = sot().characterize({node, 350.0});
    const CellFigures t = stt().characterize({node, 350.0});
    EXPECT_LT(*s.write.energy(), *t.write.energy());
    EXPECT_EQ(s.r_on, t.r_on);  // same junction
  }
}

TEST(SotMram, SizesReadAndWriteTransistorsSeparately) {
  const Technology planar = nvsim(22e-9);
  const CellFigures f = sot().characterize({&planar, 350.0});
  ASSERT_TRUE(f.access.width_f && f.access.read_width_f);
  // Write current 1.3 x 15 uA vs read current 0.1 V / 4 kOhm = 25 uA: sizes follow their currents.
  EXPECT_NEAR(*f.access.read_width_f / *f.access.width_f, *f.read.current / *f.write.set_current, 1e-9);
}

TEST(Leakage, MramStandbyIsOrdersOfMagnitudeBelowSram) {
  const Technology planar = nvsim(22e-9);
  const double sram = *sram146().characterize({&planar, 350.0}).leakage;
  EXPECT_GT(sram, 1e-9);  // NVSim 22 nm HP: ~100 nW per bit (note §3.6)
  EXPECT_LE(*stt().characterize({&planar, 350.0}).leakage, sram * 1e-3);
  EXPECT_LE(*sot().characterize({&planar, 350.0}).leakage, sram * 1e-3);
}

TEST(Leakage, RisesWithTemperature) {
  const Technology planar = nvsim(22e-9);
  const auto cell = sram146();
  double previous = 0.0;
  for (double t : {300.0, 325.0, 350.0, 375.0, 400.0}) {
    const double now = *cell.characterize({&planar, t}).leakage;
    EXPECT_GT(now, previous) << t;
    previous = now;
  }
}

TEST(Leakage, MramWithABiasedStandbyLeaksThroughItsAccessTransistor) {
  const Technology planar = nvsim(22e-9);
  std::string text = stt_text();
  text.replace(text.find("  on_current_per_fin"), 0, "  standby_bias: 0.9 V\n");
  const SttMramCell biased(SttMramSpec::schema().parse(load_config_string(text, "biased.yaml")));
  const double cold = *biased.characterize({&planar, 300.0}).leakage;
  const double hot = *biased.characterize({&planar, 400.0}).leakage;
  EXPECT_GT(cold, 0.0);
  EXPECT_GT(hot, cold);
  EXPECT_EQ(*stt().characterize({&planar, 400.0}).leakage, 0.0);  // equalized lines: no current path
}

// Every value in data/cells has a source: its own mapping or an enclosing one names it. Returns
// the values that have none, as "key (line N)".
void collect_unsourced(const YAML::Node& node, bool inherited, std::vector<std::string>& out) {
  if (!node.IsMap()) return;
  const bool here = inherited || (node["source"] && !node["source"].as<std::string>().empty());
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (key == "source" || key == "kind" || key == "name") continue;
    if (kv.second.IsScalar() && !here)
      out.push_back(key + " (line " + std::to_string(kv.first.Mark().line + 1) + ")");
    else
      collect_unsourced(kv.second, here, out);
  }
}

TEST(CellData, EveryShippedCellLoadsCarriesSourcesAndCharacterizesAt16nm) {
  Registry<InputKind> kinds("input kind");
  Registry<CellFactory> models("cell model");
  register_builtin_cell(kinds, models);
  const Technology finfet = find_technology(DEEPNVM_DATA_DIR, "deepnvm", 16e-9);
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DEEPNVM_DATA_DIR) / "cells")) {
    SCOPED_TRACE(entry.path().string());
    names.insert(entry.path().stem().string());
    std::vector<std::string> unsourced;
    collect_unsourced(YAML::LoadFile(entry.path().string()), false, unsourced);
    EXPECT_TRUE(unsourced.empty()) << ::testing::PrintToString(unsourced);
    const CellFigures f = load_cell(entry.path(), models)->characterize({&finfet, 350.0});
    EXPECT_GT(*f.area_m2, 0.0);
    EXPECT_FALSE(f.sources.empty());
  }
  for (const char* required : {"sram", "stt_mram", "sot_mram"}) EXPECT_TRUE(names.contains(required)) << required;
}

TEST(CellData, SourceWalkCatchesAnUnsourcedBlock) {
  std::vector<std::string> unsourced;
  collect_unsourced(YAML::Load("name: x\nmtj:\n  diameter: 40 nm\nlayout:\n  source: s\n  fin_pitch: 48 nm\n"), false,
                    unsourced);
  EXPECT_EQ(unsourced, std::vector<std::string>{"diameter (line 3)"});
}

struct BadFile {
  std::string name, text;
  std::size_t line;
  std::string key, expected;
};
void PrintTo(const BadFile& c, std::ostream* os) { *os << c.name; }
class BadCellFile : public ::testing::TestWithParam<BadFile> {};

std::string edit(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

TEST_P(BadCellFile, IsAConfigErrorNamingLineAndKey) {
  const BadFile& c = GetParam();
  const std::filesystem::path path = std::filesystem::temp_directory_path() / ("deepnvm-bad-" + c.name + ".yaml");
  { std::ofstream(path) << c.text; }
  Registry<InputKind> kinds("input kind");
  Registry<CellFactory> models("cell model");
  register_builtin_cell(kinds, models);
  testing::expect_config_error([&] { load_cell(path, models); }, path.string(), c.line, c.key, c.expected);
  std::filesystem::remove(path);
}

const std::string kResistive =
    "kind: resistive_cell\n"  // 1
    "name: r\n"               // 2
    "technology: reram\n"     // 3
    "source: test\n"          // 4
    "area_f2: 4\n"            // 5
    "r_on: 100 kOhm\n"        // 6
    "r_off: 10 MOhm\n"        // 7
    "read_voltage: 0.4 V\n"   // 8
    "set_current: 20 uA\n"    // 9
    "set_pulse: 10 ns\n"      // 10
    "reset_current: 20 uA\n"  // 11
    "reset_pulse: 10 ns\n"    // 12
    "access: none\n";         // 13

INSTANTIATE_TEST_SUITE_P(
    Cell, BadCellFile,
    ::testing::Values(
        BadFile{"unknown_key", edit(stt_text(), "write_pulse:", "write_pulze:"), 13, "write_pulze",
                "did you mean 'write_pulse'"},
        BadFile{"nested_unknown_key", edit(stt_text(), "  tmr: 1.5", "  tnr: 1.5"), 8, "tnr", "did you mean 'tmr'"},
        BadFile{"missing_required", edit(stt_text(), "write_pulse: 10 ns\n", ""), 1, "write_pulse",
                "missing required key"},
        BadFile{"negative_resistance", edit(kResistive, "r_on: 100 kOhm", "r_on: -100 kOhm"), 6, "r_on",
                "out of range"},
        BadFile{"r_off_below_r_on", edit(kResistive, "r_off: 10 MOhm", "r_off: 10 kOhm"), 7, "r_off", "must exceed"},
        BadFile{"unknown_cell_type", edit(kResistive, "kind: resistive_cell", "kind: resistiv_cell"), 1, "kind",
                "did you mean 'resistive_cell'"},
        BadFile{"unknown_technology", edit(kResistive, "technology: reram", "technology: rram"), 3, "technology",
                "did you mean 'reram'"},
        BadFile{"unit_typo", edit(stt_text(), "ra_product: 5 Ohm*um^2", "ra_product: 5 Ohm*uum^2"), 7, "ra_product",
                "unknown unit"},
        BadFile{"wrong_dimension", edit(stt_text(), "write_pulse: 10 ns", "write_pulse: 10 nm"), 13, "write_pulse",
                "expected a time"},
        BadFile{"both_ra_and_rp", edit(stt_text(), "  tmr: 1.5", "  r_p: 4 kOhm\n  tmr: 1.5"), 5, "r_p", "exactly one"},
        BadFile{"precessional_without_damping",
                edit(edit(stt_text(), "write_pulse: 10 ns", "write_pulse: 2 ns"), "  damping: 0.01\n", ""), 5,
                "damping", "precessional"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace deepnvm
