// SPDX-License-Identifier: MIT
// Power and utilization sensors: powercap for CPU packages, NVML loaded at run time for the GPU.
#include "deepnvm/rl/sensors.h"

#include <dlfcn.h>

#include <ctime>
#include <fstream>

#include <fmt/format.h>

namespace deepnvm::rl {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

namespace {

std::optional<double> read_number(const std::filesystem::path& file) {
  std::ifstream in(file);
  double v = 0;
  if (!(in >> v)) return std::nullopt;
  return v;
}

}  // namespace

CpuPackageEnergy::CpuPackageEnergy(std::filesystem::path root) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    // Packages are the top-level zones, intel-rapl:N; their subzones (intel-rapl:N:M) are parts of them.
    const std::string name = entry.path().filename().string();
    if (name.rfind("intel-rapl:", 0) != 0 || name.find(':', 11) != std::string::npos) continue;
    Package p;
    p.counter = entry.path() / "energy_uj";
    const auto range = read_number(entry.path() / "max_energy_range_uj");
    const auto now = read_number(p.counter);
    if (!now || !range) {
      missing_ = fmt::format("{} is not readable (on recent kernels only root may read it)", p.counter.string());
      packages_.clear();
      return;
    }
    p.range_uj = *range;
    p.last_uj = *now;
    packages_.push_back(p);
  }
  if (packages_.empty()) missing_ = fmt::format("no intel-rapl package under {}", root.string());
}

std::optional<double> CpuPackageEnergy::joules() {
  if (packages_.empty()) return std::nullopt;
  double total = 0;
  for (Package& p : packages_) {
    const auto now = read_number(p.counter);
    if (!now) return std::nullopt;
    // The counter wraps at max_energy_range_uj; reads are far more frequent than one wrap.
    p.total_uj += *now >= p.last_uj ? *now - p.last_uj : *now + p.range_uj - p.last_uj;
    p.last_uj = *now;
    total += p.total_uj;
  }
  return total * 1e-6;
}

void CpuPackageEnergy::restart() {
  joules();
  for (Package& p : packages_) p.total_uj = 0;
}

// The few NVML entry points used, resolved from the driver's library (nvml.h's C ABI).
struct GpuSensor::Nvml {
  using Device = struct nvmlDevice_st*;
  struct Utilization {
    unsigned int gpu, memory;
  };
  void* library = nullptr;
  int (*init)() = nullptr;
  int (*shutdown)() = nullptr;
  int (*handle_by_index)(unsigned int, Device*) = nullptr;
  int (*total_energy)(Device, unsigned long long*) = nullptr;  // mJ since the driver loaded
  int (*utilization)(Device, Utilization*) = nullptr;
  const char* (*error_string)(int) = nullptr;
  Device device = nullptr;
  bool initialized = false;
};

GpuSensor::GpuSensor(unsigned index) : nvml_(std::make_unique<Nvml>()) {
  Nvml& n = *nvml_;
  n.library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!n.library) {
    missing_ = "NVML (libnvidia-ml.so.1) not found: no NVIDIA driver";
    return;
  }
  const auto load = [&](auto& fn, const char* symbol) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(n.library, symbol));
    return fn != nullptr;
  };
  if (!load(n.init, "nvmlInit_v2") || !load(n.shutdown, "nvmlShutdown") ||
      !load(n.handle_by_index, "nvmlDeviceGetHandleByIndex_v2") ||
      !load(n.total_energy, "nvmlDeviceGetTotalEnergyConsumption") ||
      !load(n.utilization, "nvmlDeviceGetUtilizationRates") || !load(n.error_string, "nvmlErrorString")) {
    missing_ = "NVML lacks an entry point this tool needs (driver too old)";
    return;
  }
  if (const int rc = n.init(); rc != 0) {
    missing_ = fmt::format("nvmlInit failed: {}", n.error_string(rc));
    return;
  }
  n.initialized = true;
  if (const int rc = n.handle_by_index(index, &n.device); rc != 0) {
    missing_ = fmt::format("GPU {}: {}", index, n.error_string(rc));
    return;
  }
  unsigned long long mj = 0;
  if (n.total_energy(n.device, &mj) == 0) start_mj_ = mj;
  available_ = true;
}

GpuSensor::~GpuSensor() {
  if (nvml_->initialized) nvml_->shutdown();
  if (nvml_->library) dlclose(nvml_->library);
}

std::optional<double> GpuSensor::joules() const {
  unsigned long long mj = 0;
  if (!available_ || nvml_->total_energy(nvml_->device, &mj) != 0) return std::nullopt;
  return 1e-3 * static_cast<double>(mj - start_mj_);
}

std::optional<double> GpuSensor::utilization_percent() const {
  Nvml::Utilization u{};
  if (!available_ || nvml_->utilization(nvml_->device, &u) != 0) return std::nullopt;
  return static_cast<double>(u.gpu);
}

}  // namespace deepnvm::rl
