// SPDX-License-Identifier: MIT
#pragma once

// Power and utilization sensors for the RL measurements (docs/models/rl.md §2). A sensor that cannot
// be read says so, with the reason; nothing is estimated in its place.
//
// - CPU package energy: Linux powercap (intel-rapl), /sys/class/powercap/intel-rapl:N/energy_uj for
//   each package N, with the counter's wrap-around (max_energy_range_uj).
// - GPU energy and utilization: NVML (libnvidia-ml.so.1, loaded at run time so that the tool builds
//   and runs without a GPU driver): total energy since the driver loaded (Volta and later) and the
//   utilization sampled by the driver.
// - CPU time of the calling thread: clock_gettime(CLOCK_THREAD_CPUTIME_ID).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deepnvm::rl {

/// CPU time the calling thread has used, s.
double thread_cpu_seconds();

class CpuPackageEnergy {
 public:
  /// Reads the packages under `powercap_root` (default: the system's).
  explicit CpuPackageEnergy(std::filesystem::path powercap_root = "/sys/class/powercap");
  bool available() const { return !packages_.empty(); }
  /// Why it is not available ("no intel-rapl package under …", "… is not readable (permission)").
  const std::string& missing_reason() const { return missing_; }
  /// Joules used by all packages since construction (or the last restart()); nullopt if unavailable
  /// or a counter could not be read.
  std::optional<double> joules();
  void restart();

 private:
  struct Package {
    std::filesystem::path counter;
    double range_uj = 0;
    double last_uj = 0, total_uj = 0;
  };
  std::vector<Package> packages_;
  std::string missing_;
};

class GpuSensor {
 public:
  /// Opens NVML and the GPU with index `index`; unavailable (with the reason) if either fails.
  explicit GpuSensor(unsigned index = 0);
  ~GpuSensor();
  GpuSensor(const GpuSensor&) = delete;
  GpuSensor& operator=(const GpuSensor&) = delete;
  bool available() const { return available_; }
  const std::string& missing_reason() const { return missing_; }
  /// Joules since construction; nullopt if unavailable or the GPU has no energy counter.
  std::optional<double> joules() const;
  /// Percent of the last sample period a kernel ran; nullopt if unavailable.
  std::optional<double> utilization_percent() const;

 private:
  struct Nvml;
  std::unique_ptr<Nvml> nvml_;
  bool available_ = false;
  std::string missing_;
  std::uint64_t start_mj_ = 0;
};

}  // namespace deepnvm::rl
