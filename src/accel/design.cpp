// SPDX-License-Identifier: MIT
// A design point's area, cycles and energy from its components and its layers' mappings (accel.md §8).
#include "deepnvm/accel/design.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm::accel {

std::array<std::pair<std::int64_t, int>, 3> scratchpad_shapes(const AccelConfig& config) {
  return {std::pair{config.array.ifmap_spad, config.pe.act_bits},
          std::pair{config.array.filter_spad, weight_code_bits(config.pe)},
          std::pair{config.array.psum_spad, config.pe.acc_bits}};
}

ComponentFigures component_figures(const AccelConfig& config, const PeModelFit& fit, const GateLibrary& library,
                                   const ReadPortTable& ports, const StorageFigures& glb, int glb_word_bits,
                                   int glb_banks, const NocWires& wires, double dram_energy_per_bit) {
  ComponentFigures c;
  c.pe = predict(fit, config.pe);
  const auto shapes = scratchpad_shapes(config);
  const auto spad = [&](const std::pair<std::int64_t, int>& shape) {
    const auto it = ports.find(shape);
    if (it == ports.end())
      throw ModelError(
          fmt::format("no read port characterized for a {} x {}-bit scratchpad", shape.first, shape.second));
    return register_file(library, shape.first, shape.second, it->second);
  };
  c.ifmap_spad = spad(shapes[0]);
  c.filter_spad = spad(shapes[1]);
  c.psum_spad = spad(shapes[2]);
  c.glb = glb;
  c.glb_word_bits = glb_word_bits;
  c.glb_banks = glb_banks;
  c.pe_pitch = std::sqrt(c.pe.area + c.ifmap_spad.area + c.filter_spad.area + c.psum_spad.area);
  // Half of the bits toggle, each transition ½CV²; a bus runs along a row or a column (their mean).
  const double per_length = 0.25 * wires.cap_per_length * wires.vdd * wires.vdd;
  c.hop_energy_per_bit = per_length * c.pe_pitch;
  c.bus_energy_per_bit = per_length * c.pe_pitch * 0.5 * static_cast<double>(config.array.rows + config.array.cols);
  c.dram_energy_per_bit = dram_energy_per_bit;
  return c;
}

namespace {

double ceil_cycles(double seconds, double clock) { return std::max(1.0, std::ceil(seconds * clock - 1e-9)); }

}  // namespace

DesignMetrics evaluate_design(const AccelConfig& cfg, const ComponentFigures& parts, const NetworkLayers& net) {
  DesignMetrics d;
  const double pes = static_cast<double>(cfg.array.rows * cfg.array.cols);
  d.area =
      pes * (parts.pe.area + parts.ifmap_spad.area + parts.filter_spad.area + parts.psum_spad.area) + parts.glb.area;
  if (parts.pe.critical_path * cfg.clock > 1.0) {
    d.feasible = false;
    d.why = fmt::format("the PE's critical path ({:.0f} ps) exceeds the clock period ({:.0f} ps)",
                        parts.pe.critical_path * 1e12, 1e12 / cfg.clock);
    return d;
  }
  const double a = cfg.pe.act_bits, wc = weight_code_bits(cfg.pe), ps = cfg.pe.acc_bits;
  const double word = parts.glb_word_bits, glb_bytes = static_cast<double>(cfg.glb_bytes);
  const double read_cycles = ceil_cycles(parts.glb.read_latency, cfg.clock);
  const double write_cycles = ceil_cycles(parts.glb.write_latency, cfg.clock);
  const StorageFigures& is = parts.ifmap_spad;
  const StorageFigures& fs = parts.filter_spad;
  const StorageFigures& pss = parts.psum_spad;
  for (const LayerShape& layer : net.layers) {
    const LayerMapping m = map_layer(layer, cfg.array);
    if (!m.feasible) {
      d.feasible = false;
      d.why = fmt::format("layer {}: {}", layer.name, m.why);
      return d;
    }
    const double inputs = static_cast<double>(layer.inputs()), weights = static_cast<double>(layer.weights());
    const double outputs = static_cast<double>(layer.outputs());
    const double in_b = inputs * a / 8, w_b = weights * wc / 8, out_b = outputs * a / 8;
    // Partial sums that spill to the buffer are held at accumulator width.
    const double held_out = m.glb_psum.reads > 0 ? outputs * ps / 8 : out_b;
    const BufferTiling tiling = buffer_tiling(in_b, w_b, held_out, glb_bytes);
    const double dram = tiling.dram_bytes - held_out + out_b;
    // Buffer traffic in bits: the array's reads and writes (intermediate partial sums at accumulator
    // width, final outputs at activation width), plus the fills from DRAM and the drain to it.
    const double array_read_bits = m.glb_ifmap.reads * a + m.glb_filter.reads * wc + m.glb_psum.reads * ps;
    const double array_write_bits = (m.glb_psum.writes - outputs) * ps + outputs * a;
    const double glb_reads = std::ceil((array_read_bits + out_b * 8) / word);
    const double glb_writes = std::ceil((array_write_bits + (dram - out_b) * 8) / word);

    const double compute = static_cast<double>(m.compute_cycles);
    const double dram_cycles = std::ceil(dram / cfg.dram_bandwidth * cfg.clock);
    const double glb_cycles = std::ceil((glb_reads * read_cycles + glb_writes * write_cycles) / parts.glb_banks);
    const double cycles = std::max({compute, dram_cycles, glb_cycles});

    d.macs += static_cast<double>(m.macs);
    d.compute_cycles += compute;
    d.cycles += cycles;
    d.dram_bytes += dram;
    d.energy.mac += static_cast<double>(m.macs) * parts.pe.energy_per_mac;
    d.energy.spad += m.ifmap_spad.reads * is.read_energy + m.ifmap_spad.writes * is.write_energy +
                     m.filter_spad.reads * fs.read_energy + m.filter_spad.writes * fs.write_energy +
                     m.psum_spad.reads * pss.read_energy + m.psum_spad.writes * pss.write_energy;
    d.energy.glb += glb_reads * parts.glb.read_energy + glb_writes * parts.glb.write_energy;
    d.energy.noc += (array_read_bits + array_write_bits) * parts.bus_energy_per_bit +
                    (m.hops_ifmap * a + m.hops_psum * ps) * parts.hop_energy_per_bit;
    d.energy.dram += dram * 8 * parts.dram_energy_per_bit;
  }
  d.stall_cycles = d.cycles - d.compute_cycles;
  d.latency = d.cycles / cfg.clock;
  d.utilization = d.compute_cycles > 0 ? d.macs / (pes * d.compute_cycles) : 0.0;
  const double leakage = pes * (parts.pe.leakage + is.leakage + fs.leakage + pss.leakage) + parts.glb.leakage;
  d.energy.leakage = leakage * d.latency;
  if (d.latency > 0) d.perf_per_area = 2 * d.macs / d.latency / d.area;
  const double total = d.energy.total();
  if (total > 0) d.energy_efficiency = 2 * d.macs / total;
  return d;
}

}  // namespace deepnvm::accel
