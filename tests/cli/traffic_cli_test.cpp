// SPDX-License-Identifier: MIT
// `deepnvm traffic` end to end: the JSON contract other tools read, --list, and bad input (exit 2).
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.h"

namespace {

using namespace deepnvm_cli_test;

// The CLI fixture, with input errors checked on `deepnvm traffic ARGS`.
class TrafficCli : public Cli {
 protected:
  void expect_input_error(const std::vector<std::string>& args, const std::vector<std::string>& mentions) const {
    std::vector<std::string> full{"traffic"};
    full.insert(full.end(), args.begin(), args.end());
    Cli::expect_input_error(full, mentions);
  }
};

std::vector<std::string> keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.push_back(it.key());
  return out;
}

const std::vector<std::string> kCounterKeys{
    "l2_read_sectors", "l2_write_sectors", "l2_read_hits", "l2_write_hits", "l2_write_allocates",
    "dram_read_bytes", "dram_write_bytes", "flops",        "time_s"};

// A small run: SqueezeNet 1.1 inference at batch 1 (about 3 million accesses).
const std::vector<std::string> kSmall{"traffic", "--network", "squeezenet1_1", "--gpu", "gtx1080ti",
                                      "--mode",  "inference", "--batch",       "1"};

TEST_F(TrafficCli, JsonHasTheContractedKeys) {
  std::vector<std::string> args = kSmall;
  args.insert(args.end(), {"--mrc", "--json"});
  const Result r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(doc["json_schema_version"], 1);
  EXPECT_EQ(doc["network"], "squeezenet1_1");
  EXPECT_EQ(doc["gpu"], "gtx1080ti");
  EXPECT_EQ(doc["l2_bytes"], 2816 * 1024);
  EXPECT_EQ(doc["iteration"], "warm");
  EXPECT_EQ(keys(doc["total"]), kCounterKeys);
  ASSERT_GT(doc["kernels"].size(), 20u);
  std::int64_t read_sectors = 0;
  for (const auto& k : doc["kernels"]) {
    std::vector<std::string> expected{"name", "layer", "pass"};
    expected.insert(expected.end(), kCounterKeys.begin(), kCounterKeys.end());
    EXPECT_EQ(keys(k), expected);
    read_sectors += k["l2_read_sectors"].get<std::int64_t>();
  }
  EXPECT_EQ(read_sectors, doc["total"]["l2_read_sectors"].get<std::int64_t>());
  EXPECT_EQ(doc["mrc_method"], "sampled");
  EXPECT_GE(doc["mrc_error_bound"].get<double>(), 0);
  ASSERT_EQ(doc["mrc"].size(), 49u);
  std::uint64_t previous = 0;
  for (const auto& p : doc["mrc"]) {
    EXPECT_EQ(keys(p), (std::vector<std::string>{"capacity_bytes", "read_miss_ratio", "write_miss_ratio",
                                                 "dram_read_bytes", "dram_write_bytes"}));
    EXPECT_GT(p["capacity_bytes"].get<std::uint64_t>(), previous);
    previous = p["capacity_bytes"].get<std::uint64_t>();
  }
  EXPECT_EQ(doc["mrc"][0]["capacity_bytes"], 256 * 1024);
  EXPECT_EQ(doc["mrc"].back()["capacity_bytes"], std::uint64_t{1} << 30);
}

TEST_F(TrafficCli, OptionsReachTheModel) {
  std::vector<std::string> args = kSmall;
  args.insert(args.end(),
              {"--json", "--l2", "4 MiB", "--cold", "--flush-between-kernels", "--mrc=exact", "--threads", "1"});
  const Result r = run(args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(doc["l2_bytes"], 4 << 20);
  EXPECT_EQ(doc["l2"]["ways"], 16);
  EXPECT_EQ(doc["l2"]["slices"], 1);  // 4 MiB is not a whole number of 22 slices
  EXPECT_EQ(doc["iteration"], "cold");
  EXPECT_EQ(doc["flush_between_kernels"], true);
  EXPECT_EQ(doc["mrc_method"], "exact");
  EXPECT_EQ(doc["mrc_error_bound"], 0.0);
  EXPECT_FALSE(doc.contains("optimizer"));  // inference

  // Without --mrc there is no curve; the human view is a table.
  const Result text = run(kSmall);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("L2 read hit rate"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("top 10 kernels"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("miss-ratio curve"), std::string::npos);
}

TEST_F(TrafficCli, ListShowsNetworksAndGpus) {
  Result r = run({"traffic", "--list"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* name : {"resnet50", "gpt2_small", "vit_b_16", "gtx1080ti", "a100", "h100_sxm"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  r = run({"traffic", "--list", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(doc["networks"].size(), 13u);
  EXPECT_NE(std::find(doc["gpus"].begin(), doc["gpus"].end(), "v100"), doc["gpus"].end());
}

TEST_F(TrafficCli, BadInputExitsTwoOnOneLine) {
  const std::vector<std::string> rest{"--gpu", "gtx1080ti", "--mode", "training", "--batch", "2"};
  auto with = [&](std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  expect_input_error(with({"--network", "resnet5"}, rest), {"resnet5", "did you mean 'resnet50'", "vgg16"});
  expect_input_error({"--network", "resnet18", "--gpu", "gtx1080", "--mode", "training", "--batch", "2"},
                     {"gtx1080", "gtx1080ti", "a100"});
  expect_input_error({"--network", "resnet18", "--gpu", "gtx1080ti", "--mode", "train", "--batch", "2"},
                     {"--mode", "train", "inference", "training"});
  expect_input_error({"--network", "resnet18", "--gpu", "gtx1080ti", "--mode", "training", "--batch", "0"},
                     {"--batch"});
  expect_input_error({"--network", "resnet18", "--gpu", "gtx1080ti", "--mode", "training", "--batch", "two"},
                     {"--batch"});
  expect_input_error({"--network", "resnet18", "--gpu", "gtx1080ti", "--mode", "training"}, {"--batch"});
  expect_input_error({"--gpu", "gtx1080ti", "--mode", "training", "--batch", "2"}, {"--network"});
  expect_input_error(with({"--network", "resnet18", "--l2", "4 KB"}, rest), {"--l2", "ambiguous"});
  expect_input_error(with({"--network", "resnet18", "--l2", "1000 B"}, rest), {"--l2", "128 B"});
  expect_input_error(with({"--network", "resnet18", "--l2", "4 ns"}, rest), {"--l2"});
  expect_input_error(with({"--network", "resnet18", "--mrc=approx"}, rest), {"--mrc", "exact", "sampled"});
  expect_input_error(with({"--network", "resnet18", "--dtype", "fp8"}, rest), {"--dtype", "fp8"});
  expect_input_error(with({"--network", "resnet18", "--optimizer", "lion"}, rest), {"--optimizer", "lion"});
  expect_input_error(
      {"--network", "resnet18", "--gpu", "gtx1080ti", "--mode", "training", "--batch", "2", "--dtype", "int8"},
      {"int8"});  // int8 is inference-only
  expect_input_error(with({"--network", "missing.onnx"}, rest), {"missing.onnx"});
}

}  // namespace
