// SPDX-License-Identifier: MIT
#include "deepnvm/accel/pe.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm::accel {
namespace {

std::int64_t sign_extend(std::uint64_t v, int bits) {
  const std::uint64_t m = std::uint64_t{1} << (bits - 1);
  v &= (m << 1) - 1;
  return static_cast<std::int64_t>((v ^ m) - m);
}

// A LightPE term {sign, e}: +/- 2^e.
std::int64_t light_term(std::uint64_t code, int exponent_bits) {
  const auto e = static_cast<int>(code & ((std::uint64_t{1} << exponent_bits) - 1));
  const std::int64_t magnitude = std::int64_t{1} << e;
  return (code >> exponent_bits) & 1 ? -magnitude : magnitude;
}

}  // namespace

int product_bits(const PeSpec& pe) {
  switch (pe.kind) {
    case PeKind::int_mac:
      return pe.act_bits + pe.weight_bits;
    case PeKind::light1:
      return pe.act_bits + (1 << pe.weight_bits);  // a << (2^eb - 1), then negated
    case PeKind::light2:
      return pe.act_bits + (1 << pe.weight_bits) + 1;  // two such terms
  }
  return 0;
}

std::string_view overflow_name(Overflow overflow) { return overflow == Overflow::wrap ? "wrap" : "saturate"; }

Overflow parse_overflow(std::string_view text, const SourceLocation& where, const std::string& key) {
  if (text == "wrap") return Overflow::wrap;
  if (text == "saturate") return Overflow::saturate;
  throw ConfigError(where, key, "expected wrap or saturate, got '{}'", text);
}

PeSpec named_pe(std::string_view name, const SourceLocation& where) {
  static const std::array<std::pair<std::string_view, PeSpec>, 5> kNamed{{
      {"int16", {PeKind::int_mac, 16, 16, 40, Overflow::wrap}},
      {"int8", {PeKind::int_mac, 8, 8, 24, Overflow::wrap}},
      {"int4", {PeKind::int_mac, 4, 4, 16, Overflow::wrap}},
      {"light1", {PeKind::light1, 8, 3, 24, Overflow::wrap}},
      {"light2", {PeKind::light2, 8, 3, 25, Overflow::wrap}},
  }};
  for (const auto& [n, spec] : kNamed)
    if (n == name) return spec;
  throw ConfigError(where, "pe", "unknown PE type '{}': expected int16, int8, int4, light1 or light2", name);
}

void validate(const PeSpec& pe, const SourceLocation& where) {
  if (pe.act_bits < 2 || pe.act_bits > 32)
    throw ConfigError(where, "act_bits", "expected 2 to 32 bits, got {}", pe.act_bits);
  if (pe.kind == PeKind::int_mac && (pe.weight_bits < 2 || pe.weight_bits > 32))
    throw ConfigError(where, "weight_bits", "expected 2 to 32 bits for an integer PE, got {}", pe.weight_bits);
  if (pe.kind != PeKind::int_mac && (pe.weight_bits < 1 || pe.weight_bits > 5))
    throw ConfigError(where, "weight_bits", "expected 1 to 5 exponent bits for a LightPE, got {}", pe.weight_bits);
  if (pe.acc_bits < 2 || pe.acc_bits > 62)
    throw ConfigError(where, "acc_bits", "expected 2 to 62 bits, got {}", pe.acc_bits);
  if (product_bits(pe) > 62)
    throw ConfigError(where, "act_bits", "a product of {} bits does not fit the 62-bit reference", product_bits(pe));
  if (pe.acc_bits < std::min(product_bits(pe), 62) - 1)
    throw ConfigError(where, "acc_bits", "{} bits cannot hold one product ({} bits)", pe.acc_bits, product_bits(pe));
}

int weight_code_bits(const PeSpec& pe) {
  switch (pe.kind) {
    case PeKind::int_mac:
      return pe.weight_bits;
    case PeKind::light1:
      return pe.weight_bits + 1;
    case PeKind::light2:
      return 2 * (pe.weight_bits + 1);
  }
  return 0;
}

std::int64_t decode_weight(const PeSpec& pe, std::uint64_t code) {
  switch (pe.kind) {
    case PeKind::int_mac:
      return sign_extend(code, pe.weight_bits);
    case PeKind::light1:
      return light_term(code, pe.weight_bits);
    case PeKind::light2:
      return light_term(code, pe.weight_bits) + light_term(code >> (pe.weight_bits + 1), pe.weight_bits);
  }
  return 0;
}

std::int64_t mac(const PeSpec& pe, std::int64_t acc_in, std::int64_t act, std::uint64_t code) {
  const std::int64_t a = sign_extend(static_cast<std::uint64_t>(act), pe.act_bits);
  const std::int64_t acc = sign_extend(static_cast<std::uint64_t>(acc_in), pe.acc_bits);
  // Within 63 bits: validate() bounds the product to 62 bits and the accumulator to 62.
  const std::int64_t sum = acc + a * decode_weight(pe, code);
  if (pe.overflow == Overflow::wrap) return sign_extend(static_cast<std::uint64_t>(sum), pe.acc_bits);
  const std::int64_t hi = (std::int64_t{1} << (pe.acc_bits - 1)) - 1;
  return std::clamp(sum, -hi - 1, hi);
}

std::string pe_name(const PeSpec& pe) {
  const char* kind = pe.kind == PeKind::int_mac ? "int" : pe.kind == PeKind::light1 ? "light1" : "light2";
  return fmt::format("{}_a{}_w{}_acc{}_{}", kind, pe.act_bits, pe.weight_bits, pe.acc_bits,
                     pe.overflow == Overflow::wrap ? "wrap" : "sat");
}

}  // namespace deepnvm::accel
