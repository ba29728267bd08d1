// SPDX-License-Identifier: MIT
#include "deepnvm/array/cacti_mode.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/core/error.h"

namespace deepnvm {
namespace {

using circuit::CircuitModel;

std::string_view flavour_name(DeviceRoadmap r) {
  switch (r) {
    case DeviceRoadmap::hp:
      return "hp";
    case DeviceRoadmap::lstp:
      return "lstp";
    case DeviceRoadmap::lop:
      return "lop";
  }
  return "hp";
}

circuit::WireModel make_wire(const circuit::DeviceModel& device, const Technology& technology, const WireChoice& w,
                             double sense_voltage) {
  circuit::WireSpec spec;
  spec.repeater = static_cast<circuit::RepeaterKind>(w.repeater);
  spec.low_swing = w.low_swing;
  spec.sense_voltage = sense_voltage;
  return circuit::make_wire_model(device, technology.wire(wire_types()[static_cast<std::size_t>(w.type)]), spec);
}

double metric(const Bank& b, OptimizationTarget t) {
  switch (t) {
    case OptimizationTarget::read_energy:
      return b.read_energy;
    case OptimizationTarget::write_energy:
      return b.write_energy;
    case OptimizationTarget::read_edp:
      return b.read_latency * b.read_energy;
    case OptimizationTarget::write_edp:
      return b.write_latency * b.write_energy;
    case OptimizationTarget::leakage:
      return b.leakage;
    case OptimizationTarget::area:
      return b.area();
    case OptimizationTarget::write_latency:
      return b.write_latency;
    default:
      return b.read_latency;
  }
}

struct Job {
  BankSpec base;              // role, capacity (tag: lines), block, associativity, subarray flags
  std::int64_t tag_bits = 0;  // tag arrays: width before rounding to the partitions
  int max_rows_per_set = 1;
};

// CACTI's organisation family in NVSim terms (NVSim's UseCactiAssumption space, note §1.8): mats of
// 2 x 2 subarrays, all active, one row of mats active, any mat grid and mux degrees.
ArrayDesign search(const circuit::DeviceModel& device, const ArrayCell& cell, const Job& job, const ModelWires& wires,
                   const circuit::WireModel& local, const circuit::WireModel& global, OptimizationTarget target,
                   std::uint64_t& candidates, std::uint64_t& valid) {
  ArrayDesign best;
  double best_value = std::numeric_limits<double>::infinity();
  for (int mr = 1; mr <= 512; mr *= 2)
    for (int mc = 1; mc <= 512; mc *= 2) {
      const int partitions = mc * 4;
      std::int64_t block = job.base.block_bits;
      if (job.base.role == ArrayRole::tag) {
        block = job.tag_bits;
        if (block / partitions == 0) continue;
        if (block % partitions) block = (block / partitions + 1) * partitions;
      } else if (block / partitions == 0) {
        continue;
      }
      BankSpec spec = job.base;
      spec.block_bits = block;
      if (job.base.role == ArrayRole::tag) spec.capacity_bits = job.base.capacity_bits * static_cast<double>(block);
      spec.mat_rows = mr;
      spec.mat_columns = mc;
      spec.active_mat_rows = 1;
      spec.active_mat_columns = mc;
      spec.subarray_rows = spec.subarray_columns = 2;
      spec.active_subarray_rows = spec.active_subarray_columns = 2;
      spec.subarray.buffer_style = BufferDesignStyle::latency;
      spec.subarray.local_wire_res_per_length = local.res_per_length;
      spec.subarray.local_wire_cap_per_length = local.cap_per_length;
      for (int m0 = 1; m0 <= 256; m0 *= 2)
        for (int m1 = 1; m1 <= 256; m1 *= 2)
          for (int m2 = 1; m2 <= 256; m2 *= 2)
            for (int rps = 1; rps <= job.max_rows_per_set; rps *= 2) {
              spec.subarray.mux_sense_amp = m0;
              spec.subarray.mux_output_lev1 = m1;
              spec.subarray.mux_output_lev2 = m2;
              spec.rows_per_set = rps;
              ++candidates;
              Bank bank = evaluate_bank(device, cell, global, spec);
              if (!bank.valid) continue;
              ++valid;
              const double value = metric(bank, target);
              if (value < best_value) {
                best_value = value;
                best.spec = spec;
                best.buffer_style = BufferDesignStyle::latency;
                best.local_wire = wires.local;
                best.global_wire = wires.global;
                best.bank = std::move(bank);
              }
            }
    }
  return best;
}

}  // namespace

Technology technology_for_model(CircuitModel model, const std::filesystem::path& data_dir, double node) {
  return find_technology(data_dir, model == CircuitModel::cacti ? "cacti" : default_table_set(node), node);
}

ModelWires cacti_default_wires() {
  ModelWires w;
  w.local = {WireType::local_conservative, RepeaterType::none, false};
  w.global = {WireType::semi_conservative, RepeaterType::penalty_30, false};
  return w;
}

ArrayResult evaluate_cacti_model(const NvsimConfig& config, const std::filesystem::path& data_dir) {
  const Technology technology = technology_for_model(CircuitModel::cacti, data_dir, config.process_node);
  const std::string flavour(flavour_name(config.device_roadmap));
  const circuit::DeviceModel device =
      circuit::make_device_model(technology, flavour, config.temperature, config.max_nmos_size, CircuitModel::cacti);
  const auto cell_model = load_nvsim_cell(config.cell_file);
  const CellFigures figures = cell_model->characterize(CellContext{&technology, config.temperature, flavour});
  const ArrayCell cell = make_array_cell(figures);
  const ModelWires wires = cacti_default_wires();
  const circuit::WireModel local = make_wire(device, technology, wires.local, cell.min_sense_voltage);
  const circuit::WireModel global = make_wire(device, technology, wires.global, cell.min_sense_voltage);

  ArrayResult result;
  result.target = config.design_target;
  result.optimization_target = config.optimization_target;
  result.access_mode = config.cache_access_mode;
  result.cell_name = figures.name;
  result.cell_type = figures.cell_type;
  result.node = config.process_node;
  result.temperature = config.temperature;
  result.node_source = technology.table_set;

  const bool cache = config.design_target == DesignTarget::cache;
  const int ways = cache ? config.associativity : 1;
  const bool sequential = config.cache_access_mode == CacheAccessMode::sequential;
  const bool non_sequential = cache && !sequential;
  const double capacity_bits = static_cast<double>(config.capacity) * 8.0;
  const auto word = static_cast<std::int64_t>(config.word_width);
  auto base = [&](ArrayRole role) {
    BankSpec s;
    s.role = role;
    s.subarray.internal_sensing = true;
    s.subarray.cache_non_sequential = non_sequential;
    s.subarray.associativity = ways;
    return s;
  };

  if (cache) {
    Job tag;
    tag.base = base(ArrayRole::tag);
    const double sets = capacity_bits / static_cast<double>(word) / ways;
    const int index_bits = static_cast<int>(std::log2(sets) + 0.1);
    const int offset_bits = static_cast<int>(std::log2(static_cast<double>(word) / 8.0) + 0.1);
    tag.tag_bits = 48 - index_bits - offset_bits + 2;  // NVSim's 48 address bits, plus valid and dirty
    tag.base.capacity_bits = capacity_bits / static_cast<double>(word);
    tag.base.associativity = ways;
    ArrayDesign t = search(device, cell, tag, wires, local, global, config.optimization_target, result.candidates,
                           result.valid_candidates);
    if (!t.valid()) throw ModelError("CACTI model: no valid organisation of the tag array");
    result.tag = std::move(t);
  }
  Job data;
  data.base = base(ArrayRole::data);
  data.base.capacity_bits = capacity_bits;
  data.base.block_bits = word;
  data.base.associativity = cache && !sequential ? ways : 1;
  data.max_rows_per_set = 1;
  ArrayDesign d = search(device, cell, data, wires, local, global, config.optimization_target, result.candidates,
                         result.valid_candidates);
  if (!d.valid()) throw ModelError("CACTI model: no valid organisation of the data array");
  result.data = std::move(d);

  // Figures as NVSim assembles them (reference README §4.2); writes of SRAM only.
  const Bank& db = result.data.bank;
  ArrayFigures& f = result.figures;
  f.area = db.area();
  f.height = db.height;
  f.width = db.width;
  f.read_latency = db.read_latency;
  f.write_latency = db.write_latency;
  f.read_energy = db.read_energy;
  f.write_energy = db.write_energy;
  f.leakage = db.leakage;
  if (cache) {
    const Bank& tb = result.tag->bank;
    f.area += tb.area();
    f.leakage += tb.leakage;
    f.miss_latency = tb.read_latency;
    f.write_latency = std::max(tb.write_latency, db.write_latency);
    f.write_energy = tb.write_energy + db.write_energy;
    f.hit_energy = tb.read_energy + db.read_energy;
    f.miss_energy = f.hit_energy;
    if (sequential) {
      f.hit_latency = tb.read_latency + db.read_latency;
      f.miss_energy = tb.read_energy;
    } else if (config.cache_access_mode == CacheAccessMode::fast) {
      f.hit_latency = std::max(tb.read_latency, db.read_latency);
    } else {
      f.hit_latency = std::max(tb.read_latency, db.mat_timing.read_latency) +
                      db.mat_timing.subarray.column_decoder_latency + (db.read_latency - db.mat_timing.read_latency);
    }
    f.read_latency = f.hit_latency;
    f.read_energy = f.hit_energy;
  }
  return result;
}

}  // namespace deepnvm
