// SPDX-License-Identifier: MIT
// The transistor primitives against the intermediate values the array-model note (§5) derives by
// hand for 22 nm HP at 350 K, which reproduce NVSim's printed results.
#include "deepnvm/circuit/device.h"

#include <cmath>

#include <gtest/gtest.h>

namespace deepnvm::circuit {
namespace {

const DeviceModel& hp22() {
  static const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  static const DeviceModel d = make_device_model(tech, "hp", 350.0);
  return d;
}

TEST(DeviceModel, DerivedFiguresMatchTheNoteAt22nmHp350K) {
  const DeviceModel& d = hp22();
  EXPECT_NEAR(d.on_current_n, 1930.7, 0.5);
  EXPECT_NEAR(d.off_current_n, 1.0572, 3e-3);
  EXPECT_NEAR(on_resistance(d, 1e-6, Channel::nmos), 676.0, 1.0);  // R_on W in Ohm um
  EXPECT_NEAR(d.cap_gate_per_width() * 1e9, 0.9396, 1e-3);         // fF/um
  EXPECT_NEAR(d.cap_junction * 1e3, 0.707, 1e-3);                  // fF/um^2
  EXPECT_NEAR(d.cap_sidewall * 1e9, 0.199, 1e-3);                  // fF/um
  EXPECT_NEAR(d.cap_drain_to_channel * 1e9, 0.0398, 1e-4);
  EXPECT_NEAR(d.vdsat_n, 0.0252, 1e-4);
  EXPECT_NEAR(d.min_width(), 33e-9, 1e-15);
}

TEST(DeviceModel, SramAccessDrainCapInACellWideRegion) {
  const DeviceModel& d = hp22();
  const double F = d.feature_size;
  EXPECT_NEAR(drain_cap(d, 1.31 * F, Channel::nmos, 10 * F) * 1e15, 0.0299, 3e-4);
}

TEST(DeviceModel, FoldingKeepsTheGateInsideItsRegionAndAddsFingers) {
  const DeviceModel& d = hp22();
  const double F = d.feature_size;
  const Footprint small = gate_area(d, Gate::inv, 1, 4 * F, 8 * F, 40 * F);
  const Footprint wide = gate_area(d, Gate::inv, 1, 40 * F, 80 * F, 40 * F);
  EXPECT_NEAR(small.height, 4 * F + 8 * F + 2 * F + 4 * F, 1e-15);  // N + P + gap + two rails
  EXPECT_LE(wide.height, 40 * F + 4 * F + 1e-15);                   // folded to the region
  EXPECT_GT(wide.width, small.width);
  // Folding shares drain strips: a 10x wider device has less than 10x the drain capacitance.
  EXPECT_LT(drain_cap(d, 100 * F, Channel::nmos, 20 * F), 10 * drain_cap(d, 10 * F, Channel::nmos, 20 * F));
}

TEST(DeviceModel, NandLeaksThroughItsParallelPmosWithNvsimStackFactor) {
  const DeviceModel& d = hp22();
  const double w = 1e-7;
  EXPECT_DOUBLE_EQ(gate_leakage(d, Gate::nand, 2, w, w), 0.48 * 2 * w * d.off_current_p);
  EXPECT_DOUBLE_EQ(gate_leakage(d, Gate::inv, 1, w, 2 * w), std::max(w * d.off_current_n, 2 * w * d.off_current_p));
}

TEST(Horowitz, StepInputGivesLn2TauAndSlowInputsAreSlower) {
  const Delay step = horowitz(1e-12, 0.0, kStepRamp);
  EXPECT_NEAR(step.latency, std::log(2.0) * 1e-12, 1e-18);
  EXPECT_NEAR(step.ramp_out, 0.5 / step.latency, 1.0);
  EXPECT_GT(horowitz(1e-12, 0.5, 1e9).latency, step.latency);
}

}  // namespace
}  // namespace deepnvm::circuit
