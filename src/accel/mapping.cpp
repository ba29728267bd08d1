// SPDX-License-Identifier: MIT
// Closed-form layer mappings of the row-, weight- and output-stationary dataflows (accel.md §6).
#include "deepnvm/accel/mapping.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

#include "deepnvm/workload/graph.h"

namespace deepnvm::accel {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

LayerMapping infeasible(std::string why) {
  LayerMapping m;
  m.feasible = false;
  m.why = std::move(why);
  return m;
}

// Weight stationary: rows <- K chunk, cols <- M chunk; every output position streams through each
// weight tile, skewed (X + k + m - 2 cycles per tile).
LayerMapping map_ws(const LayerShape& l, const MappingHardware& hw) {
  LayerMapping m;
  const std::int64_t K = l.c * l.r * l.s, X = l.batch * l.p * l.q;
  const std::int64_t fk = ceil_div(K, hw.rows), fm = ceil_div(l.m, hw.cols);
  m.macs = l.macs();
  m.passes = l.groups * fk * fm;
  m.active_pes = std::min(K, hw.rows) * std::min(l.m, hw.cols);
  // Sum over tiles of (X + k_i + m_j - 2): the k_i add up to K and the m_j to M.
  m.compute_cycles = l.groups * (fk * fm * (X - 2) + fm * K + fk * l.m);
  const double macs = static_cast<double>(m.macs), g = static_cast<double>(l.groups);
  m.ifmap_spad_used = m.filter_spad_used = m.psum_spad_used = 1;
  m.filter_spad = {macs, static_cast<double>(l.weights())};
  m.ifmap_spad = {macs, macs};  // the pipeline register each activation passes through
  m.psum_spad = {macs, macs};
  m.glb_ifmap.reads = g * static_cast<double>(fm * X * K);  // im2col rows, once per column fold
  m.glb_filter.reads = static_cast<double>(l.weights());
  m.glb_psum.writes = g * static_cast<double>(fk * X * l.m);
  m.glb_psum.reads = g * static_cast<double>((fk - 1) * X * l.m);
  m.hops_ifmap = m.hops_psum = macs;  // activations across, partial sums down
  return m;
}

// Output stationary: rows <- output positions, cols <- output channels; K cycles per tile.
LayerMapping map_os(const LayerShape& l, const MappingHardware& hw) {
  LayerMapping m;
  const std::int64_t K = l.c * l.r * l.s, X = l.batch * l.p * l.q;
  const std::int64_t fx = ceil_div(X, hw.rows), fm = ceil_div(l.m, hw.cols);
  m.macs = l.macs();
  m.passes = l.groups * fx * fm;
  m.active_pes = std::min(X, hw.rows) * std::min(l.m, hw.cols);
  m.compute_cycles = m.passes * K;
  const double macs = static_cast<double>(m.macs), g = static_cast<double>(l.groups);
  m.ifmap_spad_used = m.filter_spad_used = m.psum_spad_used = 1;
  m.ifmap_spad = {macs, macs};
  m.filter_spad = {macs, macs};
  m.psum_spad = {macs, macs};
  m.glb_ifmap.reads = g * static_cast<double>(fm * X * K);     // multicast along a row
  m.glb_filter.reads = g * static_cast<double>(fx * l.m * K);  // multicast along a column
  m.glb_psum.writes = static_cast<double>(l.outputs());
  return m;
}

// Row stationary (Eyeriss): PE (i, j) convolves filter row i with input row j·stride + i into output
// row j; a PE interleaves n_c channels and n_m filters.
LayerMapping map_rs(const LayerShape& l, const MappingHardware& hw) {
  if (hw.ifmap_spad < l.s)
    return infeasible(fmt::format("row stationary: kernel rows of {} taps do not fit the {}-entry ifmap scratchpad",
                                  l.s, hw.ifmap_spad));
  if (hw.filter_spad < l.s)
    return infeasible(fmt::format("row stationary: kernel rows of {} taps do not fit the {}-entry filter scratchpad",
                                  l.s, hw.filter_spad));
  LayerMapping m;
  std::int64_t n_c = std::min(l.c, hw.ifmap_spad / l.s);
  std::int64_t n_m = std::min({l.m, hw.psum_spad, hw.filter_spad / (l.s * n_c)});
  if (n_m < 1) {  // the filter spad cannot hold n_c channels: fewer channels, one filter
    n_c = std::min(n_c, hw.filter_spad / l.s);
    n_m = 1;
  }
  std::int64_t fr = 1, rt = l.r, rep_v = 1;
  if (l.r <= hw.rows) {
    rep_v = std::min(hw.rows / l.r, ceil_div(l.c, n_c));  // more replicas than channel blocks would idle
  } else {
    rt = ceil_div(l.r, ceil_div(l.r, hw.rows));  // equal folds of at most `rows` filter rows
    fr = ceil_div(l.r, rt);
  }
  const std::int64_t pt = std::min(l.p, hw.cols), fp = ceil_div(l.p, hw.cols);
  const std::int64_t rep_h = l.p < hw.cols ? std::min(hw.cols / l.p, ceil_div(l.m, n_m)) : 1;
  const std::int64_t fc = ceil_div(l.c, rep_v * n_c), fm = ceil_div(l.m, rep_h * n_m);

  m.macs = l.macs();
  m.pe_channels = n_c;
  m.pe_filters = n_m;
  m.replicas_v = rep_v;
  m.replicas_h = rep_h;
  m.passes = l.batch * l.groups * fr * fp * fc * fm;
  m.active_pes = rt * rep_v * pt * rep_h;
  m.compute_cycles = m.passes * l.q * n_m * n_c * l.s;
  m.ifmap_spad_used = l.s * n_c;
  m.filter_spad_used = l.s * n_c * n_m;
  m.psum_spad_used = n_m;

  const double macs = static_cast<double>(m.macs), outputs = static_cast<double>(l.outputs());
  const double w_row = static_cast<double>((l.q - 1) * l.stride_w + l.s);  // input row a PE slides over
  const double bg = static_cast<double>(l.batch * l.groups);
  m.filter_spad = {macs, static_cast<double>(l.weights() * l.batch * l.p)};
  m.ifmap_spad = {macs, bg * static_cast<double>(l.c * l.r * l.p * ceil_div(l.m, n_m)) * w_row};
  m.psum_spad = {macs, macs};
  m.glb_filter.reads = static_cast<double>(l.weights() * l.batch * fp);  // multicast along a PE row
  // Input rows of a column fold: (pt - 1)·stride + R, shared diagonally; summed over the folds.
  const double rows_read = static_cast<double>((l.p - fp) * l.stride_h + fp * l.r);
  m.glb_ifmap.reads = bg * static_cast<double>(l.c * ceil_div(l.m, n_m * rep_h)) * rows_read * w_row;
  const double psum_rounds = static_cast<double>(fc * fr);
  m.glb_psum.writes = outputs * psum_rounds;
  m.glb_psum.reads = outputs * (psum_rounds - 1);
  m.hops_psum = outputs * psum_rounds * static_cast<double>(rt * rep_v - 1);  // psums up the columns
  return m;
}

}  // namespace

std::string_view dataflow_name(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::rs:
      return "rs";
    case Dataflow::ws:
      return "ws";
    case Dataflow::os:
      return "os";
  }
  return "?";
}

Dataflow parse_dataflow(std::string_view text, const SourceLocation& where, const std::string& key) {
  for (Dataflow d : {Dataflow::rs, Dataflow::ws, Dataflow::os})
    if (text == dataflow_name(d)) return d;
  throw ConfigError(where, key,
                    "unknown dataflow '{}'; expected rs (row stationary), ws (weight stationary) or os "
                    "(output stationary)",
                    text);
}

NetworkLayers network_layers(const Network& net, std::int64_t batch) {
  NetworkLayers out;
  out.network = net.name;
  for (const Layer& layer : net.layers) {
    const std::vector<Shape> in = net.input_shapes(layer);
    const Shape& y = net.output_shape(layer);
    std::visit(
        [&](const auto& op) {
          using T = std::decay_t<decltype(op)>;
          if constexpr (std::is_same_v<T, Conv2d>) {
            LayerShape s;
            s.name = layer.name;
            s.batch = batch;
            s.groups = op.groups;
            s.c = op.in_channels / op.groups;
            s.m = op.out_channels / op.groups;
            s.h = in[0][1];
            s.w = in[0][2];
            s.p = y[1];
            s.q = y[2];
            s.r = op.kernel.h;
            s.s = op.kernel.w;
            s.stride_h = op.stride.h;
            s.stride_w = op.stride.w;
            out.layers.push_back(s);
          } else if constexpr (std::is_same_v<T, Linear>) {
            LayerShape s;
            s.name = layer.name;
            s.batch = batch * (element_count(in[0]) / op.in_features);  // tokens are rows too
            s.c = op.in_features;
            s.m = op.out_features;
            out.layers.push_back(s);
          } else {
            out.unmapped_macs += macs(op, in, y) * batch;
          }
        },
        layer.op);
  }
  return out;
}

BufferTiling buffer_tiling(double input_bytes, double weight_bytes, double output_bytes, double buffer_bytes) {
  BufferTiling t;
  const double activations = input_bytes + output_bytes;
  if (activations + weight_bytes <= buffer_bytes) {
    t.dram_bytes = activations + weight_bytes;
    t.peak_occupancy = t.dram_bytes;
    return t;
  }
  // Two ways to cut a layer that does not fit: tiles of outputs (the weights are re-read per tile
  // unless they fit half the buffer), or tiles of weights (the inputs are re-read per tile unless the
  // activations fit half the buffer). The cheaper in DRAM traffic is taken.
  const double half = buffer_bytes / 2;
  const double weights_held = std::min(weight_bytes, half), acts_held = std::min(activations, half);
  const double output_tiles = std::ceil(activations / (buffer_bytes - weights_held));
  const double weight_tiles = std::ceil(weight_bytes / (buffer_bytes - acts_held));
  const double by_outputs = activations + weight_bytes * (weight_bytes <= half ? 1 : output_tiles);
  const double by_weights = weight_bytes + output_bytes + input_bytes * (activations <= half ? 1 : weight_tiles);
  if (by_outputs <= by_weights) {
    t.tiles = output_tiles;
    t.dram_bytes = by_outputs;
    t.peak_occupancy = weights_held + activations / output_tiles;
  } else {
    t.tiles = weight_tiles;
    t.dram_bytes = by_weights;
    t.peak_occupancy = acts_held + weight_bytes / weight_tiles;
  }
  return t;
}

LayerMapping map_layer(const LayerShape& layer, const MappingHardware& hw) {
  if (hw.rows < 1 || hw.cols < 1 || hw.ifmap_spad < 1 || hw.filter_spad < 1 || hw.psum_spad < 1)
    throw ConfigError({"<accelerator>", 0}, "array",
                      "the PE array and every scratchpad need at least one entry (rows {}, cols {}, spads {}/{}/{})",
                      hw.rows, hw.cols, hw.ifmap_spad, hw.filter_spad, hw.psum_spad);
  LayerMapping m;
  switch (hw.dataflow) {
    case Dataflow::rs:
      m = map_rs(layer, hw);
      break;
    case Dataflow::ws:
      m = map_ws(layer, hw);
      break;
    case Dataflow::os:
      m = map_os(layer, hw);
      break;
  }
  if (m.feasible)
    m.utilization =
        static_cast<double>(m.macs) / (static_cast<double>(hw.rows * hw.cols) * static_cast<double>(m.compute_cycles));
  return m;
}

}  // namespace deepnvm::accel
