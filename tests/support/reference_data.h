// SPDX-License-Identifier: MIT
#pragma once
// The peer tools' recorded results (shared/reference, README there), found through the CMake
// variable DEEPNVM_REFERENCE_DIR. Absent data skips a test, except under CI=true, where it fails.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace deepnvm::testing {

inline std::filesystem::path nvsim_reference_dir() { return std::filesystem::path(DEEPNVM_REFERENCE_DIR) / "nvsim"; }

inline bool have_nvsim_reference() {
  if (std::filesystem::exists(nvsim_reference_dir() / "cases.jsonl")) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true")
    ADD_FAILURE() << "reference data missing at " << nvsim_reference_dir() << " under CI";
  return false;
}

/// Every case of shared/reference/nvsim/cases.jsonl, in file order.
inline std::vector<nlohmann::json> nvsim_reference_cases() {
  std::vector<nlohmann::json> out;
  std::ifstream in(nvsim_reference_dir() / "cases.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace deepnvm::testing
