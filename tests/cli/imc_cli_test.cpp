// SPDX-License-Identifier: MIT
// `deepnvm imc sweep` and `deepnvm imc eval` end to end on a small random MLP: the outputs, the two
// commands agreeing on one point, the energy's trends, and bad sweep files and arguments (exit 2, one
// line, no output).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "deepnvm/imc/weights.h"
#include "fashion_mnist.h"

namespace {

using namespace deepnvm_cli_test;

class ImcCli : public Cli {
 protected:
  // A result cache of the test's own: the commands store their finished points there.
  void SetUp() override {
    Cli::SetUp();
    if (const char* old = std::getenv("XDG_CACHE_HOME")) saved_ = old;
    setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
  }
  void TearDown() override {
    if (saved_)
      setenv("XDG_CACHE_HOME", saved_->c_str(), 1);
    else
      unsetenv("XDG_CACHE_HOME");
    Cli::TearDown();
  }
  std::optional<std::string> saved_;
  std::size_t cached_points() const {
    const fs::path section = dir_ / "cache" / "deepnvm" / "imc_point";
    if (!fs::exists(section)) return 0;
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(section), fs::directory_iterator()));
  }

  // fmnist_mlp (784-256-10) with random weights: the commands' plumbing does not need a trained one.
  void write_mlp_weights(const std::string& name, std::uint64_t seed = 3) const {
    deepnvm::imc::WeightFile w;
    w.network = "fmnist_mlp";
    w.source = "imc_cli_test: random";
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 0.05f);
    const auto tensor = [&](std::vector<std::int64_t> shape) {
      deepnvm::imc::WeightTensor t;
      std::int64_t n = 1;
      for (const std::int64_t d : shape) n *= d;
      t.shape = std::move(shape);
      for (std::int64_t i = 0; i < n; ++i) t.values.push_back(g(rng));
      return t;
    };
    w.tensors["fc1.weight"] = tensor({256, 784});
    w.tensors["fc1.bias"] = tensor({256});
    w.tensors["fc2.weight"] = tensor({10, 256});
    w.tensors["fc2.bias"] = tensor({10});
    deepnvm::imc::write_weights(dir_ / name, w);
  }

  std::string sweep_file(const std::string& extra = "", const std::string& fractions = "[1, 0.5]") const {
    return "kind: imc_sweep\nname: tiny\nnetwork: fmnist_mlp\nweights: mlp.weights\ndevices: [pcm]\nseeds: 2\n"
           "images: 50\nscale_fraction: " +
           fractions + "\ntime_steps: [1, 2]\n" + extra;
  }
};

TEST_F(ImcCli, SweepWritesEveryPointAndEvalAgreesOnOne) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  write_mlp_weights("mlp.weights");
  write("tiny.yaml", sweep_file());
  Result r = run({"--threads", "1", "imc", "sweep", "tiny.yaml", "--out", "out"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(slurp(dir_ / "out" / "imc.json"));
  ASSERT_EQ(doc["points"].size(), 4u);
  const std::string csv = slurp(dir_ / "out" / "imc.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "imc_tiny.dat"));
  std::map<std::pair<double, int>, nlohmann::json> point;
  for (const auto& p : doc["points"]) {
    EXPECT_EQ(p["accuracy_per_seed"].size(), 2u);
    EXPECT_GT(p["cell_energy_per_inference_j"].get<double>(), 0.0);
    EXPECT_LT(p["cell_energy_per_inference_j"].get<double>(), p["energy_per_inference_j"].get<double>());
    EXPECT_EQ(p["noise_free_accuracy"], doc["points"][0]["noise_free_accuracy"]);
    point[{p["scale_fraction"].get<double>(), p["time_steps"].get<int>()}] = p;
  }
  const auto cells = [&](double f, int t) { return point[{f, t}]["cell_energy_per_inference_j"].get<double>(); };
  const auto converters = [&](double f, int t) {
    return point[{f, t}]["energy_per_inference_j"].get<double>() - cells(f, t);
  };
  // The cells' energy is ∝ k; T = 2 keeps it (two reads at k/2) and doubles the conversions.
  EXPECT_NEAR(cells(0.5, 1) / cells(1.0, 1), 0.5, 0.05);
  EXPECT_NEAR(cells(1.0, 2) / cells(1.0, 1), 1.0, 0.05);
  EXPECT_NEAR(converters(1.0, 2) / converters(1.0, 1), 2.0, 1e-6);

  EXPECT_EQ(cached_points(), 4u);

  // eval computes the same point afresh (no cache, another thread count), then reads it back.
  const std::vector<std::string> eval{
      "--json",      "imc",      "eval", "--network",        "fmnist_mlp", "--weights",
      "mlp.weights", "--device", "pcm",  "--scale-fraction", "0.5",        "--time-steps",
      "2",           "--seeds",  "2",    "--images",         "50"};
  const nlohmann::json& same = point[{0.5, 2}];
  for (const bool cached : {false, true}) {
    std::vector<std::string> args{"--threads", cached ? "1" : "2"};
    args.insert(args.end(), eval.begin(), eval.end());
    if (!cached) args.push_back("--no-cache");
    r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc["points"].size(), 1u);
    EXPECT_EQ(doc["points"][0]["accuracy_per_seed"], same["accuracy_per_seed"]);
    EXPECT_EQ(doc["points"][0]["energy_per_inference_j"], same["energy_per_inference_j"]);
    EXPECT_EQ(doc["points"][0]["cell_energy_per_inference_j"], same["cell_energy_per_inference_j"]);
  }
  EXPECT_EQ(cached_points(), 4u);
}

TEST_F(ImcCli, FinishedPointsAreReusedAndChangedInputsAreNot) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  write_mlp_weights("mlp.weights");
  // A sweep stopped after its first scale fraction: the full sweep recomputes only the rest.
  write("part.yaml", sweep_file("", "[1]"));
  ASSERT_EQ(run({"imc", "sweep", "part.yaml", "--out", "part"}).code, 0);
  EXPECT_EQ(cached_points(), 2u);
  write("tiny.yaml", sweep_file());
  ASSERT_EQ(run({"imc", "sweep", "tiny.yaml", "--out", "full"}).code, 0);
  EXPECT_EQ(cached_points(), 4u);
  const auto part = nlohmann::json::parse(slurp(dir_ / "part" / "imc.json"));
  const auto full = nlohmann::json::parse(slurp(dir_ / "full" / "imc.json"));
  EXPECT_EQ(part["points"][0]["accuracy_per_seed"], full["points"][0]["accuracy_per_seed"]);
  // Other weights under the same file name, or another seed count, are new points.
  write_mlp_weights("mlp.weights", 4);
  ASSERT_EQ(run({"imc", "sweep", "tiny.yaml", "--out", "other"}).code, 0);
  EXPECT_EQ(cached_points(), 8u);
  write("seeds.yaml", sweep_file() + "base_seed: 9\n");
  ASSERT_EQ(run({"imc", "sweep", "seeds.yaml", "--out", "seeds", "--no-cache"}).code, 0);
  EXPECT_EQ(cached_points(), 8u);  // --no-cache stores nothing
  // An entry whose value was edited by hand is recomputed, not a crash.
  for (const auto& entry : fs::directory_iterator(dir_ / "cache" / "deepnvm" / "imc_point")) {
    auto doc = nlohmann::json::parse(slurp(entry.path()));
    doc["value"] = {{"mean", "edited"}};
    std::ofstream(entry.path()) << doc.dump();
  }
  const Result again = run({"imc", "sweep", "tiny.yaml", "--out", "again"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(slurp(dir_ / "again" / "imc.json"))["points"],
            nlohmann::json::parse(slurp(dir_ / "other" / "imc.json"))["points"]);
}

TEST_F(ImcCli, BadSweepFilesAndArgumentsExitTwoWithNoOutput) {
  write_mlp_weights("mlp.weights");
  const std::vector<std::pair<std::string, std::vector<std::string>>> bad{
      {sweep_file("colour: red\n"), {"bad.yaml:10", "colour"}},
      {sweep_file("adc_headroom: 2\n"), {"bad.yaml:10", "adc_headroom"}},
      {sweep_file("seeds: -3\n"), {"seeds"}},
      {"kind: imc_sweep\nname: x\nnetwork: fmnist_mlp\nweights: mlp.weights\ndevices: [pcm, nope]\n",
       {"bad.yaml:5", "devices", "nope"}},
      {"kind: imc_sweep\nname: x\nnetwork: fmnist_mlp\nweights: missing.weights\ndevices: [pcm]\n",
       {"bad.yaml:4", "weights", "missing.weights"}},
      {"kind: imc_sweep\nname: x\nnetwork: fmnist_lenet5\nweights: mlp.weights\ndevices: [pcm]\n",
       {"bad.yaml:4", "weights", "fmnist_mlp"}},
      {"kind: imc_sweep\nname: x\nnetwork: fmnist_mlp\nweights: mlp.weights\ndevices: [pcm]\nscale_fraction: [0]\n",
       {"bad.yaml:6", "scale_fraction"}},
      {"kind: imc_device\nname: x\n", {"bad.yaml", "imc_sweep"}},
  };
  for (const auto& [text, mentions] : bad) {
    write("bad.yaml", text);
    expect_input_error({"imc", "sweep", "bad.yaml", "--out", "out"}, mentions);
    EXPECT_FALSE(fs::exists(dir_ / "out")) << text;
  }
  const std::vector<std::string> eval{"imc", "eval", "--network", "fmnist_mlp", "--weights", "mlp.weights"};
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = eval;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  expect_input_error(with({"--device", "pcmm"}), {"--device", "pcmm"});
  expect_input_error(with({"--device", "pcm", "--scale-fraction", "2"}), {"--scale-fraction"});
  expect_input_error(with({"--device", "pcm", "--seeds", "0"}), {"--seeds"});
  expect_input_error({"imc", "eval", "--network", "fmnist_lenet5", "--weights", "mlp.weights", "--device", "pcm"},
                     {"--weights", "fmnist_mlp"});
  expect_input_error({"imc", "eval", "--network", "fmnist_mlp", "--weights", "none.weights", "--device", "pcm"},
                     {"--weights", "none.weights"});
}

}  // namespace
