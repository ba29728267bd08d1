// SPDX-License-Identifier: MIT
#pragma once

// The accelerator's per-layer mapping (docs/models/accel.md §6): how one convolution or fully
// connected layer runs on a rows x cols PE array under a dataflow, in closed form. It gives the
// folding, the utilization, the compute cycles and the access counts of every storage level (the PEs'
// ifmap, filter and psum scratchpads, the global buffer, the NoC, DRAM); the design model (design.h)
// prices them.
//
// Dataflows (each with its loop nest in accel.md §6):
// - ws (weight stationary, a systolic array as in the TPU): rows hold a chunk of the reduction
//   K = C·R·S, columns a chunk of the output channels M; each PE keeps one weight while every output
//   position streams through; partial sums flow down the columns and spill to the buffer when K folds.
// - os (output stationary, as in ShiDianNao): rows hold output positions, columns output channels;
//   each PE accumulates one output over K cycles; inputs are multicast along rows, weights along columns.
// - rs (row stationary, as in Eyeriss): a PE runs a 1-D convolution of one filter row over one input
//   row; R PEs in a column add their rows into one output row; a PE interleaves n_c channels and n_m
//   filters, as many as its scratchpads hold. Spad sizes matter only here: ws and os use one entry of
//   each.
// Counts are in words (an activation, a weight code or a partial sum), per inference of `batch` samples.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/core/error.h"

namespace deepnvm {
struct Network;
}

namespace deepnvm::accel {

enum class Dataflow { rs, ws, os };
std::string_view dataflow_name(Dataflow dataflow);
/// "rs", "ws" or "os"; ConfigError at `where` for `key` otherwise.
Dataflow parse_dataflow(std::string_view text, const SourceLocation& where, const std::string& key);

/// A convolution in the accelerator's terms (a fully connected layer is R = S = P = Q = H = W = 1 with
/// its leading dimensions as batch): per group, M output channels from C input channels; P x Q outputs
/// from an H x W input; R x S kernel; stride; `batch` samples.
struct LayerShape {
  std::string name;
  std::int64_t batch = 1, groups = 1, m = 1, c = 1, p = 1, q = 1, r = 1, s = 1, h = 1, w = 1;
  std::int64_t stride_h = 1, stride_w = 1;

  std::int64_t macs() const { return batch * groups * m * c * p * q * r * s; }
  std::int64_t weights() const { return groups * m * c * r * s; }
  std::int64_t inputs() const { return batch * groups * c * h * w; }
  std::int64_t outputs() const { return batch * groups * m * p * q; }
};

/// The layers of `net` the accelerator runs: every Conv2d and Linear, in execution order, at `batch`.
/// A Linear layer's leading dimensions (tokens) join the batch. MatMul and Attention (products of two
/// activations) are not mapped: `unmapped_macs` counts their MACs so the caller can say so.
struct NetworkLayers {
  std::string network;
  std::vector<LayerShape> layers;
  std::int64_t unmapped_macs = 0;
};
NetworkLayers network_layers(const Network& net, std::int64_t batch);

/// What the mapping needs to know of the hardware.
struct MappingHardware {
  Dataflow dataflow = Dataflow::rs;
  std::int64_t rows = 12, cols = 14;
  std::int64_t ifmap_spad = 12, filter_spad = 224, psum_spad = 24;  ///< entries per PE
};

/// Reads and writes of one storage level, in words.
struct Accesses {
  double reads = 0.0, writes = 0.0;
  Accesses& operator+=(const Accesses& o) {
    reads += o.reads;
    writes += o.writes;
    return *this;
  }
};

/// One layer on the array. `feasible` is false (with `why`) when the dataflow cannot place it, e.g.
/// an rs kernel row wider than the ifmap scratchpad.
struct LayerMapping {
  bool feasible = true;
  std::string why;
  std::int64_t macs = 0;
  std::int64_t passes = 0;          ///< times the array is loaded (folds of every dimension)
  std::int64_t active_pes = 0;      ///< PEs busy in a full pass
  std::int64_t compute_cycles = 0;  ///< cycles of the array alone (fill and drain included)
  double utilization = 0.0;         ///< macs / (rows·cols·compute_cycles)
  // rs: channels and filters interleaved in one PE, and the vertical and horizontal replication.
  std::int64_t pe_channels = 1, pe_filters = 1, replicas_v = 1, replicas_h = 1;
  // Words each PE holds at once (each at most its scratchpad's entries).
  std::int64_t ifmap_spad_used = 0, filter_spad_used = 0, psum_spad_used = 0;
  Accesses ifmap_spad, filter_spad, psum_spad;  ///< summed over all PEs
  Accesses glb_ifmap, glb_filter, glb_psum;     ///< words; glb_psum writes include the final outputs
  // Words passed from a PE to its neighbour (the buffer's traffic crosses the array's buses).
  double hops_ifmap = 0.0, hops_psum = 0.0;
};

/// How a layer's data meets the global buffer (accel.md §8.2). A layer that does not fit is cut into
/// `tiles` either of outputs (weights re-read per tile unless they fit half the buffer) or of weights
/// (inputs re-read per tile unless the activations fit half of it), whichever moves fewer DRAM bytes.
struct BufferTiling {
  double tiles = 1;
  double dram_bytes = 0.0;      ///< inputs + outputs + weights × (1 or tiles)
  double peak_occupancy = 0.0;  ///< bytes held at once, at most the buffer
};
BufferTiling buffer_tiling(double input_bytes, double weight_bytes, double output_bytes, double buffer_bytes);

/// @brief The mapping of `layer` under `hw`'s dataflow (closed form, accel.md §6). ConfigError if the
/// array or a scratchpad has no entry.
LayerMapping map_layer(const LayerShape& layer, const MappingHardware& hw);

}  // namespace deepnvm::accel
