// SPDX-License-Identifier: MIT
// The PE reference arithmetic (accel/pe.h) against plain integer arithmetic, and the generated RTL's
// shape. The RTL's bit-exactness is checked with Verilator in rtl_verilator_test.cpp.
#include "deepnvm/accel/pe.h"

#include <string>

#include <gtest/gtest.h>

#include "deepnvm/accel/rtl.h"
#include "deepnvm/core/error.h"

namespace deepnvm::accel {
namespace {

TEST(Pe, IntMacIsTheWrappedIntegerSum) {
  const PeSpec pe = named_pe("int8");  // 8 x 8 into 24 bits
  EXPECT_EQ(mac(pe, 5, 3, 4), 17);
  EXPECT_EQ(mac(pe, 0, -128, 0x80), 16384);  // -128 x -128
  EXPECT_EQ(mac(pe, 0, 127, 0xFF), -127);    // the code 0xFF is -1
  // Wrap: (2^23 - 1) + 1 = -2^23.
  EXPECT_EQ(mac(pe, (1 << 23) - 1, 1, 1), -(1 << 23));
}

TEST(Pe, SaturationClampsToTheAccumulatorRange) {
  PeSpec pe = named_pe("int4");
  pe.acc_bits = 8;
  pe.overflow = Overflow::saturate;
  EXPECT_EQ(mac(pe, 120, 7, 7), 127);      // 120 + 49
  EXPECT_EQ(mac(pe, -120, 7, 0x9), -128);  // 0x9 is -7
  EXPECT_EQ(mac(pe, 10, -8, 0x8), 74);     // -8 x -8 = 64 fits
  pe.overflow = Overflow::wrap;
  EXPECT_EQ(mac(pe, 120, 7, 7), 169 - 256);
}

TEST(Pe, LightPesShiftInsteadOfMultiplying) {
  const PeSpec one = named_pe("light1");  // 3 exponent bits: code {sign, e}
  for (int e = 0; e < 8; ++e) {
    EXPECT_EQ(decode_weight(one, static_cast<std::uint64_t>(e)), 1 << e);
    EXPECT_EQ(decode_weight(one, static_cast<std::uint64_t>(8 | e)), -(1 << e));
    EXPECT_EQ(mac(one, 1000, -37, static_cast<std::uint64_t>(8 | e)), 1000 + 37 * (1 << e));
  }
  const PeSpec two = named_pe("light2");  // term 2 in code bits 7..4
  EXPECT_EQ(decode_weight(two, (5u << 4) | 2u), 32 + 4);
  EXPECT_EQ(decode_weight(two, ((8u | 5u) << 4) | 2u), -32 + 4);
  EXPECT_EQ(decode_weight(two, ((8u | 3u) << 4) | 3u), 0);  // zero: opposite signs, same exponent
  EXPECT_EQ(mac(two, -7, 100, (1u << 4) | 0u), -7 + 100 * 3);
}

TEST(Pe, BadSpecsAreConfigErrors) {
  EXPECT_THROW(named_pe("int12"), ConfigError);
  PeSpec pe = named_pe("int16");
  pe.acc_bits = 20;  // a 32-bit product does not fit
  EXPECT_THROW(validate(pe), ConfigError);
  pe = named_pe("light1");
  pe.weight_bits = 6;
  EXPECT_THROW(validate(pe), ConfigError);
  EXPECT_THROW(pe_verilog(pe), ConfigError);
}

TEST(Rtl, ModuleHasThePortsOfTheSpec) {
  const PeSpec pe = named_pe("light2");
  const std::string v = pe_verilog(pe);
  EXPECT_NE(v.find("module pe_light2_a8_w3_acc25_wrap ("), std::string::npos) << v;
  EXPECT_NE(v.find("input  signed [7:0] act"), std::string::npos) << v;
  EXPECT_NE(v.find("input         [7:0] wcode"), std::string::npos) << v;
  EXPECT_NE(v.find("output signed [24:0] acc_out"), std::string::npos) << v;
  EXPECT_NE(v.find("endmodule"), std::string::npos) << v;
  EXPECT_EQ(v.find('*'), std::string::npos) << "a LightPE must not multiply:\n" << v;
}

}  // namespace
}  // namespace deepnvm::accel
