// SPDX-License-Identifier: MIT
// The design model and the design-space exploration: register files, component figures, a golden
// sweep on a small space, the fronts, the accuracy join, the buffer cache and bad sweep files.
#include "deepnvm/accel/dse.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/tech/technology.h"
#include "deepnvm/workload/zoo.h"
#include "expect_config_error.h"

namespace deepnvm::accel {
namespace {

namespace fs = std::filesystem;
const fs::path kDataDir = DEEPNVM_DATA_DIR;
const fs::path kTestData = fs::path(DEEPNVM_SOURCE_DIR) / "tests/accel/data";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Pareto, FrontKeepsExactlyTheUndominatedPoints) {
  // x is maximized, y minimized.
  const std::vector<std::pair<double, double>> v{{1, 1}, {2, 2}, {2, 1.5}, {3, 3}, {0.5, 0.5}, {1, 2}, {3, 3}};
  std::vector<std::size_t> front = pareto_front(v);
  std::sort(front.begin(), front.end());
  EXPECT_EQ(front, (std::vector<std::size_t>{0, 2, 3, 4}));
}

class Dse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spec_ = new DseSpec(load_dse_spec(kTestData / "dse_small.yaml", kDataDir));
    DseOptions options;
    options.data_dir = kDataDir;
    context_ = new DseContext(prepare_dse(*spec_, kTestData / "dse_small.yaml", options));
    result_ = new DseResult(run_dse(*spec_, *context_, options));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete context_;
    delete spec_;
  }
  static DseSpec* spec_;
  static DseContext* context_;
  static DseResult* result_;
};
DseSpec* Dse::spec_ = nullptr;
DseContext* Dse::context_ = nullptr;
DseResult* Dse::result_ = nullptr;

// After a deliberate model change: DEEPNVM_UPDATE_GOLDEN=1 ./build/tests/accel/test_accel_dse, and
// say why in the commit.
TEST_F(Dse, SmallSweepMatchesTheGoldenCsv) {
  const fs::path golden = kTestData / "dse_small.golden.csv";
  const std::string csv = dse_csv(*result_);
  if (const char* update = std::getenv("DEEPNVM_UPDATE_GOLDEN"); update && std::string(update) == "1")
    write_file_atomic(golden, csv);
  EXPECT_EQ(csv, slurp(golden)) << "the DSE output changed; see the comment above to update the golden file";
  EXPECT_EQ(result_->configs.size(), 36u);
  EXPECT_EQ(result_->points.size(), 36u);
}

TEST_F(Dse, DesignFiguresAddUp) {
  const double resnet18_macs = static_cast<double>(macs(zoo_network("resnet18"), 1));
  for (const DsePoint& p : result_->points) {
    const AccelConfig& c = result_->configs[p.config];
    const DesignMetrics& m = p.metrics;
    ASSERT_TRUE(m.feasible) << m.why;
    EXPECT_DOUBLE_EQ(m.macs, resnet18_macs);
    EXPECT_GE(m.cycles, m.compute_cycles);
    EXPECT_DOUBLE_EQ(m.cycles, m.compute_cycles + m.stall_cycles);
    EXPECT_LE(m.utilization, 1.0);
    EXPECT_NEAR(m.latency, m.cycles / c.clock, 1e-15);
    EXPECT_NEAR(m.perf_per_area, 2 * m.macs / m.latency / m.area, 1e-9 * m.perf_per_area);
    EXPECT_GT(m.energy.mac, 0.0);
    EXPECT_GT(m.energy.dram, 0.0);
    EXPECT_GT(m.energy.leakage, 0.0);
  }
}

TEST_F(Dse, LightPeIsSmallerAndCheaperPerMacThanInt16) {
  const auto find = [&](const std::string& pe) -> const DsePoint& {
    for (const DsePoint& p : result_->points)
      if (result_->configs[p.config].pe_name == pe) return p;
    throw std::runtime_error("no point");
  };
  const DsePoint &int16 = find("int16"), &light1 = find("light1");
  EXPECT_LT(light1.metrics.area, int16.metrics.area);
  EXPECT_LT(light1.metrics.energy.mac, int16.metrics.energy.mac / 5);
}

TEST_F(Dse, FrontPointsAreUndominatedAndEveryOtherPointIsDominated) {
  const auto dominates = [](const DsePoint& a, const DsePoint& b) {
    return a.metrics.perf_per_area >= b.metrics.perf_per_area && a.metrics.energy.total() <= b.metrics.energy.total();
  };
  std::size_t on_front = 0;
  for (const DsePoint& p : result_->points) {
    bool dominated_strictly = false, dominated = false;
    for (const DsePoint& q : result_->points) {
      if (&p == &q || !dominates(q, p)) continue;
      dominated = true;
      dominated_strictly |=
          q.metrics.perf_per_area > p.metrics.perf_per_area || q.metrics.energy.total() < p.metrics.energy.total();
    }
    if (p.front_hw) {
      ++on_front;
      EXPECT_FALSE(dominated_strictly);
    } else {
      EXPECT_TRUE(dominated);
    }
  }
  EXPECT_GE(on_front, 1u);
}

TEST_F(Dse, AccuracyTableJoinsByNetworkAndPeType) {
  for (const DsePoint& p : result_->points) {
    ASSERT_TRUE(p.accuracy.has_value());
    const std::string& pe = result_->configs[p.config].pe_name;
    EXPECT_DOUBLE_EQ(*p.accuracy, pe == "int16" ? 0.70 : pe == "int8" ? 0.69 : 0.60);
  }
  const DseSummary& s = result_->summaries.at(0);
  EXPECT_EQ(s.points, 36u);
  EXPECT_EQ(s.feasible, 36u);
  EXPECT_GT(s.perf_per_area_spread, 1.0);
  EXPECT_GT(s.energy_spread, 1.0);
  ASSERT_TRUE(s.light_energy_gain.has_value());
  EXPECT_GT(*s.light_energy_gain, 1.0);
  EXPECT_GE(s.on_accuracy_front, 2u);  // the most accurate design and the most efficient one at least
}

TEST_F(Dse, PlotsHaveOneDataBlockPerPeTypeAndTheFront) {
  const std::vector<study::Plot> plots = dse_plots(*result_);
  ASSERT_EQ(plots.size(), 2u);
  EXPECT_EQ(plots[0].name, "dse_resnet18_hw");
  EXPECT_EQ(plots[1].name, "dse_resnet18_accuracy");
  const std::string& dat = plots[0].files.at(0).content;
  EXPECT_NE(dat.find("# light1"), std::string::npos);
  EXPECT_NE(dat.find("# Pareto front"), std::string::npos);
}

TEST_F(Dse, BufferTableIsCachedOnDisk) {
  const fs::path dir = fs::temp_directory_path() / ("deepnvm-dse-cache-" + std::to_string(getpid()));
  fs::remove_all(dir);
  DseOptions options;
  options.data_dir = kDataDir;
  options.cache = study::ResultCache(dir);
  const DseContext built = prepare_dse(*spec_, kTestData / "dse_small.yaml", options);
  const auto files = [&](const char* section) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir / section)) n += e.is_regular_file() ? 1 : 0;
    return n;
  };
  EXPECT_EQ(files("accel_glb"), 2u);  // one buffer per cell
  EXPECT_EQ(files("accel_rf"), built.read_ports.size());
  const DseContext read = prepare_dse(*spec_, kTestData / "dse_small.yaml", options);
  for (const auto& [key, f] : built.buffers) {
    EXPECT_EQ(read.buffers.at(key).read_energy, f.read_energy);
    EXPECT_EQ(read.buffers.at(key).area, f.area);
    EXPECT_EQ(context_->buffers.at(key).write_latency, f.write_latency);
  }
  // An NVM buffer writes slower than an SRAM one.
  EXPECT_GT(built.buffers.at({"stt_mram", 65536}).write_latency, built.buffers.at({"sram", 65536}).write_latency);
  fs::remove_all(dir);
}

TEST(DseConfigs, ActivationWidthsAreSweptForEveryPeType) {
  DseSpec spec;
  spec.sweep.pe = {"int8", "light1"};
  spec.sweep.act_bits = {4, 8};
  const std::vector<AccelConfig> configs = dse_configs(spec);
  ASSERT_EQ(configs.size(), 4u);
  EXPECT_EQ(configs[0].pe_name, "int8/a4");
  EXPECT_EQ(configs[0].pe.act_bits, 4);
  EXPECT_EQ(configs[0].pe.acc_bits, template_acc_bits(configs[0].pe));
  EXPECT_EQ(configs[1].pe_name, "int8");  // the type's own width keeps its name (and its accuracy)
  EXPECT_EQ(configs[2].pe_name, "light1/a4");
  EXPECT_EQ(configs[3].pe.weight_bits, 3);
}

struct BadSweep {
  std::string text;
  std::size_t line;
  std::string key, expected;
};

TEST(DseSpecFile, BadFilesNameFileLineAndKey) {
  const fs::path dir = fs::temp_directory_path() / ("deepnvm-dse-bad-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string head = "kind: accel_dse\nname: bad\nnetworks: [resnet18]\n";
  const std::vector<BadSweep> cases{
      {head + "sweep:\n  glb: [128 KiX]\n", 5, "glb[0]", "KiX"},
      {head + "sweep:\n  rows: [-4]\n", 5, "rows[0]", "-4"},
      {head + "sweep:\n  pe: [int12]\n", 5, "pe", "int12"},
      {head + "sweep:\n  dataflow: [xs]\n", 5, "dataflow", "xs"},
      {head + "sweep:\n  glb: [100 KiB]\n", 5, "glb", "power-of-two"},
      {head + "sweep:\n  glb_cell: [unobtainium]\n", 5, "glb_cell", "unobtainium"},
      {head + "sweep:\n  clock: []\n", 5, "clock", "at least one"},
      {head + "sweep:\n  act_bits: [1]\n", 5, "act_bits[0]", "1"},
      {head + "sweep:\n  colz: [8]\n", 5, "colz", "cols"},
      {head + "batch: 0\nsweep: {}\n", 4, "batch", "0"},
      {head + "glb_word_bits: 12\nsweep: {}\n", 4, "glb_word_bits", "multiple of 8"},
      {"kind: accel_dse\nname: bad\nnetworks: [resnet19]\nsweep: {}\n", 3, "networks", "resnet19"},
      {head + "accuracy: missing.yaml\nsweep: {}\n", 4, "accuracy", "no such file"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const fs::path file = dir / ("bad" + std::to_string(i) + ".yaml");
    std::ofstream(file) << cases[i].text;
    SCOPED_TRACE(cases[i].text);
    testing::expect_config_error([&] { load_dse_spec(file, kDataDir); }, file.string(), cases[i].line, cases[i].key,
                                 cases[i].expected);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::accel
