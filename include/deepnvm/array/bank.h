// SPDX-License-Identifier: MIT
#pragma once

// NVSim's bank: the whole array, N_matR x N_matC identical mats joined by an H-tree that routes
// address bits in and data bits in/out [NVSim BankWithHtree.cpp (commit 6334d00);
// shared/docs/notes/array-model.md §1.4, §2.13]. NVSim's "bank" is what deepnvm calls the array.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "deepnvm/array/mat.h"
#include "deepnvm/circuit/comparator.h"
#include "deepnvm/circuit/mux.h"
#include "deepnvm/circuit/sense_amp.h"
#include "deepnvm/circuit/wire.h"

namespace deepnvm {

/// Most H-tree levels in either direction: 2^9 = 512 mats, NVSim's largest grid side.
inline constexpr int kMaxTreeLevels = 10;

/// @brief One organisation of a bank and what it stores [NVSim BankWithHtree::Initialize arguments].
struct BankSpec {
  int mat_rows = 1, mat_columns = 1;                // N_matR x N_matC
  int active_mat_rows = 1, active_mat_columns = 1;  // A_matR (per column), A_matC (per row)
  int subarray_rows = 1, subarray_columns = 1;
  int active_subarray_rows = 1, active_subarray_columns = 1;
  int rows_per_set = 1;
  double capacity_bits = 0.0;   // bits of the array (tag: lines x tag width)
  std::int64_t block_bits = 0;  // data: the word (RAM) or what one access delivers; tag: the tag width
  int associativity = 1;        // 1 for RAM and for sequential / fast cache data arrays
  ArrayRole role = ArrayRole::data;
  int write_energy_divisor = 1;  // beta: associativity in fast-mode caches, else 1 (quirk Q10)
  /// The subarray settings (mux degrees as the user forced or the search chose them, buffer style,
  /// local wire, cache flags); rows and columns are derived.
  SubArraySpec subarray;
};

/// @brief One level of the H-tree: the bits it carries and how many of its wires there are.
struct TreeLevel {
  int address_bits = 0, data_distribute_bits = 0, data_broadcast_bits = 0;
  int wires = 0;         // parallel bundles of this level in one branch (area model)
  int total_wires = 0;   // segments of this level in the whole tree (leakage)
  int active_wires = 0;  // segments switching per access (energy)
  double length = 0.0;   // m
  int bits() const { return address_bits + data_distribute_bits + data_broadcast_bits; }
};

/// @brief The H-tree of one bank grid, routed down to the mats (evaluate_bank's first step). It
/// depends on the grid and the bits only (mats, active mats, capacity, block, associativity, role),
/// not on the mat choice, so a search routes each grid once and passes the route to evaluate_bank.
struct BankRoute {
  bool routes = false;  // false: the tree runs out of address or data bits (or levels) first
  int horizontal_levels = 0, vertical_levels = 0;
  std::array<TreeLevel, kMaxTreeLevels> horizontal{}, vertical{};             // lengths not yet set
  int mat_address_bits = 0, mat_distribute_bits = 0, mat_broadcast_bits = 0;  // what reaches a mat
};
BankRoute route_bank(const BankSpec& spec);

/// @brief A sized bank with its mat, tree and totals.
struct Bank {
  bool valid = false;
  std::string_view invalid_reason;
  BankSpec spec;
  std::shared_ptr<const Mat> mat;  // shared between organisations with the same mat (MatCache)
  int horizontal_levels = 0, vertical_levels = 0;
  std::array<TreeLevel, kMaxTreeLevels> horizontal{}, vertical{};

  double height = 0.0, width = 0.0;
  double read_latency = 0.0, write_latency = 0.0, set_latency = 0.0, reset_latency = 0.0;
  double read_energy = 0.0, write_energy = 0.0, set_energy = 0.0, reset_energy = 0.0;
  double cell_read_energy = 0.0, cell_set_energy = 0.0, cell_reset_energy = 0.0;
  double leakage = 0.0;
  // The tree's share, as NVSim prints it.
  double tree_read_latency = 0.0, tree_write_latency = 0.0;
  double tree_read_energy = 0.0, tree_write_energy = 0.0, tree_leakage = 0.0;
  MatTiming mat_timing;

  // Bus ("non-H-tree") banks only [NVSim BankWithoutHtree.cpp; note §1.5]: the tree_* figures above
  // hold the bank's share beyond the mats ("Non-H-Tree" lines of NVSim's report).
  bool bus_routing = false;
  // External sensing: the sense amps at the bank edge (one per output bit; tag: per bit of every
  // way), the global bitline mux in front of them (one input per group of active mats), and, in a tag
  // array, the way comparators that moved out of the mats.
  bool external_sensing = false;
  circuit::SenseAmp global_sense_amp;
  circuit::Mux global_bitline_mux;
  bool has_global_comparator = false;
  circuit::Comparator global_comparator;
  // RC delay of the longest global bitline (external sensing), for reads (including the local
  // bitline it replaces) and writes; the global mux and sense amp come on top.
  double global_bitline_read_latency = 0.0, global_bitline_write_latency = 0.0;
  double area() const { return height * width; }
  /// Marks the organisation illegal (in place: no copy on the search's hot path).
  void reject(std::string_view reason) {
    valid = false;
    invalid_reason = reason;
  }
};

/// @brief Evaluates one organisation [NVSim BankWithHtree Initialize, CalculateArea,
/// CalculateLatencyAndPower; note §1.4]: routes the bits level by level (H first, then alternating),
/// folds extra ways into the column muxes of a data mat, sizes the mat, tiles the mats (adding wire
/// bundles for repeated global wires), rejects data banks with an aspect ratio above
/// kBankAspectRatioLimit, then adds the tree's latency (in and out for reads), energy and leakage.
/// An illegal organisation returns valid = false; it never throws for one.
/// With a `cache`, mats already sized for the same device and cell are reused.
/// A `route` from route_bank() of the same grid saves routing again.
Bank evaluate_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                   const BankSpec& spec, MatCache* cache = nullptr, const BankRoute* route = nullptr);

/// @brief The same for bus ("non-H-tree") routing [NVSim BankWithoutHtree.cpp; note §1.5]: global
/// lines run vertically past the mats, mat row i (from the edge) at the end of a wire H_mat (N_matR - i)
/// long. Internal sensing: the longest wire's delay once (reads and writes), wire energy of the active
/// rows, wire leakage of the active rows only (quirk Q11). External sensing (spec.subarray.
/// internal_sensing == false): the mats have no sense amps; one global sense amp per output bit sits at
/// the bank edge behind a global bitline mux of (mats / active mats) inputs, and the global bitline RC
/// replaces the local bitline delay of voltage-sensed cells. Invalid with repeated global wires and
/// external sensing (as in NVSim), and for SRAM with external sensing unless the cell's read voltage
/// exceeds its sense voltage (NVSim's log of a non-positive ratio prints -inf latencies). Same
/// contract as evaluate_bank; tree_* hold NVSim's "Non-H-Tree" shares.
Bank evaluate_bus_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                       const BankSpec& spec, MatCache* cache = nullptr);

/// @brief What a search ranks an organisation by: evaluate_bank()'s verdict on `spec` under `route`
/// and, for a legal bank, its figures (the same arithmetic, so the same bits), without building the
/// bank, copying its mat or keeping its tree. The mat goes into `cache` either way.
struct BankScreen {
  std::string_view rejection;  // empty: legal
  double read_latency = 0.0, write_latency = 0.0, read_energy = 0.0, write_energy = 0.0;
  double leakage = 0.0, height = 0.0, width = 0.0;
  double area() const { return height * width; }
};
BankScreen screen_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                       const BankSpec& spec, MatCache& cache, const BankRoute& route);

/// @brief Sizes the mat of a bank (or takes it from `cache`, if given) and its timing for the
/// ideal input edge both bank kinds apply.
void attach_mat(Bank& bank, const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& mat,
                MatCache* cache);

/// NVSim's CONSTRAINT_ASPECT_RATIO_BANK at commit 6334d00 (note §1.6 rule 10).
inline constexpr double kBankAspectRatioLimit = 10.0;

}  // namespace deepnvm
