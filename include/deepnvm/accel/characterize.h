// SPDX-License-Identifier: MIT
#pragma once

// A synthesized PE (netlist.h) costed with the analytical gate library (gate_library.h): area and
// leakage summed over its gates, the critical path by Horowitz delays along the netlist, and the
// dynamic energy of one MAC from the switching activity of a realistic operand stream, simulated on
// the netlist itself (zero-delay: glitches are not counted, so dynamic energy is a lower bound). The
// simulation also checks every output against the C++ reference (pe.h): the netlist yosys produced
// computes the same MAC, bit for bit.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "deepnvm/accel/gate_library.h"
#include "deepnvm/accel/netlist.h"
#include "deepnvm/accel/pe.h"

namespace deepnvm::accel {

/// Toggles are counted between consecutive steps of 64 lanes, so a stream needs two steps.
inline constexpr std::size_t kMinStreamMacs = 128;

/// @brief The operand stream of the activity simulation: 64 independent lanes, each a run of dot
/// products. Activations are ReLU outputs: zero with probability `zero_activations`, otherwise
/// |N(0, (2^(act_bits-1) / 4)^2)| rounded down and clipped. INTn weights are N(0, (2^(bits-1) / 4)^2)
/// rounded and clipped; LightPE terms have a random sign and an exponent |N(0, (2^bits / 3)^2)|
/// rounded down and clipped (small magnitudes most often, as trained weights).
struct OperandStream {
  std::size_t macs = 1 << 15;  ///< MACs simulated (rounded up to a multiple of 64; at least kMinStreamMacs)
  int dot_length = 64;         ///< MACs per output; the accumulator then restarts from 0
  double zero_activations = 0.5;
  std::uint64_t seed = 1;
};

struct PeFigures {
  std::size_t gates = 0, inverters = 0, nand2 = 0, nor2 = 0;
  double area = 0.0;             ///< m^2, sum of the gate footprints (no wiring, no placement)
  double leakage = 0.0;          ///< W
  double critical_path = 0.0;    ///< s, input to output through the slowest path
  double energy_per_mac = 0.0;   ///< J, dynamic, from the stream's toggles
  double toggles_per_mac = 0.0;  ///< net transitions per MAC
  std::size_t macs_checked = 0;  ///< MACs whose netlist output matched mac()
};

/// @brief Figures of `netlist` (a synthesized `pe`) at `library`'s node. ModelError if the netlist's
/// ports are not the generated PE's (act, wcode, acc_in, acc_out) or if any output differs from mac();
/// ConfigError for a stream of fewer than kMinStreamMacs MACs.
PeFigures characterize(const PeSpec& pe, const GateNetlist& netlist, const GateLibrary& library,
                       const OperandStream& stream = {});

/// @brief Mean dynamic energy (J) per transition of one lane of any netlist: `drive(step, values)` sets
/// the input nets' 64 lanes for each of `steps` steps (at least 2); every net's toggles between
/// consecutive steps cost ½CV² with the same loads as characterize().
double switching_energy(const GateNetlist& netlist, const GateLibrary& library, std::size_t steps,
                        const std::function<void(std::size_t, std::vector<std::uint64_t>&)>& drive);

/// Gate area (m^2) and leakage (W) of a netlist: sums over its gates.
std::pair<double, double> gate_area_and_leakage(const GateNetlist& netlist, const GateLibrary& library);

}  // namespace deepnvm::accel
