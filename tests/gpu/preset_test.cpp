// SPDX-License-Identifier: MIT
// GPU presets: every shipped file loads, every value names its source, and bad files are refused
// with file, line and key.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/gpu/gpu.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;
using testing::expect_config_error;

const fs::path kData = DEEPNVM_DATA_DIR;

TEST(GpuPreset, ShipsTheFourPresetsOfTheIssue) {
  EXPECT_EQ(gpu_preset_names(kData), (std::vector<std::string>{"a100", "gtx1080ti", "h100_sxm", "v100"}));
}

TEST(GpuPreset, EveryValueHasANonEmptySource) {
  for (const std::string& name : gpu_preset_names(kData)) {
    const GpuSpec g = gpu_preset(kData, name);
    EXPECT_FALSE(g.source.empty()) << name;
    EXPECT_FALSE(g.description.empty()) << name;
    for (const auto& [key, src] : g.sources) EXPECT_FALSE(src.source.empty()) << name << " " << key;
    // Values NVIDIA does not publish are marked as modelling choices.
    for (const char* key : {"l2_ways", "l2_slice_hash", "l2_slices", "tile_fp32"})
      EXPECT_TRUE(g.sources.at(key).modelling_choice) << name << " " << key;
    EXPECT_FALSE(g.sources.at("l2_capacity").modelling_choice) << name;
    EXPECT_FALSE(g.sources.at("sms").modelling_choice) << name;
    // Every declared key that is present is sourced, and every required key is present.
    for (const std::string& key : gpu_value_keys()) {
      if (key.rfind("peak_", 0) == 0 || key.rfind("tile_", 0) == 0 || key == "base_clock") continue;
      EXPECT_TRUE(g.sources.count(key)) << name << " lacks " << key;
    }
    EXPECT_NO_THROW(g.peak(DType::fp32)) << name;
    EXPECT_NO_THROW(g.tile(DType::fp16)) << name;
  }
}

TEST(GpuPreset, FactsOfTheNote) {
  const GpuSpec p = gpu_preset(kData, "gtx1080ti");
  EXPECT_EQ(p.sms, 28);
  EXPECT_EQ(p.l2_capacity, 2816.0 * 1024);
  EXPECT_EQ(p.l2_slices, 22);
  EXPECT_EQ(p.l2_line, 128);
  EXPECT_EQ(p.l2_sector, 32);
  EXPECT_FALSE(p.l1_caches_global_loads);
  EXPECT_DOUBLE_EQ(p.dram_bandwidth, 484e9);
  EXPECT_DOUBLE_EQ(p.boost_clock, 1582e6);
  EXPECT_EQ(p.tile(DType::fp32), (GemmTile{128, 128, 8}));
  EXPECT_THROW(p.peak(DType::bf16), ModelError);  // Pascal has no bf16
  // The roofline's peak equals the lanes·2·clock product it is derived from (1 %).
  EXPECT_NEAR(*p.peak_fp32, p.sms * p.fp32_lanes_per_sm * 2.0 * p.boost_clock, 0.01 * *p.peak_fp32);
  EXPECT_EQ(gpu_preset(kData, "v100").l2_capacity, 6.0 * 1024 * 1024);
  EXPECT_EQ(gpu_preset(kData, "a100").l2_partitions, 2);
  EXPECT_EQ(gpu_preset(kData, "h100_sxm").l2_capacity, 50.0 * 1024 * 1024);
  EXPECT_TRUE(gpu_preset(kData, "a100").l1_caches_global_loads);
}

TEST(GpuPreset, UnknownNameListsTheKnownOnes) {
  try {
    gpu_preset(kData, "gtx1080");
    ADD_FAILURE() << "found a preset that does not exist";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("gtx1080ti"), std::string::npos) << e.what();
  }
}

// A copy of the 1080 Ti preset with one line replaced, written to a temporary file.
class BadPreset : public ::testing::Test {
 protected:
  std::string path_;
  std::size_t line_of(const std::string& key) const {
    std::ifstream in(kData / "gpus" / "gtx1080ti.yaml");
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n)
      if (line.rfind(key + ":", 0) == 0) return n;
    return 0;
  }
  void write_with(const std::string& key, const std::string& replacement) {
    std::ifstream in(kData / "gpus" / "gtx1080ti.yaml");
    path_ = (fs::path(::testing::TempDir()) / ("bad_gpu_" + key + ".yaml")).string();
    std::ofstream out(path_);
    std::string line;
    while (std::getline(in, line)) out << (line.rfind(key + ":", 0) == 0 ? replacement : line) << "\n";
  }
};

TEST_F(BadPreset, UnknownKeyIsNamedWithASuggestion) {
  write_with("l2_ways", "l2_wayz: {value: 16, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("l2_ways"), "l2_wayz", "did you mean 'l2_ways'");
}

TEST_F(BadPreset, ValueWithoutSourceIsRefused) {
  write_with("sms", "sms: {value: 28}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("sms"), "sms.source", "names its source");
  write_with("sms", "sms: 28");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("sms"), "sms", "every value carries its source");
}

TEST_F(BadPreset, WrongOrAmbiguousUnitIsRefused) {
  write_with("l2_capacity", "l2_capacity: {value: 2816 KB, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("l2_capacity"), "l2_capacity", "KB");
  write_with("boost_clock", "boost_clock: {value: 1582 MB, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("boost_clock"), "boost_clock", "frequency");
}

TEST_F(BadPreset, BadTileAndInconsistentGeometryAreRefused) {
  write_with("tile_fp32", "tile_fp32: {value: 128x128, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("tile_fp32"), "tile_fp32", "TMxTNxTK");
  write_with("l2_ways", "l2_ways: {value: 15, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("l2_ways"), "l2_ways", "whole number");
  write_with("l2_line", "l2_line: {value: 64 B, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("l2_line"), "l2_line", "128 B lines");
  write_with("sms", "sms: {value: 0, source: \"x\"}");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("sms"), "sms", "positive");
}

TEST_F(BadPreset, MissingRequiredKeyAndPeakWithoutTileAreRefused) {
  write_with("dram_bandwidth", "");
  expect_config_error([&] { load_gpu(path_); }, path_, 5, "dram_bandwidth", "missing required key");
  write_with("tile_int8", "");
  expect_config_error([&] { load_gpu(path_); }, path_, line_of("peak_int8"), "tile_int8", "come together");
}

}  // namespace
}  // namespace deepnvm
