// SPDX-License-Identifier: MIT
// NVSim .cfg files: every reference input loads and agrees with the typed summary recorded beside
// it; keys NVSim ignores are reported, not rejected; bad files are ConfigErrors naming file, line
// and key; the writer round-trips.
#include "deepnvm/array/nvsim_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "reference_data.h"

#include "deepnvm/core/error.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

fs::path reference_dir() { return testing::nvsim_reference_dir(); }
bool have_reference() { return testing::have_nvsim_reference(); }
std::vector<nlohmann::json> reference_cases() { return testing::nvsim_reference_cases(); }

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The case NVSim's own reader gets wrong: a unit typo it reads as capacity 0.
constexpr const char* kUnitTypoCase = "nvsim-A-R03";

std::string grid_text(const std::optional<ForcedGrid>& g) {
  if (!g) return "<none>";
  return std::to_string(g->rows) + "x" + std::to_string(g->columns) + ", " + std::to_string(g->active_rows) + "x" +
         std::to_string(g->active_columns);
}

std::string opt_name(const auto& v) { return v ? std::string(nvsim_name(*v)) : "<searched>"; }

// Every field of `inputs.summary` against the parsed config; a field this test does not know fails,
// so a new summary field cannot go unchecked.
void expect_matches_summary(const NvsimConfig& c, const nlohmann::json& summary, const fs::path& cfg_path) {
  for (const auto& [field, value] : summary.items()) {
    SCOPED_TRACE(field);
    if (field == "design_target") {
      EXPECT_EQ(nvsim_name(c.design_target), value.get<std::string>());
    } else if (field == "cell_file") {
      EXPECT_EQ(c.cell_file_as_written, value.get<std::string>());
      EXPECT_EQ(c.cell_file, (cfg_path.parent_path() / value.get<std::string>()).lexically_normal());
    } else if (field == "cell_type") {
      // A property of the cell file (the cell layer's reader), not of the configuration.
    } else if (field == "process_node_nm") {
      EXPECT_EQ(c.process_node, static_cast<double>(value.get<int>()) * 1e-9);
    } else if (field == "device_roadmap") {
      EXPECT_EQ(nvsim_name(c.device_roadmap), value.get<std::string>());
    } else if (field == "capacity_bytes") {
      EXPECT_EQ(c.capacity, value.get<std::uint64_t>());
    } else if (field == "word_width_bits") {
      EXPECT_EQ(c.word_width, value.get<std::uint64_t>());
    } else if (field == "optimization_target") {
      std::string target = value.get<std::string>();
      if (const auto p = target.find(" (default)"); p != std::string::npos) target.erase(p);
      EXPECT_EQ(nvsim_name(c.optimization_target), target);
    } else if (field == "routing") {
      EXPECT_EQ(nvsim_name(c.routing), value.get<std::string>());
    } else if (field == "internal_sensing") {
      EXPECT_EQ(c.internal_sensing ? "true" : "false", value.get<std::string>());
    } else if (field == "temperature_K") {
      EXPECT_EQ(c.temperature, value.get<double>());
    } else if (field == "buffer_design_optimization") {
      EXPECT_EQ(opt_name(c.buffer_design), value.get<std::string>());
    } else if (field == "local_wire" || field == "global_wire") {
      const WireSetting& w = field == "local_wire" ? c.local_wire : c.global_wire;
      ASSERT_EQ(value.size(), 3u);
      EXPECT_EQ(opt_name(w.type), value[0].get<std::string>());
      EXPECT_EQ(opt_name(w.repeater), value[1].get<std::string>());
      ASSERT_TRUE(w.low_swing.has_value());
      EXPECT_EQ(*w.low_swing ? "Yes" : "No", value[2].get<std::string>());
    } else if (field == "force_bank") {
      EXPECT_EQ(grid_text(c.force_bank), value.get<std::string>());
    } else if (field == "force_mat") {
      EXPECT_EQ(grid_text(c.force_mat), value.get<std::string>());
    } else if (field == "force_mux") {
      ASSERT_EQ(value.size(), 3u);
      EXPECT_EQ(c.force_mux_sense_amp, std::stoi(value[0].get<std::string>()));
      EXPECT_EQ(c.force_mux_output_lev1, std::stoi(value[1].get<std::string>()));
      EXPECT_EQ(c.force_mux_output_lev2, std::stoi(value[2].get<std::string>()));
    } else if (field == "line_bytes") {
      EXPECT_EQ(c.word_width / 8, value.get<std::uint64_t>());
    } else if (field == "associativity") {
      EXPECT_EQ(c.associativity, value.get<int>());
    } else if (field == "cache_access_mode") {
      EXPECT_EQ(nvsim_name(c.cache_access_mode), value.get<std::string>());
    } else if (field == "use_cacti_assumption") {
      EXPECT_EQ(c.use_cacti_assumption ? "Yes" : "No", value.get<std::string>());
    } else {
      ADD_FAILURE() << "summary field '" << field << "' is not checked by this test";
    }
  }
}

NvsimConfig without_diagnostics(NvsimConfig c) {
  c.ignored_keys.clear();
  c.warnings.clear();
  return c;
}

TEST(NvsimConfig, EveryReferenceCfgLoadsAndMatchesItsRecordedSummary) {
  if (!have_reference()) GTEST_SKIP() << "no reference data at " << reference_dir();
  std::size_t accepted = 0, loaded = 0;
  for (const auto& c : reference_cases()) {
    const std::string id = c["id"];
    if (id == kUnitTypoCase) continue;  // NVSim's reader misreads it; ours rejects it (test below)
    SCOPED_TRACE(id);
    const fs::path path = reference_dir() / c["inputs"]["cfg_file"].get<std::string>();
    NvsimConfig cfg;
    ASSERT_NO_THROW(cfg = load_nvsim_config(path));
    ++loaded;
    if (c["status"] == "ok") ++accepted;
    expect_matches_summary(cfg, c["inputs"]["summary"], path);
    // The keys NVSim does not read are exactly the ones we report as ignored, in file order.
    EXPECT_EQ(cfg.ignored_keys, c["inputs"]["cfg_keys_not_read_by_nvsim"].get<std::vector<std::string>>());
    for (const auto& key : cfg.ignored_keys) {
      const auto warned = std::any_of(cfg.warnings.begin(), cfg.warnings.end(), [&](const std::string& w) {
        return w.find(": " + key + " ignored (NVSim ignores it too)") != std::string::npos;
      });
      EXPECT_TRUE(warned) << key;
    }
  }
  // 108 RAM + 18 cache cases NVSim accepted; the 10 it rejected for model reasons read fine too.
  EXPECT_EQ(accepted, 126u);
  EXPECT_EQ(loaded, 136u);
}

TEST(NvsimConfig, SamplePcramReportsOptimizationAsIgnoredWithItsLine) {
  if (!have_reference()) GTEST_SKIP() << "no reference data at " << reference_dir();
  const fs::path path = reference_dir() / "inputs" / "nvsim-A-108.cfg";
  const std::string text = read_text(path);
  const auto line = std::count(text.begin(), text.begin() + static_cast<long>(text.find("-Optimization:")), '\n') + 1;
  const NvsimConfig cfg = load_nvsim_config(path);
  ASSERT_EQ(cfg.ignored_keys, std::vector<std::string>{"Optimization"});
  const std::string expected =
      path.string() + ":" + std::to_string(line) + ": Optimization ignored (NVSim ignores it too)";
  EXPECT_NE(std::find(cfg.warnings.begin(), cfg.warnings.end(), expected), cfg.warnings.end()) << expected;
}

TEST(NvsimConfig, ReferenceUnitTypoIsAConfigErrorNamingTheLine) {
  if (!have_reference()) GTEST_SKIP() << "no reference data at " << reference_dir();
  const fs::path path = reference_dir() / "inputs" / (std::string(kUnitTypoCase) + ".cfg");
  const std::string text = read_text(path);
  const auto at = text.find("-Capacity (kB)");
  ASSERT_NE(at, std::string::npos);
  const auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
  try {
    load_nvsim_config(path);
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(e.line(), line);
    EXPECT_EQ(e.key(), "Capacity (kB)");
    EXPECT_NE(std::string(e.what()).find("'-Capacity (KB)'"), std::string::npos) << e.what();
  }
}

TEST(NvsimConfig, EveryReferenceCfgRoundTripsThroughTheWriter) {
  if (!have_reference()) GTEST_SKIP() << "no reference data at " << reference_dir();
  std::size_t n = 0;
  for (const auto& c : reference_cases()) {
    if (c["id"] == kUnitTypoCase) continue;
    SCOPED_TRACE(c["id"].get<std::string>());
    const fs::path path = reference_dir() / c["inputs"]["cfg_file"].get<std::string>();
    const NvsimConfig first = load_nvsim_config(path);
    const std::string written = to_nvsim_config(first);
    const NvsimConfig again = read_nvsim_config(written, path);
    EXPECT_EQ(without_diagnostics(again), without_diagnostics(first)) << written;
    EXPECT_EQ(to_nvsim_config(again), written);
    ++n;
  }
  EXPECT_EQ(n, 136u);
}

// A configuration that sets every key NVSim reads, several away from their defaults.
const std::string kEveryKey =
    "// comment\n"
    "# another comment\n"
    "-DesignTarget: cache\n"
    "-OptimizationTarget: Exploration\n"
    "-OutputFilePrefix: sweep\n"
    "-EnablePruning: Yes\n"
    "-ProcessNode: 45\n"
    "-Capacity (B): 1536\n"
    "-WordWidth (bit): 128\n"
    "-Associativity (for cache only): 3\n"
    "-CacheAccessMode: Fast\n"
    "-WriteScheme: WriteAndVerify\n"
    "-DeviceRoadmap: LSTP\n"
    "-LocalWireType: SemiConservative\n"
    "-LocalWireRepeaterType: Repeated30%Penalty\n"
    "-LocalWireUseLowSwing: Yes\n"
    "-GlobalWireType: GlobalConservative\n"
    "-GlobalWireRepeaterType: RepeatedOpt\n"
    "-GlobalWireUseLowSwing: No\n"
    "-Routing: non-H-tree\n"
    "-InternalSensing: false\n"
    "-MaxNmosSize (F): 150.5\n"
    "-MaxDriverCurrent (uA): 12.3\n"
    "-MemoryCellInputFile: ../cells/x.cell\n"
    "-Temperature (K): 390\n"
    "-BufferDesignOptimization: balance\n"
    "-FlashPageSize (Byte): 2048\n"
    "-FlashBlockSize (KB): 128\n"
    "-ForceBank (Total AxB, Active CxD): 8x4, 1x4\n"
    "-UseCactiAssumption: Yes\n"
    "-ForceMat (Total AxB, Active CxD): 2x1,2x1\n"
    "-ForceMuxSenseAmp: 8 \n"
    "-ForceMuxOutputLev1: 2\n"
    "-ForceMuxOutputLev2: 4\n"
    "-ApplyReadLatencyConstraint: 0.1\n"
    "-ApplyWriteLatencyConstraint: 0.2\n"
    "-ApplyReadDynamicEnergyConstraint: 0.3\n"
    "-ApplyWriteDynamicEnergyConstraint: 0.4\n"
    "-ApplyLeakageConstraint: 0.5\n"
    "-ApplyAreaConstraint: 1\n"
    "-ApplyReadEdpConstraint: 0.7\n"
    "-ApplyWriteEdpConstraint: 0.8\n";

TEST(NvsimConfig, EveryKeyIsReadInSi) {
  const NvsimConfig c = read_nvsim_config(kEveryKey, "/work/cfgs/all.cfg");
  EXPECT_EQ(c.design_target, DesignTarget::cache);
  EXPECT_EQ(c.optimization_target, OptimizationTarget::exploration);
  EXPECT_EQ(c.output_file_prefix, "sweep");
  EXPECT_TRUE(c.enable_pruning);
  EXPECT_DOUBLE_EQ(c.process_node, 45e-9);
  EXPECT_EQ(c.capacity, 1536u);
  EXPECT_EQ(c.word_width, 128u);
  EXPECT_EQ(c.associativity, 3);
  EXPECT_EQ(c.cache_access_mode, CacheAccessMode::fast);
  EXPECT_EQ(c.write_scheme, WriteScheme::write_and_verify);
  EXPECT_EQ(c.device_roadmap, DeviceRoadmap::lstp);
  EXPECT_EQ(c.local_wire, (WireSetting{WireType::semi_conservative, RepeaterType::penalty_30, true}));
  EXPECT_EQ(c.global_wire, (WireSetting{WireType::global_conservative, RepeaterType::optimal, false}));
  EXPECT_EQ(c.routing, Routing::non_h_tree);
  EXPECT_FALSE(c.internal_sensing);
  EXPECT_EQ(c.max_nmos_size, 150.5);
  ASSERT_TRUE(c.max_driver_current.has_value());
  EXPECT_DOUBLE_EQ(*c.max_driver_current, 12.3e-6);
  EXPECT_EQ(c.cell_file_as_written, "../cells/x.cell");
  EXPECT_EQ(c.cell_file, fs::path("/work/cells/x.cell"));
  EXPECT_EQ(c.temperature, 390.0);
  EXPECT_EQ(c.buffer_design, BufferDesignStyle::balance);
  EXPECT_EQ(c.flash_page_size, 2048u);
  EXPECT_EQ(c.flash_block_size, 128u * 1024u);
  EXPECT_EQ(c.force_bank, (ForcedGrid{8, 4, 1, 4}));
  EXPECT_EQ(c.force_mat, (ForcedGrid{2, 1, 2, 1}));
  EXPECT_EQ(c.force_mux_sense_amp, 8);
  EXPECT_EQ(c.force_mux_output_lev1, 2);
  EXPECT_EQ(c.force_mux_output_lev2, 4);
  EXPECT_TRUE(c.use_cacti_assumption);
  EXPECT_TRUE(c.cacti_assumption_after_force_bank);  // the ForceBank line came first: overridden
  EXPECT_FALSE(c.cacti_assumption_after_force_mat);  // the ForceMat line came after: it wins
  EXPECT_EQ(c.constraints.read_latency, 0.1);
  EXPECT_EQ(c.constraints.area, 1.0);
  EXPECT_EQ(c.constraints.write_edp, 0.8);
  EXPECT_TRUE(c.ignored_keys.empty());
  // MaxDriverCurrent (unused by NVSim) and the CACTI-assumption override are both warned about.
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("MaxDriverCurrent (uA) is parsed but never used"), std::string::npos);
  EXPECT_NE(c.warnings[1].find("overrides the active part of -ForceBank"), std::string::npos);
}

TEST(NvsimConfig, WriterRoundTripsEveryKey) {
  const NvsimConfig first = read_nvsim_config(kEveryKey, "/work/cfgs/all.cfg");
  const std::string written = to_nvsim_config(first);
  const NvsimConfig again = read_nvsim_config(written, "/work/cfgs/all.cfg");
  EXPECT_EQ(without_diagnostics(again), without_diagnostics(first)) << written;
  // The CACTI assumption's order relative to the Force lines survives (it changes NVSim's result).
  EXPECT_LT(written.find("-ForceBank"), written.find("-UseCactiAssumption"));
  EXPECT_GT(written.find("-ForceMat"), written.find("-UseCactiAssumption"));
}

TEST(NvsimConfig, WriterPicksTheLargestExactCapacityUnit) {
  NvsimConfig c = read_nvsim_config(kEveryKey, "a.cfg");
  for (const auto& [bytes, line] : {std::pair<std::uint64_t, std::string>{8u << 20, "-Capacity (MB): 8\n"},
                                    {3u << 10, "-Capacity (KB): 3\n"},
                                    {1000u, "-Capacity (B): 1000\n"}}) {
    c.capacity = bytes;
    const std::string text = to_nvsim_config(c);
    EXPECT_NE(text.find(line), std::string::npos) << text;
    EXPECT_EQ(read_nvsim_config(text, "a.cfg").capacity, bytes);
  }
}

TEST(NvsimConfig, WriterRefusesValuesNvsimCannotRead) {
  NvsimConfig c = read_nvsim_config(kEveryKey, "a.cfg");
  c.process_node = 22.5e-9;
  EXPECT_THROW(to_nvsim_config(c), ModelError);
  c = read_nvsim_config(kEveryKey, "a.cfg");
  c.temperature = 350.5;
  EXPECT_THROW(to_nvsim_config(c), ModelError);
}

// The smallest valid RAM configuration; line numbers in the comments.
const std::string kRam =
    "-DesignTarget: RAM\n"                            // 1
    "-ProcessNode: 32\n"                              // 2
    "-Capacity (KB): 64\n"                            // 3
    "-WordWidth (bit): 256\n"                         // 4
    "-DeviceRoadmap: HP\n"                            // 5
    "-GlobalWireUseLowSwing: No\n"                    // 6
    "-MemoryCellInputFile: SRAM.cell\n"               // 7
    "-Temperature (K): 350\n"                         // 8
    "-ForceBank (Total AxB, Active CxD): 4x4, 1x4\n"  // 9
    "-OptimizationTarget: ReadLatency\n";             // 10

TEST(NvsimConfig, DefaultsAreNvsimsAndNotSilent) {
  const NvsimConfig c = read_nvsim_config(
      "-Capacity (MB): 1\n-WordWidth (bit): 64\n-DeviceRoadmap: LOP\n-MemoryCellInputFile: a.cell\n"
      "-Temperature (K): 300\n-Associativity (for cache only): 4\n",
      "d.cfg");
  EXPECT_EQ(c.design_target, DesignTarget::cache);
  EXPECT_EQ(c.process_node, 90e-9);
  EXPECT_EQ(c.optimization_target, OptimizationTarget::read_latency);
  EXPECT_FALSE(c.buffer_design.has_value());  // searched over
  EXPECT_FALSE(c.local_wire.type.has_value());
  EXPECT_EQ(c.max_nmos_size, 100.0);
  ASSERT_EQ(c.warnings.size(), 3u);
  EXPECT_EQ(c.warnings[0], "d.cfg: -DesignTarget not given: NVSim's default cache");
  EXPECT_EQ(c.warnings[1], "d.cfg: -ProcessNode not given: NVSim's default 90 (nm)");
  EXPECT_EQ(c.warnings[2], "d.cfg: -OptimizationTarget not given: NVSim's default ReadLatency");
}

TEST(NvsimConfig, CellPathIsResolvedAgainstTheCfgDirectory) {
  EXPECT_EQ(read_nvsim_config(kRam, "/data/nvsim/inputs/a.cfg").cell_file, fs::path("/data/nvsim/inputs/SRAM.cell"));
  EXPECT_EQ(read_nvsim_config(kRam, "a.cfg").cell_file, fs::path("SRAM.cell"));
  std::string absolute = kRam;
  absolute.replace(absolute.find("SRAM.cell"), 9, "/abs/SRAM.cell");
  EXPECT_EQ(read_nvsim_config(absolute, "/data/a.cfg").cell_file, fs::path("/abs/SRAM.cell"));
}

TEST(NvsimConfig, LoadingAMissingFileIsAnIoError) {
  EXPECT_THROW(load_nvsim_config("/nonexistent/deepnvm/x.cfg"), IoError);
}

struct BadCfg {
  std::string name, text;
  std::size_t line;
  std::string key, expected;
};

void PrintTo(const BadCfg& c, std::ostream* os) { *os << c.name; }

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test text lacks " + from);
  return text.replace(at, from.size(), to);
}

class BadNvsimCfg : public ::testing::TestWithParam<BadCfg> {};

TEST_P(BadNvsimCfg, IsAConfigErrorNamingFileLineAndKey) {
  const BadCfg& c = GetParam();
  testing::expect_config_error([&] { read_nvsim_config(c.text, "bad.cfg"); }, "bad.cfg", c.line, c.key, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    NvsimConfig, BadNvsimCfg,
    ::testing::Values(
        BadCfg{"unknown_key", kRam + "-WordWdth (bit): 64\n", 11, "WordWdth (bit)", "did you mean 'WordWidth (bit)'"},
        BadCfg{"unknown_key_far_from_any", kRam + "-Colour: blue\n", 11, "Colour", "unknown NVSim configuration key"},
        BadCfg{"capacity_unit_typo", replace(kRam, "Capacity (KB)", "Capacity (kB)"), 3, "Capacity (kB)",
               "only as '-Capacity (B)', '-Capacity (KB)' or '-Capacity (MB)'"},
        BadCfg{"temperature_unit_typo", replace(kRam, "Temperature (K)", "Temperature (C)"), 8, "Temperature (C)",
               "'-Temperature (K)'"},
        BadCfg{"unit_on_a_unitless_key", replace(kRam, "-ProcessNode: 32", "-ProcessNode (nm): 32"), 2,
               "ProcessNode (nm)", "without a unit, as '-ProcessNode'"},
        // NVSim matches "-Associativity" and scans "(for cache only)": without it, one way silently.
        BadCfg{"associativity_without_its_label", kRam + "-Associativity: 8\n", 11, "Associativity",
               "'-Associativity (for cache only)'"},
        BadCfg{"malformed_capacity", replace(kRam, "(KB): 64", "(KB): 64abc"), 3, "Capacity (KB)",
               "expected a whole number"},
        BadCfg{"fractional_temperature", replace(kRam, "(K): 350", "(K): 350.5"), 8, "Temperature (K)",
               "expected a whole number"},
        BadCfg{"malformed_force_bank", replace(kRam, "4x4, 1x4", "4x4 1x4"), 9, "ForceBank (Total AxB, Active CxD)",
               "expected 'AxB, CxD'"},
        BadCfg{"active_exceeds_total", replace(kRam, "4x4, 1x4", "4x4, 1x8"), 9, "ForceBank (Total AxB, Active CxD)",
               "exceeds the total"},
        BadCfg{"negative_capacity", replace(kRam, "(KB): 64", "(KB): -64"), 3, "Capacity (KB)", "must be positive"},
        BadCfg{"zero_capacity", replace(kRam, "(KB): 64", "(KB): 0"), 3, "Capacity (KB)", "must be positive"},
        BadCfg{"capacity_overflows_in_mb", replace(kRam, "-Capacity (KB): 64", "-Capacity (MB): 9999999999999"), 3,
               "Capacity (MB)", "not representable"},
        BadCfg{"capacity_beyond_64_bits", replace(kRam, "-Capacity (KB): 64", "-Capacity (B): 99999999999999999999"), 3,
               "Capacity (B)", "not representable"},
        BadCfg{"zero_word_width", replace(kRam, "(bit): 256", "(bit): 0"), 4, "WordWidth (bit)", "must be positive"},
        BadCfg{"missing_temperature", replace(kRam, "-Temperature (K): 350\n", ""), 0, "Temperature (K)",
               "missing required key: -Temperature (K)"},
        BadCfg{"missing_several", replace(replace(kRam, "-Capacity (KB): 64\n", ""), "-DeviceRoadmap: HP\n", ""), 0,
               "Capacity", "missing required keys: -Capacity (B|KB|MB), -DeviceRoadmap"},
        BadCfg{"cache_without_associativity", replace(kRam, "-DesignTarget: RAM", "-DesignTarget: cache"), 0,
               "Associativity (for cache only)", "missing required key"},
        BadCfg{"unknown_roadmap", replace(kRam, "-DeviceRoadmap: HP", "-DeviceRoadmap: HPP"), 5, "DeviceRoadmap",
               "did you mean 'HP'"},
        // NVSim compares with strcmp: "yes" would silently mean No.
        BadCfg{"lower_case_yes", replace(kRam, "LowSwing: No", "LowSwing: yes"), 6, "GlobalWireUseLowSwing",
               "did you mean 'Yes'"},
        BadCfg{"unknown_design_target", replace(kRam, "-DesignTarget: RAM", "-DesignTarget: ROM"), 1, "DesignTarget",
               "'ROM' is not one of 'RAM', 'cache' or 'CAM'"},
        BadCfg{"duplicate_key", kRam + "-WordWidth (bit): 64\n", 11, "WordWidth (bit)",
               "duplicate key (first given on line 4)"},
        BadCfg{"capacity_in_two_units", kRam + "-Capacity (MB): 1\n", 11, "Capacity (MB)",
               "duplicate key (first given on line 3 as '-Capacity (KB)')"},
        BadCfg{"garbage_line", kRam + "Temperature 350\n", 11, "", "expected '-Key: value'"},
        BadCfg{"space_before_colon", replace(kRam, "-DeviceRoadmap: HP", "-DeviceRoadmap : HP"), 5, "DeviceRoadmap",
               "no space allowed"},
        BadCfg{"blank_in_cell_path", replace(kRam, "SRAM.cell", "my SRAM.cell"), 7, "MemoryCellInputFile",
               "NVSim reads only the first word"},
        BadCfg{"empty_value", replace(kRam, "-DeviceRoadmap: HP", "-DeviceRoadmap:"), 5, "DeviceRoadmap",
               "missing value"},
        BadCfg{"negative_constraint", kRam + "-ApplyAreaConstraint: -0.5\n", 11, "ApplyAreaConstraint",
               "must not be negative"},
        BadCfg{"word_wider_than_the_memory", replace(kRam, "(KB): 64", "(B): 16"), 3, "Capacity",
               "fewer bits than one 256-bit word"}),
    [](const auto& info) { return info.param.name; });

TEST(NvsimConfig, ACacheLineMustBeWholeBytes) {
  const std::string text =
      replace(kRam, "-DesignTarget: RAM", "-DesignTarget: cache") + "-Associativity (for cache only): 8\n";
  EXPECT_THROW(read_nvsim_config(replace(text, "(bit): 256", "(bit): 260"), "c.cfg"), ConfigError);
  EXPECT_NO_THROW(read_nvsim_config(text, "c.cfg"));
}

}  // namespace
}  // namespace deepnvm
