// SPDX-License-Identifier: MIT
#include "deepnvm/array/mat.h"

#include "nvsim_log2.h"

#include "deepnvm/core/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace deepnvm {
namespace {

int log2_int(std::int64_t n) { return nvsim_log2(static_cast<double>(n)); }

// A decoder's address bits split over two predecode blocks: block 2 takes half when more than 3.
struct PredecodeSplit {
  int first = 0, second = 0;
};
PredecodeSplit split_bits(int bits) {
  if (bits <= 3) return {bits, 0};
  return {bits - bits / 2, bits / 2};
}

// The comparator's per-bit pull-down NMOS width, in F [NVSim Comparator.cpp; note §2.11].
constexpr double kComparatorPullDownF = 12.5;

Mat invalid(Mat m, std::string_view reason) {
  m.valid = false;
  m.invalid_reason = reason;
  return m;
}

}  // namespace

Mat size_mat(const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& spec,
             UnloadedPredecoders* memo) {
  Mat m;
  m.spec = spec;
  const int active = spec.active_subarray_rows * spec.active_subarray_columns;
  const int gating_bits = log2_int(spec.subarray_rows * spec.subarray_columns / active);
  const int subarray_bits = spec.address_bits - gating_bits;
  if (subarray_bits <= 0) return invalid(m, "too aggressive partitioning: no address bit left for the subarray");

  const std::int64_t mux = static_cast<std::int64_t>(spec.subarray.mux_sense_amp) * spec.subarray.mux_output_lev1 *
                           spec.subarray.mux_output_lev2;
  std::int64_t rows = std::int64_t{1} << subarray_bits;
  if (spec.role == ArrayRole::data) rows *= spec.ways;
  rows /= mux;
  if (rows == 0) return invalid(m, "the column muxes leave no row in the subarray");
  std::int64_t columns = spec.data_bits / active;
  if (columns == 0) return invalid(m, "fewer data bits than active subarrays");
  columns *= mux;
  if (spec.role == ArrayRole::tag) columns *= spec.ways;

  SubArraySpec sub = spec.subarray;
  sub.rows = rows;
  sub.columns = columns;
  sub.multiple_rows_per_set = spec.rows_per_set > 1;
  m.subarray = size_subarray(device, sub, cell);
  if (!m.subarray.valid) return invalid(m, m.subarray.invalid_reason);

  const int row_bits = subarray_bits - log2_int(mux);
  if (row_bits < 0) return invalid(m, "more column-mux bits than subarray address bits");
  const double c_local = sub.local_wire_cap_per_length;
  // Predecoders at the mat centre [NVSim Mat.cpp]; the mux predecoders' wire load is zero for any
  // mat of at most 2 x 2 subarrays (quirk Q18).
  const double row_load =
      m.subarray.height * c_local * spec.subarray_rows / 2.0 + m.subarray.width * c_local * spec.subarray_columns / 2.0;
  // Fixed (Q18): the mux predecoders sit at the same centre and drive their select lines to the
  // same subarrays as the row predecoders, so they see the same wire.
  const bool fixed = sub.compat == Compat::fixed;
  const double mux_load = fixed ? row_load
                                : std::max(0.0, m.subarray.height * c_local * (spec.subarray_rows - 2) / 2.0) +
                                      std::max(0.0, m.subarray.width * c_local * (spec.subarray_columns - 2) / 2.0);
  auto size_pair = [&](PredecoderFigures(&pair)[2], int bits, double load) {
    const PredecodeSplit s = split_bits(bits);
    for (int i = 0; i < 2; ++i) {
      const int block_bits = i == 0 ? s.first : s.second;
      const bool memoized = memo && load == 0.0 && block_bits >= 0 && block_bits < 32;
      if (memoized && memo->by_bits[static_cast<std::size_t>(block_bits)]) {
        pair[i] = *memo->by_bits[static_cast<std::size_t>(block_bits)];
        continue;
      }
      const circuit::PredecodeBlock block = circuit::size_predecode_block(device, {block_bits, load, 0.0});
      if (!block.valid) return false;
      pair[i] = {block.figures, circuit::predecode_block_delay(device, block, circuit::kInfinite)};
      if (memoized) memo->by_bits[static_cast<std::size_t>(block_bits)] = pair[i];
    }
    return true;
  };
  if (!size_pair(m.row_predecoder, row_bits, row_load) ||
      !size_pair(m.bitline_mux_predecoder, log2_int(sub.mux_sense_amp), mux_load) ||
      !size_pair(m.output_mux_lev1_predecoder, log2_int(sub.mux_output_lev1), mux_load) ||
      !size_pair(m.output_mux_lev2_predecoder, log2_int(sub.mux_output_lev2), mux_load))
    return invalid(m, "a predecoder cannot be built");

  m.has_comparator = spec.role == ArrayRole::tag && sub.internal_sensing;
  if (m.has_comparator) {
    m.comparator = circuit::size_comparator(device, {static_cast<int>(spec.data_bits), 0.0});
    // Fixed (Q24): each bit's pull-down NMOS is off on a match and leaks from the precharged match
    // line, I_off,n 12.5F Vdd per bit (NVSim models it as a NAND2 of zero PMOS width: no leakage).
    if (fixed)
      m.comparator.figures.leakage +=
          4.0 * m.comparator.quarter_bits *
          circuit::gate_leakage(device, circuit::Gate::inv, 1, kComparatorPullDownF * device.feature_size, 0.0) *
          device.vdd;
  }

  // Area: subarrays tiled, the predecoders as a square strip on the longer side, comparators below.
  double predecoder_area = 0.0;
  for (const auto* pair :
       {&m.row_predecoder, &m.bitline_mux_predecoder, &m.output_mux_lev1_predecoder, &m.output_mux_lev2_predecoder})
    for (const auto& block : *pair) {
      predecoder_area += block.figures.area();
      m.predecoder_read_energy += block.figures.read_energy;
      m.predecoder_write_energy += block.figures.write_energy;
      m.predecoder_leakage += block.figures.leakage;
    }
  m.width = m.subarray.width * spec.subarray_columns;
  m.height = m.subarray.height * spec.subarray_rows;
  (m.width > m.height ? m.width : m.height) += std::sqrt(predecoder_area);
  if (m.has_comparator) m.height += spec.ways * m.comparator.figures.area() / m.width;

  // Energy per access and leakage [NVSim Mat::CalculatePower].
  m.read_energy = m.predecoder_read_energy + m.subarray.read_energy * active;
  m.write_energy = m.predecoder_write_energy + m.subarray.write_energy * active;
  m.set_energy = m.predecoder_write_energy + m.subarray.set_energy * active;
  m.reset_energy = m.predecoder_write_energy + m.subarray.reset_energy * active;
  m.cell_read_energy = m.subarray.cell_read_energy * active;
  m.cell_set_energy = m.subarray.cell_set_energy * active;
  m.cell_reset_energy = m.subarray.cell_reset_energy * active;
  m.leakage = m.predecoder_leakage + m.subarray.leakage * spec.subarray_rows * spec.subarray_columns;
  if (m.has_comparator) {
    m.read_energy += m.comparator.figures.read_energy * spec.ways;
    m.write_energy += m.comparator.figures.write_energy * spec.ways;
    m.leakage += m.comparator.figures.leakage * spec.ways;
  }
  m.valid = true;
  return m;
}

void fold_ways_into_muxes(SubArraySpec& subarray, int ways_per_row) {
  if (ways_per_row <= 1) return;
  const int extra_outer = 1 << (log2_int(ways_per_row) / 3);
  subarray.mux_output_lev1 *= extra_outer;
  subarray.mux_output_lev2 *= extra_outer;
  subarray.mux_sense_amp *= ways_per_row / extra_outer / extra_outer;
}

MatTiming mat_delay(const circuit::DeviceModel& device, const Mat& mat) {
  MatTiming t;
  if (!mat.valid) {
    t.read_latency = t.write_latency = t.set_latency = t.reset_latency = circuit::kInfinite;
    return t;
  }
  const circuit::Delay& row0 = mat.row_predecoder[0].delay;
  const circuit::Delay& row1 = mat.row_predecoder[1].delay;
  double latency = std::max(row0.latency, row1.latency);
  for (const auto* pair :
       {&mat.bitline_mux_predecoder, &mat.output_mux_lev1_predecoder, &mat.output_mux_lev2_predecoder})
    for (const auto& block : *pair) latency = std::max(latency, block.delay.latency);
  t.predecoder_latency = latency;
  // The subarray sees the slower (smaller) of the two row predecoder slopes.
  t.subarray = subarray_delay(device, mat.subarray, std::min(row0.ramp_out, row1.ramp_out));
  t.read_latency = latency + t.subarray.read_latency;
  t.write_latency = latency + t.subarray.write_latency;
  t.set_latency = latency + t.subarray.set_latency;
  t.reset_latency = latency + t.subarray.reset_latency;
  if (mat.has_comparator) {
    t.comparator_latency = circuit::comparator_delay(device, mat.comparator, circuit::kInfinite).latency;
    t.read_latency += t.comparator_latency;
  }
  return t;
}

std::size_t MatCache::hash(const Key& k) {
  std::uint64_t h =
      std::bit_cast<std::uint64_t>(k.wire_res) * 0x9e3779b97f4a7c15u ^ std::bit_cast<std::uint64_t>(k.wire_cap);
  for (std::size_t i = 0; i < k.ints.size(); i += 2) {
    const std::uint64_t pair =
        static_cast<std::uint32_t>(k.ints[i]) | std::uint64_t{static_cast<std::uint32_t>(k.ints[i + 1])} << 32;
    h = (h ^ pair) * 0x100000001b3u;
  }
  return static_cast<std::size_t>(h ^ (h >> 29));
}

void MatCache::clear() {
  used_ = 0;
  std::fill(table_.begin(), table_.end(), -1);
}

void MatCache::grow_table() {
  table_.assign(std::max<std::size_t>(64, table_.size() * 2), -1);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = 0; i < used_; ++i) {
    std::size_t slot = hash(keys_[i]) & mask;
    while (table_[slot] >= 0) slot = (slot + 1) & mask;
    table_[slot] = static_cast<std::int32_t>(i);
  }
}

const MatCache::Entry& MatCache::get(const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& spec) {
  const SubArraySpec& sub = spec.subarray;
  if (spec.data_bits > std::numeric_limits<std::int32_t>::max())
    throw ModelError("a mat of {} data bits per access is beyond the model", spec.data_bits);
  const Key key{
      {spec.subarray_rows, spec.subarray_columns, spec.active_subarray_rows, spec.active_subarray_columns,
       spec.address_bits, static_cast<std::int32_t>(spec.data_bits), spec.ways, spec.rows_per_set,
       static_cast<int>(spec.role), sub.mux_sense_amp, sub.mux_output_lev1, sub.mux_output_lev2,
       static_cast<int>(sub.buffer_style) | (sub.internal_sensing ? 8 : 0) | (sub.cache_non_sequential ? 16 : 0) |
           (static_cast<int>(sub.write_scheme) << 5) | (static_cast<int>(sub.compat) << 8),
       sub.associativity},
      sub.local_wire_res_per_length,
      sub.local_wire_cap_per_length};
  if (2 * (used_ + 1) > table_.size()) grow_table();
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = hash(key) & mask;
  for (; table_[slot] >= 0; slot = (slot + 1) & mask)
    if (keys_[static_cast<std::size_t>(table_[slot])] == key) return pool_[static_cast<std::size_t>(table_[slot])];
  if (used_ == pool_.size()) {
    pool_.emplace_back();
    keys_.emplace_back();
  }
  Entry& entry = pool_[used_];
  entry.mat = size_mat(device, cell, spec, &predecoders_);
  entry.timing = entry.mat.valid ? mat_delay(device, entry.mat) : MatTiming{};
  keys_[used_] = key;
  table_[slot] = static_cast<std::int32_t>(used_);
  ++used_;
  return entry;
}

}  // namespace deepnvm
