// SPDX-License-Identifier: MIT
#pragma once

// What every circuit block reports: its footprint, its delays, its energy per access and its
// leakage. SI units; a block's meaning of "read" and "write" is documented with the block.

namespace deepnvm::circuit {

struct BlockFigures {
  double height = 0.0, width = 0.0;                // m
  double read_latency = 0.0, write_latency = 0.0;  // s
  double read_energy = 0.0, write_energy = 0.0;    // J per access
  double leakage = 0.0;                            // W
  double area() const { return height * width; }
};

}  // namespace deepnvm::circuit
