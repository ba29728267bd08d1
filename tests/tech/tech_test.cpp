// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "deepnvm/core/error.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/register.h"
#include "deepnvm/tech/technology.h"

namespace fs = std::filesystem;
using namespace deepnvm;

namespace {

const fs::path kDataDir = DEEPNVM_DATA_DIR;

std::vector<fs::path> tech_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(kDataDir / "tech"))
    if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Half a unit in the third significant digit: the note prints its derived columns with %.3g, so the
// check is tight on both sides of the printed value.
double three_digit_tolerance(double printed) {
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::abs(printed))) - 2) * (1 + 1e-9);
}

constexpr DeviceCurrent kAllCurrents[] = {DeviceCurrent::on_n, DeviceCurrent::on_p, DeviceCurrent::off_n,
                                          DeviceCurrent::off_p};

// Paths of scalar leaves whose nearest enclosing mapping has no non-empty `source`. Lists are
// transparent: a value in a list belongs to the mapping that holds the list.
void find_unsourced(const YAML::Node& node, const std::string& path, bool mapping_has_source,
                    std::vector<std::string>& out) {
  if (node.IsMap()) {
    const YAML::Node source = node["source"];
    const bool has = source && source.IsScalar() && !source.Scalar().empty();
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key == "source" || key == "kind") continue;  // the note itself, and the document type
      find_unsourced(kv.second, path + "/" + key, has, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      find_unsourced(node[i], path + "[" + std::to_string(i) + "]", mapping_has_source, out);
  } else if (!mapping_has_source) {
    out.push_back(path);
  }
}

std::vector<std::string> unsourced_leaves(const YAML::Node& root) {
  std::vector<std::string> out;
  find_unsourced(root, "", false, out);
  return out;
}

// A minimal valid technology file; the bad-input tests change one line of it.
const std::string kValid = R"(kind: technology
name: test-node
table_set: deepnvm
node: 22 nm
process: planar_bulk
source: "unit test"
devices:
  - flavour: hp
    source: "unit test"
    vdd: 0.9 V
    vth: 0.13 V
    gate_length: 10 nm
    gate_cap_ideal: 0.383 fF/um
    fringe_cap: 0.16 fF/um
    oxide_cap: 38.3 fF/um^2
    electron_mobility: 397.3 cm^2/V/s
    hole_mobility: 83.6 cm^2/V/s
    pn_size_ratio: 2
    effective_resistance_multiplier: 1.45
    temperatures: [300 K, 400 K]
    on_current_n: [2030 uA/um, 1834 uA/um]
    on_current_p: [1015 uA/um, 926.2 uA/um]
    off_current_n: [0.597 uA/um, 24 uA/um]
    off_current_p: [0.597 uA/um, 24 uA/um]
wires:
  - type: local_aggressive
    source: "unit test"
    pitch: 44 nm
    width: 22 nm
    thickness: 41.8 nm
    barrier_thickness: 0 nm
    dielectric_constant: 2.55
    ild_thickness: 41.8 nm
    resistivity: 6 uOhm*cm
)";

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("deepnvm_tech_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".yaml");
    std::ofstream(path_) << text;
  }
  ~TempFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// kValid with the line that starts with `old_line` (after indentation) replaced by `new_line`;
// returns the 1-based line number of the change through `line`.
std::string with_line(const std::string& old_line, const std::string& new_line, std::size_t& line) {
  const auto at = kValid.find(old_line);
  if (at == std::string::npos) throw std::logic_error("no line " + old_line);
  line = static_cast<std::size_t>(std::count(kValid.begin(), kValid.begin() + static_cast<long>(at), '\n')) + 1;
  std::string out = kValid;
  out.replace(at, old_line.size(), new_line);
  return out;
}

struct Expected {
  std::size_t line;
  std::string key;
  std::string fragment;
};

void expect_config_error(const std::string& text, const Expected& want) {
  const TempFile file(text);
  try {
    load_technology(file.path());
    ADD_FAILURE() << "no ConfigError; expected one at line " << want.line << " key " << want.key;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), file.path().string());
    EXPECT_EQ(e.line(), want.line) << e.what();
    EXPECT_EQ(e.key(), want.key) << e.what();
    EXPECT_NE(std::string(e.what()).find(want.fragment), std::string::npos)
        << "message '" << e.what() << "' lacks '" << want.fragment << "'";
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Data files

TEST(TechData, EveryFileLoadsAndMatchesItsFolderAndName) {
  const auto files = tech_files();
  ASSERT_GE(files.size(), 5u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const Technology t = load_technology(file);
    EXPECT_EQ(t.table_set, file.parent_path().filename().string());
    // File names state the node ("22nm.yaml"), so a copy-paste that forgets to change `node` fails.
    EXPECT_EQ(file.stem().string(), std::to_string(static_cast<int>(std::lround(t.node * 1e9))) + "nm");
    EXPECT_FALSE(t.interpolated);
  }
}

TEST(TechData, NvsimNodesHaveAllFlavoursAndWireTypes) {
  for (double node : {22e-9, 32e-9, 45e-9, 65e-9, 90e-9}) {
    const Technology t = find_technology(kDataDir, "nvsim", node);
    SCOPED_TRACE(t.name);
    EXPECT_EQ(t.devices.size(), 3u);
    for (const std::string& f : device_flavours()) EXPECT_NO_THROW(t.device(f));
    EXPECT_EQ(t.wires.size(), 6u);
    for (const std::string& w : wire_types()) EXPECT_NO_THROW(t.wire(w));
  }
}

TEST(TechData, EveryBlockHasASource) {
  for (const fs::path& file : tech_files()) {
    SCOPED_TRACE(file.string());
    const Technology t = load_technology(file);
    EXPECT_FALSE(t.source.empty());
    for (const Device& d : t.devices) EXPECT_FALSE(d.source.empty()) << d.flavour;
    for (const Wire& w : t.wires) EXPECT_FALSE(w.source.empty()) << w.type;
  }
}

TEST(TechData, EveryScalarLeafSitsInAMappingWithASource) {
  for (const fs::path& file : tech_files()) {
    const auto bad = unsourced_leaves(YAML::LoadFile(file.string()));
    EXPECT_TRUE(bad.empty()) << file.string() << ": first value without a source: " << (bad.empty() ? "" : bad[0]);
  }
}

TEST(SourceWalk, FindsAValueWhoseMappingLacksASource) {
  // The walk must be able to fail: a nested mapping without `source` is reported even though the
  // document's top level has one.
  const YAML::Node doc = YAML::Load("source: top\nnode: 22 nm\ndevices:\n  - flavour: hp\n    vdd: [0.9 V]\n");
  const auto bad = unsourced_leaves(doc);
  EXPECT_EQ(bad, (std::vector<std::string>{"/devices[0]/flavour", "/devices[0]/vdd[0]"}));
  EXPECT_TRUE(unsourced_leaves(YAML::Load("source: top\ndevices:\n  - {source: x, vdd: 0.9 V}\n")).empty());
  EXPECT_EQ(unsourced_leaves(YAML::Load("source: ''\nnode: 22 nm\n")), std::vector<std::string>{"/node"});
}

// The note's derived columns (§3.1 C_gate, C_j, C_jsw, C_jg, Vdsat_n; §3.2 R_n*W at 350 K) are
// computed from its primary columns; reproducing them checks both the transcription (units, typos)
// and our formulas.
TEST(TechData, NvsimDevicesReproduceTheNotesDerivedColumns) {
  struct Row {
    int node;
    const char* flavour;
    double c_gate_ff_um, c_j_ff_um2, c_jsw_ff_um, c_jg_ff_um, vdsat_n_v, rw_350_kohm_um;
  };
  const Row rows[] = {
      {90, "hp", 1.52, 0.655, 0.189, 0.0378, 0.152, 1.88},    {90, "lstp", 1.65, 0.655, 0.189, 0.0378, 0.234, 5.62},
      {90, "lop", 1.67, 0.707, 0.199, 0.0398, 0.171, 3.24},   {65, "hp", 1.28, 0.671, 0.192, 0.0384, 0.0561, 1.44},
      {65, "lstp", 1.46, 0.671, 0.192, 0.0384, 0.0983, 5},    {65, "lop", 1.44, 0.728, 0.203, 0.0405, 0.0651, 2.78},
      {45, "hp", 1.32, 0.688, 0.195, 0.0391, 0.0605, 0.865},  {45, "lstp", 1.3, 0.688, 0.195, 0.0391, 0.0614, 4.05},
      {45, "lop", 1.34, 0.75, 0.207, 0.0414, 0.0362, 1.95},   {32, "hp", 1.25, 0.707, 0.199, 0.0398, 0.0543, 0.782},
      {32, "lstp", 1.17, 0.688, 0.195, 0.0391, 0.0557, 3.78}, {32, "lop", 1.26, 0.75, 0.207, 0.0414, 0.0309, 1.7},
      {22, "hp", 0.94, 0.707, 0.199, 0.0398, 0.0252, 0.676},  {22, "lstp", 1.11, 0.728, 0.203, 0.0405, 0.0219, 2.29},
      {22, "lop", 0.924, 0.802, 0.216, 0.0432, 0.0147, 1.31},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(std::to_string(r.node) + " nm " + r.flavour);
    const Technology t = find_technology(kDataDir, "nvsim", r.node * 1e-9);
    const Device& d = t.device(r.flavour);
    // `input_rel`: relative precision of the note's printed inputs where it is coarser than the
    // output's three digits (L_phy in whole nm, k_R to 0.01).
    const auto near = [](double got, double printed, double input_rel = 0) {
      EXPECT_NEAR(got, printed, three_digit_tolerance(printed) + std::abs(printed) * input_rel);
    };
    near(gate_cap_per_width(d) * 1e9, r.c_gate_ff_um);        // F/m -> fF/um
    near(junction_cap_bottom(d.vdd) * 1e3, r.c_j_ff_um2);     // F/m^2 -> fF/um^2
    near(junction_cap_sidewall(d.vdd) * 1e9, r.c_jsw_ff_um);  // F/m -> fF/um
    near(junction_cap_gate_edge(d.vdd) * 1e9, r.c_jg_ff_um);  // F/m -> fF/um
    near(saturation_voltage_n(d), r.vdsat_n_v, 0.5e-9 / d.gate_length);
    near(on_resistance_width_n(d, 350.0) * 1e3, r.rw_350_kohm_um, 0.005 / d.effective_resistance_multiplier);
  }
}

TEST(TechData, NvsimWiresReproduceTheNotesResistanceAndCapacitance) {
  struct Row {
    int node;
    const char* type;
    double r_300_ohm_um, r_350_ohm_um, c_ff_um, half_rc_350_ps_mm2;
  };
  const Row rows[] = {
      {90, "local_aggressive", 0.94, 1.12, 0.304, 170},       {90, "local_conservative", 1.08, 1.28, 0.292, 188},
      {90, "semi_aggressive", 0.335, 0.398, 0.314, 62.4},     {90, "semi_conservative", 0.392, 0.466, 0.302, 70.4},
      {90, "global_aggressive", 0.0691, 0.0822, 0.335, 13.8}, {90, "global_conservative", 0.0838, 0.0997, 0.315, 15.7},
      {65, "local_aggressive", 1.27, 1.51, 0.294, 222},       {65, "local_conservative", 2.09, 2.48, 0.274, 340},
      {65, "semi_aggressive", 0.495, 0.589, 0.302, 89.1},     {65, "semi_conservative", 0.754, 0.897, 0.282, 127},
      {65, "global_aggressive", 0.119, 0.142, 0.308, 21.9},   {65, "global_conservative", 0.161, 0.192, 0.298, 28.5},
      {45, "local_aggressive", 8.95, 10.7, 0.278, 1.48e+03},  {45, "local_conservative", 10.7, 12.7, 0.292, 1.85e+03},
      {45, "semi_aggressive", 2.87, 3.42, 0.278, 475},        {45, "semi_conservative", 3.17, 3.77, 0.292, 550},
      {45, "global_aggressive", 0.279, 0.332, 0.296, 49.2},   {45, "global_conservative", 0.322, 0.383, 0.318, 60.8},
      {32, "local_aggressive", 27.9, 33.2, 0.288, 4.78e+03},  {32, "local_conservative", 34.8, 41.5, 0.304, 6.31e+03},
      {32, "semi_aggressive", 6.6, 7.85, 0.294, 1.15e+03},    {32, "semi_conservative", 7.34, 8.73, 0.311, 1.36e+03},
      {32, "global_aggressive", 0.67, 0.797, 0.311, 124},     {32, "global_conservative", 0.783, 0.932, 0.334, 156},
      {22, "local_aggressive", 67, 79.7, 0.28, 1.12e+04},     {22, "local_conservative", 87.2, 104, 0.303, 1.57e+04},
      {22, "semi_aggressive", 16.8, 19.9, 0.28, 2.79e+03},    {22, "semi_conservative", 19, 22.6, 0.303, 3.42e+03},
      {22, "global_aggressive", 1.7, 2.02, 0.294, 298},       {22, "global_conservative", 2.05, 2.44, 0.324, 395},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(std::to_string(r.node) + " nm " + r.type);
    const Technology t = find_technology(kDataDir, "nvsim", r.node * 1e-9);
    const Wire& w = t.wire(r.type);
    const auto near = [](double got, double printed) { EXPECT_NEAR(got, printed, three_digit_tolerance(printed)); };
    near(wire_resistance_per_length(w, 300.0) * 1e-6, r.r_300_ohm_um);  // Ohm/m -> Ohm/um
    near(wire_resistance_per_length(w, 350.0) * 1e-6, r.r_350_ohm_um);
    near(wire_capacitance_per_length(w) * 1e9, r.c_ff_um);  // F/m -> fF/um
    near(0.5 * wire_resistance_per_length(w, 350.0) * wire_capacitance_per_length(w) * 1e6,
         r.half_rc_350_ps_mm2);  // s/m^2 -> ps/mm^2
  }
}

TEST(TechData, NvsimQuirksAreKept) {
  // 22 nm: I_on,p(300 K) = I_on,n(300 K)/2 (quirk Q5), and at 350 K it is *not* I_on,n(350 K)/2.
  const Technology t22 = find_technology(kDataDir, "nvsim", 22e-9);
  for (const Device& d : t22.devices) {
    SCOPED_TRACE(d.flavour);
    EXPECT_NEAR(d.current(DeviceCurrent::on_p, 300), d.current(DeviceCurrent::on_n, 300) / 2, 0.06);
    EXPECT_GT(d.current(DeviceCurrent::on_p, 350), d.current(DeviceCurrent::on_n, 350) / 2);
  }
  // 22 nm HP leakage explodes towards 400 K (24 uA/um, "translated from 32 nm").
  EXPECT_DOUBLE_EQ(t22.device("hp").current(DeviceCurrent::off_n, 400), 24.0);
  // 45, 32 and 22 nm: I_off,p = I_off,n at the shared table points.
  for (double node : {22e-9, 32e-9, 45e-9}) {
    const Technology t = find_technology(kDataDir, "nvsim", node);
    for (const Device& d : t.devices)
      for (double temperature : {300.0, 350.0, 400.0})
        EXPECT_EQ(d.current(DeviceCurrent::off_p, temperature), d.current(DeviceCurrent::off_n, temperature));
  }
  // 65 and 90 nm wires: no resistivity in NVSim, so bulk copper 2.2 uOhm*cm.
  for (double node : {65e-9, 90e-9}) {
    const Technology t = find_technology(kDataDir, "nvsim", node);
    for (const Wire& w : t.wires) EXPECT_NEAR(w.resistivity, 2.2e-8, 1e-20);
  }
}

// ---------------------------------------------------------------------------------------------
// Temperature tables

TEST(Device, CurrentsInterpolateLinearlyBetweenTablePoints) {
  int tables = 0;
  for (const fs::path& file : tech_files())
    for (const Device& d : load_technology(file).devices)
      for (DeviceCurrent which : kAllCurrents) {
        SCOPED_TRACE(file.string() + " " + d.flavour + " " + std::string(current_name(which)));
        const CurrentTable t = d.table(which);
        ASSERT_EQ(t.temperatures.size(), t.values.size());
        ++tables;
        for (std::size_t i = 0; i < t.values.size(); ++i)
          EXPECT_DOUBLE_EQ(d.current(which, t.temperatures[i]), t.values[i]);
        for (std::size_t i = 1; i < t.values.size(); ++i)
          for (double alpha : {0.25, 0.5, 0.9}) {
            const double temperature = t.temperatures[i - 1] + alpha * (t.temperatures[i] - t.temperatures[i - 1]);
            const double want = (1 - alpha) * t.values[i - 1] + alpha * t.values[i];
            EXPECT_NEAR(d.current(which, temperature), want, 1e-12 * std::abs(want));
          }
      }
  EXPECT_GE(tables, 60);
}

TEST(Device, InterpolationMatchesAHandComputedValue) {
  const Technology t = find_technology(kDataDir, "nvsim", 22e-9);
  const Device& hp = t.device("hp");
  // Halfway between 300 K (2030 uA/um) and 350 K (1931 uA/um).
  EXPECT_NEAR(hp.current(DeviceCurrent::on_n, 325.0), 1980.5, 1e-9);
  // I_off,n has its own grid with 360 K: 1.06 uA/um at 350 K, 2.09 at 360 K.
  EXPECT_NEAR(hp.current(DeviceCurrent::off_n, 355.0), 1.575, 1e-12);
}

TEST(Device, OffCurrentRisesWithTemperatureInEveryTable) {
  for (const fs::path& file : tech_files())
    for (const Device& d : load_technology(file).devices)
      for (DeviceCurrent which : {DeviceCurrent::off_n, DeviceCurrent::off_p}) {
        SCOPED_TRACE(file.string() + " " + d.flavour + " " + std::string(current_name(which)));
        const CurrentTable t = d.table(which);
        for (std::size_t i = 1; i < t.values.size(); ++i) EXPECT_GT(t.values[i], t.values[i - 1]);
        double previous = d.current(which, t.temperatures.front());
        for (double temperature = t.temperatures.front() + 1; temperature <= t.temperatures.back(); temperature += 1) {
          const double now = d.current(which, temperature);
          EXPECT_GT(now, previous) << temperature << " K";
          previous = now;
        }
      }
}

TEST(Device, OnCurrentFallsWithTemperatureInEveryNvsimTable) {
  for (const fs::path& file : tech_files())
    for (const Device& d : load_technology(file).devices)
      for (DeviceCurrent which : {DeviceCurrent::on_n, DeviceCurrent::on_p}) {
        const CurrentTable t = d.table(which);
        for (std::size_t i = 1; i < t.values.size(); ++i)
          EXPECT_LT(t.values[i], t.values[i - 1]) << file.string() << " " << d.flavour;
      }
}

TEST(Device, TemperatureOutsideTheTableIsAModelError) {
  const Technology t = find_technology(kDataDir, "nvsim", 22e-9);
  const Device& hp = t.device("hp");
  EXPECT_THROW(hp.current(DeviceCurrent::on_n, 299.0), ModelError);
  EXPECT_THROW(hp.current(DeviceCurrent::off_n, 400.5), ModelError);
  EXPECT_THROW(hp.current(DeviceCurrent::off_p, std::nan("")), ModelError);
  EXPECT_NO_THROW(hp.current(DeviceCurrent::off_p, 400.0));
  try {
    hp.current(DeviceCurrent::off_n, 450.0);
    ADD_FAILURE() << "no error at 450 K";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("450 K"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("I_off,n"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// Formulas (closed forms of note §2.0, §2.1)

TEST(Formulas, JunctionCapsFollowTheVddGrading) {
  // Vdd = 0.9 V is exactly the built-in potential: (1 + 1)^0.5 and 2^0.33.
  EXPECT_DOUBLE_EQ(junction_cap_bottom(0.9), 1e-3 / std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(junction_cap_sidewall(0.9), 2.5e-10 / std::pow(2.0, 0.33));
  EXPECT_DOUBLE_EQ(junction_cap_gate_edge(0.9), 0.5e-10 / std::pow(2.0, 0.33));
  EXPECT_GT(junction_cap_bottom(0.5), junction_cap_bottom(1.2));  // reverse bias shrinks depletion cap
}

TEST(Formulas, WireResistivityIsTheTableValueAt293K) {
  Wire w;
  w.resistivity = 6e-8;
  EXPECT_DOUBLE_EQ(wire_resistivity(w, 293.0), 6e-8);
  EXPECT_DOUBLE_EQ(wire_resistivity(w, 393.0), 6e-8 * 1.39);
}

// ---------------------------------------------------------------------------------------------
// Lookup

TEST(FindTechnology, ReportsMissingNodesAndTableSets) {
  try {
    find_technology(kDataDir, "nvsim", 28e-9);
    ADD_FAILURE() << "no error for 28 nm";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "node");
    EXPECT_NE(std::string(e.what()).find("22 nm"), std::string::npos) << e.what();
  }
  try {
    find_technology(kDataDir, "nvsm", 22e-9);
    ADD_FAILURE() << "no error for table set nvsm";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "table_set");
    EXPECT_NE(std::string(e.what()).find("did you mean 'nvsim'"), std::string::npos) << e.what();
  }
}

TEST(Technology, UnknownFlavourOrWireTypeIsAModelError) {
  const Technology t = find_technology(kDataDir, "nvsim", 32e-9);
  EXPECT_EQ(t.device("lop").flavour, "lop");
  EXPECT_THROW(t.device("hpp"), ModelError);
  EXPECT_THROW(t.wire("local"), ModelError);
}

TEST(Register, TechnologyKindLoadsToSiJson) {
  Registry<InputKind> kinds("input kind");
  register_builtin_tech(kinds);
  ASSERT_TRUE(kinds.contains("technology"));
  EXPECT_FALSE(kinds.description("technology").empty());
  const auto json = kinds.get("technology").load(load_config_file(kDataDir / "tech/nvsim/22nm.yaml"));
  EXPECT_NEAR(json["node"].get<double>(), 22e-9, 1e-21);
  EXPECT_NEAR(json["devices"][0]["vdd"].get<double>(), 0.9, 1e-15);
  EXPECT_NEAR(json["devices"][0]["electron_mobility"].get<double>(), 397.3e-4, 1e-15);  // cm^2/V/s -> m^2/V/s
}

TEST(Schema, EveryFieldIsDescribedAndQuantitiesHaveRanges) {
  std::function<void(const SchemaInfo&)> walk = [&](const SchemaInfo& info) {
    for (const FieldInfo& f : info.fields) {
      SCOPED_TRACE(info.kind + "." + f.name);
      EXPECT_FALSE(f.description.empty());
      if (f.name == "source") {
        EXPECT_TRUE(f.required && f.type == "string");
      }
      const bool free_form =
          f.type == "string" || f.type == "choice" || f.type == "boolean" || f.type.starts_with("list of mapping");
      if (!free_form) {
        EXPECT_FALSE(f.range.empty()) << f.type;
      }
      if (f.type == "choice") {
        EXPECT_TRUE(f.range.starts_with("one of"));
      }
      if (f.nested) walk(*f.nested);
    }
  };
  walk(Technology::schema().info());
}

// ---------------------------------------------------------------------------------------------
// Bad input: file, line, key and a useful message

TEST(BadInput, ValidTemplateLoads) {
  const TempFile file(kValid);
  const Technology t = load_technology(file.path());
  EXPECT_EQ(t.device("hp").vdd, 0.9);
  EXPECT_NEAR(t.wire("local_aggressive").resistivity, 6e-8, 1e-22);
}

TEST(BadInput, UnknownKeySuggestsTheClosest) {
  std::size_t line = 0;
  const std::string text = with_line("vdd: 0.9 V", "vddd: 0.9 V", line);
  expect_config_error(text, {line, "vddd", "did you mean 'vdd'"});
}

TEST(BadInput, MissingUnit) {
  std::size_t line = 0;
  const std::string text = with_line("vdd: 0.9 V", "vdd: 0.9", line);
  expect_config_error(text, {line, "vdd", "missing unit"});
}

TEST(BadInput, WrongDimension) {
  std::size_t line = 0;
  const std::string text = with_line("vdd: 0.9 V", "vdd: 0.9 ns", line);
  expect_config_error(text, {line, "vdd", "voltage"});
}

TEST(BadInput, NegativeLength) {
  std::size_t line = 0;
  const std::string text = with_line("gate_length: 10 nm", "gate_length: -10 nm", line);
  expect_config_error(text, {line, "gate_length", "out of range"});
}

TEST(BadInput, TableListsOfDifferentLengths) {
  std::size_t line = 0;
  const std::string text =
      with_line("on_current_p: [1015 uA/um, 926.2 uA/um]", "on_current_p: [1015 uA/um, 990 uA/um, 926.2 uA/um]", line);
  expect_config_error(text, {line, "on_current_p", "has 3 values but 'temperatures' has 2"});
}

TEST(BadInput, OwnTemperatureGridMustMatchItsList) {
  std::size_t line = 0;
  const std::string text = with_line("off_current_n: [0.597 uA/um, 24 uA/um]",
                                     "off_current_n_temperatures: [300 K, 360 K, 400 K]\n"
                                     "    off_current_n: [0.597 uA/um, 24 uA/um]",
                                     line);
  expect_config_error(text, {line + 1, "off_current_n", "'off_current_n_temperatures' has 3"});
}

TEST(BadInput, TemperaturesMustIncrease) {
  std::size_t line = 0;
  const std::string text = with_line("temperatures: [300 K, 400 K]", "temperatures: [400 K, 300 K]", line);
  expect_config_error(text, {line, "temperatures", "strictly increasing"});
}

TEST(BadInput, UnknownFlavour) {
  std::size_t line = 0;
  const std::string text = with_line("flavour: hp", "flavour: hpp", line);
  expect_config_error(text, {line, "flavour", "did you mean 'hp'"});
}

TEST(BadInput, ThresholdAboveSupply) {
  std::size_t line = 0;
  const std::string text = with_line("vth: 0.13 V", "vth: 1.3 V", line);
  expect_config_error(text, {line, "vth", "not below vdd"});
}

TEST(BadInput, MissingSource) {
  std::size_t line = 0;
  std::string text = with_line("    source: \"unit test\"\n    vdd", "    vdd", line);
  // The error is reported at the device mapping that lacks the key.
  expect_config_error(text, {line - 1, "source", "missing required key"});
}

TEST(BadInput, KindIsRequiredAndChecked) {
  std::size_t line = 0;
  const std::string wrong = with_line("kind: technology", "kind: cell", line);
  expect_config_error(wrong, {line, "kind", "expected 'technology'"});
  const std::string missing = with_line("kind: technology\n", "", line);
  expect_config_error(missing, {1, "kind", "kind: technology"});
}

TEST(BadInput, DuplicateWireType) {
  const std::size_t wires_line = static_cast<std::size_t>(std::count(
                                     kValid.begin(), kValid.begin() + static_cast<long>(kValid.find("wires:")), '\n')) +
                                 1;
  const std::string wire_block = kValid.substr(kValid.find("  - type:"));
  const std::size_t wire_lines = static_cast<std::size_t>(std::count(wire_block.begin(), wire_block.end(), '\n'));
  expect_config_error(kValid + wire_block, {wires_line + 1 + wire_lines, "wires[1]", "appears twice"});
}
