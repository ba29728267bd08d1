// SPDX-License-Identifier: MIT
// deepnvm-learn's command line, and `deepnvm learn`, which runs it with the same arguments.
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "learn_test_support.h"

namespace {

using deepnvm_learn_test::ScratchDir;
namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result run(const ScratchDir& dir, const std::string& program, const std::vector<std::string>& args) {
  std::string cmd = "cd " + quote(dir.path().string()) + " && " + quote(program);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote((dir.path() / ".stdout").string()) + " 2>" + quote((dir.path() / ".stderr").string()) +
         " </dev/null";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir.path() / ".stdout");
  r.err = slurp(dir.path() / ".stderr");
  return r;
}

void expect_one_line_error(const Result& r, const std::string& mention) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("deepnvm-learn: error: ")) << r.err;
  EXPECT_NE(r.err.find(mention), std::string::npos) << "missing '" << mention << "' in: " << r.err;
}

TEST(LearnCli, BadArgumentsExitTwoOnOneLineDirectlyAndThroughDeepnvm) {
  const ScratchDir dir("cli-bad");
  for (const bool through_deepnvm : {false, true}) {
    const auto call = [&](std::vector<std::string> args) {
      if (through_deepnvm) args.insert(args.begin(), "learn");
      return run(dir, through_deepnvm ? DEEPNVM_CLI_PATH : DEEPNVM_LEARN_PATH, args);
    };
    expect_one_line_error(call({"train", "--quant", "int3", "--out", "o"}), "unknown quantization 'int3'");
    expect_one_line_error(call({"fly"}), "fly");
    if (through_deepnvm) continue;  // each call starts libtorch (~0.5 s): the rest directly only
    expect_one_line_error(call({"train", "--epochs", "0", "--out", "o"}), "--epochs");
    expect_one_line_error(call({"train", "--quant", "int8"}), "--out");
    expect_one_line_error(call({"train", "--network", "nope", "--out", "o", "--data", dir.path().string()}), "nope");
    expect_one_line_error(call({"train", "--out", "o", "--data", dir.path().string()}), "train-images-idx3-ubyte");
    expect_one_line_error(call({"train", "--out", "o", "--time-budget", "20"}), "--time-budget");
    expect_one_line_error(call({"eval", "--checkpoint", "none.pt"}), "none.pt");
  }
}

TEST(LearnCli, BadTechniqueOptionsExitTwoThroughDeepnvmImcTrain) {
  const ScratchDir dir("cli-imc-bad");
  const std::string pcm = std::string(DEEPNVM_DATA_DIR) + "/imc/pcm.yaml";
  const auto call = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"imc", "train", "--out", "o"});
    return run(dir, DEEPNVM_CLI_PATH, args);
  };
  expect_one_line_error(call({"--device", "none.yaml", "--noise-aware"}), "none.yaml");
  expect_one_line_error(call({"--noise-aware"}), "--device");
  expect_one_line_error(call({"--device", pcm, "--energy-reg", "-1"}), "--energy-reg");
  expect_one_line_error(call({"--device", pcm, "--scale-fraction", "1.5"}), "--scale-fraction");
  const Result help = run(dir, DEEPNVM_CLI_PATH, {"imc", "train", "--help"});
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("--noise-aware"), std::string::npos) << help.out;
}

TEST(LearnCli, HelpIsDeepnvmLearnsThroughDeepnvmToo) {
  const ScratchDir dir("cli-help");
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"learn", "--help"}, {"learn", "train", "--help"}}) {
    const Result r = run(dir, DEEPNVM_CLI_PATH, args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("deepnvm-learn"), std::string::npos) << r.out;
  }
  EXPECT_NE(run(dir, DEEPNVM_CLI_PATH, {"learn", "train", "--help"}).out.find("--limit-train"), std::string::npos);
}

TEST(LearnCli, TinyTrainThenEvalThroughDeepnvm) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const ScratchDir dir("cli-train");
  Result r = run(dir, DEEPNVM_CLI_PATH,
                 {"learn", "train", "--network", "fmnist_lenet5", "--quant", "light1", "--epochs", "1", "--seed", "2",
                  "--out", "run", "--limit-train", "256", "--limit-test", "500", "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("epoch 1/1"), std::string::npos) << r.err;  // progress on stderr
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["network"], "fmnist_lenet5");
  EXPECT_EQ(summary["quantization"], "light1");
  EXPECT_EQ(summary["epochs"], 1);
  EXPECT_EQ(summary["test_images"], 500);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir.path() / "run" / "summary.json")), summary);
  r = run(dir, DEEPNVM_CLI_PATH, {"learn", "eval", "--checkpoint", "run/checkpoint.pt", "--limit-test", "500"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["accuracy"], summary["accuracy"]);  // the same model, the same images
}

}  // namespace
