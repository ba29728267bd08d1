// SPDX-License-Identifier: MIT
// NVSim .cell files: every reference cell loads and reproduces NVSim's echoed cell block to NVSim's
// printed precision; bad files are ConfigErrors naming file, line and key; the writer round-trips.
#include "deepnvm/cell/nvsim_cell.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/error.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

fs::path reference_dir() { return fs::path(DEEPNVM_REFERENCE_DIR) / "nvsim"; }

bool have_reference() {
  if (fs::exists(reference_dir() / "cases.jsonl")) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") ADD_FAILURE() << "reference data missing at " << reference_dir() << " under CI";
  return false;
}

// "3.000Kohm" -> 3000, "80.000uA" -> 8e-5, "10.000ns" -> 1e-8, "0.250V" -> 0.25; and the absolute
// precision of the printed value (half a unit of its last digit) in SI.
std::pair<double, double> printed(const std::string& text) {
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{}) throw std::runtime_error("unparsable echo value " + text);
  const std::string number(text.data(), ptr);
  const std::string unit(ptr, text.data() + text.size());
  static const std::map<std::string, double> scale{{"", 1},       {"V", 1},     {"ohm", 1},    {"Kohm", 1e3},
                                                   {"Mohm", 1e6}, {"uA", 1e-6}, {"mA", 1e-3},  {"A", 1},
                                                   {"ns", 1e-9},  {"us", 1e-6}, {"ps", 1e-12}, {"F", 1}};
  const double s = scale.at(unit);
  const auto dot = number.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(number.size() - dot - 1);
  return {value * s, 0.5 * std::pow(10.0, -decimals) * s};
}

void expect_printed(const nlohmann::json& echo, const std::string& key, std::optional<double> ours) {
  if (!echo.contains(key)) return;
  const auto [value, precision] = printed(echo[key].get<std::string>());
  ASSERT_TRUE(ours.has_value()) << key;
  EXPECT_NEAR(*ours, value, precision * 1.0001) << key << " printed as " << echo[key];
}

TEST(NvsimCell, EveryReferenceCellReproducesNvsimsEcho) {
  if (!have_reference()) GTEST_SKIP() << "no reference data at " << reference_dir();
  std::ifstream cases(reference_dir() / "cases.jsonl");
  std::set<std::string> seen;
  for (std::string line; std::getline(cases, line);) {
    const auto c = nlohmann::json::parse(line);
    if (!c.contains("echo") || c["echo"].is_null() || !c["echo"].contains("cell")) continue;
    const std::string cell_file = c["inputs"]["cell_file"];
    if (!seen.insert(cell_file).second) continue;
    SCOPED_TRACE(cell_file);
    const auto& echo = c["echo"]["cell"];
    const CellFigures f = load_nvsim_cell(reference_dir() / cell_file)->characterize({});
    // "146.000 (14.600Fx10.000F)": area, then height x width in F.
    const std::string area = echo["Cell Area (F^2)"];
    double area_f2 = 0, height = 0, width = 0;
    ASSERT_EQ(std::sscanf(area.c_str(), "%lf (%lfFx%lfF)", &area_f2, &height, &width), 3) << area;
    EXPECT_NEAR(*f.area_f2, area_f2, 5e-4);
    EXPECT_NEAR(*f.height_f, height, 5e-4);
    EXPECT_NEAR(*f.width_f, width, 5e-4);
    EXPECT_NEAR(f.aspect_ratio, std::stod(echo["Cell Aspect Ratio"].get<std::string>()), 5e-4);
    expect_printed(echo, "Cell Turned-On Resistance", f.r_on);
    expect_printed(echo, "Cell Turned-Off Resistance", f.r_off);
    expect_printed(echo, "Read Voltage", f.read.voltage);
    expect_printed(echo, "Read Current", f.read.current);
    expect_printed(echo, "Reset Current", f.write.reset_current);
    expect_printed(echo, "Reset Voltage", f.write.reset_voltage);
    expect_printed(echo, "Reset Pulse", f.write.reset_pulse);
    expect_printed(echo, "Set Current", f.write.set_current);
    expect_printed(echo, "Set Voltage", f.write.set_voltage);
    expect_printed(echo, "Set Pulse", f.write.set_pulse);
    expect_printed(echo, "SRAM Cell Access Transistor Width", f.access.width_f);
    expect_printed(echo, "SRAM Cell NMOS Width", f.nvsim.sram_nmos_width_f);
    expect_printed(echo, "SRAM Cell PMOS Width", f.nvsim.sram_pmos_width_f);
    if (echo.contains("Read Mode")) {
      EXPECT_EQ(echo["Read Mode"], f.read.mode == SenseMode::current ? "Current-Sensing" : "Voltage-Sensing");
    }
    if (echo.contains("Access Type")) {
      EXPECT_EQ(echo["Access Type"] == "CMOS", f.access.device == AccessDevice::cmos);
    }
    const std::map<std::string, std::string> types{{"SRAM", "sram"},
                                                   {"MRAM (Magnetoresistive)", "mram"},
                                                   {"PCRAM (Phase-Change)", "pcm"},
                                                   {"RRAM (Memristor)", "reram"}};
    EXPECT_EQ(types.at(echo["Memory Cell"]), f.cell_type);
  }
  EXPECT_EQ(seen.size(), 5u) << "every reference cell file is exercised";
}

TEST(NvsimCell, KeysNvsimIgnoresAreReportedNotRejected) {
  const auto cell = read_nvsim_cell(
      "-MemCellType: PCRAM\n-CellArea (F^2): 9\n-CellAspectRatio: 1\n-ResistanceOn (ohm): 1000\n"
      "-ResistanceOff (ohm): 1000000\n-ReadMode: voltage\n-ReadCurrent (uA): 40\n-ReadEnergy (pJ): 2\n"
      "-ResetMode: current\n-ResetCurrent (uA): 300\n-ResetPulse (ns): 40\n-SetMode: current\n"
      "-SetCurrent (uA): 150\n-SetPulse (ns): 150\n-AccessType: CMOS\n-AccessCMOSWidth (F): 2\n",
      "p.cell");
  const auto f = cell->characterize({});
  ASSERT_EQ(f.ignored_keys.size(), 1u);
  EXPECT_EQ(f.ignored_keys[0], "p.cell:8: ReadEnergy (pJ) ignored (NVSim ignores it too)");
}

struct BadCell {
  std::string name, text;
  std::size_t line;
  std::string key, expected;
};

void PrintTo(const BadCell& c, std::ostream* os) { *os << c.name; }

class BadNvsimCell : public ::testing::TestWithParam<BadCell> {};

const std::string kStt =
    "-MemCellType: MRAM\n"          // 1
    "-CellArea (F^2): 54\n"         // 2
    "-CellAspectRatio: 0.54\n"      // 3
    "-ResistanceOn (ohm): 3000\n"   // 4
    "-ResistanceOff (ohm): 6000\n"  // 5
    "-ReadMode: current\n"          // 6
    "-ReadVoltage (V): 0.25\n"      // 7
    "-ResetMode: current\n"         // 8
    "-ResetCurrent (uA): 80\n"      // 9
    "-ResetPulse (ns): 10\n"        // 10
    "-SetMode: current\n"           // 11
    "-SetCurrent (uA): 80\n"        // 12
    "-SetPulse (ns): 10\n"          // 13
    "-AccessType: CMOS\n"           // 14
    "-AccessCMOSWidth (F): 8\n";    // 15

std::string replace(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

TEST_P(BadNvsimCell, IsAConfigErrorNamingLineAndKey) {
  const BadCell& c = GetParam();
  testing::expect_config_error([&] { read_nvsim_cell(c.text, "bad.cell")->characterize({}); }, "bad.cell", c.line,
                               c.key, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    NvsimCell, BadNvsimCell,
    ::testing::Values(
        BadCell{"unknown_key", kStt + "-ResistanceOnn (ohm): 5\n", 16, "ResistanceOnn (ohm)", "did you mean"},
        BadCell{"unit_typo", replace(kStt, "-CellArea (F^2): 54", "-CellArea (um^2): 0.01"), 2, "CellArea (um^2)",
                "'-CellArea (F^2)'"},
        BadCell{"negative_resistance", replace(kStt, "-ResistanceOn (ohm): 3000", "-ResistanceOn (ohm): -3000"), 4,
                "ResistanceOn (ohm)", "negative"},
        BadCell{"off_below_on", replace(kStt, "-ResistanceOff (ohm): 6000", "-ResistanceOff (ohm): 2000"), 5,
                "ResistanceOff (ohm)", "must exceed"},
        BadCell{"unknown_cell_type", replace(kStt, "-MemCellType: MRAM", "-MemCellType: MRMA"), 1, "MemCellType",
                "did you mean 'MRAM'"},
        BadCell{"unsupported_cell_type", replace(kStt, "-MemCellType: MRAM", "-MemCellType: DRAM"), 1, "MemCellType",
                "not modelled"},
        BadCell{"missing_area", replace(kStt, "-CellArea (F^2): 54\n", ""), 1, "CellArea (F^2)", "missing"},
        BadCell{"missing_read_voltage", replace(kStt, "-ReadVoltage (V): 0.25\n", ""), 6, "ReadVoltage (V)", "missing"},
        BadCell{"not_a_number", replace(kStt, "-SetPulse (ns): 10", "-SetPulse (ns): ten"), 13, "SetPulse (ns)",
                "expected a number"},
        BadCell{"duplicate", kStt + "-SetPulse (ns): 5\n", 16, "SetPulse (ns)", "duplicate"},
        BadCell{"garbage_line", kStt + "SetPulse 5\n", 16, "", "expected '-Key: value'"},
        BadCell{"bad_mode", replace(kStt, "-ReadMode: current", "-ReadMode: curent"), 6, "ReadMode",
                "did you mean 'current'"}),
    [](const auto& info) { return info.param.name; });

TEST(NvsimCell, WriterRoundTripsEveryFigureNvsimReads) {
  const auto original = read_nvsim_cell(kStt, "a.cell")->characterize({});
  const auto again = read_nvsim_cell(to_nvsim_cell(original), "b.cell")->characterize({});
  EXPECT_EQ(again.area_f2, original.area_f2);
  EXPECT_EQ(again.aspect_ratio, original.aspect_ratio);
  EXPECT_EQ(again.r_on, original.r_on);
  EXPECT_EQ(again.r_off, original.r_off);
  EXPECT_EQ(again.read.voltage, original.read.voltage);
  EXPECT_EQ(again.write.set_current, original.write.set_current);
  EXPECT_EQ(again.write.reset_pulse, original.write.reset_pulse);
  EXPECT_EQ(again.access.width_f, original.access.width_f);
}

}  // namespace
}  // namespace deepnvm
