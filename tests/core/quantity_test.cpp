// SPDX-License-Identifier: MIT
#include "deepnvm/core/quantity.h"

#include <cmath>

#include <gtest/gtest.h>

#include "deepnvm/core/units.h"

namespace deepnvm {
namespace {

using namespace deepnvm::literals;

std::string error_of(std::string_view text, Dimension d) {
  try {
    parse_quantity(text, d);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Literals, BinaryAndDecimalPrefixesDiffer) {
  EXPECT_EQ(8_MiB, 8.0 * 1024 * 1024);
  EXPECT_EQ(2816_KiB, 22 * 128_KiB);
  EXPECT_EQ(8_MB, 8e6);
  EXPECT_DOUBLE_EQ(22_nm, 22e-9);
  EXPECT_DOUBLE_EQ(5_ns, 5e-9);
  EXPECT_DOUBLE_EQ(40_uA, 40e-6);
  EXPECT_DOUBLE_EQ(0.5_ns, 0.5e-9);
}

TEST(ParseQuantity, ReadsSizesTheWayTheRulesSay) {
  EXPECT_EQ(parse_quantity("8 MiB", dim::bytes), 8_MiB);
  EXPECT_EQ(parse_quantity("2816 KiB", dim::bytes), 2816_KiB);
  EXPECT_EQ(parse_quantity("8 MB", dim::bytes), 8e6);
  EXPECT_EQ(parse_quantity("1 kB", dim::bytes), 1000.0);
  EXPECT_EQ(parse_quantity("64 B", dim::bytes), 64.0);
  EXPECT_EQ(parse_quantity("512 bit", dim::bytes), 64.0);
  EXPECT_EQ(parse_quantity("1 Kibit", dim::bytes), 128.0);
}

TEST(ParseQuantity, ReadsPhysicalUnitsWithAndWithoutSpace) {
  EXPECT_DOUBLE_EQ(parse_quantity("22 nm", dim::length), 22e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("22nm", dim::length), 22e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("0.5 ns", dim::time), 0.5e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("1.5e3 ps", dim::time), 1.5e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("40 uA", dim::current), 40e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("40 \u00b5A", dim::current), 40e-6);  // micro sign
  EXPECT_DOUBLE_EQ(parse_quantity("40 \u03bcA", dim::current), 40e-6);  // greek mu
  EXPECT_DOUBLE_EQ(parse_quantity("0.8 V", dim::voltage), 0.8);
  EXPECT_DOUBLE_EQ(parse_quantity("5 kOhm", dim::resistance), 5e3);
  EXPECT_DOUBLE_EQ(parse_quantity("5 k\u03a9", dim::resistance), 5e3);
  EXPECT_DOUBLE_EQ(parse_quantity("1.2 fF", dim::capacitance), 1.2e-15);
  EXPECT_DOUBLE_EQ(parse_quantity("1.5 GHz", dim::frequency), 1.5e9);
  EXPECT_DOUBLE_EQ(parse_quantity("300 K", dim::temperature), 300.0);
  EXPECT_DOUBLE_EQ(parse_quantity("85 degC", dim::temperature), 358.15);
  EXPECT_DOUBLE_EQ(parse_quantity("1 eV", dim::energy), 1.602176634e-19);
}

TEST(ParseQuantity, ComposesUnitExpressions) {
  EXPECT_DOUBLE_EQ(parse_quantity("5 Ohm*um^2", dim::resistance_area), 5e-12);
  EXPECT_DOUBLE_EQ(parse_quantity("5 Ohm\u00b7\u00b5m\u00b2", dim::resistance_area), 5e-12);
  EXPECT_DOUBLE_EQ(parse_quantity("1e6 A/cm^2", dim::current_density), 1e10);
  EXPECT_DOUBLE_EQ(parse_quantity("1000 uA/um", dim::current_per_length), 1000.0);
  EXPECT_DOUBLE_EQ(parse_quantity("0.2 fF/um", dim::capacitance_per_length), 0.2e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("484 GB/s", dim::bandwidth), 484e9);
  // Everything after '/' is in the denominator: cm^2/V/s is a mobility.
  EXPECT_DOUBLE_EQ(parse_quantity("400 cm^2/V/s", dim::area / (dim::voltage * dim::time)), 0.04);
  EXPECT_DOUBLE_EQ(parse_quantity("2 m^-1", dim::length.pow(-1)), 2.0);
}

TEST(ParseQuantity, AmbiguousKBNamesBothReadings) {
  const std::string e = error_of("8 KB", dim::bytes);
  EXPECT_NE(e.find("ambiguous"), std::string::npos) << e;
  EXPECT_NE(e.find("KiB"), std::string::npos) << e;
  EXPECT_NE(e.find("kB"), std::string::npos) << e;
  EXPECT_NE(e.find("1024"), std::string::npos) << e;
  EXPECT_NE(e.find("1000"), std::string::npos) << e;
  EXPECT_NE(error_of("8 Kbit", dim::bytes).find("ambiguous"), std::string::npos);
}

TEST(ParseQuantity, UnitTypoSuggestsTheIntendedUnit) {
  EXPECT_NE(error_of("22 nmm", dim::length).find("did you mean 'nm'"), std::string::npos);
  EXPECT_NE(error_of("8 MIB", dim::bytes).find("did you mean 'MiB'"), std::string::npos);
  EXPECT_NE(error_of("5 NS", dim::time).find("did you mean 'ns'"), std::string::npos);
}

TEST(ParseQuantity, MissingUnitIsAnErrorForDimensionalValues) {
  const std::string e = error_of("22", dim::length);
  EXPECT_NE(e.find("missing unit"), std::string::npos) << e;
  EXPECT_NE(e.find("22 nm"), std::string::npos) << e;  // shows an example
}

TEST(ParseQuantity, UnitOnDimensionlessValueIsAnError) {
  EXPECT_NE(error_of("3 ns", dim::none).find("plain number"), std::string::npos);
  EXPECT_DOUBLE_EQ(parse_quantity("0.25", dim::none), 0.25);
}

TEST(ParseQuantity, WrongDimensionNamesBoth) {
  const std::string e = error_of("5 ns", dim::bytes);
  EXPECT_NE(e.find("expected a size"), std::string::npos) << e;
  EXPECT_NE(e.find("a time"), std::string::npos) << e;
}

TEST(ParseQuantity, RejectsNonFiniteAndOverflowingValues) {
  EXPECT_NE(error_of("nan MiB", dim::bytes).find("finite"), std::string::npos);
  EXPECT_NE(error_of("inf MiB", dim::bytes).find("finite"), std::string::npos);
  EXPECT_NE(error_of("-inf", dim::none).find("finite"), std::string::npos);
  EXPECT_NE(error_of("1e400 B", dim::bytes).find("range"), std::string::npos);
  EXPECT_NE(error_of("1e300 PiB", dim::bytes).find("overflows"), std::string::npos);
}

TEST(ParseQuantity, RejectsGarbage) {
  for (const char* bad : {"", "   ", "MiB", "8 Mi B", "8 MiB extra", "0x10 B", "1..2 nm", "5 ns^x", "5 ns^0", "5 */ns",
                          "8 mB", "8 uB", "12abc"}) {
    EXPECT_THROW(parse_quantity(bad), UnitError) << bad;
  }
}

TEST(FormatQuantity, PicksReadablePrefixesAndRoundTrips) {
  EXPECT_EQ(format_quantity(8_MiB, dim::bytes), "8 MiB");
  EXPECT_EQ(format_quantity(2816_KiB, dim::bytes), "2.75 MiB");
  EXPECT_EQ(format_quantity(22_nm, dim::length), "22 nm");
  EXPECT_EQ(format_quantity(0.5_ns, dim::time), "500 ps");
  EXPECT_EQ(format_quantity(0.07_um2, dim::area), "0.07 um^2");
  EXPECT_EQ(format_quantity(3.2e-3, dim::power), "3.2 mW");
  EXPECT_EQ(format_quantity(2.2e13, dim::time), "2.2e+13 s");
  EXPECT_EQ(format_quantity(5e3, dim::resistance), "5 kOhm");
  for (double v : {1e-17, 3.3e-12, 7.25e-9, 0.5, 12.0, 4.4e4, 8.1e9}) {
    for (Dimension d : {dim::length, dim::time, dim::energy, dim::area, dim::resistance, dim::bytes}) {
      const double back = parse_quantity(format_quantity(v, d, 17), d);
      EXPECT_NEAR(back, v, 1e-12 * v) << format_quantity(v, d, 17);
    }
  }
}

TEST(Dimension, AlgebraIsConsistent) {
  EXPECT_EQ(dim::power * dim::time, dim::energy);
  EXPECT_EQ(dim::voltage / dim::current, dim::resistance);
  EXPECT_EQ(dim::resistance * dim::capacitance, dim::time);
  EXPECT_EQ(dimension_name(dim::capacitance_per_length), "capacitance per length");
}

}  // namespace
}  // namespace deepnvm
