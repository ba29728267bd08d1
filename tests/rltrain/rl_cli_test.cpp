// SPDX-License-Identifier: MIT
// `deepnvm rl`, which runs deepnvm-learn rl: a sweep end to end, training outputs, bad sweep files.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "deepnvm/rl/sweep_output.h"

namespace deepnvm_cli_test {
namespace {

using RlCli = Cli;

void expect_learn_error(const Result& r, const std::vector<std::string>& mentions) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("deepnvm-learn: error: ")) << r.err;
  for (const auto& m : mentions) EXPECT_NE(r.err.find(m), std::string::npos) << "missing '" << m << "' in: " << r.err;
}

TEST_F(RlCli, SweepWritesMeasurementsPredictionsAndPlots) {
  write("s.yaml",
        "kind: rl_sweep\nname: tiny\nenv: cartpole\ninference: [actor, central]\nactors: [1, 2]\n"
        "inference_batch: [2]\nwarmup: 100 ms\nseconds: 300 ms\n");
  const Result r = run({"rl", "sweep", "s.yaml", "--out", "o", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["points"], 4);
  const deepnvm::rl::SweepCsv csv = deepnvm::rl::read_sweep_csv(dir_ / "o" / "tiny.csv");
  // One env per actor: actor placement at 1 env; central at batch 1 and at batch 2 (2 envs); one
  // actor per core if there are several.
  EXPECT_EQ(csv.calibration_runs.size(), deepnvm::rl::available_cores() > 1 ? 4U : 3U);
  ASSERT_EQ(csv.points.size(), 4U);
  for (const auto& m : csv.points) {
    EXPECT_GT(m.frames_per_second, 0);
    EXPECT_EQ(m.env, "cartpole");
  }
  const auto doc = nlohmann::json::parse(slurp(dir_ / "o" / "tiny.json"));
  EXPECT_EQ(doc["points"].size(), 4U);
  EXPECT_TRUE(doc.contains("model_error"));
  EXPECT_TRUE(fs::exists(dir_ / "o" / "tiny_throughput.gp"));
  EXPECT_TRUE(fs::exists(dir_ / "o" / "tiny_perf_per_watt.dat"));
}

TEST_F(RlCli, TrainWritesItsCurve) {
  const Result r =
      run({"rl", "train", "--synchronous", "--frames", "3000", "--eval-episodes", "3", "--out", "t", "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["evaluation"]["episodes"], 3);
  EXPECT_GE(j["frames"].get<int>(), 3000);
  EXPECT_TRUE(slurp(dir_ / "t" / "curve.csv").starts_with("frames,seconds,episodes,mean_return_last_100\n"));
}

TEST_F(RlCli, BadSweepFilesExitTwoWithOneLineAndNoOutput) {
  const std::pair<std::string, std::vector<std::string>> cases[] = {
      {"kind: rl_sweep\nname: b\nactors: [0]\n", {"b.yaml:3", "actors"}},
      {"kind: rl_sweep\nname: b\nenv: mountaincar\n", {"b.yaml:3", "env", "cartpole"}},
      {"kind: rl_sweep\nname: b\ninference: [gpu]\n", {"b.yaml:3", "inference"}},
      {"kind: rl_sweep\nname: b\nseconds: 4 kg\n", {"b.yaml:3", "seconds"}},
      {"kind: rl_sweep\nname: b\nactorz: [1]\n", {"b.yaml:3", "actorz"}},
      {"kind: rl_sweep\nname: b\nactors: [1, 2\n", {"b.yaml"}},
  };
  for (const auto& [text, mentions] : cases) {
    write("b.yaml", text);
    expect_learn_error(run({"rl", "sweep", "b.yaml", "--out", "o"}), mentions);
    EXPECT_FALSE(fs::exists(dir_ / "o")) << text;
  }
  expect_learn_error(run({"rl", "sweep", "missing.yaml"}), {"missing.yaml"});
}

}  // namespace
}  // namespace deepnvm_cli_test
