// SPDX-License-Identifier: MIT
#pragma once

// NVSim's tag comparator (Comparator.cpp, commit 6334d00; shared/docs/notes/array-model.md §2.11):
// four quarter comparators, each an inverter chain driving a wired-NOR line of per-bit pull-downs.

#include "deepnvm/circuit/device.h"
#include "deepnvm/circuit/figures.h"

namespace deepnvm::circuit {

/// Stages of the comparator's inverter chain [NVSim constant.h COMPARATOR_INV_CHAIN_LEN].
inline constexpr int kComparatorChainLength = 4;

/// @brief One tag comparator (one per way).
struct ComparatorSpec {
  int tag_bits = 0;       // total tag bits; each quarter compares tag_bits / 4 (integer division)
  double load_cap = 0.0;  // F, load on the match line (0 in NVSim's callers)
};

/// @brief The sized comparator; `figures` holds its area, energy per compare (read = write) and
/// leakage. Latency needs the input ramp: comparator_delay().
struct Comparator {
  int quarter_bits = 0;  // tag_bits / 4
  double input_cap[kComparatorChainLength] = {};
  double output_cap[kComparatorChainLength] = {};
  double chain_width_n[kComparatorChainLength] = {};
  double bottom_cap = 0.0, top_cap = 0.0;  // F, C_b and C_t of the final stage
  double bottom_res = 0.0, top_res = 0.0;  // Ohm, R_b and R_t
  BlockFigures figures;
};

/// @brief Sizes the comparator and evaluates area, energy and leakage [NVSim Comparator.cpp; note
/// §2.11]. Chain N/P widths 7.5/12.5F, 15/25F, 30/50F, 50/100F; per-bit pull-down NMOS 12.5F modelled
/// as a NAND2 with zero PMOS width, so its leakage is 0 (quirk Q24); precharge PMOS 37.5F.
Comparator size_comparator(const DeviceModel& device, const ComparatorSpec& spec);

/// @brief Compare latency for input slope `ramp_in` (1/s): three Horowitz inverter stages, then
/// tau = R_b C_b + (R_b + R_t) C_t with beta = 0 [NVSim Comparator.cpp CalculateLatency]; read = write.
Delay comparator_delay(const DeviceModel& device, const Comparator& comparator, double ramp_in);

}  // namespace deepnvm::circuit
