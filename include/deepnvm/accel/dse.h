// SPDX-License-Identifier: MIT
#pragma once

// Design-space exploration of the accelerator template (docs/models/accel.md §9): `deepnvm accel dse
// FILE.yaml` sweeps PE type, dataflow, array shape, scratchpads, global buffer size and technology,
// DRAM bandwidth and clock over one or more networks. A design point is (hardware, network); each is
// evaluated with the closed-form mapping of every layer and the fitted component models, so a sweep
// needs no synthesis and, once the buffer table is cached, no array search. Pareto fronts: performance
// per area against energy per inference, and, where an accuracy table gives the network's accuracy
// under the PE's quantization, accuracy against energy efficiency.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deepnvm/accel/design.h"
#include "deepnvm/core/input_kind.h"
#include "deepnvm/core/registry.h"
#include "deepnvm/core/schema.h"
#include "deepnvm/study/result_cache.h"
#include "deepnvm/study/study_plots.h"

namespace deepnvm::accel {

/// The swept values; the design space is their Cartesian product.
struct DseSweep {
  std::vector<std::string> pe{"int16", "int8", "int4", "light1", "light2"};
  std::vector<std::int64_t> act_bits;  ///< activation widths to sweep; empty: each type's own
  std::vector<std::string> dataflow{"rs"};
  std::vector<std::int64_t> rows{12}, cols{14};
  std::vector<std::int64_t> ifmap_spad{12}, filter_spad{224}, psum_spad{24};
  std::vector<double> glb{128.0 * 1024};  ///< bytes
  std::vector<std::string> glb_cell{"sram"};
  std::vector<double> dram_bandwidth{25.6e9};  ///< bytes/s
  std::vector<double> clock{500e6};            ///< Hz
  static const Schema<DseSweep>& schema();
};

/// A `kind: accel_dse` file.
struct DseSpec {
  std::string name;
  std::vector<std::string> networks;  ///< workload zoo names
  std::int64_t batch = 1;
  std::string pe_models;    ///< fitted PE models (relative to the file; default: the shipped 16 nm fit)
  std::string dram_energy;  ///< DRAM energy table (relative to the file; default: data/dram/energy.yaml)
  std::string dram = "HBM2";
  std::int64_t glb_word_bits = 64, glb_banks = 8;
  std::string accuracy;  ///< optional accuracy table (relative to the file)
  DseSweep sweep;
  static const Schema<DseSpec>& schema();
};

/// Strict loader: ConfigError with file, line and key (unknown keys, units, PE types, dataflows,
/// cells and networks that do not exist, empty or non-positive sweeps, non-power-of-two buffers).
DseSpec load_dse_spec(const std::filesystem::path& path, const std::filesystem::path& data_dir);

/// Test accuracy of a network under a quantization (`kind: accuracy_table`, from deepnvm-learn).
struct AccuracyEntry {
  std::string network, quantization;
  double accuracy = 0.0;
  std::int64_t epochs = 0, seed = 0;
  double wall_time = 0.0;
  std::string command;
  static const Schema<AccuracyEntry>& schema();
};
struct AccuracyTable {
  std::string source, dataset;
  std::vector<AccuracyEntry> entries;
  static const Schema<AccuracyTable>& schema();
  /// The accuracy of `network` under `quantization`, if measured.
  std::optional<double> find(const std::string& network, const std::string& quantization) const;
};
AccuracyTable load_accuracy_table(const std::filesystem::path& path);

/// One design point.
struct DsePoint {
  std::size_t config = 0;  ///< index into DseResult::configs
  std::string network;
  DesignMetrics metrics;
  std::optional<double> accuracy;
  bool front_hw = false;        ///< on the perf-per-area / energy front of its network
  bool front_accuracy = false;  ///< on the accuracy / energy-efficiency front of its network
};

/// The headline figures of one network's sweep (accel.md §9.3), ratios over feasible points.
struct DseSummary {
  std::string network;
  std::size_t points = 0, feasible = 0;
  double perf_per_area_spread = 0.0;  ///< max / min
  double energy_spread = 0.0;         ///< max / min energy per inference
  // Best INT16 design against the best LightPE design (either kind), each best on its own metric.
  std::optional<double> light_perf_per_area_gain, light_energy_gain;
  std::size_t light_on_accuracy_front = 0, on_accuracy_front = 0;
  std::int64_t unmapped_macs = 0;  ///< MACs of layers the template does not run (attention products)
};

struct DseResult {
  DseSpec spec;
  std::vector<AccelConfig> configs;
  std::vector<DsePoint> points;  ///< config-major, networks in the spec's order
  std::vector<DseSummary> summaries;
  std::string pe_models_source;
  double buffer_seconds = 0.0, evaluate_seconds = 0.0;
};

/// Everything a sweep needs besides the points: fitted models, libraries, buffer table, layers.
struct DseContext {
  PeModels pe_models;
  GateLibrary library;
  NocWires wires;
  double dram_energy_per_bit = 0.0;
  std::map<std::pair<std::string, std::uint64_t>, StorageFigures> buffers;  ///< (cell, bytes)
  ReadPortTable read_ports;                                                 ///< scratchpads' (entries, bits)
  std::vector<NetworkLayers> networks;
  std::optional<AccuracyTable> accuracy;
};

struct DseOptions {
  std::filesystem::path data_dir;
  study::ResultCache cache;
  unsigned threads = 0;  ///< array searches (0: one per hardware thread)
  /// Called as buffers are built (done, total) and as points are evaluated; may be empty.
  std::function<void(const std::string& phase, std::size_t done, std::size_t total)> progress;
};

/// @brief Loads the models and networks of `spec` (read from `spec_file`) and builds or reads the
/// component tables: every scratchpad read port of the sweep (yosys) and every (cell, capacity) of the
/// global buffer (one array search per cell), each only for what the cache lacks.
DseContext prepare_dse(const DseSpec& spec, const std::filesystem::path& spec_file, const DseOptions& options);

/// The hardware configurations of the sweep, in a fixed order (PE type outermost, clock innermost).
std::vector<AccelConfig> dse_configs(const DseSpec& spec);

/// @brief Evaluates every configuration on every network of `context`, marks the fronts and
/// summarises each network.
DseResult run_dse(const DseSpec& spec, const DseContext& context, const DseOptions& options = {});

/// Indices of the points of `values` (x to maximize, y to minimize) on their Pareto front.
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& values);

std::string dse_csv(const DseResult& result);
nlohmann::ordered_json to_json(const DseResult& result);
/// Per network: `dse_<network>_hw` (perf per area against energy), and `dse_<network>_accuracy` when
/// accuracies are known.
std::vector<study::Plot> dse_plots(const DseResult& result);

/// Adds `accel_dse` and `accuracy_table` to the input kinds.
void register_builtin_accel_dse(Registry<InputKind>& kinds);

}  // namespace deepnvm::accel
