// SPDX-License-Identifier: MIT
// Part B of the reference set: NVSim's full cache searches (tag array in NVSim's reduced space, data
// array in the cfg's space). Each must pick NVSim's organisation, or one whose target value is within
// 0.1 % of NVSim's, and meet the accuracy goals (validation_common.h).
#include "validation_common.h"

namespace deepnvm {
namespace {

using namespace validation;

TEST(ArrayValidation, CacheSearchesMatchNvsim) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data at " << testing::nvsim_reference_dir();
  std::vector<CaseOutcome> cases;
  for (const json& c : testing::nvsim_reference_cases())
    if (c["part"] == "B") cases.push_back(run_case(c));
  ASSERT_EQ(cases.size(), 18u);
  append_report(report(cases, "Part B: cache searches"));
  for (const auto& c : cases) {
    ASSERT_TRUE(c.evaluated) << c.id << ": " << c.error;
    EXPECT_TRUE(c.same_organization || c.target_difference <= 1e-3)
        << c.id << ": another organisation, target value off by " << 100.0 * c.target_difference << " %";
  }
  EXPECT_EQ(check_goals(cases, 0.10, 0.25), "");
}

}  // namespace
}  // namespace deepnvm
