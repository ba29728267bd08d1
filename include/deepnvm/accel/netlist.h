// SPDX-License-Identifier: MIT
#pragma once

// A PE synthesized to static CMOS gates: yosys maps the generated Verilog (rtl.h) onto inverters and
// two-input NAND and NOR gates (`abc -g cmos2`), the gates the circuit layer models transistor by
// transistor (circuit/device.h). This is the netlist, read from yosys's JSON, in topological order,
// with a bit-parallel evaluator (64 input vectors per call) for equivalence checks and switching
// activity.

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deepnvm/accel/pe.h"

namespace deepnvm::accel {

enum class GateKind { inv, nand2, nor2 };

struct NetlistGate {
  GateKind kind = GateKind::inv;
  std::uint32_t a = 0, b = 0;  ///< input nets (b unused for inv)
  std::uint32_t y = 0;         ///< output net
};

/// Nets are numbered from 0; net 0 is constant 0 and net 1 constant 1.
struct GateNetlist {
  std::string module;
  std::uint32_t nets = 2;
  std::map<std::string, std::vector<std::uint32_t>> inputs, outputs;  ///< port -> nets, LSB first
  std::vector<NetlistGate> gates;                                     ///< topological order
  std::size_t count(GateKind kind) const;
};

/// @brief The netlist of `module` (or of the only module) in yosys's `write_json` output `text`.
/// ModelError naming `where` for anything else than $_NOT_, $_NAND_ and $_NOR_ cells, a net driven
/// twice or not at all, or a combinational loop.
GateNetlist parse_yosys_json(std::string_view text, const std::string& where);

/// @brief Evaluates the netlist on 64 vectors at once: `values` (size nets) holds each net's 64 lanes;
/// the caller sets the input nets' lanes, every gate output is computed in order.
void evaluate(const GateNetlist& netlist, std::span<std::uint64_t> values);

/// @brief Synthesizes `pe` with yosys (found on $PATH) in `work_dir`: `synth -flatten`, then
/// `abc -g cmos2` and `opt_clean`; keeps pe.v, synth.ys, netlist.json and yosys.log there.
/// IoError when yosys is not installed; ModelError with the log's last lines when it fails.
GateNetlist synthesize_pe(const PeSpec& pe, const std::filesystem::path& work_dir);

/// The same for any combinational Verilog (one module; `what` names it in errors), written as pe.v.
GateNetlist synthesize_verilog(const std::string& verilog, const std::string& what,
                               const std::filesystem::path& work_dir);

/// `yosys -V`'s first line (e.g. "Yosys 0.23 (git sha1 7ce5011c24b)"), or "yosys (version unknown)".
std::string yosys_version();

}  // namespace deepnvm::accel
