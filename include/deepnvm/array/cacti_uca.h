// SPDX-License-Identifier: MIT
#pragma once

// CACTI 7's uniform-cache-access (UCA) SRAM array, ported equation by equation for the CACTI-like
// model (circuit::CircuitModel::cacti): CACTI's own organisation family (Ndwl, Ndbl, Nspd, Ndcm,
// Ndsam1, Ndsam2; mats of up to 2 x 2 subarrays), its bank H-tree of repeated "Global_30" wires, its
// bitline, sense-amp, subarray-output and cell-leakage equations [CACTI 7, HewlettPackard/cacti
// parameter.cc DynamicParameter, subarray.cc, mat.cc, htree2.cc, wire.cc, bank.cc, uca.cc]. The row
// and column decoders follow CACTI's Decoder/logical_effort sizing; the predecoders are modelled as
// one such decoder stage per block (CACTI's PredecBlk/PredecBlkDrv are not ported gate by gate; see
// docs/models/array.md §11). SRAM cells only; one bank, one read-write port, no ECC.

#include <cstdint>
#include <string_view>
#include <vector>

#include "deepnvm/array/nvsim_config.h"
#include "deepnvm/array/subarray.h"
#include "deepnvm/circuit/device.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {

/// @brief What one CACTI array (the data or the tag array of a cache, or a RAM) stores.
struct CactiArraySpec {
  double capacity_bytes = 0.0;
  int line_bytes = 64;
  int associativity = 1;  // the cache's; 1 for a RAM
  bool cache = false;
  bool tag = false;
  CacheAccessMode mode = CacheAccessMode::normal;
  int output_bits = 512;  // CACTI "output/input bus width" (out_w)
};

/// @brief CACTI's repeated "Global_30" wire per metre [CACTI wire.cc init_wire, delay_optimal_wire,
/// wire_model, update_fullswing]: width and spacing pitch/4 of the wire outside the mat, r and c from
/// Wire::wire_res / wire_cap, the delay-optimal repeater, then the least normalised dynamic + leakage
/// cost with the delay within 30 % of the optimum.
struct CactiRepeatedWire {
  double res = 0.0, cap = 0.0;                      // Ohm/m, F/m
  double size = 0.0, spacing = 0.0;                 // repeater size (x minimum inverter), m
  double delay = 0.0, energy = 0.0, leakage = 0.0;  // per metre: s/m, J/m, W/m
  double optimal_size = 0.0, optimal_spacing = 0.0, optimal_delay = 0.0;
};
/// The technology CACTI reads for one run: the periphery/cell device (one ITRS flavour for both, as
/// in the reference runs), the wires of the conservative projection (local for bitlines and
/// wordlines, semi-global inside and outside the mat) and the SRAM cell's geometry.
struct CactiTech {
  circuit::DeviceModel device;
  double electrical_gate_length = 0.0;  // l_elec, m (sense-amp latch g_m)
  double gm_p_to_gm_n = 1.0;
  double local_res = 0.0, local_cap = 0.0, local_pitch = 0.0;     // Ohm/m, F/m, m
  double inside_res = 0.0, inside_cap = 0.0, inside_pitch = 0.0;  // wire inside mat
  double outside_pitch = 0.0;                                     // wire outside mat (H-tree)
  double outside_aspect_ratio = 2.0, outside_ild = 0.0, outside_horizontal_k = 0.0;
  double fringe_cap = 1.15e-10;  // F/m
  ArrayCell cell;
  CactiRepeatedWire global_30;  // the H-tree and subarray-output wire (cacti_global_30)
};

/// @brief Builds CACTI's technology view from a CACTI table set (device `flavour`) and an SRAM cell
/// [CACTI technology.cc: wire_local / wire_inside_mat / wire_outside_mat of the projection].
CactiTech make_cacti_tech(const Technology& technology, std::string_view flavour, const circuit::DeviceModel& device,
                          const ArrayCell& cell);

/// One organisation of one array with CACTI's figures [CACTI Ucache.cc calculate_time, mem_array].
struct CactiArray {
  int ndwl = 1, ndbl = 1, ndcm = 1, ndsam1 = 1, ndsam2 = 1;
  double nspd = 1.0;
  int rows = 0, columns = 0;
  int mats_horizontal = 1, mats_vertical = 1, active_mats = 1, subarrays_per_mat = 1;
  // Delays (s): the components CACTI prints ("Time Components").
  double htree_in = 0.0, predecoder = 0.0, row_decoder = 0.0, bitline = 0.0, senseamp = 0.0;
  double subarray_output = 0.0, htree_out = 0.0, comparator = 0.0;
  double column_decoder_path = 0.0;  // H-tree in + sense-amp mux predecoder + decoder (normal access)
  double before_output = 0.0;        // delay_before_subarray_output_driver
  double access = 0.0;               // before_output + subarray_output + htree_out
  // Energies (J) per read, leakage (W), area (m, m^2).
  double read_energy = 0.0, write_energy = 0.0, htree_energy = 0.0, mat_energy = 0.0;
  double leakage = 0.0, cell_leakage = 0.0;
  double height = 0.0, width = 0.0, mat_height = 0.0, mat_width = 0.0, subarray_height = 0.0, subarray_width = 0.0;
  double area() const { return height * width; }
};

/// @brief Every valid organisation of CACTI's search space for `spec` [CACTI Ucache.cc
/// calc_time_mt_wrapper: Nspd from out_w / line bits to 256, Ndwl, Ndbl 1..512, Ndcm, Ndsam1,
/// Ndsam2 1..256, powers of two; DynamicParameter's validity rules].
std::vector<CactiArray> cacti_arrays(const CactiArraySpec& spec, const CactiTech& tech);

/// @brief One organisation (exposed for tests); `valid` false when DynamicParameter rejects it.
bool cacti_array(const CactiArraySpec& spec, const CactiTech& tech, double nspd, int ndwl, int ndbl, int ndcm,
                 int ndsam1, int ndsam2, CactiArray& out);

/// @brief The Global_30 wire of `tech` (see CactiRepeatedWire).
CactiRepeatedWire cacti_global_30(const CactiTech& tech);

}  // namespace deepnvm
