// SPDX-License-Identifier: MIT
#pragma once

// The CACTI-like circuit model of the array layer (circuit::CircuitModel::cacti): which technology
// tables, device model and wires it uses, and a stand-alone cache evaluation with it
// [shared/docs/notes/array-model.md §3.5, §4.2-4.3; CACTI 7 (HewlettPackard/cacti) parameter.cc,
// basic_circuit.cc, mat.cc]. evaluate_nvsim_config() keeps NVSim's model; the pieces below are what
// it needs to offer the CACTI one.

#include <filesystem>

#include "deepnvm/array/evaluate.h"
#include "deepnvm/circuit/model.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {

/// @brief The technology tables of a circuit model at `node` (m): NVSim's table set for
/// CircuitModel::nvsim (default_table_set(node)), CACTI 7's own (table set "cacti", 22-90 nm) for
/// CircuitModel::cacti [CACTI tech_params/*.dat]. Throws what find_technology throws.
Technology technology_for_model(circuit::CircuitModel model, const std::filesystem::path& data_dir, double node);

/// @brief The wires of CACTI's default run ("Wire signaling Global_30", wires inside and outside the
/// mat semi-global, conservative projection): local (bitline/wordline) wires local-conservative
/// unrepeated, the H-tree semi-global conservative with repeaters sized for 30 % more delay than
/// optimal [CACTI io.cc/parameter.cc wire options; note §4.2 "tree"]. Repeated global wires occupy
/// area in evaluate_bank (wire bundles), as CACTI's tree does.
struct ModelWires {
  WireChoice local, global;
};
ModelWires cacti_default_wires();

/// @brief Evaluates a cache (or RAM) `config` with the CACTI-like model: CACTI's tables
/// (technology_for_model), make_device_model(..., CircuitModel::cacti), the cell characterized at
/// CACTI's device, cacti_default_wires() for both arrays (the cfg's wire keys are ignored), and
/// CACTI's organisation family (each mat 2 x 2 subarrays, all active; one row of mats active; mux
/// degrees searched; buffer style latency) searched for the cfg's optimisation target per array
/// (tag and data, as NVSim does). A stand-alone driver until evaluate_nvsim_config takes a model.
/// Throws ModelError when no organisation is valid.
ArrayResult evaluate_cacti_model(const NvsimConfig& config, const std::filesystem::path& data_dir);

}  // namespace deepnvm
