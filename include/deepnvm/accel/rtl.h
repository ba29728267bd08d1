// SPDX-License-Identifier: MIT
#pragma once

// Synthesizable Verilog (IEEE 1364-2005) for the PEs of pe.h: the characterization flow verilates it
// against mac() and synthesizes it with yosys. One module per PE spec, named pe_<pe_name()>:
//   module pe_X (input signed [A-1:0] act, input [C-1:0] wcode, input signed [ACC-1:0] acc_in,
//                output signed [ACC-1:0] acc_out);  // combinational: one MAC
// The arithmetic runs at a width that holds the exact sum, then wraps (the low ACC bits) or saturates,
// as mac() does.

#include <string>

#include "deepnvm/accel/pe.h"

namespace deepnvm::accel {

/// The module's name: "pe_" + pe_name(pe).
std::string pe_module_name(const PeSpec& pe);

/// The Verilog source of one combinational MAC of `pe` (validated first: ConfigError).
std::string pe_verilog(const PeSpec& pe);

/// The read port of a scratchpad register file of `entries` words of `bits`: module
/// `rf_read_<entries>x<bits>(words, addr, q)`, q = words[addr] (words packed, word 0 lowest; an
/// address past the last word reads 0). Storage cells are not in it: synthesis maps no sequential
/// cells onto the gate library (storage.h models the latches).
std::string register_file_read_verilog(int entries, int bits);

}  // namespace deepnvm::accel
