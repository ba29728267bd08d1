// SPDX-License-Identifier: MIT
#pragma once

// NVSim's mat: N_subR x N_subC identical subarrays around a centre with the predecoders of the row
// and of the three column-mux levels (and, in a tag array, one comparator per way)
// [NVSim Mat.cpp (commit 6334d00); shared/docs/notes/array-model.md §1.2 step 4, §2.2, §2.11-2.13].

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "deepnvm/array/subarray.h"
#include "deepnvm/circuit/comparator.h"
#include "deepnvm/circuit/predecode_block.h"

namespace deepnvm {

/// Which array of a design a bank is: a RAM or cache data array, or a cache tag array.
enum class ArrayRole { data, tag };

/// @brief The mat as its bank sees it [NVSim Mat::Initialize arguments].
struct MatSpec {
  int subarray_rows = 1, subarray_columns = 1;  // N_subR x N_subC (1 or 2 each)
  int active_subarray_rows = 1, active_subarray_columns = 1;
  int address_bits = 0;        // address bits that reach the mat
  std::int64_t data_bits = 0;  // bits per access delivered to the mat (tag: the tag width)
  int ways = 1;                // data: ways per mat; tag: ways (comparators) per mat
  int rows_per_set = 1;
  ArrayRole role = ArrayRole::data;
  /// The subarray settings the mat passes on; rows and columns are derived here (note §1.2).
  SubArraySpec subarray;
};

/// One predecode block as the mat uses it: its figures and its delay for NVSim's ideal input edge
/// (the only input the bank ever applies), kept instead of the sized block to keep mats small.
struct PredecoderFigures {
  circuit::BlockFigures figures;
  circuit::Delay delay;
};

/// @brief A sized mat: the subarray and the eight predecoder blocks (two per decoder), energies per
/// access, leakage and footprint [NVSim Mat.cpp Initialize, CalculateArea, CalculatePower].
struct Mat {
  bool valid = false;
  std::string_view invalid_reason;
  MatSpec spec;
  SubArray subarray;
  PredecoderFigures row_predecoder[2], bitline_mux_predecoder[2], output_mux_lev1_predecoder[2],
      output_mux_lev2_predecoder[2];
  bool has_comparator = false;
  circuit::Comparator comparator;

  double height = 0.0, width = 0.0;
  double predecoder_read_energy = 0.0, predecoder_write_energy = 0.0, predecoder_leakage = 0.0;
  double read_energy = 0.0, write_energy = 0.0, set_energy = 0.0, reset_energy = 0.0;
  double cell_read_energy = 0.0, cell_set_energy = 0.0, cell_reset_energy = 0.0;
  double leakage = 0.0;
  double area() const { return height * width; }
};

/// @brief Sizes a mat [NVSim Mat::Initialize, CalculateArea, CalculatePower; note §1.2, §2.2]:
/// gating bits g = log2(subarrays / active ones) leave A_s = address_bits - g (> 0); rows =
/// 2^A_s (x ways for data) / M, columns = data_bits / active subarrays x M (x ways for tags). The
/// predecoders sit at the mat centre: the row predecoders drive half the local wire across the
/// subarrays, the mux predecoders none (quirk Q18).
/// Predecode blocks without a wire load (the mux predecoders of every mat, quirk Q18) depend only on
/// their bit count: sized once per device and reused. Not thread-safe.
struct UnloadedPredecoders {
  std::array<std::optional<PredecoderFigures>, 32> by_bits;
};

Mat size_mat(const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& spec,
             UnloadedPredecoders* memo = nullptr);

/// @brief NVSim's folding of the ways that share a row of a data mat into the column muxes: with
/// k = log2(ways per row), output levels 1 and 2 each gain 2^(k/3) and the sense-amp mux the rest
/// [NVSim BankWithHtree.cpp / BankWithoutHtree.cpp; note §1.2 step 3].
void fold_ways_into_muxes(SubArraySpec& subarray, int ways_per_row);

/// Latencies of a mat for an input slope (NVSim's bank passes an infinite one).
struct MatTiming {
  double read_latency = 0.0, write_latency = 0.0, set_latency = 0.0, reset_latency = 0.0;
  double predecoder_latency = 0.0;
  double comparator_latency = 0.0;
  SubArrayTiming subarray;
};

/// @brief NVSim Mat::CalculateLatency for the ideal input edge the bank applies (NVSim passes 1e41):
/// the slowest predecoder, then the subarray driven by the slower row predecoder's output slope,
/// plus the comparator for tags (read only).
MatTiming mat_delay(const circuit::DeviceModel& device, const Mat& mat);

/// @brief Sized mats of one run, keyed by everything a mat depends on. The organisation search meets
/// the same mat under many bank grids (the H-tree only changes how many address bits reach it), so
/// each distinct mat is sized once. Storage is a pool reused after clear(): once it has grown to the
/// largest working set, the cache allocates nothing. One cache serves one device model and one cell;
/// not thread-safe (one per thread). Pointers it hands out are valid until the next clear().
class MatCache {
 public:
  struct Entry {
    Mat mat;
    MatTiming timing;  // for NVSim's ideal input edge (what the bank applies)
    /// A non-owning handle for Bank::mat; copy the mat before clear() to keep it.
    std::shared_ptr<const Mat> view() const { return std::shared_ptr<const Mat>(std::shared_ptr<const Mat>(), &mat); }
  };
  const Entry& get(const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& spec);
  std::size_t size() const { return used_; }
  void clear();

 private:
  struct Key {
    std::array<std::int32_t, 14> ints{};  // 32 bits: hashed and compared on the search's hot path
    double wire_res = 0.0, wire_cap = 0.0;
    bool operator==(const Key&) const = default;
  };
  static std::size_t hash(const Key& k);
  void grow_table();

  std::deque<Entry> pool_;           // stable addresses; the first used_ are live
  std::vector<Key> keys_;            // key of pool_[i]
  std::vector<std::int32_t> table_;  // open addressing: index into pool_, -1 empty
  std::size_t used_ = 0;
  UnloadedPredecoders predecoders_;  // kept across clear(): it depends on the device only
};

}  // namespace deepnvm
