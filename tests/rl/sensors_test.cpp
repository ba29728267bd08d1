// SPDX-License-Identifier: MIT
// Sensors: powercap packages read, summed and unwrapped from a fake sysfs tree; a missing sensor says
// why; the GPU sensor either works or names what is missing; thread CPU time follows work.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/rl/sensors.h"

namespace deepnvm::rl {
namespace {

namespace fs = std::filesystem;

class FakePowercap : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("deepnvm-powercap-" + std::to_string(getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void zone(const std::string& name, double energy_uj, double range_uj = 1e6) const {
    fs::create_directories(root_ / name);
    std::ofstream(root_ / name / "energy_uj") << energy_uj << "\n";
    std::ofstream(root_ / name / "max_energy_range_uj") << range_uj << "\n";
  }
  fs::path root_;
};

TEST_F(FakePowercap, PackagesAreSummedAndTheirCountersUnwrapped) {
  zone("intel-rapl:0", 900'000);
  zone("intel-rapl:1", 100);
  zone("intel-rapl:0:0", 5);  // a subzone (the cores): part of package 0, not counted again
  CpuPackageEnergy cpu(root_);
  ASSERT_TRUE(cpu.available()) << cpu.missing_reason();
  EXPECT_EQ(*cpu.joules(), 0.0);
  zone("intel-rapl:0", 50'000);  // wrapped past 1e6: 150 000 µJ later
  zone("intel-rapl:1", 2'100);   // 2 000 µJ later
  EXPECT_NEAR(*cpu.joules(), 0.152, 1e-12);
  zone("intel-rapl:1", 3'100);
  EXPECT_NEAR(*cpu.joules(), 0.153, 1e-12);
  cpu.restart();
  EXPECT_EQ(*cpu.joules(), 0.0);
}

TEST_F(FakePowercap, AMissingOrUnreadableSensorSaysWhy) {
  CpuPackageEnergy none(root_);
  EXPECT_FALSE(none.available());
  EXPECT_FALSE(none.joules());
  EXPECT_NE(none.missing_reason().find("no intel-rapl package"), std::string::npos) << none.missing_reason();
  fs::create_directories(root_ / "intel-rapl:0");  // a package without its counter
  CpuPackageEnergy unreadable(root_);
  EXPECT_FALSE(unreadable.available());
  EXPECT_NE(unreadable.missing_reason().find("energy_uj"), std::string::npos) << unreadable.missing_reason();
}

TEST(GpuSensor, WorksOrNamesWhatIsMissing) {
  GpuSensor gpu;
  if (gpu.available()) {
    EXPECT_GE(*gpu.joules(), 0.0);
    EXPECT_GE(*gpu.utilization_percent(), 0.0);
  } else {
    EXPECT_FALSE(gpu.missing_reason().empty());
    EXPECT_FALSE(gpu.joules());
    EXPECT_FALSE(gpu.utilization_percent());
  }
}

TEST(ThreadCpuTime, GrowsWithWork) {
  const double start = thread_cpu_seconds();
  volatile double x = 0;
  for (int i = 0; i < 20'000'000; ++i) x = x + std::sqrt(static_cast<double>(i));
  EXPECT_GT(thread_cpu_seconds(), start);
}

}  // namespace
}  // namespace deepnvm::rl
