// SPDX-License-Identifier: MIT
#pragma once

// The CACTI-like circuit model of the array layer (circuit::CircuitModel::cacti, selected with
// ArrayOptions::model): which technology tables, device model and wires it uses, and CACTI's
// whole-cache choice of organisation [shared/docs/notes/array-model.md §3.5, §4.2-4.3; CACTI 7
// (HewlettPackard/cacti) parameter.cc, basic_circuit.cc, mat.cc, wire.cc, Ucache.cc]. The search itself
// runs in evaluate_array (evaluate.cpp) over CACTI's organisation family; the functions here are the
// pieces it needs.

#include <cstddef>
#include <filesystem>
#include <span>

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
/// optimal [CACTI io.cc/parameter.cc wire options; note §4.2 "tree"]. SRAM arrays use CACTI's own
/// repeated wire and H-tree (cacti_uca.h, wire.cc / htree2.cc); other cells keep NVSim's repeater
/// sizing on these wires (circuit/wire.h), with the wire bundles' area in evaluate_bank.
struct ModelWires {
  WireChoice local, global;
};
ModelWires cacti_default_wires();

/// @brief CACTI's objective for an NVSim optimisation target, as the reference CACTI runs mapped it
/// (reference README part C): ReadEDP -> ED with weights 100:100:0:0:0; ReadLatency -> NONE,
/// 100:0:0:0:0; Area -> NONE, 0:0:0:0:100; the other targets by the same rule (ReadEnergy 0:100:0:0:0,
/// Leakage 0:0:100:0:0, write targets as their read counterparts); every deviation 100000 %.
CactiObjective cacti_objective_for(OptimizationTarget target);

/// The figures CACTI's objective reads for one array or one whole cache [CACTI Ucache.cc
/// min_values_t]. The cycle time is not modelled here: the read latency stands in for it.
struct CactiFigures {
  double access = 0.0, dynamic = 0.0, leakage = 0.0, cycle = 0.0, area = 0.0;
};

/// @brief The minimum of every metric over `candidates` [CACTI Ucache.cc update_min_values].
CactiFigures cacti_minima(std::span<const CactiFigures> candidates);

/// @brief CACTI's filter_tag_arr [Ucache.cc]: the index of the one tag array CACTI keeps, the least
/// weighted sum of metrics normalised to their minima among those within the deviations (the ED
/// setting does not apply here). `candidates.size()` when none passes.
std::size_t cacti_pick_tag(std::span<const CactiFigures> candidates, const CactiObjective& objective);

/// @brief CACTI's filter_data_arr [Ucache.cc]: whether a data array survives, i.e. is not more than
/// 50 % above the minimum in both access time and dynamic energy.
bool cacti_keep_data(const CactiFigures& candidate, const CactiFigures& minima);

/// @brief CACTI's find_optimal_uca [Ucache.cc]: the index of the best whole-cache (or RAM) candidate:
/// ED: min (t / t_min)(E / E_min); ED^2: min (t / t_min)^2 (E / E_min); NONE: the least weighted sum of
/// normalised metrics among the candidates within the deviations; first best wins.
/// `candidates.size()` when none qualifies.
std::size_t cacti_pick(std::span<const CactiFigures> candidates, const CactiObjective& objective);

}  // namespace deepnvm
