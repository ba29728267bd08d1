// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "deepnvm/core/error.h"

namespace deepnvm {

/// @brief Physical dimension as exponents of the base units m, kg, s, A, K and byte.
///
/// Bytes are a base dimension of their own so that a capacity can never be mistaken for a count.
struct Dimension {
  std::int8_t length = 0, mass = 0, time = 0, current = 0, temperature = 0, information = 0;

  constexpr bool operator==(const Dimension&) const = default;
  constexpr Dimension operator*(Dimension o) const {
    return {static_cast<std::int8_t>(length + o.length),
            static_cast<std::int8_t>(mass + o.mass),
            static_cast<std::int8_t>(time + o.time),
            static_cast<std::int8_t>(current + o.current),
            static_cast<std::int8_t>(temperature + o.temperature),
            static_cast<std::int8_t>(information + o.information)};
  }
  constexpr Dimension pow(int n) const {
    return {static_cast<std::int8_t>(length * n),      static_cast<std::int8_t>(mass * n),
            static_cast<std::int8_t>(time * n),        static_cast<std::int8_t>(current * n),
            static_cast<std::int8_t>(temperature * n), static_cast<std::int8_t>(information * n)};
  }
  constexpr Dimension operator/(Dimension o) const { return *this * o.pow(-1); }
};

namespace dim {
inline constexpr Dimension none{};
inline constexpr Dimension length{1, 0, 0, 0, 0, 0};
inline constexpr Dimension mass{0, 1, 0, 0, 0, 0};
inline constexpr Dimension time{0, 0, 1, 0, 0, 0};
inline constexpr Dimension current{0, 0, 0, 1, 0, 0};
inline constexpr Dimension temperature{0, 0, 0, 0, 1, 0};
inline constexpr Dimension bytes{0, 0, 0, 0, 0, 1};
inline constexpr Dimension area = length.pow(2);
inline constexpr Dimension volume = length.pow(3);
inline constexpr Dimension frequency = time.pow(-1);
inline constexpr Dimension energy = mass * area / time.pow(2);
inline constexpr Dimension power = energy / time;
inline constexpr Dimension charge = current * time;
inline constexpr Dimension voltage = power / current;
inline constexpr Dimension resistance = voltage / current;
inline constexpr Dimension conductance = resistance.pow(-1);
inline constexpr Dimension capacitance = charge / voltage;
inline constexpr Dimension inductance = resistance * time;
inline constexpr Dimension magnetic_flux_density = voltage * time / area;  // tesla
inline constexpr Dimension current_density = current / area;
inline constexpr Dimension current_per_length = current / length;  // Ion, Ioff per device width
inline constexpr Dimension resistance_area = resistance * area;    // MTJ RA product
inline constexpr Dimension resistance_per_length = resistance / length;
inline constexpr Dimension capacitance_per_length = capacitance / length;
inline constexpr Dimension capacitance_per_area = capacitance / area;  // gate oxide, junction bottom
inline constexpr Dimension mobility = area / (voltage * time);
inline constexpr Dimension resistivity = resistance * length;
inline constexpr Dimension bandwidth = bytes / time;
inline constexpr Dimension energy_per_byte = energy / bytes;
}  // namespace dim

/// Human name of a dimension ("length", "energy"), or its base-unit form ("m^2·kg·s^-3") if unnamed.
std::string dimension_name(Dimension d);
/// An example of a well-formed quantity of this dimension, for error messages ("22 nm").
std::string dimension_example(Dimension d);

/// @brief A value in SI base units (bytes for information) with its dimension.
struct Quantity {
  double value = 0.0;
  Dimension dimension;
};

/// @brief A malformed quantity or unit; the config loader adds file, line and key to it.
class UnitError : public Error {
 public:
  using Error::Error;
};

/// @brief Parses "8 MiB", "2816 KiB", "22 nm", "0.5 ns", "40 uA", "5 Ohm*um^2", "1e6 A/cm^2".
///
/// Rules: KiB/MiB/GiB are binary and kB/MB/GB decimal; "KB" is ambiguous and rejected naming both
/// readings; unit symbols are case-sensitive; a product is written with '*' or '·' and powers with
/// '^' or superscripts. A bare number has dimension none. Non-finite values are rejected.
Quantity parse_quantity(std::string_view text);

/// Parses and checks the dimension; a bare number for a dimensional value is an error that shows
/// an example with a unit.
double parse_quantity(std::string_view text, Dimension expected);

/// Parses a unit expression alone ("MiB", "Ohm*um^2") into its SI scale and dimension.
Quantity parse_unit(std::string_view unit);

/// Formats an SI value with a readable prefix: 8388608 bytes -> "8 MiB", 2.2e-8 m -> "22 nm".
std::string format_quantity(double value, Dimension d, int significant_digits = 4);

}  // namespace deepnvm
