// SPDX-License-Identifier: MIT
#pragma once

// Which tool's circuit equations the array model follows: NVSim's (the default, bit-identical to
// NVSim commit 6334d00) or a CACTI-7-like variant that swaps the technology tables, the leakage
// state model, the SRAM bitline swing and the H-tree wires for CACTI's (shared/docs/notes/
// array-model.md §3.5, §4.2 "Modelling differences a CACTI-like option must switch", §4.3 step 3).

#include <optional>
#include <string_view>

namespace deepnvm::circuit {

/// The circuit model: `nvsim` reproduces NVSim; `cacti` uses CACTI 7's device tables and its
/// leakage, SRAM-sensing and repeated-tree assumptions [CACTI basic_circuit.cc, mat.cc, parameter.cc].
enum class CircuitModel { nvsim, cacti };

/// The spelling of a model in configuration files and on the command line ("nvsim", "cacti").
constexpr std::string_view circuit_model_name(CircuitModel m) { return m == CircuitModel::cacti ? "cacti" : "nvsim"; }

/// Parses "nvsim" or "cacti" (exact, lower case); nullopt otherwise.
constexpr std::optional<CircuitModel> parse_circuit_model(std::string_view s) {
  if (s == "nvsim") return CircuitModel::nvsim;
  if (s == "cacti") return CircuitModel::cacti;
  return std::nullopt;
}

}  // namespace deepnvm::circuit
