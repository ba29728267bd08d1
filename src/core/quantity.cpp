// SPDX-License-Identifier: MIT
#include "deepnvm/core/quantity.h"

#include <array>
#include <charconv>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "deepnvm/core/text.h"

namespace deepnvm {
namespace {

struct NamedDimension {
  Dimension dimension;
  std::string_view name;
  std::string_view example;
  std::string_view si_unit;  // how values of this dimension are printed when no prefix applies
};

constexpr std::array kNamedDimensions{
    NamedDimension{dim::none, "dimensionless number", "0.5", ""},
    NamedDimension{dim::length, "length", "22 nm", "m"},
    NamedDimension{dim::area, "area", "0.07 um^2", "m^2"},
    NamedDimension{dim::volume, "volume", "1 nm^3", "m^3"},
    NamedDimension{dim::mass, "mass", "1 kg", "kg"},
    NamedDimension{dim::time, "time", "0.5 ns", "s"},
    NamedDimension{dim::frequency, "frequency", "1.5 GHz", "Hz"},
    NamedDimension{dim::current, "current", "40 uA", "A"},
    NamedDimension{dim::temperature, "temperature", "300 K", "K"},
    NamedDimension{dim::bytes, "size", "8 MiB", "B"},
    NamedDimension{dim::energy, "energy", "1.2 pJ", "J"},
    NamedDimension{dim::power, "power", "15 mW", "W"},
    NamedDimension{dim::charge, "charge", "1 fC", "C"},
    NamedDimension{dim::voltage, "voltage", "0.8 V", "V"},
    NamedDimension{dim::resistance, "resistance", "5 kOhm", "Ohm"},
    NamedDimension{dim::conductance, "conductance", "100 uS", "S"},
    NamedDimension{dim::capacitance, "capacitance", "1.2 fF", "F"},
    NamedDimension{dim::inductance, "inductance", "1 nH", "H"},
    NamedDimension{dim::magnetic_flux_density, "magnetic flux density", "1 T", "T"},
    NamedDimension{dim::current_density, "current density", "5e6 A/cm^2", "A/m^2"},
    NamedDimension{dim::current_per_length, "current per width", "1000 uA/um", "A/m"},
    NamedDimension{dim::resistance_area, "resistance-area product", "5 Ohm*um^2", "Ohm*m^2"},
    NamedDimension{dim::resistance_per_length, "resistance per length", "2 Ohm/um", "Ohm/m"},
    NamedDimension{dim::capacitance_per_length, "capacitance per length", "0.2 fF/um", "F/m"},
    NamedDimension{dim::capacitance_per_area, "capacitance per area", "38.3 fF/um^2", "F/m^2"},
    NamedDimension{dim::mobility, "mobility", "400 cm^2/V/s", "m^2/V/s"},
    NamedDimension{dim::resistivity, "resistivity", "200 uOhm*cm", "Ohm*m"},
    NamedDimension{dim::bandwidth, "bandwidth", "484 GB/s", "B/s"},
    NamedDimension{dim::energy_per_byte, "energy per byte", "20 pJ/B", "J/B"},
};

const NamedDimension* find_named(Dimension d) {
  for (const auto& n : kNamedDimensions)
    if (n.dimension == d) return &n;
  return nullptr;
}

enum class PrefixRule { none, si, information };

struct UnitSymbol {
  std::string_view symbol;
  double scale;
  Dimension dimension;
  PrefixRule prefixes;
};

constexpr std::array kSymbols{
    UnitSymbol{"m", 1.0, dim::length, PrefixRule::si},
    UnitSymbol{"g", 1e-3, dim::mass, PrefixRule::si},
    UnitSymbol{"s", 1.0, dim::time, PrefixRule::si},
    UnitSymbol{"A", 1.0, dim::current, PrefixRule::si},
    UnitSymbol{"K", 1.0, dim::temperature, PrefixRule::none},
    UnitSymbol{"B", 1.0, dim::bytes, PrefixRule::information},
    UnitSymbol{"bit", 0.125, dim::bytes, PrefixRule::information},
    UnitSymbol{"V", 1.0, dim::voltage, PrefixRule::si},
    UnitSymbol{"Ohm", 1.0, dim::resistance, PrefixRule::si},
    UnitSymbol{"ohm", 1.0, dim::resistance, PrefixRule::si},
    UnitSymbol{"\u03a9", 1.0, dim::resistance, PrefixRule::si},  // Ω
    UnitSymbol{"S", 1.0, dim::conductance, PrefixRule::si},
    UnitSymbol{"F", 1.0, dim::capacitance, PrefixRule::si},
    UnitSymbol{"H", 1.0, dim::inductance, PrefixRule::si},
    UnitSymbol{"T", 1.0, dim::magnetic_flux_density, PrefixRule::si},
    UnitSymbol{"C", 1.0, dim::charge, PrefixRule::si},
    UnitSymbol{"J", 1.0, dim::energy, PrefixRule::si},
    UnitSymbol{"eV", 1.602176634e-19, dim::energy, PrefixRule::si},  // exact since SI 2019
    UnitSymbol{"W", 1.0, dim::power, PrefixRule::si},
    UnitSymbol{"Hz", 1.0, dim::frequency, PrefixRule::si},
};

struct Prefix {
  std::string_view symbol;
  double scale;
};

constexpr std::array kSiPrefixes{
    Prefix{"a", 1e-18},     Prefix{"f", 1e-15},     Prefix{"p", 1e-12}, Prefix{"n", 1e-9}, Prefix{"u", 1e-6},
    Prefix{"\u00b5", 1e-6}, Prefix{"\u03bc", 1e-6}, Prefix{"m", 1e-3},  Prefix{"c", 1e-2}, Prefix{"k", 1e3},
    Prefix{"M", 1e6},       Prefix{"G", 1e9},       Prefix{"T", 1e12},  Prefix{"P", 1e15},
};
constexpr std::array kInformationPrefixes{
    Prefix{"k", 1e3},
    Prefix{"M", 1e6},
    Prefix{"G", 1e9},
    Prefix{"T", 1e12},
    Prefix{"P", 1e15},
    Prefix{"Ki", 1024.0},
    Prefix{"Mi", 1048576.0},
    Prefix{"Gi", 1073741824.0},
    Prefix{"Ti", 1099511627776.0},
    Prefix{"Pi", 1125899906842624.0},
};

// Spellings offered in "did you mean" hints.
const std::vector<std::string>& common_units() {
  static const std::vector<std::string> units{
      "m",   "mm",  "um",  "nm", "m^2", "mm^2", "um^2", "nm^2", "s",    "ms", "us", "ns", "ps",  "Hz",
      "kHz", "MHz", "GHz", "B",  "KiB", "MiB",  "GiB",  "TiB",  "kB",   "MB", "GB", "TB", "bit", "A",
      "mA",  "uA",  "nA",  "V",  "mV",  "Ohm",  "kOhm", "MOhm", "F",    "pF", "fF", "aF", "J",   "nJ",
      "pJ",  "fJ",  "eV",  "W",  "mW",  "uW",   "nW",   "K",    "degC", "S",  "uS", "T",  "H",   "C"};
  return units;
}

[[noreturn]] void unknown_unit(std::string_view factor) {
  throw UnitError(fmt::format("unknown unit '{}'{}", factor, did_you_mean(factor, common_units())));
}

Quantity resolve_symbol(std::string_view factor) {
  for (const auto& u : kSymbols)
    if (u.symbol == factor) return {u.scale, u.dimension};
  // "KB", "Kbit": K is kelvin, not kilo, and the reader may have meant either size.
  if (factor.size() > 1 && factor[0] == 'K' && (factor.substr(1) == "B" || factor.substr(1) == "bit")) {
    const auto base = factor.substr(1);
    throw UnitError(fmt::format("'{}' is ambiguous: write 'Ki{}' for 1024 {}s (binary) or 'k{}' for 1000 {}s (decimal)",
                                factor, base, base == "B" ? "byte" : "bit", base, base == "B" ? "byte" : "bit"));
  }
  for (const auto& u : kSymbols) {
    if (u.prefixes == PrefixRule::none || factor.size() <= u.symbol.size() || !factor.ends_with(u.symbol)) continue;
    const auto prefix = factor.substr(0, factor.size() - u.symbol.size());
    if (u.prefixes == PrefixRule::si) {
      for (const auto& p : kSiPrefixes)
        if (p.symbol == prefix) return {p.scale * u.scale, u.dimension};
    } else {
      for (const auto& p : kInformationPrefixes)
        if (p.symbol == prefix) return {p.scale * u.scale, u.dimension};
    }
  }
  unknown_unit(factor);
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Exponents of units and of the resulting base dimensions stay within this bound, far below the
// int8 limits of Dimension, so unit algebra never wraps around.
constexpr int kMaxExponent = 32;

bool exponents_in_bounds(Dimension d) {
  for (int e : {d.length, d.mass, d.time, d.current, d.temperature, d.information})
    if (e < -kMaxExponent || e > kMaxExponent) return false;
  return true;
}

// One factor of a unit expression: a (prefixed) symbol with an optional integer power.
Quantity parse_factor(std::string_view factor) {
  factor = trim(factor);
  if (factor.empty()) throw UnitError("empty factor in unit expression");
  int power = 1;
  std::string_view symbol = factor;
  if (const auto caret = factor.find('^'); caret != std::string_view::npos) {
    symbol = factor.substr(0, caret);
    const auto exponent = factor.substr(caret + 1);
    const auto* begin = exponent.data();
    const auto* end = begin + exponent.size();
    const auto [ptr, ec] = std::from_chars(begin, end, power);
    if (ec != std::errc{} || ptr != end || power == 0 || power < -kMaxExponent || power > kMaxExponent)
      throw UnitError(fmt::format("bad exponent in '{}': expected a non-zero integer from -{} to {}", factor,
                                  kMaxExponent, kMaxExponent));
  } else if (factor.ends_with("\u00b2")) {  // ²
    symbol = factor.substr(0, factor.size() - 2), power = 2;
  } else if (factor.ends_with("\u00b3")) {  // ³
    symbol = factor.substr(0, factor.size() - 2), power = 3;
  }
  const Quantity base = resolve_symbol(trim(symbol));
  return {std::pow(base.value, power), base.dimension.pow(power)};
}

}  // namespace

std::string dimension_name(Dimension d) {
  if (const auto* n = find_named(d)) return std::string(n->name);
  std::string out;
  const std::array<std::pair<std::string_view, int>, 6> parts{
      {{"m", d.length}, {"kg", d.mass}, {"s", d.time}, {"A", d.current}, {"K", d.temperature}, {"B", d.information}}};
  for (const auto& [symbol, exponent] : parts) {
    if (exponent == 0) continue;
    if (!out.empty()) out += "*";
    out += exponent == 1 ? std::string(symbol) : fmt::format("{}^{}", symbol, exponent);
  }
  return out;
}

std::string dimension_example(Dimension d) {
  if (const auto* n = find_named(d)) return std::string(n->example);
  return fmt::format("1 {}", dimension_name(d));
}

Quantity parse_unit(std::string_view unit) {
  unit = trim(unit);
  if (unit.empty()) return {1.0, dim::none};
  Quantity result{1.0, dim::none};
  bool denominator = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= unit.size(); ++i) {
    const bool at_end = i == unit.size();
    const bool is_times = !at_end && unit[i] == '*';
    const bool is_dot = !at_end && unit.substr(i).starts_with("\u00b7");  // ·
    const bool is_slash = !at_end && unit[i] == '/';
    if (!(at_end || is_times || is_dot || is_slash)) continue;
    const Quantity f = parse_factor(unit.substr(start, i - start));
    // Checked before combining, so that the sum of two in-bound exponents cannot wrap an int8.
    if (!exponents_in_bounds(f.dimension))
      throw UnitError(fmt::format("unit '{}' has a power beyond {} of a base unit", unit, kMaxExponent));
    result.value = denominator ? result.value / f.value : result.value * f.value;
    result.dimension = denominator ? result.dimension / f.dimension : result.dimension * f.dimension;
    if (!exponents_in_bounds(result.dimension))
      throw UnitError(fmt::format("unit '{}' has a power beyond {} of a base unit", unit, kMaxExponent));
    if (is_slash) denominator = true;
    start = i + (is_dot ? 2 : 1);
    if (is_dot) ++i;
  }
  return result;
}

Quantity parse_quantity(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) throw UnitError("empty value");
  double number = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  if (ec == std::errc::result_out_of_range)
    throw UnitError(fmt::format("'{}' is out of the representable range of a double", s));
  if (ec != std::errc{} || ptr == s.data()) throw UnitError(fmt::format("'{}' is not a number with a unit", s));
  if (!std::isfinite(number)) throw UnitError(fmt::format("'{}' is not a finite number", s));
  const std::string_view unit = trim(std::string_view(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr)));

  if (unit == "degC" || unit == "\u00b0C")  // absolute temperature in Celsius: affine, so not composable
    return {number + 273.15, dim::temperature};
  const Quantity u = parse_unit(unit);
  const double value = number * u.value;
  if (!std::isfinite(value)) throw UnitError(fmt::format("'{}' overflows when converted to SI units", s));
  return {value, u.dimension};
}

double parse_quantity(std::string_view text, Dimension expected) {
  const Quantity q = parse_quantity(text);
  if (q.dimension == expected) return q.value;
  const std::string_view shown = trim(text);
  if (expected == dim::none)
    throw UnitError(
        fmt::format("expected a plain number without unit, got '{}' (a {})", shown, dimension_name(q.dimension)));
  if (q.dimension == dim::none)
    throw UnitError(fmt::format("missing unit: expected a {} such as '{}', got the bare number '{}'",
                                dimension_name(expected), dimension_example(expected), shown));
  throw UnitError(fmt::format("expected a {} such as '{}', got '{}' (a {})", dimension_name(expected),
                              dimension_example(expected), shown, dimension_name(q.dimension)));
}

std::string format_quantity(double value, Dimension d, int significant_digits) {
  const auto number = [&](double v) { return fmt::format("{:.{}g}", v, significant_digits); };
  if (!std::isfinite(value)) return number(value);
  if (d == dim::bytes) {
    constexpr std::array<std::string_view, 6> names{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    std::size_t i = 0;
    double v = value;
    while (i + 1 < names.size() && std::fabs(v) >= 1024.0) v /= 1024.0, ++i;
    return fmt::format("{} {}", number(v), names[i]);
  }
  std::string_view symbol;
  int power = 1;
  if (d == dim::area)
    symbol = "m", power = 2;
  else if (d == dim::length)
    symbol = "m";
  else if (d == dim::time)
    symbol = "s";
  else if (d == dim::current)
    symbol = "A";
  else if (d == dim::voltage)
    symbol = "V";
  else if (d == dim::resistance)
    symbol = "Ohm";
  else if (d == dim::capacitance)
    symbol = "F";
  else if (d == dim::energy)
    symbol = "J";
  else if (d == dim::power)
    symbol = "W";
  else if (d == dim::frequency)
    symbol = "Hz";
  else if (d == dim::charge)
    symbol = "C";
  else if (d == dim::temperature)
    return fmt::format("{} K", number(value));
  else if (d == dim::none)
    return number(value);
  else if (const auto* n = find_named(d))
    return fmt::format("{} {}", number(value), n->si_unit);
  else
    return fmt::format("{} {}", number(value), dimension_name(d));

  constexpr std::array<std::pair<std::string_view, int>, 11> prefixes{{{"a", -18},
                                                                       {"f", -15},
                                                                       {"p", -12},
                                                                       {"n", -9},
                                                                       {"u", -6},
                                                                       {"m", -3},
                                                                       {"", 0},
                                                                       {"k", 3},
                                                                       {"M", 6},
                                                                       {"G", 9},
                                                                       {"T", 12}}};
  const double magnitude = std::fabs(value);
  std::size_t chosen = 6;  // no prefix
  if (magnitude > 0.0) {
    // Areas read best as "0.07 um^2" rather than "7e+04 nm^2": allow two leading decimal zeros.
    const double floor = power == 2 ? 0.01 : 1.0;
    // Long times read best in plain seconds ("2.2e+13 s"), not "22 Ts".
    const std::size_t last = d == dim::time ? 6 : prefixes.size() - 1;
    for (std::size_t i = 0; i <= last; ++i)
      if (magnitude >= floor * std::pow(10.0, prefixes[i].second * power)) chosen = i;
    if (magnitude < floor * std::pow(10.0, prefixes[0].second * power)) chosen = 0;
  }
  const double scaled = value / std::pow(10.0, prefixes[chosen].second * power);
  return fmt::format("{} {}{}{}", number(scaled), prefixes[chosen].first, symbol, power == 2 ? "^2" : "");
}

}  // namespace deepnvm
