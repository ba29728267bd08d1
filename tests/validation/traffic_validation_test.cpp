// SPDX-License-Identifier: MIT
// The traffic model beside real hardware: every measured profile of tests/profile/data/h100_zoo
// (an H100 under Nsight Compute, tools/profile_gpu.py) against model_traffic with the h100_sxm preset
// and the same network, mode, batch and cache control. The figures are reported, not tuned: with
// DEEPNVM_VALIDATION_REPORT=FILE the per-case table goes there as Markdown (docs/validation/traffic.md;
// scripts/validate-traffic regenerates it). Asserted are only properties the model must share with
// the hardware, and a factor-of-four guard on the sector counts that catches a broken model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "deepnvm/cachesim/traffic_model.h"
#include "deepnvm/gpu/gpu.h"
#include "deepnvm/profile/import.h"
#include "deepnvm/workload/zoo.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string network, mode, cache_control;
  std::int64_t batch = 0;
  fs::path file;
};

// "<network>-<mode>-b<batch>-fp32-cc_<none|all>.csv.gz" (zoo names have no '-'); other files: nothing.
std::optional<Case> parse_case(const fs::path& file) {
  std::string name = file.filename().string();
  const std::string suffix = ".csv.gz";
  if (!name.ends_with(suffix)) return std::nullopt;
  name.resize(name.size() - suffix.size());
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dash = name.find('-', start);
    parts.push_back(name.substr(start, dash - start));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (parts.size() != 5 || !parts[2].starts_with("b") || parts[3] != "fp32" || !parts[4].starts_with("cc_"))
    return std::nullopt;
  return Case{parts[0], parts[1], parts[4].substr(3), std::stoll(parts[2].substr(1)), file};
}

std::vector<Case> measured_cases() {
  std::vector<Case> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(DEEPNVM_SOURCE_DIR) / "tests/profile/data/h100_zoo"))
    if (const auto c = parse_case(entry.path())) cases.push_back(*c);
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.file < b.file; });
  return cases;
}

struct Figures {
  double read_sectors = 0, write_sectors = 0, read_hit_rate = 0, dram_read = 0, dram_write = 0, time = 0;
  std::size_t kernels = 0;
};

Figures measured_figures(const fs::path& file) {
  const Profile profile = read_profile(file);
  // One unified L2 is what the model simulates: count far-partition hits as hits (gpus.md P4).
  const TrafficCounters t = profile.to_traffic(L2HitView::logical).total();
  return {static_cast<double>(t.l2_read_sectors),
          static_cast<double>(t.l2_write_sectors),
          t.l2_read_sectors > 0 ? static_cast<double>(t.l2_read_hits) / static_cast<double>(t.l2_read_sectors) : 0,
          static_cast<double>(t.dram_read_bytes),
          static_cast<double>(t.dram_write_bytes),
          t.time_s,
          profile.kernels.size()};
}

Figures modelled_figures(const Case& c, const GpuSpec& gpu) {
  TrafficOptions options;
  options.lowering.mode = parse_mode(c.mode);
  options.lowering.batch = c.batch;
  options.lowering.dtype = DType::fp32;
  options.flush_between_kernels = c.cache_control == "all";
  const TrafficResult result = model_traffic(zoo_network(c.network), gpu, options);
  TrafficCounters t = result.traffic.total();
  // Nsight Compute flushes outside the kernel: its write counters never see the flush's write-backs.
  t.dram_write_bytes -= result.flush_write_bytes;
  return {static_cast<double>(t.l2_read_sectors),
          static_cast<double>(t.l2_write_sectors),
          t.l2_read_sectors > 0 ? static_cast<double>(t.l2_read_hits) / static_cast<double>(t.l2_read_sectors) : 0,
          static_cast<double>(t.dram_read_bytes),
          static_cast<double>(t.dram_write_bytes),
          t.time_s,
          result.traffic.kernels.size()};
}

double relative_error(double model, double measured) {
  return measured != 0 ? (model - measured) / measured : (model == 0 ? 0 : INFINITY);
}

std::string percent(double e) { return std::isfinite(e) ? fmt::format("{:+.0f} %", 100 * e) : "n/a"; }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

TEST(TrafficValidation, ModelBesideMeasuredH100) {
  const auto cases = measured_cases();
  ASSERT_GE(cases.size(), 10u);
  const GpuSpec gpu = gpu_preset(DEEPNVM_DATA_DIR, "h100_sxm");

  std::string table =
      "| network | mode | cache control | kernels (model / measured) | L2 read sectors | L2 write sectors | "
      "read hit rate (model / measured) | DRAM read | DRAM write | time |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n";
  std::map<std::string, std::vector<double>> errors;
  std::map<std::string, Figures> model_by_case, measured_by_case;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file.filename().string());
    const Figures hw = measured_figures(c.file);
    const Figures model = modelled_figures(c, gpu);
    const std::string key = c.network + "/" + c.mode;
    (c.cache_control == "all" ? model_by_case[key + "/all"] : model_by_case[key + "/none"]) = model;
    (c.cache_control == "all" ? measured_by_case[key + "/all"] : measured_by_case[key + "/none"]) = hw;

    const double e_read = relative_error(model.read_sectors, hw.read_sectors);
    const double e_write = relative_error(model.write_sectors, hw.write_sectors);
    const double e_dram_read = relative_error(model.dram_read, hw.dram_read);
    const double e_dram_write = relative_error(model.dram_write, hw.dram_write);
    const double e_time = relative_error(model.time, hw.time);
    errors["l2_read_sectors"].push_back(std::abs(e_read));
    errors["l2_write_sectors"].push_back(std::abs(e_write));
    errors["read_hit_rate"].push_back(std::abs(model.read_hit_rate - hw.read_hit_rate));
    errors["dram_read_bytes"].push_back(std::abs(e_dram_read));
    errors["dram_write_bytes"].push_back(std::abs(e_dram_write));
    errors["time_s"].push_back(std::abs(e_time));
    table += fmt::format("| {} | {} b{} | {} | {} / {} | {} | {} | {:.2f} / {:.2f} | {} | {} | {} |\n", c.network,
                         c.mode, c.batch, c.cache_control, model.kernels, hw.kernels, percent(e_read), percent(e_write),
                         model.read_hit_rate, hw.read_hit_rate, percent(e_dram_read), percent(e_dram_write),
                         percent(e_time));

    // A guard against a broken model, not an accuracy goal: the sector counts stay within 4x.
    EXPECT_GT(model.read_sectors, hw.read_sectors / 4);
    EXPECT_LT(model.read_sectors, hw.read_sectors * 4);
    EXPECT_GT(model.write_sectors, hw.write_sectors / 4);
    EXPECT_LT(model.write_sectors, hw.write_sectors * 4);
  }
  // What both must share: flushing the L2 before every kernel never lowers DRAM reads.
  for (const auto& [key, model] : model_by_case) {
    if (!key.ends_with("/all")) continue;
    const std::string warm = key.substr(0, key.size() - 4) + "/none";
    if (!model_by_case.contains(warm)) continue;
    SCOPED_TRACE(key);
    EXPECT_GE(model.dram_read, model_by_case[warm].dram_read);
    EXPECT_GE(measured_by_case[key].dram_read, measured_by_case[warm].dram_read);
  }

  std::string summary = "| figure | median | max |\n|---|---|---|\n";
  for (const auto& [name, v] : errors) {
    const bool absolute = name == "read_hit_rate";
    summary +=
        fmt::format("| {} ({}) | {:.{}f} | {:.{}f} |\n", name, absolute ? "absolute difference" : "|relative error|, %",
                    median(v) * (absolute ? 1 : 100), absolute ? 2 : 0,
                    *std::max_element(v.begin(), v.end()) * (absolute ? 1 : 100), absolute ? 2 : 0);
  }
  if (const char* path = std::getenv("DEEPNVM_VALIDATION_REPORT")) {
    std::ofstream out(path);
    out << "## Summary over " << cases.size() << " measured runs\n\n"
        << summary << "\n## Per run (model minus measured, relative to measured)\n\n"
        << table;
  }
}

}  // namespace
}  // namespace deepnvm
