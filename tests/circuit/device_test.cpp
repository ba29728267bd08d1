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
  EXPECT_NEAR(d.off_current_n, 1.0572, 2e-4);
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

// FinFET nodes (beyond NVSim; NS-Cache's convention, note §3.7-3.8): drawn widths quantised to fins
// of 2F, per-fin figures from the NeuroSim V1.4 per-effective-width tables (W_eff,fin = 2 H + W).
DeviceModel finfet(double node, const char* flavour) {
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "deepnvm", node);
  return make_device_model(tech, flavour, 350.0);
}

TEST(FinfetDevice, OnResistanceGateAndDrainCapPerFinFollowTheNeuroSimTables) {
  const DeviceModel d14 = finfet(14e-9, "lstp");
  const double fin14 = 2.0 * 14e-9;  // drawn width of one fin
  ASSERT_TRUE(d14.finfet());
  // 350 K: I_on,n = 708 uA/um of W_eff, W_eff = 92 nm: 65.136 uA per fin; R = 2.09 x 0.8 V / I.
  EXPECT_NEAR(on_resistance(d14, fin14, Channel::nmos), 2.09 * 0.8 / (708.0 * 92e-9), 1e-6 * 25669.0);
  EXPECT_NEAR(on_resistance(d14, 3 * fin14, Channel::nmos) * 3, on_resistance(d14, fin14, Channel::nmos), 1e-6);
  EXPECT_NEAR(gate_cap(d14, fin14) * 1e18, 103.816, 1e-3);                            // aF per fin
  EXPECT_NEAR(drain_cap(d14, fin14, Channel::nmos, 20 * fin14) * 1e18, 24.99, 1e-3);  // aF per fin
  EXPECT_NEAR(transconductance(d14, fin14, Channel::nmos), 1415.34 * 92e-9, 1e-12);   // gm_oncurrent W_eff
  EXPECT_DOUBLE_EQ(d14.cap_overlap, 0.0);
  EXPECT_DOUBLE_EQ(d14.cap_fringe, 0.0);
  // Leakage of one fin: I_off,n(350 K) = 1.5425e-3 uA/um x 92 nm.
  EXPECT_NEAR(gate_leakage(d14, Gate::inv, 1, fin14, 0.0), 1.5425e-3 * 92e-9, 1e-15);

  const DeviceModel d7 = finfet(7e-9, "lstp");
  const double fin7 = 2.0 * 7e-9;
  EXPECT_NEAR(on_resistance(d7, fin7, Channel::nmos), 2.05 * 0.7 / (653.0 * 107e-9), 1e-2);
  EXPECT_NEAR(gate_cap(d7, fin7) * 1e18, 100.497, 1e-3);
  EXPECT_NEAR(drain_cap(d7, 2 * fin7, Channel::nmos, 20 * fin7) * 1e18, 2 * 22.24, 1e-3);
  // A NAND2's parallel PMOS exposes two drains, its series NMOS one.
  EXPECT_NEAR(gate_caps(d7, Gate::nand, 2, fin7, fin7, 40 * 7e-9).output * 1e18, 3 * 22.24, 1e-3);
}

TEST(FinfetDevice, DrawnWidthsRoundUpToWholeFinsOf2F) {
  const DeviceModel d = finfet(14e-9, "lstp");
  const double F = d.feature_size;
  EXPECT_EQ(d.fins(0.0), 0);
  EXPECT_EQ(d.fins(d.min_width()), 1);  // 1.5 F
  EXPECT_EQ(d.fins(2.0 * F), 1);
  EXPECT_EQ(d.fins(2.1 * F), 2);
  EXPECT_EQ(d.fins(5.0 * F), 3);
  EXPECT_EQ(d.fins(6.0 * F), 3);
  // Everything electrical sees the quantised width: 1.5F and 2F are the same device, 2.1F is two fins.
  EXPECT_DOUBLE_EQ(gate_cap(d, 1.5 * F), gate_cap(d, 2.0 * F));
  EXPECT_DOUBLE_EQ(gate_cap(d, 2.1 * F), 2.0 * gate_cap(d, 2.0 * F));
  EXPECT_DOUBLE_EQ(on_resistance(d, 1.5 * F, Channel::nmos), on_resistance(d, 2.0 * F, Channel::nmos));
  EXPECT_DOUBLE_EQ(on_resistance(d, 2.1 * F, Channel::nmos), on_resistance(d, 4.0 * F, Channel::nmos));
  // I / I_on is still a drawn width: the width sized for a fin's current is one fin.
  EXPECT_EQ(d.fins(65.136e-6 / d.on_current_n), 1);
  EXPECT_EQ(d.fins(1.01 * 65.136e-6 / d.on_current_n), 2);
}

TEST(FinfetDevice, McpatSixteenNanometreHasNoFinsAndKeepsTheMobilityModel) {
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "deepnvm", 16e-9);
  const DeviceModel d = make_device_model(tech, "hp", 350.0);
  EXPECT_FALSE(d.finfet());
  EXPECT_EQ(d.fins(1e-6), 0);
  EXPECT_DOUBLE_EQ(d.electrical_width(1.234e-8), 1.234e-8);
  // R_n W = 1.48 x 0.7 V / 2768.4 uA/um = 374 Ohm um; C_g = 1.2 C_gi + 3 C_f = 0.456 fF/um.
  EXPECT_NEAR(on_resistance(d, 1e-6, Channel::nmos), 374.2, 0.2);
  EXPECT_NEAR(d.cap_gate_per_width() * 1e9, 0.456, 1e-3);
  EXPECT_NEAR(d.vth, 0.1489, 1e-12);
  EXPECT_GT(transconductance(d, 1e-7, Channel::nmos), 0.0);
  // The stored junction caps of the DG device win over NVSim's Vdd-derived ones: C_j = 0.
  EXPECT_DOUBLE_EQ(d.cap_junction, 0.0);
  EXPECT_NEAR(d.cap_sidewall, 0.25e-15 / 1e-6, 1e-15);
  const double F = d.feature_size;
  EXPECT_GT(drain_cap(d, 4 * F, Channel::nmos, 20 * F), 0.0);
}

TEST(FinfetDevice, PlanarTablesAreUnchanged) {
  const DeviceModel& d = hp22();
  EXPECT_FALSE(d.finfet());
  EXPECT_DOUBLE_EQ(d.drain_cap_per_width, 0.0);
  EXPECT_DOUBLE_EQ(d.transconductance_per_width, 0.0);
  const double w = 1.234e-7;
  EXPECT_DOUBLE_EQ(gate_cap(d, w), d.cap_gate_per_width() * w);
  EXPECT_DOUBLE_EQ(on_resistance(d, w, Channel::nmos),
                   d.effective_resistance_multiplier * d.vdd / (d.on_current_n * w));
}

}  // namespace
}  // namespace deepnvm::circuit
