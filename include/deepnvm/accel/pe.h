// SPDX-License-Identifier: MIT
#pragma once

// The processing elements of the quantization-aware accelerator template (QUIDAM/QADAM/QAPPA,
// shared/docs/notes/accel-and-rl.md §2): what one multiply-accumulate computes, bit for bit. This is
// the C++ reference the generated RTL (rtl.h) is checked against with Verilator.
//
// - int (INT16, INT8, INT4, or any width): acc' = acc + a * w, a and w signed two's complement.
// - light1 (LightPE-1, LightNN k = 1): w = s * 2^e, so the product is one shift: acc' = acc +/- (a << e).
// - light2 (LightPE-2, LightNN k = 2): w = s1 * 2^e1 + s2 * 2^e2: two shifts and a three-input add.
// A LightPE weight term is coded {sign, e} with `weight_bits` exponent bits, e in [0, 2^weight_bits - 1]
// (sign 1: negative); light2 codes term 2 above term 1. Exponents shift left only: a per-layer scale,
// outside the PE, places the binary point. Zero is representable in light2 only (s1 = -s2, e1 = e2).
// The sum is exact, then brought back to `acc_bits` by the overflow rule: wrap (two's complement
// modulo 2^acc_bits) or saturate (clamp to the accumulator's range).

#include <cstdint>
#include <string>
#include <string_view>

#include "deepnvm/core/error.h"

namespace deepnvm::accel {

enum class PeKind { int_mac, light1, light2 };
enum class Overflow { wrap, saturate };

struct PeSpec {
  PeKind kind = PeKind::int_mac;
  int act_bits = 16;     ///< signed activation width
  int weight_bits = 16;  ///< int: signed weight width; light: exponent bits per term
  int acc_bits = 40;     ///< accumulator (partial sum) width
  Overflow overflow = Overflow::wrap;
};

/// "wrap" or "saturate".
std::string_view overflow_name(Overflow overflow);

/// The overflow rule `text` names (wrap or saturate); ConfigError at `where` for `key` otherwise.
Overflow parse_overflow(std::string_view text, const SourceLocation& where, const std::string& key);

/// The template's named PE types: int16, int8, int4 (act = weight width), light1 and light2 (8-bit
/// activations, 3-bit exponents: a 4-bit code per term); every accumulator is template_acc_bits().
/// ConfigError (at `where`) naming the known types otherwise.
PeSpec named_pe(std::string_view name, const SourceLocation& where = {"<pe>", 0});

/// ConfigError (at `where`) unless widths are in range (activations and int weights 2..32 bits,
/// exponents 1..5, accumulator 2..62 and wide enough for one product).
void validate(const PeSpec& pe, const SourceLocation& where = {"<pe>", 0});

/// Bits of the largest |product| plus its sign.
int product_bits(const PeSpec& pe);

/// The template's accumulator: room for 2^8 full-scale products (product_bits + 8).
inline constexpr int kAccumulatorHeadroomBits = 8;
inline int template_acc_bits(const PeSpec& pe) { return product_bits(pe) + kAccumulatorHeadroomBits; }

/// Bits of the weight code the PE reads: weight_bits (int), 1 + weight_bits (light1), twice that (light2).
int weight_code_bits(const PeSpec& pe);

/// The weight a code stands for (sign-extended for int).
std::int64_t decode_weight(const PeSpec& pe, std::uint64_t code);

/// One MAC: acc_in (an acc_bits value, sign-extended) plus act times the coded weight, after the
/// overflow rule. act must fit act_bits (sign-extended); code uses its low weight_code_bits bits.
std::int64_t mac(const PeSpec& pe, std::int64_t acc_in, std::int64_t act, std::uint64_t code);

/// A name for files and modules, e.g. "int8_a8_w8_acc24_wrap".
std::string pe_name(const PeSpec& pe);

}  // namespace deepnvm::accel
