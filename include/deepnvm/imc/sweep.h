// SPDX-License-Identifier: MIT
#pragma once

// `deepnvm imc sweep FILE.yaml` (docs/models/imc.md §7): a trained network's weights evaluated on
// crossbars of one or more devices, over the scale k (energy ∝ k) and the time steps T of the
// low-fluctuation decomposition, by Monte-Carlo over noise seeds on Fashion-MNIST's test images.
// Each point reports the accuracy's mean and 95 % interval, the noise-free accuracy, whether the
// accuracy is recovered (within 1 percentage point of noise-free) and the energy per inference.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"
#include "deepnvm/imc/network.h"
#include "deepnvm/study/result_cache.h"
#include "deepnvm/study/study_plots.h"

namespace deepnvm::imc {

/// Converter energy per conversion: Walden FOM × 2^bits (`kind: imc_converters`).
struct ConverterTable {
  std::string source;
  double adc_fom = 0.0, dac_fom = 0.0;  ///< J per conversion step
  static const Schema<ConverterTable>& schema();
};

/// The ranges a sweep's settings may take: the file schema and `deepnvm imc eval`'s options share them.
namespace imc_limits {
inline constexpr std::int64_t max_seeds = 100000, max_images = 10000, max_converter_bits = 16, max_time_steps = 64;
}  // namespace imc_limits

struct ImcSweepSpec {
  std::string name;
  std::string network;               ///< workload zoo name (its layer names name the weights)
  std::string weights;               ///< weight file (deepnvm-learn export), relative to this file
  std::string data;                  ///< Fashion-MNIST folder; default: Debian's
  std::vector<std::string> devices;  ///< data/imc/<name>.yaml
  std::string converters;            ///< relative to this file; default data/imc/converters.yaml
  std::int64_t seeds = 20, images = 10000, calibration_images = 500, base_seed = 1;
  std::int64_t tile_rows = 128, tile_cols = 128, dac_bits = 8, adc_bits = 8;
  double adc_headroom = 1.0;
  std::vector<double> scale_fraction{1.0};
  std::vector<std::int64_t> time_steps{1};
  static const Schema<ImcSweepSpec>& schema();
};

/// Strict loader (`kind: imc_sweep`): ConfigError with file, line and key; devices, weight and
/// converter files must exist.
ImcSweepSpec load_imc_sweep(const std::filesystem::path& path, const std::filesystem::path& data_dir);

/// The checks load_imc_sweep() makes after parsing, also for a spec built in code (`deepnvm imc
/// eval`): ConfigError at `where(key)` for an unknown network or device, or a missing weight or
/// converter file (paths relative to `spec_file`'s folder).
void check_imc_sweep(const ImcSweepSpec& spec, const std::filesystem::path& spec_file,
                     const std::filesystem::path& data_dir,
                     const std::function<SourceLocation(const std::string& key)>& where);

struct ImcPoint {
  std::string device;
  double scale_fraction = 1.0;
  std::int64_t time_steps = 1;
  MonteCarloResult result;
  bool recovered = false;  ///< mean within 1 percentage point of the noise-free accuracy
};

struct ImcSweepResult {
  ImcSweepSpec spec;
  std::string weights_source;
  std::vector<ImcPoint> points;
};

/// Fashion-MNIST images as the learn layer feeds them: (pixel - 128) / 128, one column per image.
Dataset fashion_mnist_test(const std::filesystem::path& dir, std::int64_t images);

/// @brief Every (device, scale fraction, time steps) of `spec` (read from `spec_file`).
/// `progress(done, total)` after each point; may be empty. Each finished point is stored in `cache`
/// (section `imc_point`, keyed by everything it depends on: the weight, device and converter files'
/// contents, the data, the seeds, images, tiles, converters, F and T), so an interrupted sweep
/// resumes from its finished points and a repeated one is read back.
ImcSweepResult run_imc_sweep(const ImcSweepSpec& spec, const std::filesystem::path& spec_file,
                             const std::filesystem::path& data_dir, unsigned threads,
                             const std::function<void(std::size_t, std::size_t)>& progress = {},
                             const study::ResultCache& cache = {});

std::string imc_csv(const ImcSweepResult& result);
nlohmann::ordered_json to_json(const ImcSweepResult& result);
/// `imc_<name>`: accuracy (mean and 95 % interval) against energy per inference, one series per
/// device and time-step count, the noise-free accuracy as a line.
std::vector<study::Plot> imc_plots(const ImcSweepResult& result);

/// Adds `imc_sweep` and `imc_converters` to the input kinds.
void register_builtin_imc_sweep(Registry<InputKind>& kinds);

}  // namespace deepnvm::imc
