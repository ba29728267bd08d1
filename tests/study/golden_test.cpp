// SPDX-License-Identifier: MIT
// A regression guard on the product's main job: `deepnvm run` of the shipped study (data/studies/
// deepnvm.yaml), from an empty cache, against tests/study/data/deepnvm_results.json. It pins what the
// models give today, not what they should give: the figures are reported (report.md), never tuned.
// After a deliberate model change, regenerate the file with scripts/update-study-golden and say why
// in the commit.
//
// Tolerance: numbers within a relative 1e-6 (or 1e-15 absolute); strings, integers, booleans, keys and
// array lengths exactly. The run is deterministic (sampled curves are seeded, searches break ties by
// NVSim's order), so the slack only absorbs printing and libm differences. `context` (tool version,
// inputs hash) is not compared.
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"

namespace deepnvm_cli_test {
namespace {

constexpr double kRelative = 1e-6;
constexpr double kAbsolute = 1e-15;

void compare(const nlohmann::json& want, const nlohmann::json& got, const std::string& path,
             std::vector<std::string>& diffs) {
  if (diffs.size() >= 20) return;
  if (want.is_number() && got.is_number() && (want.is_number_float() || got.is_number_float())) {
    const double w = want.get<double>(), g = got.get<double>();
    if (!(std::abs(w - g) <= std::max(kAbsolute, kRelative * std::abs(w))))
      diffs.push_back(path + ": golden " + want.dump() + ", now " + got.dump());
    return;
  }
  if (want.type() != got.type()) {
    diffs.push_back(path + ": golden is " + want.type_name() + ", now " + got.type_name());
    return;
  }
  if (want.is_object()) {
    for (const auto& [key, value] : want.items()) {
      if (!got.contains(key)) {
        diffs.push_back(path + "/" + key + ": missing now");
        continue;
      }
      compare(value, got.at(key), path + "/" + key, diffs);
    }
    for (const auto& [key, value] : got.items())
      if (!want.contains(key)) diffs.push_back(path + "/" + key + ": new (not in the golden file)");
    return;
  }
  if (want.is_array()) {
    if (want.size() != got.size()) {
      diffs.push_back(path + ": golden has " + std::to_string(want.size()) + " entries, now " +
                      std::to_string(got.size()));
      return;
    }
    for (std::size_t i = 0; i < want.size(); ++i) compare(want[i], got[i], path + "/" + std::to_string(i), diffs);
    return;
  }
  if (want != got) diffs.push_back(path + ": golden " + want.dump() + ", now " + got.dump());
}

TEST_F(Cli, DefaultStudyMatchesTheGoldenResults) {
  // A cache of the test's own: cold, and never the user's.
  const std::string cache = (dir_ / "cache").string();
  const std::string cmd = "XDG_CACHE_HOME=" + quote(cache) + " " + quote(DEEPNVM_CLI_PATH) + " run --quiet --out " +
                          quote((dir_ / "out").string()) + " >" + quote((dir_ / "log").string()) + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir_ / "log");
  nlohmann::json got = nlohmann::json::parse(slurp(dir_ / "out" / "results.json"));
  nlohmann::json want =
      nlohmann::json::parse(slurp(fs::path(DEEPNVM_SOURCE_DIR) / "tests" / "study" / "data" / "deepnvm_results.json"));
  got.erase("context");
  want.erase("context");
  std::vector<std::string> diffs;
  compare(want, got, "", diffs);
  std::string report;
  for (const std::string& d : diffs) report += "\n  " + d;
  EXPECT_TRUE(diffs.empty()) << "results.json differs from the golden file (first " << diffs.size()
                             << " differences; regenerate with scripts/update-study-golden if the change is "
                                "deliberate):"
                             << report;
}

}  // namespace
}  // namespace deepnvm_cli_test
