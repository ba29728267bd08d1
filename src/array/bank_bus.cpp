// SPDX-License-Identifier: MIT
// NVSim's bus-routed ("non-H-tree") bank, with internal or external sensing [NVSim
// BankWithoutHtree.cpp (commit 6334d00; the stored copy read is 4bc8fbb, whose bank code the
// reference runs reproduce); shared/docs/notes/array-model.md §1.5].
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>

#include "deepnvm/array/bank.h"

#include "nvsim_log2.h"

namespace deepnvm {
namespace {

// NVSim evaluates the global mux, sense amp and comparator with this "infinite" input slope.
constexpr double kBankRamp = 1e40;
// Fraction of the RC time constant NVSim takes as the global-bitline delay (0.63 tau).
constexpr double kGlobalBitlineRcFactor = 0.63;

// What the bank adds beyond its mats: NVSim's "Non-H-Tree" shares.
struct BusShare {
  double read_latency = 0.0, write_latency = 0.0;
  double read_energy = 0.0, write_energy = 0.0, leakage = 0.0;
};

// Internal sensing: address and data lines run vertically past the mats; the farthest mat row sets
// the delay; only the active mat rows switch, and only their wires leak (quirk Q11).
// Fixed: every row's wires leak (Q11), and a fast-mode write switches only one line's data wires (Q10).
void add_bus_wires(const Bank& b, const circuit::WireModel& wire, int address_bits, double data_bits, int ways,
                   int active_rows, int active_columns, BusShare& s) {
  const int rows = b.spec.mat_rows;
  const bool fixed = b.spec.subarray.compat == Compat::fixed;
  const double all_bits = address_bits + data_bits + (b.spec.role == ArrayRole::tag ? ways : 0);
  const double write_bits = all_bits - data_bits + data_bits / b.spec.write_energy_divisor;
  for (int i = 0; i < rows; ++i) {
    const double length = b.mat->height * (rows - i);
    const circuit::WireFigures w = circuit::wire_figures(wire, length);
    if (i == 0) {
      s.read_latency += w.delay;
      s.write_latency += w.delay;
    }
    double bits = 0.0;  // NVSim resets the bit count per row, so inactive rows leak nothing (quirk Q11)
    if (i < active_rows) {
      bits = all_bits;
      s.read_energy += w.energy * bits * active_columns;
      s.write_energy += w.energy * (fixed ? write_bits : bits) * active_columns;
    }
    s.leakage += w.leakage * (fixed ? all_bits : bits) * b.spec.mat_columns;
  }
}

// External sensing: each mat's selected bitline continues as a global bitline to the bank edge
// [NVSim BankWithoutHtree::CalculateLatencyAndPower]. Returns false when NVSim's delay is not finite.
bool add_global_bitlines(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& wire,
                         const Bank& b, int address_bits, double data_bits, int ways, int active_rows, BusShare& s,
                         double& read_rc, double& write_rc) {
  const SubArray& sub = b.mat->subarray;
  const SubArrayTiming& t = b.mat_timing.subarray;
  const circuit::Mux& mux = b.global_bitline_mux;
  const double vdd = device.vdd;
  const double v_sense = cell.min_sense_voltage;
  // The local bitline seen from the global one passes three mux transistors (NVSim's 3R, 6C).
  const double res_mux = mux.pass_resistance, cap_mux = mux.pass_cap;
  const double res_local = sub.bitline_res + 3.0 * res_mux;
  const double cap_local = sub.bitline_cap + 6.0 * cap_mux;
  const int rows = b.spec.mat_rows;
  for (int i = 0; i < rows; ++i) {
    const double length = b.mat->height * (rows - i);
    const double res_global = length * wire.res_per_length;
    const double cap_global = length * wire.cap_per_length;
    if (cell.type == ArrayCellType::sram) {
      // NVSim precharges the global line to the cell's ReadVoltage (0 for SRAM.cell: -inf delay).
      const double v_pre = cell.read_voltage;
      if (i == 0) {
        if (!(v_pre > v_sense)) return false;
        double latency =
            res_local * cap_global / 2.0 + (res_local + res_global) * (cap_global / 2.0 + mux.load_for_previous);
        latency *= std::log(v_pre / (v_pre - v_sense));
        latency += res_local * cap_global / 2.0;
        read_rc = write_rc = latency;
        latency += mux.figures.read_latency;
        s.write_latency += latency;
        // The global mux and sense amp are added here and again below, as NVSim does.
        s.read_latency += latency + b.global_sense_amp.figures.read_latency;
      }
      if (i < active_rows) {
        const double address = cap_global * vdd * vdd * address_bits;
        s.read_energy += address + cap_global * v_pre * v_pre * ways;
        s.write_energy += address + cap_global * v_pre * v_pre * data_bits;
      }
      continue;
    }
    if (i == 0) {
      const double tau_write = res_mux * cap_global / 2.0 + (res_mux + res_global) * (cap_global + cap_local) / 2.0 +
                               (res_mux + res_global + res_local) * cap_local / 2.0;
      write_rc = kGlobalBitlineRcFactor * tau_write;
      s.write_latency += write_rc;
      if (!cell.voltage_sense) {
        // Current sensing (ICCAD 2009 model), the local bitline and the off cell as the source.
        const double r = res_local + sub.cell_off_res;
        const double tau = res_global * cap_global / 2.0 * (r + res_global / 3.0) / (r + res_global);
        read_rc = kGlobalBitlineRcFactor * tau;
        s.read_latency += read_rc;
      } else {
        const bool divider = cell.read_voltage != 0.0;
        double r = res_local + (divider ? sub.equivalent_on_res : sub.cell_on_res);
        const auto tau_of = [&](double res) { return res * cap_global + (res + res_global) * cap_global / 2.0; };
        const double v_pre = sub.precharge_voltage, v_on = sub.cell_on_voltage, v_off = sub.cell_off_voltage;
        const double on = tau_of(r) * std::log((v_pre - v_on) / (v_pre - v_on - v_sense));
        r += divider ? sub.equivalent_off_res - sub.equivalent_on_res : cell.r_off - cell.r_on;
        const double off = tau_of(r) * std::log((v_off - v_pre) / (v_off - v_pre - v_sense));
        // The global line replaces the local bitline delay: the slower of on + local on, off + local off.
        const double total = on + t.bitline_on_latency > off + t.bitline_off_latency ? on + t.bitline_on_latency
                                                                                     : off + t.bitline_off_latency;
        read_rc = total - t.bitline_latency;
        s.read_latency += read_rc;
      }
    }
    if (i < active_rows) {
      const double address = cap_global * vdd * vdd * address_bits;
      const double v_write = std::max(std::fabs(cell.reset_voltage), std::fabs(cell.set_voltage));
      s.read_energy += address;
      s.write_energy += address + cap_global * v_write * v_write * data_bits;
      if (cell.voltage_sense) {
        const double v_pre = sub.precharge_voltage, v_on = sub.cell_on_voltage;
        s.read_energy += cap_global * (v_pre * v_pre - v_on * v_on) * data_bits;
      }
    }
  }
  return true;
}

}  // namespace

Bank evaluate_bus_bank(const circuit::DeviceModel& device, const ArrayCell& cell, const circuit::WireModel& global_wire,
                       const BankSpec& spec, MatCache* cache) {
  Bank b;
  b.spec = spec;
  b.bus_routing = true;
  const bool internal = spec.subarray.internal_sensing;
  b.external_sensing = !internal;
  if (!internal && global_wire.repeater != circuit::RepeaterKind::none) {
    b.reject("external sensing needs unrepeated global wires (NVSim marks the design invalid)");
    return b;
  }
  const int active_columns = std::min(spec.active_mat_columns, spec.mat_columns);
  const int active_rows = std::min(spec.active_mat_rows, spec.mat_rows);

  // Bits to each mat: the address less the mat-gating bits, and the mat's share of the word
  // [NVSim BankWithoutHtree::Initialize; note §1.5].
  const int address_bits = nvsim_log2(spec.capacity_bits / static_cast<double>(spec.block_bits) / spec.associativity);
  const int gating_bits = nvsim_log2(spec.mat_rows * spec.mat_columns / active_rows / active_columns);
  const int mat_address_bits = address_bits - gating_bits;
  MatSpec mat;
  mat.subarray_rows = spec.subarray_rows;
  mat.subarray_columns = spec.subarray_columns;
  mat.active_subarray_rows = std::min(spec.active_subarray_rows, spec.subarray_rows);
  mat.active_subarray_columns = std::min(spec.active_subarray_columns, spec.subarray_columns);
  mat.address_bits = mat_address_bits;
  mat.rows_per_set = spec.rows_per_set;
  mat.role = spec.role;
  mat.subarray = spec.subarray;
  if (spec.role == ArrayRole::data) {
    if (spec.rows_per_set > spec.associativity) {
      b.reject("fewer ways than rows per set");
      return b;
    }
    mat.data_bits = spec.block_bits / active_rows / active_columns;
    mat.ways = spec.associativity;
    fold_ways_into_muxes(mat.subarray, mat.ways / spec.rows_per_set);
  } else {
    if (spec.rows_per_set > 1) {
      b.reject("a tag array keeps one set in one row");
      return b;
    }
    mat.data_bits = spec.block_bits;
    mat.ways = spec.associativity / active_rows / active_columns;
    if (mat.ways < 1) {
      b.reject("a tag mat must hold at least one way");
      return b;
    }
  }
  attach_mat(b, device, cell, mat, cache);
  if (!b.mat->valid) {
    b.reject(b.mat->invalid_reason);
    return b;
  }

  // External sensing: one sense amp per output bit at the bank edge, behind a mux that picks the
  // active group of mats.
  const bool nvm = cell.type != ArrayCellType::sram;
  if (!internal) {
    const std::int64_t amps = spec.role == ArrayRole::data ? spec.block_bits : spec.block_bits * spec.associativity;
    const bool current_sense = nvm && !cell.voltage_sense;
    b.global_sense_amp = circuit::size_sense_amp(device, {amps, current_sense, cell.min_sense_voltage,
                                                          b.mat->width * spec.mat_columns / static_cast<double>(amps)});
    if (!b.global_sense_amp.valid) {
      b.reject("global sense amp wider than its pitch allows");
      return b;
    }
    circuit::MuxSpec m;
    m.inputs = spec.mat_rows * spec.mat_columns / active_rows / active_columns;
    m.instances = amps;
    m.load_cap = b.global_sense_amp.input_cap;
    m.next_input_cap = b.global_sense_amp.input_cap;
    m.resistive_cell = nvm;
    m.cell_on_resistance = nvm ? cell.r_on : 0.0;
    b.global_bitline_mux = circuit::size_mux(device, m);
    b.has_global_comparator = spec.role == ArrayRole::tag;
    if (b.has_global_comparator)
      b.global_comparator = circuit::size_comparator(device, {static_cast<int>(spec.block_bits), 0.0});
  }

  // Footprint: mats tiled; repeated address wires take width; the global sense amps, mux and
  // comparators sit below [NVSim BankWithoutHtree::CalculateArea].
  int sharing = 1;
  double pitch = 0.0;
  if (global_wire.repeater != circuit::RepeaterKind::none) {
    sharing = static_cast<int>(std::floor(global_wire.repeater_spacing / global_wire.repeater_height));
    pitch = global_wire.repeated_pitch;
  }
  b.height = b.mat->height * spec.mat_rows;
  b.width = b.mat->width * spec.mat_columns;
  b.width += std::ceil(static_cast<double>(spec.mat_rows) * spec.mat_columns * mat_address_bits / sharing) * pitch;
  if (!internal) {
    b.height += b.global_sense_amp.figures.height + b.global_bitline_mux.figures.height;
    if (b.has_global_comparator) b.height += spec.associativity * b.global_comparator.figures.area() / b.width;
  }
  if (spec.role == ArrayRole::data &&
      (b.height / b.width > kBankAspectRatioLimit || b.width / b.height > kBankAspectRatioLimit)) {
    b.reject("bank aspect ratio above the limit");
    return b;
  }

  // NVSim drives the mat with an ideal (infinitely fast) input edge.
  BusShare s;
  const double data_bits = static_cast<double>(b.mat->spec.data_bits);
  const int ways = b.mat->spec.ways;
  if (internal) {
    add_bus_wires(b, global_wire, mat_address_bits, data_bits, ways, active_rows, active_columns, s);
  } else {
    if (!add_global_bitlines(device, cell, global_wire, b, mat_address_bits, data_bits, ways, active_rows, s,
                             b.global_bitline_read_latency, b.global_bitline_write_latency)) {
      b.reject("SRAM with external sensing: NVSim's global bitline delay is not finite (no read voltage)");
      return b;
    }
    const circuit::BlockFigures& mux = b.global_bitline_mux.figures;
    const circuit::BlockFigures& sa = b.global_sense_amp.figures;
    s.read_latency += mux.read_latency + sa.read_latency;
    s.write_latency += mux.write_latency + sa.write_latency;
    // Energy of the whole sense-amp row for every active mat column, as NVSim counts it.
    s.read_energy += (mux.read_energy + sa.read_energy) * active_columns;
    s.write_energy += (mux.write_energy + sa.write_energy) * active_columns;
    s.leakage += (mux.leakage + sa.leakage) * spec.mat_columns;
    if (b.has_global_comparator) {
      s.read_latency += circuit::comparator_delay(device, b.global_comparator, kBankRamp).latency;
      s.read_energy += ways * b.global_comparator.figures.read_energy;
      s.leakage += spec.associativity * b.global_comparator.figures.leakage;
    }
  }
  // Fast-mode caches write one way's wires (quirk Q10); fixed, internal sensing: add_bus_wires already
  // divided the data wires only.
  if (!(internal && spec.subarray.compat == Compat::fixed)) s.write_energy /= spec.write_energy_divisor;

  const int active_mats = active_rows * active_columns;
  b.tree_read_latency = s.read_latency;
  b.tree_write_latency = s.write_latency;
  b.tree_read_energy = s.read_energy;
  b.tree_write_energy = s.write_energy;
  b.tree_leakage = s.leakage;
  b.read_latency = s.read_latency + b.mat_timing.read_latency;
  b.write_latency = s.write_latency + b.mat_timing.write_latency;
  b.set_latency = s.write_latency + b.mat_timing.set_latency;
  b.reset_latency = s.write_latency + b.mat_timing.reset_latency;
  b.read_energy = s.read_energy + b.mat->read_energy * active_mats;
  b.write_energy = s.write_energy + b.mat->write_energy * active_mats;
  b.set_energy = s.write_energy + b.mat->set_energy * active_mats;
  b.reset_energy = s.write_energy + b.mat->reset_energy * active_mats;
  b.cell_read_energy = b.mat->cell_read_energy * active_mats;
  b.cell_set_energy = b.mat->cell_set_energy * active_mats;
  b.cell_reset_energy = b.mat->cell_reset_energy * active_mats;
  b.leakage = s.leakage + b.mat->leakage * spec.mat_rows * spec.mat_columns;
  b.valid = true;
  return b;
}

}  // namespace deepnvm
