// SPDX-License-Identifier: MIT
// The deepnvm executable end to end: exit codes, one-line errors on stderr, no partial output.
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "deepnvm/core/process.h"

#include "cli_fixture.h"
#include "reference_data.h"

namespace {

using namespace deepnvm_cli_test;

TEST_F(Cli, HelpAndVersionExitZero) {
  Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage"), std::string::npos);
  for (const char* sub : {"units", "schema", "check"}) {
    r = run({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("--json"), std::string::npos) << sub;  // global options are shown everywhere
  }
  r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with("deepnvm ")) << r.out;
}

TEST_F(Cli, CommandLineErrorsExitTwoOnOneLine) {
  expect_input_error({"--no-such-option"}, {});
  expect_input_error({"units", "--no-such-option", "1 nm"}, {"--no-such-option"});
  expect_input_error({"no-such-command"}, {"no-such-command"});
  expect_input_error({"units"}, {"quantity"});
  expect_input_error({"--threads", "many", "units", "1 nm"}, {"threads"});
  expect_input_error({"--threads", "-1", "units", "1 nm"}, {"threads"});
  expect_input_error({"units", "8 KB"}, {"ambiguous", "KiB", "kB"});
  expect_input_error({"units", "22 nmm"}, {"did you mean 'nm'"});
  expect_input_error({"schema", "no_such_kind"}, {"unknown input kind 'no_such_kind'"});
}

TEST_F(Cli, GlobalOptionsAreAcceptedAnywhere) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--json", "units", "22 nm"},
                                                                {"units", "--json", "22 nm"},
                                                                {"units", "22 nm", "--json", "--quiet"},
                                                                {"--threads", "2", "units", "22 nm", "--json"},
                                                                {"units", "22 nm", "--threads", "1", "--json"}}) {
    const Result r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);  // exactly one JSON document on stdout
    EXPECT_EQ(doc["json_schema_version"], 1);
    EXPECT_DOUBLE_EQ(doc["quantities"][0]["value_si"].get<double>(), 22e-9);
  }
}

TEST_F(Cli, UnitsPrintsATableWithoutJson) {
  const Result r = run({"units", "2816 KiB", "0.5 ns"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("2.75 MiB"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("500 ps"), std::string::npos) << r.out;
}

TEST_F(Cli, FileErrorsExitTwoAndWriteNothing) {
  const fs::path out = dir_ / "out.json";
  write("empty.yaml", "");
  write("malformed.yaml", "kind: x\nvalues: [1, 2\n");
  write("nokind.yaml", "name: x\n");
  write("list.yaml", "- a\n- b\n");
  write("badkind.yaml", "# comment\nkind: no_such_kind\n");
  fs::create_directories(dir_ / "adir");
  expect_input_error({"check", "absent.yaml", "--out", out.string()}, {"absent.yaml", "no such file"});
  expect_input_error({"check", "adir", "--out", out.string()}, {"adir", "directory"});
  expect_input_error({"check", "empty.yaml", "--out", out.string()}, {"empty.yaml", "empty"});
  expect_input_error({"check", "malformed.yaml", "--out", out.string()}, {"malformed.yaml:3", "malformed"});
  expect_input_error({"check", "nokind.yaml", "--out", out.string()}, {"nokind.yaml:1", "'kind'"});
  expect_input_error({"check", "list.yaml", "--out", out.string()}, {"list.yaml:1", "mapping"});
  expect_input_error({"check", "badkind.yaml", "--out", out.string()}, {"badkind.yaml:2", "'kind'", "no_such_kind"});
  EXPECT_FALSE(fs::exists(out));
  // Nothing else was left behind either: no temporary files.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"adir", "badkind.yaml", "empty.yaml", "list.yaml", "malformed.yaml",
                                            "nokind.yaml"}));
}

// Bad technology files, each made from the real 22 nm NVSim file by one edit. The expected line is
// found from the edited text itself, so the cases stay right when the data file changes.
struct FileCase {
  std::string name;
  std::string find;     // text of the original file to replace (first occurrence)
  std::string replace;  // what to put there
  int line_offset;      // expected line relative to the line of `find` (e.g. 1 for the line after it)
  std::string key;      // key the message must name ("" for none)
  std::string expected;
};

void PrintTo(const FileCase& c, std::ostream* os) { *os << c.name; }

class BadTechnologyFile : public Cli, public ::testing::WithParamInterface<FileCase> {};

TEST_P(BadTechnologyFile, ExitsTwoNamingFileLineAndKeyAndWritesNothing) {
  const FileCase& c = GetParam();
  std::string text = slurp(fs::path(DEEPNVM_DATA_DIR) / "tech" / "nvsim" / "22nm.yaml");
  const auto at = text.find(c.find);
  ASSERT_NE(at, std::string::npos) << "the data file no longer contains: " << c.find;
  const auto line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
                    1 + c.line_offset;
  text.replace(at, c.find.size(), c.replace);
  write("bad.yaml", text);
  const fs::path out = dir_ / "out.json";
  std::vector<std::string> mentions{"bad.yaml:" + std::to_string(line) + ":", c.expected};
  if (!c.key.empty()) mentions.push_back("key '" + c.key + "'");
  expect_input_error({"check", "bad.yaml", "--out", out.string(), "--json"}, mentions);
  EXPECT_FALSE(fs::exists(out));
}

const std::vector<FileCase> kFileCases{
    {"unknown_key_with_suggestion", "    vth: 0.12872 V", "    vht: 0.12872 V", 0, "vht", "did you mean 'vth'"},
    {"unknown_top_level_key", "process: planar_bulk", "process: planar_bulk\ncolour: blue", 1, "colour", "unknown key"},
    {"missing_unit", "vdd: 0.9 V", "vdd: 0.9", 0, "vdd", "missing unit"},
    {"wrong_dimension", "vdd: 0.9 V", "vdd: 0.9 ns", 0, "vdd", "expected a voltage"},
    {"unit_typo", "vdd: 0.9 V", "vdd: 0.9 Vv", 0, "vdd", "unknown unit 'Vv'"},
    {"negative_length", "gate_length: 10 nm", "gate_length: -10 nm", 0, "gate_length", "out of range"},
    {"zero_length", "gate_length: 10 nm", "gate_length: 0 nm", 0, "gate_length", "out of range"},
    {"nan", "vdd: 0.9 V", "vdd: nan V", 0, "vdd", "finite"},
    {"infinity", "vdd: 0.9 V", "vdd: inf V", 0, "vdd", "finite"},
    {"huge", "vdd: 0.9 V", "vdd: 1e400 V", 0, "vdd", "range"},
    {"wrong_type", "pn_size_ratio: 2\n", "pn_size_ratio: two\n", 0, "pn_size_ratio", "not a number"},
    {"unknown_choice", "flavour: hp", "flavour: hpp", 0, "flavour", "did you mean 'hp'"},
    {"scalar_for_list", "temperatures: [300 K, 310 K, 320 K", "temperatures: 300 K #", 0, "temperatures",
     "expected a list"},
    {"list_lengths_differ", "on_current_n: [2029.9 uA/um, 2009.8 uA/um, ", "on_current_n: [", 0, "on_current_n", "11"},
    {"duplicate_key", "    vth: 0.12872 V", "    vth: 0.12872 V\n    vth: 0.2 V", 1, "vth", "duplicate key"},
    {"empty_value", "vdd: 0.9 V", "vdd:", 0, "vdd", "missing value"},
    {"missing_required_key", "    vdd: 0.9 V\n", "", -2, "vdd", "missing required key"},
    {"threshold_above_supply", "vth: 0.12872 V", "vth: 1.5 V", 0, "vth", "not below vdd"},
    {"malformed_yaml", "devices:\n", "devices: [\n", 1, "", "malformed"},
    {"tab_indentation", "    vdd: 0.9 V", "\tvdd: 0.9 V", 0, "", "malformed"},
    {"unknown_kind", "kind: technology", "kind: technolgy", 0, "kind", "did you mean 'technology'"},
    {"invalid_utf8", "name: nvsim-22nm", "name: nvsim-\xff", 0, "", "UTF-8"},
    {"mapping_for_scalar", "name: nvsim-22nm", "name: {a: 1}", 0, "name", "expected a single value"},
};

INSTANTIATE_TEST_SUITE_P(Cli, BadTechnologyFile, ::testing::ValuesIn(kFileCases),
                         [](const auto& info) { return info.param.name; });

TEST_F(Cli, CheckAcceptsTheShippedDataAndWritesNormalizedJson) {
  const fs::path file = fs::path(DEEPNVM_DATA_DIR) / "tech" / "nvsim" / "22nm.yaml";
  const fs::path out = dir_ / "out.json";
  const Result r = run({"check", file.string(), "--out", out.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto printed = nlohmann::json::parse(r.out);
  const auto written = nlohmann::json::parse(slurp(out));
  EXPECT_EQ(printed, written);
  EXPECT_EQ(written["files"][0]["kind"], "technology");
  EXPECT_DOUBLE_EQ(written["files"][0]["values"]["node"].get<double>(), 22e-9);
}

TEST_F(Cli, JsonOutputSurvivesAFileNameThatIsNotUtf8) {
  const std::string name = "tech\xff.yaml";
  fs::copy_file(fs::path(DEEPNVM_DATA_DIR) / "tech" / "nvsim" / "22nm.yaml", dir_ / name);
  const Result r = run({"check", name, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto printed = nlohmann::json::parse(r.out);
  EXPECT_EQ(printed["files"][0]["file"], "tech\xef\xbf\xbd.yaml");  // U+FFFD in place of the bad byte
}

TEST_F(Cli, SchemaListsKindsAndDescribesTechnology) {
  Result r = run({"schema"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("technology"), std::string::npos);
  r = run({"schema", "technology", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"]["kind"], "technology");
  EXPECT_FALSE(doc["schema"]["fields"].empty());
}

TEST_F(Cli, CellShowWithoutANodeLeavesNodeDependentFiguresNull) {
  const fs::path cell = fs::path(DEEPNVM_DATA_DIR) / "cells" / "stt_mram.yaml";
  const Result r = run({"cell", "show", cell.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto c = nlohmann::json::parse(r.out)["cell"];
  EXPECT_TRUE(c["node"].is_null());
  EXPECT_TRUE(c["area_m2"].is_null());
  EXPECT_TRUE(c["leakage_w"].is_null());
  EXPECT_GT(c["write"]["set_current_a"].get<double>(), 0.0);
  EXPECT_GT(c["retention_s"].get<double>(), 0.0);
  for (const char* key :
       {"cell_type", "node", "area_f2", "area_m2", "width_f", "height_f", "aspect_ratio", "r_on_ohm", "r_off_ohm",
        "read", "write", "leakage_w", "sources", "retention_s", "write_error_rate", "read_disturb_probability"})
    EXPECT_TRUE(c.contains(key)) << key;
}

TEST_F(Cli, CellShowAtANodeSizesTheCellAndEmitsAnNvsimCellThatReadsBack) {
  const fs::path cell = fs::path(DEEPNVM_DATA_DIR) / "cells" / "stt_mram.yaml";
  const fs::path emitted = dir_ / "stt.cell";
  Result r = run({"cell", "show", cell.string(), "--node", "16 nm", "--emit-nvsim", emitted.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto ours = nlohmann::json::parse(r.out)["cell"];
  EXPECT_DOUBLE_EQ(ours["node"].get<double>(), 16e-9);
  EXPECT_EQ(nlohmann::json::parse(r.out)["technology"]["interpolated"], false);
  EXPECT_GT(ours["area_m2"].get<double>(), 0.0);
  r = run({"cell", "show", emitted.string(), "--node", "16 nm", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto back = nlohmann::json::parse(r.out)["cell"];
  EXPECT_NEAR(back["area_f2"].get<double>(), ours["area_f2"].get<double>(), 1e-6);
  EXPECT_NEAR(back["r_on_ohm"].get<double>(), ours["r_on_ohm"].get<double>(), 1e-6);
  EXPECT_NEAR(back["write"]["set_current_a"].get<double>(), ours["write"]["set_current_a"].get<double>(), 1e-12);
}

TEST_F(Cli, CellShowAtAnIntermediateNodeSaysItIsInterpolated) {
  const fs::path cell = fs::path(DEEPNVM_DATA_DIR) / "cells" / "sram_146f2.yaml";
  const Result r = run({"cell", "show", cell.string(), "--node", "28 nm", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["technology"]["interpolated"], true);
  EXPECT_GT(doc["cell"]["leakage_w"].get<double>(), 0.0);
}

TEST_F(Cli, NetworkListAndShowDescribeTheZoo) {
  Result r = run({"network", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out)["networks"];
  ASSERT_EQ(list.size(), 13u);
  const auto resnet50 = std::find_if(list.begin(), list.end(), [](const auto& n) { return n["name"] == "resnet50"; });
  ASSERT_NE(resnet50, list.end());
  EXPECT_EQ((*resnet50)["parameters"], 25557032);  // torchvision 0.14 resnet50
  r = run({"network", "show", "resnet18", "--batch", "2", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto net = nlohmann::json::parse(r.out);
  std::int64_t sum = 0;
  for (const auto& layer : net["layers"]) sum += layer["flops"].get<std::int64_t>();
  EXPECT_EQ(sum, net["flops"].get<std::int64_t>());  // per-layer FLOPs add up to the total
  expect_input_error({"network", "show", "resnet51"}, {"unknown network 'resnet51'", "did you mean 'resnet50'"});
  expect_input_error({"network", "list", "--batch", "0"}, {"--batch"});
}

TEST_F(Cli, BadCellFilesExitTwo) {
  write("typo.cell", "-MemCellType: MRAM\n-CellAreaa (F^2): 5\n");
  write("kind.yaml", "kind: stt_mram_cel\nname: x\n");
  expect_input_error({"cell", "show", "typo.cell"}, {"typo.cell:2:", "CellAreaa"});
  expect_input_error({"cell", "show", "kind.yaml"}, {"kind.yaml:1:", "did you mean 'stt_mram_cell'"});
  expect_input_error({"cell", "show", "absent.cell"}, {"absent.cell", "no such file"});
  const fs::path cell = fs::path(DEEPNVM_DATA_DIR) / "cells" / "stt_mram.yaml";
  expect_input_error({"cell", "show", cell.string(), "--node", "16 mm"}, {"has no 16 mm node"});
  expect_input_error({"cell", "show", cell.string(), "--node", "16"}, {"--node", "missing unit"});
  expect_input_error({"cell", "show", cell.string(), "--node", "-16 nm"}, {"--node", "positive"});
  expect_input_error({"cell", "show", cell.string(), "--temperature", "0 K"}, {"--temperature", "above 0 K"});
  expect_input_error({"cell", "show", cell.string(), "--temperature", "5000 K"}, {"--temperature"});
}

// docs/reference/input-files.md is generated from the declarations; it must not drift from them.
TEST_F(Cli, GeneratedInputReferenceIsUpToDate) {
  const Result r = run({"schema", "--markdown"});
  ASSERT_EQ(r.code, 0) << r.err;
  const fs::path committed = fs::path(DEEPNVM_SOURCE_DIR) / "docs" / "reference" / "input-files.md";
  EXPECT_EQ(slurp(committed), r.out) << "regenerate with: deepnvm schema --markdown > docs/reference/input-files.md";
}

// .ci/run must run exactly the test command the README gives.
// The `deepnvm array --nvsim-cfg FILE --json` contract other tools depend on: exactly these
// lower-case top-level SI keys (plus the allowed envelope keys), cache keys for caches.
TEST_F(Cli, ArrayJsonKeepsTheContractKeysAndMatchesNvsim) {
  if (!deepnvm::testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  const fs::path ref = deepnvm::testing::nvsim_reference_dir();
  const std::set<std::string> ram_keys{"area_m2",        "read_latency_s", "write_latency_s", "read_energy_j",
                                       "write_energy_j", "leakage_w",      "organization",    "breakdown"};
  const std::set<std::string> allowed{"context", "json_schema_version", "warnings", "ignored_keys"};
  const auto cases = deepnvm::testing::nvsim_reference_cases();
  for (const std::string id : {"nvsim-A-001", "nvsim-A-053", "nvsim-B-13"}) {
    const Result r = run({"array", "--nvsim-cfg", (ref / "inputs" / (id + ".cfg")).string(), "--cell-dir",
                          (ref / "cells").string(), "--json"});
    ASSERT_EQ(r.code, 0) << id << ": " << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    std::set<std::string> expected = ram_keys;
    const bool cache = id == "nvsim-B-13";
    if (cache) expected.insert({"hit_latency_s", "miss_latency_s", "hit_energy_j", "miss_energy_j"});
    if (id == "nvsim-A-053") expected.insert({"set_latency_s", "reset_latency_s", "set_energy_j", "reset_energy_j"});
    std::set<std::string> keys;
    for (const auto& [k, v] : doc.items())
      if (!allowed.contains(k)) keys.insert(k);
    EXPECT_EQ(keys, expected) << id;
    const auto it = std::find_if(cases.begin(), cases.end(), [&](const auto& c) { return c["id"] == id; });
    ASSERT_NE(it, cases.end());
    const auto& res = (*it)["results"];
    const double area = res["area_m2"];
    EXPECT_NEAR(doc["area_m2"].get<double>(), area, 0.01 * area);
    const double leak = res["leakage_power_W"];
    EXPECT_NEAR(doc["leakage_w"].get<double>(), leak, 0.01 * leak) << id;
    if (cache) {
      EXPECT_TRUE(doc["organization"].contains("data_array") && doc["organization"].contains("tag_array"));
      EXPECT_EQ(doc["read_latency_s"], doc["hit_latency_s"]);
      EXPECT_EQ(doc["organization"]["data_array"]["mats_per_bank"],
                (*it)["organization"]["data_array"]["mats_per_bank"]);
    } else {
      EXPECT_EQ(doc["organization"]["subarray_rows"], (*it)["organization"]["subarray_rows"]);
    }
  }
}

TEST_F(Cli, ArrayRefusesBadConfigurationsWithExitTwo) {
  if (!deepnvm::testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  const fs::path ref = deepnvm::testing::nvsim_reference_dir();
  const std::string cells = (ref / "cells").string();
  // NVSim rejects these (reference README §3): the reason is named on one line.
  expect_input_error({"array", "--nvsim-cfg", (ref / "inputs" / "nvsim-A-R06.cfg").string(), "--cell-dir", cells},
                     {"no valid organisation", "sense-amp mux"});
  expect_input_error({"array", "--nvsim-cfg", (ref / "inputs" / "nvsim-A-R03.cfg").string(), "--cell-dir", cells},
                     {"Capacity (kB)", "wrong unit"});
  expect_input_error({"array", "--nvsim-cfg", (ref / "inputs" / "nvsim-A-R04.cfg").string(), "--cell-dir", cells},
                     {"external sensing"});
  // A cell file that is nowhere to be found, an unknown target and a word wider than the line.
  std::string cfg = slurp(ref / "inputs" / "nvsim-A-001.cfg");
  write("nocell.cfg", cfg);
  expect_input_error({"array", "--nvsim-cfg", "nocell.cfg"}, {"SRAM.cell", "not found"});
  std::string typo = cfg;
  typo.replace(typo.find("ReadLatency"), 11, "ReadLatncy");
  write("typo.cfg", typo);
  expect_input_error({"array", "--nvsim-cfg", "typo.cfg", "--cell-dir", cells}, {"ReadLatncy", "ReadLatency"});
}

TEST_F(Cli, ArrayEmitsAnNvsimConfigThatEvaluatesTheSame) {
  if (!deepnvm::testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  const fs::path ref = deepnvm::testing::nvsim_reference_dir();
  const std::string cells = (ref / "cells").string();
  const Result first = run({"array", "--nvsim-cfg", (ref / "inputs" / "nvsim-A-020.cfg").string(), "--cell-dir", cells,
                            "--emit-nvsim", "again.cfg", "--json"});
  ASSERT_EQ(first.code, 0) << first.err;
  const Result second = run({"array", "--nvsim-cfg", "again.cfg", "--cell-dir", cells, "--json"});
  ASSERT_EQ(second.code, 0) << second.err;
  auto a = nlohmann::json::parse(first.out), b = nlohmann::json::parse(second.out);
  a.erase("context");
  b.erase("context");
  EXPECT_EQ(a, b);
}

// The native array file: a small RAM of a native cell, and one split into slices.
TEST_F(Cli, ArrayFileEvaluatesANativeCellAndScalesSlices) {
  const std::string cells = (fs::path(DEEPNVM_DATA_DIR) / "cells").string();
  const std::string body =
      "kind: array\nname: t\ncell: " + cells +
      "/sot_mram.yaml\nnode: 16 nm\ndesign: ram\nline: 8 B\noptimize: read_latency\nbuffer_design: latency\n";
  write("one.yaml", body + "capacity: 64 KiB\n");
  write("four.yaml", body + "capacity: 256 KiB\nslices: 4\n");
  const Result one = run({"array", "one.yaml", "--json"});
  ASSERT_EQ(one.code, 0) << one.err;
  const Result four = run({"array", "four.yaml", "--json"});
  ASSERT_EQ(four.code, 0) << four.err;
  const auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(four.out);
  EXPECT_EQ(a["context"]["model"]["cell_type"], "sot_mram");
  EXPECT_EQ(a["context"]["model"]["node_source"], "deepnvm");
  EXPECT_NEAR(b["area_m2"].get<double>(), 4.0 * a["area_m2"].get<double>(), 1e-12);
  EXPECT_NEAR(b["leakage_w"].get<double>(), 4.0 * a["leakage_w"].get<double>(), 1e-12);
  EXPECT_EQ(b["read_latency_s"], a["read_latency_s"]);
  EXPECT_GT(a["write_latency_s"].get<double>(), 0.0);
  // A capacity that does not split into power-of-two slices, and a RAM given ways.
  write("odd.yaml", body + "capacity: 96 KiB\nslices: 2\n");
  expect_input_error({"array", "odd.yaml"}, {"odd.yaml", "'capacity'", "power of two"});
  write("ways.yaml", body + "capacity: 64 KiB\nassociativity: 4\n");
  expect_input_error({"array", "ways.yaml"}, {"ways.yaml", "'associativity'"});
  expect_input_error({"array"}, {"exactly one"});
}

TEST_F(Cli, RunRejectsBadStudyFilesAndWritesNothing) {
  const std::string study = slurp(fs::path(DEEPNVM_DATA_DIR) / "studies" / "deepnvm.yaml");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = study;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  write("typo.yaml", replaced("\nnetworks:", "\nnetwroks:"));
  expect_input_error({"run", "typo.yaml", "--out", "out"}, {"typo.yaml", "netwroks", "networks"});
  write("gpu.yaml", replaced("gpu: gtx1080ti", "gpu: gtx1090"));
  expect_input_error({"run", "gpu.yaml", "--out", "out"}, {"gpu.yaml", "gtx1090", "h100_sxm"});
  write("batch.yaml", replaced("training: [32]", "training: [-4]"));
  expect_input_error({"run", "batch.yaml", "--out", "out"}, {"batch.yaml"});
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "no partial output";
}

TEST(Readme, CiRunsTheReadmeTestCommand) {
  const std::string readme = slurp(fs::path(DEEPNVM_SOURCE_DIR) / "README.md");
  const std::string ci = slurp(fs::path(DEEPNVM_SOURCE_DIR) / ".ci" / "run");
  const std::string marker = "./scripts/install-deps && cmake -S . -B build";
  std::vector<std::string> commands;
  std::istringstream lines(readme);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(marker)) commands.push_back(line);
  ASSERT_EQ(commands.size(), 2u) << "the README opens with exactly two commands";
  EXPECT_NE(commands[1].find("ctest"), std::string::npos);
  EXPECT_NE(ci.find(commands[1]), std::string::npos) << "not in .ci/run: " << commands[1];
}

}  // namespace

namespace {

using namespace deepnvm_cli_test;

TEST_F(Cli, AccelRtlWritesTheModuleAndRejectsUnknownTypes) {
  Result r = run({"accel", "rtl", "--pe", "light2", "--overflow", "saturate"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("module pe_light2_a8_w3_acc25_sat ("), std::string::npos) << r.out;
  r = run({"accel", "rtl", "--pe", "int8", "--acc-bits", "20", "--out", "pe.v", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["module"], "pe_int_a8_w8_acc20_wrap");
  EXPECT_NE(slurp(dir_ / "pe.v").find("endmodule"), std::string::npos);
  expect_input_error({"accel", "rtl", "--pe", "int12"},
                     {"<command line>", "int12", "int16, int8, int4, light1 or light2"});
  expect_input_error({"accel", "rtl", "--pe", "int8", "--overflow", "clamp"}, {"overflow", "clamp"});
  expect_input_error({"accel", "rtl", "--pe", "int16", "--acc-bits", "8"}, {"<command line>", "acc_bits"});
}

TEST_F(Cli, AccelCharacterizeSynthesizesAndCostsAPe) {
  // Bad options fail before yosys is needed.
  expect_input_error({"accel", "characterize", "--pe", "int4", "--node", "16 parsecs"}, {"--node"});
  expect_input_error({"accel", "characterize", "--pe", "int4", "--macs", "10"}, {"--macs", "128"});
  if (deepnvm::find_program("yosys").empty()) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << "yosys is not on PATH (scripts/install-deps installs it)";
    GTEST_SKIP() << "yosys is not on PATH";
  }
  Result r = run({"accel", "characterize", "--pe", "int4", "--macs", "1024", "--work", "synth", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["pe"], "int_a4_w4_acc16_wrap");
  EXPECT_EQ(doc["macs_checked"], 1024);
  EXPECT_GT(doc["area_m2"].get<double>(), 0.0);
  EXPECT_GT(doc["energy_per_mac_j"].get<double>(), 0.0);
  EXPECT_EQ(doc["gates"]["total"].get<int>(),
            doc["gates"]["inv"].get<int>() + doc["gates"]["nand2"].get<int>() + doc["gates"]["nor2"].get<int>());
  EXPECT_TRUE(std::filesystem::exists(dir_ / "synth" / "netlist.json"));
  expect_input_error({"accel", "fit", "--overflow", "clamp"}, {"--overflow", "clamp"});
  expect_input_error({"accel", "fit", "--macs", "1"}, {"--macs"});
  r = run({"accel", "characterize", "--pe", "light1", "--macs", "1024"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("equal the reference"), std::string::npos) << r.out;
}

TEST_F(Cli, AccelDseWritesCsvJsonAndPlotsAndRejectsBadFilesWithoutOutput) {
  {
    std::ofstream bad(dir_ / "bad.yaml");
    bad << "kind: accel_dse\nname: bad\nnetworks: [resnet18]\nsweep:\n  glb: [128 KiX]\n";
  }
  expect_input_error({"accel", "dse", "bad.yaml", "--no-cache"}, {"bad.yaml:5", "glb[0]", "KiX"});
  EXPECT_FALSE(std::filesystem::exists(dir_ / "deepnvm-results"));
  const std::string sweep = std::string(DEEPNVM_SOURCE_DIR) + "/tests/accel/data/dse_small.yaml";
  const Result r = run({"accel", "dse", sweep, "--no-cache", "--out", "dse"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("36 configurations x 1 networks = 36 design points"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("resnet18"), std::string::npos) << r.out;
  const auto doc = nlohmann::json::parse(slurp(dir_ / "dse" / "dse.json"));
  EXPECT_EQ(doc["design_points"], 36);
  EXPECT_EQ(doc["summaries"][0]["network"], "resnet18");
  EXPECT_GE(doc["summaries"][0]["front_hw"].size(), 1u);
  const std::string csv = slurp(dir_ / "dse" / "dse.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 37);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "dse" / "dse_resnet18_hw.gp"));
}

}  // namespace
