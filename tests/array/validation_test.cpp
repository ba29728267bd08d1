// SPDX-License-Identifier: MIT
// Part A of the reference set: NVSim's forced-organisation RAMs, which isolate the circuit model from
// the search (validation_common.h has the comparison and the report).
#include "validation_common.h"

namespace deepnvm {
namespace {

using namespace validation;

TEST(ArrayValidation, ForcedRamsMatchNvsim) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data at " << testing::nvsim_reference_dir();
  std::vector<CaseOutcome> accepted, rejected;
  for (const json& c : testing::nvsim_reference_cases()) {
    if (c["part"] != "A") continue;
    (c["status"] == "ok" ? accepted : rejected).push_back(run_case(c));
  }
  ASSERT_EQ(accepted.size(), 108u);
  append_report(report(accepted, "Part A: forced-organisation RAMs (accepted by NVSim)"));
  append_report(report(rejected, "Part A: cases NVSim rejects"));
  std::string refused;
  for (const auto& c : accepted)
    if (!c.evaluated) refused += fmt::format("{}: {}\n", c.id, c.error);
  EXPECT_EQ(refused, "") << "cases NVSim accepts that we refuse";
  EXPECT_EQ(check_goals(accepted, 0.10, 0.25), "");
  // Every case NVSim rejects is refused with a reason, except below 22 nm (our FinFET tables).
  for (const auto& c : rejected) {
    if (c.below_22nm)
      EXPECT_TRUE(c.evaluated) << c.id << ": " << c.error;
    else
      EXPECT_FALSE(c.evaluated) << c.id << " is accepted, NVSim rejects it";
  }
}

}  // namespace
}  // namespace deepnvm
