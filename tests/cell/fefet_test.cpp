// SPDX-License-Identifier: MIT
#include "deepnvm/cell/fefet.h"

#include <cmath>

#include <gtest/gtest.h>

#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {
namespace {

constexpr double kMu = 0.03, kCox = 0.0377, kW = 90e-9, kL = 18e-9, kN = 1.3, kT = 300.0;

TEST(Ekv, StrongInversionMatchesTheSquareLawInTheLinearRegion) {
  const double vgt = 0.8, vd = 0.05;
  const double ekv = ekv_drain_current(kMu, kCox, kW, kL, 0.2, 0.2 + vgt, vd, kN, kT);
  const double square = kMu * kCox * (kW / kL) * (vgt * vd - kN * vd * vd / 2.0);
  EXPECT_NEAR(ekv / square, 1.0, 0.02);
}

TEST(Ekv, SubthresholdCurrentRisesOneDecadePerSwing) {
  const double vt = 1.380649e-23 * kT / 1.602176634e-19;
  const double swing = kN * vt * std::log(10.0);
  const double i1 = ekv_drain_current(kMu, kCox, kW, kL, 0.8, 0.1, 0.1, kN, kT);
  const double i2 = ekv_drain_current(kMu, kCox, kW, kL, 0.8, 0.1 + swing, 0.1, kN, kT);
  EXPECT_NEAR(i2 / i1, 10.0, 0.05);
  EXPECT_EQ(ekv_drain_current(kMu, kCox, kW, kL, 0.3, 0.7, 0.0, kN, kT), 0.0);  // no drain bias, no current
}

FefetCell fefet(const std::string& window, const std::string& polarization = "25 uC/cm^2") {
  const std::string text = "kind: fefet_cell\nname: f\nsource: t\narea_f2: 10\nwidth_f: 2\nmemory_window: " + window +
                           "\nread_drain_voltage: 0.1 V\nwrite_voltage: 3 V\nwrite_pulse: 250 ns\n"
                           "remanent_polarization: " +
                           polarization + "\nferroelectric_thickness: 4.5 nm\nferroelectric_permittivity: 30\n";
  return FefetCell(FefetSpec::schema().parse(load_config_string(text, "f.yaml")));
}

TEST(Fefet, TwoThresholdStatesGiveOnAndOffResistancesThatSeparateWithTheWindow) {
  const Technology node = find_technology(DEEPNVM_DATA_DIR, "nvsim", 45e-9);
  double previous_ratio = 1.0;
  for (const char* window : {"0.5 V", "1 V", "1.5 V"}) {
    const CellFigures f = fefet(window).characterize({&node, 350.0});
    ASSERT_TRUE(f.r_on && f.r_off);
    const double ratio = *f.r_off / *f.r_on;
    EXPECT_GT(ratio, previous_ratio) << window;
    previous_ratio = ratio;
  }
}

TEST(Fefet, WriteEnergyGrowsWithRemanentPolarization) {
  const Technology node = find_technology(DEEPNVM_DATA_DIR, "nvsim", 45e-9);
  const double low = *fefet("1 V", "10 uC/cm^2").characterize({&node, 350.0}).write.energy();
  const double high = *fefet("1 V", "25 uC/cm^2").characterize({&node, 350.0}).write.energy();
  // Q = (2 P_r + eps0 eps_r V / t) W L: the difference is exactly 2 x 15 uC/cm^2 x W L x V.
  const double gate_area = 2 * 45e-9 * node.device("hp").gate_length;
  EXPECT_NEAR(high - low, 2 * 0.15 * gate_area * 3.0, 1e-21);
}

TEST(Fefet, WithoutANodeOnlyNodeIndependentFiguresAreKnown) {
  const CellFigures f = fefet("1 V").characterize({});
  EXPECT_FALSE(f.r_on);
  EXPECT_FALSE(f.write.energy());
  EXPECT_EQ(*f.area_f2, 10.0);
  EXPECT_DOUBLE_EQ(f.write.set_pulse, 250e-9);
}

TEST(Fefet, CannotBeWrittenAsAnNvsimCell) {
  const Technology node = find_technology(DEEPNVM_DATA_DIR, "nvsim", 45e-9);
  EXPECT_THROW(to_nvsim_cell(fefet("1 V").characterize({&node, 350.0})), ModelError);
}

}  // namespace
}  // namespace deepnvm
