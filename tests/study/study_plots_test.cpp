// SPDX-License-Identifier: MIT
// Study plots on a small synthetic results object: the .dat files carry the results' figures, the
// scripts name their data and both images, and gnuplot (when installed) draws non-empty SVG and PNG.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "deepnvm/core/process.h"

#include "deepnvm/study/study.h"
#include "deepnvm/study/study_plots.h"

namespace deepnvm::study {
namespace {

KernelTraffic kernel(std::int64_t reads, std::int64_t writes, std::int64_t misses, std::int64_t flops) {
  KernelTraffic k;
  k.name = "k";
  k.layer = "l";
  k.counters.l2_read_sectors = reads;
  k.counters.l2_write_sectors = writes;
  k.counters.l2_read_hits = reads - misses;
  k.counters.l2_write_hits = writes;
  k.counters.dram_read_bytes = 32 * misses;
  k.counters.flops = flops;
  return k;
}

L2Figures l2(const char* tech, std::uint64_t capacity, double tw, double ew, double leak) {
  L2Figures f;
  f.technology = tech;
  f.capacity = capacity;
  f.slices = 4;
  f.area = 1e-6 * static_cast<double>(capacity) / (1 << 20);
  f.read_latency = 1e-9;
  f.write_latency = tw;
  f.read_energy = 1e-12;
  f.write_energy = ew;
  f.leakage = leak;
  return f;
}

SystemRates rates() {
  SystemRates r;
  r.peak_flops = 10e12;
  r.dram_bandwidth = 500e9;
  r.slice_cycle = 1e-9;
  r.dram_energy_per_bit = 10e-12;
  return r;
}

std::vector<StudyRecord> records(const std::string& workload, std::int64_t scale, std::uint64_t capacity) {
  Traffic t;
  t.source = "synthetic";
  t.kernels = {kernel(100000 * scale, 20000 * scale, 3000 * scale, 1000000),
               kernel(50000 * scale, 70000, 100 * scale, 5000000000)};
  const double c = static_cast<double>(capacity) / (1 << 20);
  std::vector<StudyRecord> out = compare_technologies(
      t, {l2("sram", capacity, 1e-9, 1e-12, 0.2 * c), l2("stt_mram", capacity, 8e-9, 4e-12, 0.01 * c)}, "sram", rates(),
      {});
  for (StudyRecord& r : out) {
    r.workload = workload;
    r.mode = "inference";
    r.batch = 8;
  }
  return out;
}

StudyResults synthetic() {
  StudyResults res;
  res.name = "synthetic";
  res.baseline = "sram";
  res.technologies = {"sram", "stt_mram"};
  for (const auto& [w, s] : {std::pair{"netA", 1}, std::pair{"netB", 7}}) {
    for (StudyRecord& r : records(w, s, 4 << 20)) res.iso_capacity.push_back(r);
    for (StudyRecord& r : records(w, s, 12 << 20)) res.iso_area.push_back(r);
    for (std::uint64_t cap : {1ull << 20, 16ull << 20, 256ull << 20})
      for (StudyRecord& r : records(w, s, cap)) res.scalability.push_back(r);
  }
  return res;
}

const PlotFile& file(const std::vector<Plot>& plots, const std::string& name) {
  for (const Plot& p : plots)
    for (const PlotFile& f : p.files)
      if (f.name == name) return f;
  throw std::runtime_error("no plot file " + name);
}

// Data rows: an optional leading "quoted label", then numbers.
struct Row {
  std::string label;
  std::vector<double> values;
};
std::vector<Row> rows(const std::string& dat) {
  std::vector<Row> out;
  std::istringstream in(dat);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Row r;
    std::size_t pos = 0;
    if (line[0] == '"') {
      pos = line.find('"', 1);
      r.label = line.substr(1, pos - 1);
      ++pos;
    }
    std::istringstream nums(line.substr(pos));
    std::string tok;
    while (nums >> tok) r.values.push_back(std::strtod(tok.c_str(), nullptr));
    out.push_back(r);
  }
  return out;
}

void expect_close(double got, double want) { EXPECT_NEAR(got, want, 1e-8 * std::abs(want)) << want; }

// The CSV files beside the plots: one row per record (results.csv) and per record and kernel of the
// iso-capacity study (kernels.csv), names quoted when they hold a comma.
TEST(StudyCsv, RowsFollowTheRecordsAndKernels) {
  StudyResults res = synthetic();
  res.iso_capacity.front().result.kernels.front().name = "conv,fused";
  const auto lines = [](const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  const auto results = lines(results_csv(res));
  EXPECT_EQ(results.size(), 1 + res.iso_capacity.size() + res.iso_area.size() + res.scalability.size());
  const auto kernels = lines(kernels_csv(res));
  std::size_t kernel_count = 0;
  for (const StudyRecord& r : res.iso_capacity) kernel_count += r.result.kernels.size();
  ASSERT_GT(kernel_count, 0u);
  ASSERT_EQ(kernels.size(), 1 + kernel_count);
  EXPECT_TRUE(kernels[0].starts_with("workload,mode,batch,technology,kernel,name,layer,bound,")) << kernels[0];
  EXPECT_TRUE(kernels[1].starts_with("netA,inference,8,sram,0,\"conv,fused\",l,")) << kernels[1];
  const std::size_t columns = std::count(kernels[0].begin(), kernels[0].end(), ',');
  for (std::size_t i = 2; i < kernels.size(); ++i)
    EXPECT_EQ(std::count(kernels[i].begin(), kernels[i].end(), ','), columns) << kernels[i];
}

TEST(StudyPlots, BarHeightsAreTheEdpRatios) {
  const StudyResults res = synthetic();
  const std::vector<Plot> plots = study_plots(res);
  for (const auto& [name, recs] : {std::pair{std::string("edp_iso_capacity.dat"), &res.iso_capacity},
                                   std::pair{std::string("edp_iso_area.dat"), &res.iso_area}}) {
    const std::vector<Row> rs = rows(file(plots, name).content);
    ASSERT_EQ(rs.size(), 2u) << name;
    for (const Row& row : rs) {
      ASSERT_EQ(row.values.size(), 4u);  // per technology access_sum, then per technology roofline
      int seen = 0;
      for (const StudyRecord& r : *recs) {
        if (row.label != r.workload + " inference b8") continue;
        const std::size_t t = r.l2.technology == "sram" ? 0 : 1;
        expect_close(row.values[t], r.edp_ratio.access_sum);
        expect_close(row.values[2 + t], r.edp_ratio.roofline);
        ++seen;
      }
      EXPECT_EQ(seen, 2) << row.label;
      EXPECT_EQ(row.values[0], 1.0);  // the baseline's own bar
      EXPECT_NE(row.values[1], 1.0);
    }
  }
}

TEST(StudyPlots, ScalabilityIsTheGeometricMeanEdpPerCapacity) {
  const StudyResults res = synthetic();
  const std::vector<Row> rs = rows(file(study_plots(res), "scalability.dat").content);
  ASSERT_EQ(rs.size(), 3u);
  for (const Row& row : rs) {
    ASSERT_EQ(row.values.size(), 5u);  // capacity, 2 x access_sum, 2 x roofline
    const auto cap = static_cast<std::uint64_t>(std::llround(row.values[0] * (1 << 20)));
    for (std::size_t t = 0; t < 2; ++t) {
      double log_a = 0, log_r = 0;
      int n = 0;
      for (const StudyRecord& r : res.scalability)
        if (r.l2.capacity == cap && r.l2.technology == res.technologies[t]) {
          log_a += std::log(r.result.edp().access_sum);
          log_r += std::log(r.result.edp().roofline);
          ++n;
        }
      ASSERT_EQ(n, 2);
      expect_close(row.values[1 + t], std::exp(log_a / 2));
      expect_close(row.values[3 + t], std::exp(log_r / 2));
    }
  }
  EXPECT_LT(rs[0].values[0], rs[2].values[0]);  // ascending capacity
}

TEST(StudyPlots, EnergyBreakdownSumsTheIsoCapacityRecords) {
  const StudyResults res = synthetic();
  const std::vector<Row> rs = rows(file(study_plots(res), "energy_breakdown.dat").content);
  ASSERT_EQ(rs.size(), 2u);
  for (const Row& row : rs) {
    double dyn = 0, leak_a = 0, dram = 0, leak_r = 0;
    for (const StudyRecord& r : res.iso_capacity)
      if (r.l2.technology == row.label) {
        dyn += r.result.dynamic;
        leak_a += r.result.leakage.access_sum;
        dram += r.result.dram;
        leak_r += r.result.leakage.roofline;
      }
    ASSERT_EQ(row.values.size(), 4u);
    expect_close(row.values[0], dyn * 1e3);
    expect_close(row.values[1], leak_a * 1e3);
    expect_close(row.values[2], dram * 1e3);
    expect_close(row.values[3], leak_r * 1e3);
  }
}

TEST(StudyPlots, ScriptsNameTheirDataAndBothImages) {
  const StudyResults res = synthetic();
  const std::vector<Plot> plots = study_plots(res);
  ASSERT_EQ(plots.size(), 4u);
  for (const Plot& p : plots) {
    const std::string& gp = file(plots, p.name + ".gp").content;
    EXPECT_NE(gp.find("\"" + p.name + ".dat\""), std::string::npos) << p.name;
    EXPECT_NE(gp.find("outbase.\".svg\""), std::string::npos) << p.name;
    EXPECT_NE(gp.find("outbase.\".png\""), std::string::npos) << p.name;
  }
  StudyResults bare = res;
  bare.iso_area.clear();
  bare.scalability.clear();
  EXPECT_EQ(study_plots(bare).size(), 2u);  // iso-capacity bars and energy breakdown only
}

std::filesystem::path fresh_dir(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("deepnvm-plots-" + tag + "-" + std::to_string(static_cast<long>(getpid())));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(StudyPlots, MissingGnuplotWarnsOnceAndKeepsTheScripts) {
  const auto dir = fresh_dir("nognuplot");
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", (dir / "empty").c_str(), 1);
  const PlotOutcome o = write_plots(synthetic(), dir);
  setenv("PATH", saved.c_str(), 1);
  EXPECT_FALSE(o.rendered);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_NE(o.warnings[0].find("gnuplot not found"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "edp_iso_capacity.gp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "scalability.dat"));
  EXPECT_FALSE(std::filesystem::exists(dir / "edp_iso_capacity.png"));
  std::filesystem::remove_all(dir);
}

TEST(StudyPlots, FailingGnuplotWarnsPerPlotAndLeavesNoImage) {
  const auto dir = fresh_dir("badgnuplot");
  const PlotOutcome o = write_plots(synthetic(), dir, "/bin/false");
  EXPECT_TRUE(o.rendered);
  EXPECT_EQ(o.warnings.size(), 4u);
  EXPECT_TRUE(o.images.empty());
  for (const auto& e : std::filesystem::directory_iterator(dir)) EXPECT_NE(e.path().extension(), ".png") << e.path();
  std::filesystem::remove_all(dir);
}

TEST(StudyPlots, GnuplotDrawsNonEmptySvgAndPng) {
  if (find_program("gnuplot").empty()) GTEST_SKIP() << "gnuplot is not installed";
  const auto dir = fresh_dir("gnuplot");
  const StudyResults res = synthetic();
  const PlotOutcome o = write_plots(res, dir);
  EXPECT_TRUE(o.rendered);
  EXPECT_TRUE(o.warnings.empty()) << o.warnings.front();
  EXPECT_EQ(o.images.size(), 8u);
  for (const Plot& p : study_plots(res))
    for (const char* ext : {".svg", ".png"}) {
      const auto img = dir / (p.name + ext);
      ASSERT_TRUE(std::filesystem::exists(img)) << img;
      EXPECT_GT(std::filesystem::file_size(img), 1000u) << img;
    }
  for (const auto& e : std::filesystem::directory_iterator(dir))  // no temporaries or logs left behind
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
  std::ifstream png(dir / "edp_iso_capacity.png", std::ios::binary);
  char sig[8] = {};
  png.read(sig, 8);
  EXPECT_EQ(std::string(sig + 1, 3), "PNG");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::study
