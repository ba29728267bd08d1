// SPDX-License-Identifier: MIT
#include "deepnvm/array/bank.h"

#include "nvsim_log2.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

namespace deepnvm {
namespace {

// The bits still to route while the tree descends, and the mats still to split among active ones.
struct TreeRouting {
  int address = 0, distribute = 0, broadcast = 0;
  int columns_to_activate = 1, rows_to_activate = 1;
  bool exhausted() const { return distribute + broadcast == 0 || address == 0; }
  // A split in one direction halves the data bits if active mats remain to separate that way,
  // otherwise it consumes an address bit. Returns whether the data was split (twice the active wires).
  bool split(int& to_activate) {
    if (to_activate > 1) {
      distribute /= 2;
      to_activate /= 2;
      return true;
    }
    --address;
    return false;
  }
  void record(TreeLevel& level) const {
    level.address_bits = address;
    level.data_distribute_bits = distribute;
    level.data_broadcast_bits = broadcast;
  }
};

constexpr std::string_view kExhausted = "the H-tree runs out of address or data bits before reaching the mats";

// Routes the bits level by level as NVSim does [NVSim BankWithHtree::Initialize; note §1.4]: H first,
// then the longer direction alone until both are equal, then H and V alternately.
bool route_tree(Bank& b, TreeRouting& r) {
  const int H = b.horizontal_levels, V = b.vertical_levels;
  auto& hl = b.horizontal;
  auto& vl = b.vertical;
  int h = H, v = V;
  if (h > 0) {
    if (r.exhausted()) return false;
    r.record(hl[0]);
    hl[0].wires = hl[0].total_wires = hl[0].active_wires = 1;
    --h;
  }
  int h_bundles = 1, v_bundles = 1;
  while (h > v) {
    if (r.exhausted()) return false;
    const int i = H - h;
    const bool doubled = r.split(r.columns_to_activate);
    hl[i].active_wires = hl[i - 1].active_wires * (doubled ? 2 : 1);
    r.record(hl[i]);
    hl[i].wires = 1;
    hl[i].total_wires = 2 * hl[i - 1].total_wires;
    --h;
    v_bundles *= 2;
  }
  while (v > h) {
    if (r.exhausted()) return false;
    const int i = V - v;
    const bool doubled = r.split(r.rows_to_activate);
    const int parent_active = v == V ? 1 : vl[i - 1].active_wires;
    vl[i].active_wires = parent_active * (doubled ? 2 : 1);
    r.record(vl[i]);
    vl[i].wires = 1;
    vl[i].total_wires = v == V ? 2 : 2 * vl[i - 1].total_wires;
    --v;
    h_bundles *= 2;
  }
  while (h > 0) {
    if (r.exhausted()) return false;
    const int i = H - h, j = V - v;
    const TreeLevel& parent = v == V ? hl[i - 1] : vl[j - 1];
    const bool h_doubled = r.split(r.columns_to_activate);
    hl[i].active_wires = parent.active_wires * (h_doubled ? 2 : 1);
    r.record(hl[i]);
    hl[i].wires = h_bundles;
    hl[i].total_wires = 2 * parent.total_wires;
    if (r.exhausted()) return false;
    const bool v_doubled = r.split(r.rows_to_activate);
    vl[j].active_wires = hl[i].active_wires * (v_doubled ? 2 : 1);
    r.record(vl[j]);
    vl[j].wires = H == 2 ? v_bundles : 2 * v_bundles;
    vl[j].total_wires = 2 * hl[i].total_wires;
    --h;
    --v;
    h_bundles *= 2;
    v_bundles *= 2;
  }
  if (r.exhausted()) return false;
  // The split into the mat itself is not a wire level.
  if (r.columns_to_activate > 1) {
    r.distribute /= 2;
    r.columns_to_activate /= 2;
  } else if (H > 0) {
    --r.address;
  }
  return true;
}

// Segment lengths: the deepest vertical segment is half a mat high, the deepest horizontal one a mat
// wide, each level up doubles, plus half the width of the wire bundles that run beside it
// [NVSim BankWithHtree::CalculateArea; note §1.4].
using Levels = std::array<TreeLevel, kMaxTreeLevels>;
using Lengths = std::array<double, kMaxTreeLevels>;

void size_tree(const Levels& hl, int H, const Levels& vl, int V, double mat_height, double mat_width, int sharing,
               double pitch, Lengths& hlen, Lengths& vlen) {
  auto bundle = [&](int bits) { return std::ceil(static_cast<double>(bits) / sharing) * pitch / 2.0; };
  int h = H - 1, v = V - 1;
  for (; v > h; --v) vlen[v] = v == V - 1 ? mat_height / 2.0 : vlen[v + 1] * 2.0;
  for (; v >= 0; --v, --h) {
    if (v == V - 1)
      vlen[v] = mat_height / 2.0;
    else if (h == H - 1)
      vlen[v] = vlen[v + 1] * 2.0;
    else
      vlen[v] = vlen[v + 1] * 2.0 + bundle(hl[h + 1].bits());
    if (h == H - 1) {
      hlen[h] = mat_width;
      for (int i = v; i < V; ++i) hlen[h] += bundle(vl[i].bits());
    } else {
      hlen[h] = hlen[h + 1] * 2.0 + bundle(vl[v].bits());
    }
  }
  for (; h >= 0; --h) hlen[h] = h == H - 1 ? mat_width : hlen[h + 1] * 2.0;
}

// The tree's share: reads cross each level twice (address in, data out), writes once; in fast-mode
// caches only 1/beta of the write wires switch (quirk Q10).
// Fixed: a fast-mode write sends one line of the set, so only the data bits shrink by beta; every
// address and broadcast bit still switches.
struct TreeSums {
  double read_latency = 0.0, write_latency = 0.0, read_energy = 0.0, write_energy = 0.0, leakage = 0.0;
};

TreeSums tree_sums(const Levels& hl, const Lengths& hlen, int H, const Levels& vl, const Lengths& vlen, int V,
                   const circuit::WireModel& global_wire, const BankSpec& spec) {
  TreeSums t;
  const double beta = spec.write_energy_divisor;
  const bool fixed = spec.subarray.compat == Compat::fixed;
  auto add_level = [&](const TreeLevel& level, double length) {
    const circuit::WireFigures w = circuit::wire_figures(global_wire, length);
    t.read_latency += 2.0 * w.delay;
    t.write_latency += w.delay;
    const double switching = w.energy * level.active_wires * level.bits();
    t.read_energy += switching;
    if (fixed)
      t.write_energy += w.energy * level.active_wires *
                        (level.address_bits + level.data_broadcast_bits + level.data_distribute_bits / beta);
    else
      t.write_energy += switching / beta;
    t.leakage += w.leakage * level.total_wires * level.bits();
  };
  for (int i = 0; i < H; ++i) add_level(hl[i], hlen[i]);
  for (int i = 0; i < V; ++i) add_level(vl[i], vlen[i]);
  return t;
}

// The bits the bank must route and the mats to activate, before the first tree level.
TreeRouting initial_routing(const BankSpec& spec) {
  TreeRouting r;
  r.address = nvsim_log2(spec.capacity_bits / static_cast<double>(spec.block_bits) / spec.associativity);
  if (spec.role == ArrayRole::data) {
    r.distribute = static_cast<int>(spec.block_bits);
    r.broadcast = nvsim_log2(spec.associativity);
  } else {
    r.distribute = spec.associativity;
    r.broadcast = static_cast<int>(spec.block_bits);
  }
  r.columns_to_activate = std::min(spec.active_mat_columns, spec.mat_columns);
  r.rows_to_activate = std::min(spec.active_mat_rows, spec.mat_rows);
  return r;
}

}  // namespace

void attach_mat(Bank& b, const circuit::DeviceModel& device, const ArrayCell& cell, const MatSpec& mat,
                MatCache* cache) {
  if (cache) {
    const MatCache::Entry& entry = cache->get(device, cell, mat);
    b.mat = entry.view();
    b.mat_timing = entry.timing;
  } else {
    b.mat = std::make_shared<const Mat>(size_mat(device, cell, mat));
    if (b.mat->valid) b.mat_timing = mat_delay(device, *b.mat);
  }
}

BankRoute route_bank(const BankSpec& spec) {
  Bank b;
  BankRoute route;
  b.horizontal_levels = nvsim_log2(spec.mat_columns);
  b.vertical_levels = nvsim_log2(spec.mat_rows);
  if (b.horizontal_levels >= kMaxTreeLevels || b.vertical_levels >= kMaxTreeLevels) return route;
  TreeRouting r = initial_routing(spec);
  if (!route_tree(b, r)) return route;
  route.routes = true;
  route.horizontal_levels = b.horizontal_levels;
  route.vertical_levels = b.vertical_levels;
  route.horizontal = b.horizontal;
  route.vertical = b.vertical;
  route.mat_address_bits = r.address;
  route.mat_distribute_bits = r.distribute;
  route.mat_broadcast_bits = r.broadcast;
  return route;
}

namespace {

std::string_view route_rejection(const BankSpec& spec, const BankRoute& routed) {
  if (!spec.subarray.internal_sensing)
    return "H-tree routing needs internal sensing (NVSim refuses external sensing with an H-tree)";
  if (!routed.routes) {
    const bool too_many = nvsim_log2(spec.mat_columns) >= kMaxTreeLevels || nvsim_log2(spec.mat_rows) >= kMaxTreeLevels;
    return too_many ? "more mats than the H-tree model supports" : kExhausted;
  }
  return {};
}

// The mat of a routed bank: the bits that reach it, and a data mat's ways folded into its muxes.
std::string_view mat_of(const BankSpec& spec, const BankRoute& routed, MatSpec& mat) {
  mat.subarray_rows = spec.subarray_rows;
  mat.subarray_columns = spec.subarray_columns;
  mat.active_subarray_rows = std::min(spec.active_subarray_rows, spec.subarray_rows);
  mat.active_subarray_columns = std::min(spec.active_subarray_columns, spec.subarray_columns);
  mat.address_bits = routed.mat_address_bits;
  mat.rows_per_set = spec.rows_per_set;
  mat.role = spec.role;
  mat.subarray = spec.subarray;
  if (spec.role == ArrayRole::data) {
    if (spec.rows_per_set > (1 << routed.mat_broadcast_bits)) return "fewer ways per mat than rows per set";
    mat.data_bits = routed.mat_distribute_bits;
    mat.ways = 1 << routed.mat_broadcast_bits;
    fold_ways_into_muxes(mat.subarray, mat.ways / spec.rows_per_set);
  } else {
    if (spec.rows_per_set > 1) return "a tag array keeps one set in one row";
    if (routed.mat_distribute_bits == 0) return "a tag mat must hold at least one way";
    mat.data_bits = routed.mat_broadcast_bits;
    mat.ways = routed.mat_distribute_bits;
  }
  return {};
}

// The footprint: mats tiled; unrepeated global wires run over the array on upper metal (no area),
// repeated ones add their bundles (`sharing` wires per repeater, `pitch` each).
struct Footprint {
  double height = 0.0, width = 0.0;
  int sharing = 1;
  double pitch = 0.0;
};

Footprint footprint(const BankSpec& spec, const BankRoute& routed, const Mat& mat,
                    const circuit::WireModel& global_wire) {
  Footprint f;
  if (global_wire.repeater != circuit::RepeaterKind::none) {
    f.sharing = static_cast<int>(std::floor(global_wire.repeater_spacing / global_wire.repeater_height));
    f.pitch = global_wire.repeated_pitch;
  }
  f.height = mat.height * spec.mat_rows;
  f.width = mat.width * spec.mat_columns;
  if (f.pitch == 0.0) return f;  // nothing to add (and the search's hot path: the basic wires)
  for (int i = 0; i < routed.horizontal_levels; ++i)
    f.height +=
        std::ceil(static_cast<double>(routed.horizontal[i].bits()) * routed.horizontal[i].wires / f.sharing) * f.pitch;
  for (int i = 0; i < routed.vertical_levels; ++i)
    f.width +=
        std::ceil(static_cast<double>(routed.vertical[i].bits()) * routed.vertical[i].wires / f.sharing) * f.pitch;
  return f;
}

bool aspect_ratio_too_large(const BankSpec& spec, const Footprint& f) {
  return spec.role == ArrayRole::data &&
         (f.height / f.width > kBankAspectRatioLimit || f.width / f.height > kBankAspectRatioLimit);
}

constexpr std::string_view kAspectRatio = "bank aspect ratio above the limit";

}  // namespace

BankScreen screen_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                       const BankSpec& spec, MatCache& cache, const BankRoute& route) {
  BankScreen out;
  if (out.rejection = route_rejection(spec, route); !out.rejection.empty()) return out;
  MatSpec mat_spec;
  if (out.rejection = mat_of(spec, route, mat_spec); !out.rejection.empty()) return out;
  const MatCache::Entry& entry = cache.get(device, cell, mat_spec);
  const Mat& mat = entry.mat;
  if (!mat.valid) {
    out.rejection = mat.invalid_reason;
    return out;
  }
  const Footprint f = footprint(spec, route, mat, global_wire);
  if (aspect_ratio_too_large(spec, f)) {
    out.rejection = kAspectRatio;
    return out;
  }
  // evaluate_bank's arithmetic, operation for operation, so that the figures are the same bits.
  const int H = route.horizontal_levels, V = route.vertical_levels;
  Lengths hlen, vlen;
  size_tree(route.horizontal, H, route.vertical, V, mat.height, mat.width, f.sharing, f.pitch, hlen, vlen);
  const TreeSums t = tree_sums(route.horizontal, hlen, H, route.vertical, vlen, V, global_wire, spec);
  const int active_mats =
      std::min(spec.active_mat_rows, spec.mat_rows) * std::min(spec.active_mat_columns, spec.mat_columns);
  out.read_latency = entry.timing.read_latency;
  out.read_latency += t.read_latency;
  out.write_latency = entry.timing.write_latency;
  out.write_latency += t.write_latency;
  out.read_energy = mat.read_energy * active_mats;
  out.read_energy += t.read_energy;
  out.write_energy = mat.write_energy * active_mats;
  out.write_energy += t.write_energy;
  out.leakage = mat.leakage * spec.mat_rows * spec.mat_columns;
  out.leakage += t.leakage;
  out.height = f.height;
  out.width = f.width;
  return out;
}

Bank evaluate_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                   const BankSpec& spec, MatCache* cache, const BankRoute* route) {
  Bank b;
  b.spec = spec;
  std::optional<BankRoute> own;
  if (!route) own = route_bank(spec);
  const BankRoute& routed = route ? *route : *own;
  if (const std::string_view reason = route_rejection(spec, routed); !reason.empty()) {
    b.reject(reason);
    return b;
  }
  const int active_mat_columns = std::min(spec.active_mat_columns, spec.mat_columns);
  const int active_mat_rows = std::min(spec.active_mat_rows, spec.mat_rows);
  b.horizontal_levels = routed.horizontal_levels;
  b.vertical_levels = routed.vertical_levels;
  std::copy_n(routed.horizontal.begin(), b.horizontal_levels, b.horizontal.begin());
  std::copy_n(routed.vertical.begin(), b.vertical_levels, b.vertical.begin());
  MatSpec mat;
  if (const std::string_view reason = mat_of(spec, routed, mat); !reason.empty()) {
    b.reject(reason);
    return b;
  }
  attach_mat(b, device, cell, mat, cache);
  if (!b.mat->valid) {
    b.reject(b.mat->invalid_reason);
    return b;
  }
  const Footprint f = footprint(spec, routed, *b.mat, global_wire);
  b.height = f.height;
  b.width = f.width;
  if (aspect_ratio_too_large(spec, f)) {
    b.reject(kAspectRatio);
    return b;
  }
  Lengths hlen, vlen;
  size_tree(b.horizontal, b.horizontal_levels, b.vertical, b.vertical_levels, b.mat->height, b.mat->width, f.sharing,
            f.pitch, hlen, vlen);
  for (int i = 0; i < b.horizontal_levels; ++i) b.horizontal[i].length = hlen[i];
  for (int i = 0; i < b.vertical_levels; ++i) b.vertical[i].length = vlen[i];

  // NVSim drives the mat with an ideal (infinitely fast) input edge.
  const int active_mats = active_mat_rows * active_mat_columns;
  b.read_latency = b.mat_timing.read_latency;
  b.write_latency = b.mat_timing.write_latency;
  b.set_latency = b.mat_timing.set_latency;
  b.reset_latency = b.mat_timing.reset_latency;
  b.read_energy = b.mat->read_energy * active_mats;
  b.write_energy = b.mat->write_energy * active_mats;
  b.set_energy = b.mat->set_energy * active_mats;
  b.reset_energy = b.mat->reset_energy * active_mats;
  b.cell_read_energy = b.mat->cell_read_energy * active_mats;
  b.cell_set_energy = b.mat->cell_set_energy * active_mats;
  b.cell_reset_energy = b.mat->cell_reset_energy * active_mats;
  b.leakage = b.mat->leakage * spec.mat_rows * spec.mat_columns;

  const TreeSums t =
      tree_sums(b.horizontal, hlen, b.horizontal_levels, b.vertical, vlen, b.vertical_levels, global_wire, spec);
  b.tree_read_latency = t.read_latency;
  b.tree_write_latency = t.write_latency;
  b.tree_read_energy = t.read_energy;
  b.tree_write_energy = t.write_energy;
  b.tree_leakage = t.leakage;
  b.read_latency += b.tree_read_latency;
  b.write_latency += b.tree_write_latency;
  b.set_latency += b.tree_write_latency;
  b.reset_latency += b.tree_write_latency;
  b.read_energy += b.tree_read_energy;
  b.write_energy += b.tree_write_energy;
  b.set_energy += b.tree_write_energy;
  b.reset_energy += b.tree_write_energy;
  b.leakage += b.tree_leakage;
  b.valid = true;
  return b;
}

}  // namespace deepnvm
