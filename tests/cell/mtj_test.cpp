// SPDX-License-Identifier: MIT
// MTJ physics against closed forms and the worked numbers of shared/docs/notes/cells.md.
#include "deepnvm/cell/mtj.h"

#include <cmath>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"

namespace deepnvm::mtj {
namespace {

SwitchingParameters ikeda() {  // Ikeda 2010 anchor: I_c0 = 49 uA, Delta = 40 (note §1.3, §1.4)
  return {49e-6, 40.0, 1e-9, precessional_time(0.027, 0.3, 40.0)};
}

TEST(Mtj, ParallelResistanceFromRaProduct) {
  // RA 5 Ohm um^2, d = 40 nm -> 3.98 kOhm (note §6.3)
  EXPECT_NEAR(parallel_resistance(5e-12, junction_area(40e-9)), 3979, 1);
}

TEST(Mtj, TmrRollsOffWithBias) {
  EXPECT_DOUBLE_EQ(tmr_at_bias(1.5, 0.0, 0.5), 1.5);
  EXPECT_DOUBLE_EQ(tmr_at_bias(1.5, 0.5, 0.5), 0.75);    // halves at V_h
  EXPECT_NEAR(tmr_at_bias(1.0, 0.1, 0.5), 0.96, 0.002);  // note §1.1: 96 % at 0.1 V
}

TEST(Mtj, MacrospinCriticalCurrentMatchesTheNote) {
  EXPECT_NEAR(macrospin_critical_current(0.01, 0.6, 60, 300), 25e-6, 0.5e-6);  // note §1.3
  EXPECT_NEAR(macrospin_critical_current(0.027, 0.6, 60, 300), 68e-6, 1e-6);
}

TEST(Mtj, PrecessionalTimeMatchesTheNote) {
  EXPECT_NEAR(precessional_time(0.01, 0.3, 60) * 1e9, 5.4, 0.1);  // note §1.4
  EXPECT_NEAR(precessional_time(0.027, 0.3, 40) * 1e9, 1.85, 0.05);
}

TEST(Mtj, ThermalRegimeMatchesTheNote) {
  const auto p = ikeda();
  EXPECT_NEAR(critical_current_for_pulse(p, 10e-9) * 1e6, 46, 0.5);  // note §1.4
  EXPECT_NEAR(critical_current_for_pulse(p, 100e-9) * 1e6, 43, 0.5);
}

TEST(Mtj, PrecessionalRegimeMatchesTheNote) {
  const SwitchingParameters p{1.0, 60.0, 1e-9, precessional_time(0.01, 0.3, 60)};
  EXPECT_NEAR(critical_current_for_pulse(p, 2e-9), 3.7, 0.1);  // I_c(2 ns) = 3.7 I_c0
  EXPECT_NEAR(critical_current_for_pulse(p, 1e-9), 6.4, 0.1);
}

TEST(Mtj, WriteCurrentFallsAsThePulseLengthensInEveryRegime) {
  const auto p = ikeda();
  for (const auto& [from, to] : {std::pair{0.2e-9, 2.99e-9}, std::pair{3e-9, 9.99e-9}, std::pair{10e-9, 1e-3}}) {
    EXPECT_EQ(regime_for(from), regime_for(to));
    double previous = critical_current_for_pulse(p, from);
    for (double t = from * 1.05; t <= to; t *= 1.05) {
      const double now = critical_current_for_pulse(p, t);
      EXPECT_LT(now, previous) << "at " << t << " s";
      previous = now;
    }
  }
}

TEST(Mtj, CriticalCurrentIsContinuousAtRegimeEdges) {
  const auto p = ikeda();
  for (double edge : {kPrecessionalRegimeBelow, kThermalRegimeFrom}) {
    const double below = critical_current_for_pulse(p, edge * (1 - 1e-9));
    const double at = critical_current_for_pulse(p, edge);
    EXPECT_NEAR(below, at, 1e-6 * at) << edge;
  }
}

TEST(Mtj, PulseForCurrentInvertsTheCriticalCurrent) {
  const auto p = ikeda();
  for (double t : {1e-9, 4e-9, 20e-9, 1e-6}) {
    const double current = critical_current_for_pulse(p, t);
    EXPECT_NEAR(pulse_for_current(p, current), t, 1e-6 * t);
  }
  EXPECT_TRUE(std::isinf(pulse_for_current(p, 1e-9)));  // far below I_c0: never switches in 1 s
}

TEST(Mtj, ShortPulseWithoutDynamicsIsAModelError) {
  const SwitchingParameters p{50e-6, 60.0, 1e-9, 0.0, 0.0};
  EXPECT_NO_THROW(write_error_rate(p, 60e-6, 10e-9));
  EXPECT_THROW(write_error_rate(p, 60e-6, 5e-9), ModelError);
}

TEST(Mtj, RetentionGrowsExponentiallyWithDelta) {
  for (double delta : {30.0, 40.0, 60.0})
    EXPECT_NEAR(retention_time(1e-9, delta + 1) / retention_time(1e-9, delta), std::exp(1.0), 1e-9);
  EXPECT_NEAR(retention_time(1e-9, 40), 2.35e8, 0.01e8);  // note §1.2
}

TEST(Mtj, ThermalStabilityFallsWithTemperature) {
  EXPECT_DOUBLE_EQ(thermal_stability_at(60, 300, 300), 60);
  EXPECT_NEAR(thermal_stability_at(60, 300, 350), 51.43, 0.01);
}

TEST(Mtj, ReadDisturbMatchesTheNoteAndGrowsWithCurrent) {
  const SwitchingParameters p{1.0, 40.0, 1e-9, 0.0};
  EXPECT_NEAR(read_disturb_probability(p, 0.2, 2e-9) / 2.5e-14, 1.0, 0.05);  // note §1.6
  EXPECT_NEAR(read_disturb_probability(p, 0.5, 2e-9) / 4.1e-9, 1.0, 0.05);
  EXPECT_LT(read_disturb_probability(p, 0.3, 2e-9), read_disturb_probability(p, 0.4, 2e-9));
  EXPECT_GT(read_disturb_probability(p, 0.05, 2e-9), 0.0);  // expm1 keeps tiny values
}

TEST(Mtj, WriteErrorRateFallsWithPulseAndCurrent) {
  const SwitchingParameters p{50e-6, 60.0, 1e-9, precessional_time(0.01, 0.3, 60), damping_time(0.01, 0.3)};
  double previous = 1.0 + 1e-9;  // at 1 ns a 1.5 I_c0 pulse fails almost surely: WER rounds to 1
  for (double t : {1e-9, 3e-9, 10e-9, 30e-9}) {
    const double wer = write_error_rate(p, 1.5 * 50e-6, t);
    EXPECT_LT(wer, previous);
    EXPECT_GE(wer, 0.0);
    previous = wer;
  }
  EXPECT_LT(write_error_rate(p, 2.0 * 50e-6, 5e-9), write_error_rate(p, 1.5 * 50e-6, 5e-9));
  // Continuous through i = 1 (the 0/0 limit) and through the thermally activated side.
  EXPECT_NEAR(write_error_rate(p, 50e-6, 5e-9), write_error_rate(p, 50e-6 * (1 + 1e-9), 5e-9), 1e-6);
  EXPECT_GT(write_error_rate(p, 0.8 * 50e-6, 10e-9), 0.99);  // well below I_c0 a 10 ns pulse rarely switches
  // Thermal regime: exactly the Neel-Brown closed form.
  EXPECT_NEAR(write_error_rate(p, 0.95 * 50e-6, 20e-9), std::exp(-20e-9 / (1e-9 * std::exp(3.0))), 1e-12);
}

TEST(Sot, CriticalCurrentDensitiesMatchTheNote) {
  // note §2.2 table, M_s = 1 MA/m, t_F = 1 nm
  EXPECT_NEAR(sot_critical_current_density_perpendicular(1e6, 1e-9, 0.30, 0.30, 0.0) / 1e10, 152, 1);
  EXPECT_NEAR(sot_critical_current_density_perpendicular(1e6, 1e-9, 0.30, 0.30, 0.02) / 1e10, 138, 1);
  EXPECT_NEAR(sot_critical_current_density_perpendicular(1e6, 1e-9, 0.20, 0.30, 0.02) / 1e10, 206, 1);
  EXPECT_NEAR(sot_critical_current_density_in_plane(1e6, 1.5e-9, 0.01, 0.30, 0.02, 0.8) / 1e10, 6.4, 0.1);
}

}  // namespace
}  // namespace deepnvm::mtj
