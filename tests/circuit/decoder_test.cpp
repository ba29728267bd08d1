// SPDX-License-Identifier: MIT
// The logical-effort driver chain, the basic decoders, the predecode blocks and the row decoder:
// sizes derived by hand from the array-model note (§2.0, §2.2, §2.3) and, end to end, NVSim's printed
// decoder latencies and energies of reference case nvsim-B-06 (22 nm HP, 350 K, SRAM).
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "deepnvm/circuit/basic_decoder.h"
#include "deepnvm/circuit/output_driver.h"
#include "deepnvm/circuit/predecode_block.h"
#include "deepnvm/circuit/row_decoder.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::circuit {
namespace {

const Technology& tech22() {
  static const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  return tech;
}

const DeviceModel& hp22() {
  static const DeviceModel d = make_device_model(tech22(), "hp", 350.0);
  return d;
}

// Input capacitance of a minimum inverter (N = W_min, P = r_pn W_min).
double min_inverter_cap(const DeviceModel& d) {
  return gate_cap(d, d.min_width()) + gate_cap(d, d.pn_size_ratio * d.min_width());
}

// A load of `multiple` minimum-inverter input capacitances, driven by a minimum inverter (g = 1).
OutputDriverSpec fanout_spec(const DeviceModel& d, double multiple) {
  OutputDriverSpec s;
  s.logical_effort = 1.0;
  s.input_cap = min_inverter_cap(d);
  s.output_cap = multiple * s.input_cap;
  return s;
}

// ---------------------------------------------------------------------------------------------
// OutputDriver

TEST(OutputDriver, FanoutOfFourIsOneInverterOfTwiceMinimumWidth) {
  // Path effort 4: round(log4 4) - 1 = 0 stages, made odd -> 1; stage effort 4^(1/2) = 2, so the
  // inverter's input is half the load: W_n = 4 C_min / 2 / (C_g'(1 + r_pn)) = 2 W_min.
  const DeviceModel& d = hp22();
  const OutputDriver drv = size_output_driver(d, fanout_spec(d, 4.0));
  ASSERT_TRUE(drv.valid);
  ASSERT_EQ(drv.stages, 1);
  EXPECT_NEAR(drv.width_n[0] / d.min_width(), 2.0, 1e-9);
  EXPECT_NEAR(drv.width_p[0] / d.min_width(), 2.0 * d.pn_size_ratio, 1e-9);
  EXPECT_NEAR(drv.input_cap, 2.0 * min_inverter_cap(d), 1e-24);
}

TEST(OutputDriver, PathEffort256IsThreeStagesScaledByFour) {
  // log4 256 = 4 -> 3 stages (odd), f = 256^(1/4) = 4: widths 4, 16, 64 W_min (64 W_min = 96F < 100F).
  const DeviceModel& d = hp22();
  const OutputDriver drv = size_output_driver(d, fanout_spec(d, 256.0));
  ASSERT_TRUE(drv.valid);
  ASSERT_EQ(drv.stages, 3);
  EXPECT_NEAR(drv.width_n[2] / d.min_width(), 64.0, 1e-9);
  EXPECT_NEAR(drv.width_n[1] / d.min_width(), 16.0, 1e-9);
  EXPECT_NEAR(drv.width_n[0] / d.min_width(), 4.0, 1e-9);
}

TEST(OutputDriver, LatencyStyleAlwaysBuildsAnOddInvertingChain) {
  const DeviceModel& d = hp22();
  for (double multiple = 1.0; multiple < 1e7; multiple *= 1.7) {
    const OutputDriver drv = size_output_driver(d, fanout_spec(d, multiple));
    ASSERT_TRUE(drv.valid);
    EXPECT_EQ(drv.stages % 2, 1) << "load of " << multiple << " min inverters";
    EXPECT_LE(drv.stages, kMaxInverterChain);
  }
}

TEST(OutputDriver, LastStageIsClampedToMaxNmosSize) {
  const DeviceModel& d = hp22();
  const OutputDriver drv = size_output_driver(d, fanout_spec(d, 1e5));
  ASSERT_TRUE(drv.valid);
  EXPECT_NEAR(drv.width_n[drv.stages - 1], d.max_nmos_width, 1e-15);
  for (int i = 0; i < drv.stages; ++i) EXPECT_GE(drv.width_n[i], d.min_width() * (1 - 1e-12));
}

TEST(OutputDriver, LatencyGrowsWithLoad) {
  const DeviceModel& d = hp22();
  double previous = 0.0;
  for (double multiple = 1.0; multiple < 1e6; multiple *= 3.0) {
    const OutputDriver drv = size_output_driver(d, fanout_spec(d, multiple));
    const double latency = output_driver_delay(d, drv, kStepRamp).latency;
    EXPECT_GT(latency, previous) << "load of " << multiple << " min inverters";
    previous = latency;
  }
}

TEST(OutputDriver, SingleStageDelayEnergyAndLeakageByHand) {
  const DeviceModel& d = hp22();
  OutputDriverSpec s = fanout_spec(d, 4.0);
  s.output_resistance = 2000.0;
  const OutputDriver drv = size_output_driver(d, s);
  ASSERT_EQ(drv.stages, 1);
  const double w = 2.0 * d.min_width();
  const double r = d.effective_resistance_multiplier * d.vdd / (d.on_current_n * w);
  const double c_out =
      gate_caps(d, Gate::inv, 1, w, d.pn_size_ratio * w, kMaxTransistorHeightF * d.feature_size).output;
  const double tau = r * (c_out + s.output_cap) + s.output_cap * s.output_resistance / 2.0;
  const double beta = 1.0 / (r * transconductance(d, w, Channel::nmos));
  const double ramp = 1e9;
  const double expected = tau * std::sqrt(std::log(2.0) * std::log(2.0) + beta / (ramp * tau));
  const Delay delay = output_driver_delay(d, drv, ramp);
  EXPECT_NEAR(delay.latency, expected, expected * 1e-12);
  EXPECT_NEAR(delay.ramp_out, 0.5 / expected, 0.5 / expected * 1e-12);
  EXPECT_NEAR(drv.figures.read_energy, (c_out + s.output_cap) * d.vdd * d.vdd, 1e-30);
  EXPECT_EQ(drv.figures.write_energy, drv.figures.read_energy);
  const double leak = std::max(w * d.off_current_n, d.pn_size_ratio * w * d.off_current_p) * d.vdd;
  EXPECT_NEAR(drv.figures.leakage, leak, leak * 1e-12);
  EXPECT_EQ(drv.figures.read_latency, 0.0);  // latency is a function of the input slope
}

TEST(OutputDriver, LatencyStyleFallsBackToBalancedWhenTheLoadSizedStageIsTooWeak) {
  // Fanout 4 sizes the last stage at 2 W_min; a current needing 20 W_min forces the balanced
  // chain: last stage W_I, path effort g C_g(W_I)(1 + r_pn)/C_in = 20 -> round(log4 20) - 1 = 1,
  // made even -> 2 sized stages + the fixed one.
  const DeviceModel& d = hp22();
  OutputDriverSpec s = fanout_spec(d, 4.0);
  s.min_driver_current = 20.0 * d.min_width() * d.on_current_n;
  const OutputDriver drv = size_output_driver(d, s);
  ASSERT_TRUE(drv.valid);
  ASSERT_EQ(drv.stages, 3);
  EXPECT_NEAR(drv.width_n[2] / d.min_width(), 20.0, 1e-9);
  const double f = std::cbrt(20.0);
  EXPECT_NEAR(drv.width_n[1] / d.min_width(), 20.0 / f, 1e-9);
  EXPECT_NEAR(drv.width_n[0] / d.min_width(), 20.0 / f / f, 1e-9);
}

TEST(OutputDriver, AreaStyleIsOneInverterSizedForTheCurrent) {
  const DeviceModel& d = hp22();
  OutputDriverSpec s = fanout_spec(d, 1000.0);
  s.style = BufferStyle::area;
  s.min_driver_current = 10.0 * d.min_width() * d.on_current_n;
  const OutputDriver drv = size_output_driver(d, s);
  ASSERT_TRUE(drv.valid);
  ASSERT_EQ(drv.stages, 1);
  EXPECT_NEAR(drv.width_n[0] / d.min_width(), 10.0, 1e-9);
  s.min_driver_current = 0.0;
  EXPECT_NEAR(size_output_driver(d, s).width_n[0], d.min_width(), 1e-18);
}

TEST(OutputDriver, CurrentBeyondMaxNmosSizeIsInvalid) {
  const DeviceModel& d = hp22();
  for (BufferStyle style : {BufferStyle::latency, BufferStyle::balance, BufferStyle::area}) {
    OutputDriverSpec s = fanout_spec(d, 10.0);
    s.style = style;
    s.min_driver_current = 1.01 * d.max_nmos_width * d.on_current_n;
    const OutputDriver drv = size_output_driver(d, s);
    EXPECT_FALSE(drv.valid);
    EXPECT_FALSE(drv.invalid_reason.empty());
    EXPECT_EQ(drv.figures.read_energy, kInfinite);
    EXPECT_EQ(output_driver_delay(d, drv, kStepRamp).latency, kInfinite);
  }
}

// ---------------------------------------------------------------------------------------------
// Basic decoders

TEST(BasicDecoder, GateCountsAndNandSizing) {
  const DeviceModel& d = hp22();
  const BasicDecoder one = size_basic_decoder(d, {1, 1e-15, 0.0});
  const BasicDecoder two = size_basic_decoder(d, {2, 1e-15, 0.0});
  const BasicDecoder three = size_basic_decoder(d, {3, 1e-15, 0.0});
  EXPECT_EQ(one.nand_inputs, 0);
  EXPECT_EQ(two.nand_gates, 4);
  EXPECT_EQ(three.nand_gates, 8);
  EXPECT_NEAR(three.nand_width_n / d.min_width(), 3.0, 1e-12);
  EXPECT_NEAR(three.nand_width_p / d.min_width(), d.pn_size_ratio, 1e-12);
  // 1->2: two chains stacked, both leaking; the first stage's own caps are charged on top.
  EXPECT_NEAR(one.figures.height, 2.0 * one.driver.figures.height, 1e-18);
  EXPECT_NEAR(one.figures.leakage, 2.0 * one.driver.figures.leakage, 1e-18);
  const double vdd2 = d.vdd * d.vdd;
  EXPECT_NEAR(one.figures.read_energy,
              (one.driver.cap_in[0] + one.driver.cap_out[0]) * vdd2 + one.driver.figures.read_energy, 1e-30);
  // 3->8: eight rows of NAND3 + chain; one output switches.
  const Footprint nand = gate_area(d, Gate::nand, 3, three.nand_width_n, three.nand_width_p, 40 * d.feature_size);
  EXPECT_NEAR(three.figures.height, 8.0 * std::max(nand.height, three.driver.figures.height), 1e-18);
  EXPECT_NEAR(three.figures.read_energy,
              (three.nand_output_cap + three.driver.input_cap) * vdd2 + three.driver.figures.read_energy, 1e-30);
}

TEST(BasicDecoder, NandStageDelayAddsToTheChain) {
  const DeviceModel& d = hp22();
  const BasicDecoder dec = size_basic_decoder(d, {2, 20e-15, 0.0});
  const double r = 2.0 * on_resistance(d, dec.nand_width_n, Channel::nmos);
  const double gm = transconductance(d, dec.nand_width_n, Channel::nmos);
  const Delay nand = horowitz(r * (dec.nand_output_cap + dec.driver.input_cap), 1.0 / (r * gm), kStepRamp);
  const Delay chain = output_driver_delay(d, dec.driver, nand.ramp_out);
  EXPECT_NEAR(basic_decoder_delay(d, dec, kStepRamp).latency, nand.latency + chain.latency, 1e-18);
}

// ---------------------------------------------------------------------------------------------
// Predecode blocks

TEST(PredecodeBlock, SplitsBitsIntoTwoToFourAndThreeToEightDecoders) {
  const DeviceModel& d = hp22();
  struct Row {
    int bits, decoders, a1, a2, b, c;
    bool stage1, stage2;
  };
  // bits: decoders; A path copies (A1, A2), B and C copies; stages.
  const Row rows[] = {
      {1, 1, 1, 0, 0, 0, false, false}, {2, 1, 1, 0, 0, 0, false, false}, {3, 1, 1, 0, 0, 0, false, false},
      {4, 2, 2, 0, 0, 0, true, false},  {5, 2, 1, 1, 0, 0, true, false},  {6, 2, 2, 0, 0, 0, true, false},
      {7, 3, 2, 1, 0, 0, true, false},  {8, 3, 1, 2, 0, 0, true, false},  {9, 3, 3, 0, 0, 0, true, false},
      {10, 4, 2, 0, 2, 0, true, true},  {11, 4, 1, 1, 2, 0, true, true},  {12, 4, 2, 0, 2, 0, true, true},
      {13, 5, 2, 1, 2, 0, true, true},  {19, 7, 2, 1, 2, 2, true, true},
  };
  for (const Row& row : rows) {
    const PredecodeBlock b = size_predecode_block(d, {row.bits, 10e-15, 0.0});
    ASSERT_TRUE(b.valid) << row.bits;
    EXPECT_EQ(b.basic_decoders, row.decoders) << row.bits;
    EXPECT_EQ(b.count_a1, row.a1) << row.bits;
    EXPECT_EQ(b.count_a2, row.a2) << row.bits;
    EXPECT_EQ(b.count_b, row.b) << row.bits;
    EXPECT_EQ(b.count_c, row.c) << row.bits;
    EXPECT_EQ(b.has_stage1a, row.stage1) << row.bits;
    EXPECT_EQ(b.has_stage2, row.stage2) << row.bits;
  }
}

TEST(PredecodeBlock, FanoutOfEachBasicDecoderOutput) {
  const DeviceModel& d = hp22();
  // 5 bits: a 2->4 (A1) and a 3->8 (A2) feed 32 NAND2s; each 2->4 output fans out to 8 of them,
  // each 3->8 output to 4.
  const PredecodeBlock b5 = size_predecode_block(d, {5, 10e-15, 0.0});
  EXPECT_EQ(b5.stage1a.rows, 32);
  EXPECT_EQ(b5.stage1a.nand_inputs, 2);
  EXPECT_NEAR(b5.a1.driver.load_cap, 8.0 * b5.stage1a.nand_input_cap, 1e-27);
  EXPECT_NEAR(b5.a2.driver.load_cap, 4.0 * b5.stage1a.nand_input_cap, 1e-27);
  // 7 bits: two 2->4 (32 NAND3 inputs each) and one 3->8 (16).
  const PredecodeBlock b7 = size_predecode_block(d, {7, 10e-15, 0.0});
  EXPECT_EQ(b7.stage1a.nand_inputs, 3);
  EXPECT_NEAR(b7.a1.driver.load_cap, 32.0 * b7.stage1a.nand_input_cap, 1e-27);
  EXPECT_NEAR(b7.a2.driver.load_cap, 16.0 * b7.stage1a.nand_input_cap, 1e-27);
  // 12 bits: two stage-1 arrays of 64 NAND2 outputs, each output loading 64 stage-2 NAND2 inputs.
  const PredecodeBlock b12 = size_predecode_block(d, {12, 10e-15, 0.0});
  EXPECT_EQ(b12.stage1a.rows, 64);
  EXPECT_EQ(b12.stage1b.rows, 64);
  EXPECT_EQ(b12.stage2.rows, 4096);
  EXPECT_NEAR(b12.stage1a.driver.load_cap, 64.0 * b12.stage2.nand_input_cap, 1e-27);
}

TEST(PredecodeBlock, ZeroBitsCostNothingAndPassTheSlope) {
  const DeviceModel& d = hp22();
  const PredecodeBlock b = size_predecode_block(d, {0, 10e-15, 0.0});
  EXPECT_TRUE(b.valid);
  EXPECT_EQ(b.figures.area(), 0.0);
  EXPECT_EQ(b.figures.read_energy, 0.0);
  const Delay delay = predecode_block_delay(d, b, kInfinite);
  EXPECT_EQ(delay.latency, 0.0);
  EXPECT_EQ(delay.ramp_out, kInfinite);
}

TEST(PredecodeBlock, MoreThan27BitsIsInvalid) { EXPECT_FALSE(size_predecode_block(hp22(), {28, 10e-15, 0.0}).valid); }

TEST(PredecodeBlock, StageTwoPowerIsNeverCounted) {  // quirk Q19
  const DeviceModel& d = hp22();
  const PredecodeBlock b = size_predecode_block(d, {10, 10e-15, 0.0});
  ASSERT_TRUE(b.has_stage2);
  ASSERT_GT(b.stage2.figures.read_energy, 0.0);
  const double parts = b.a1.figures.read_energy + b.b.figures.read_energy + b.stage1a.figures.read_energy +
                       b.stage1b.figures.read_energy;
  EXPECT_NEAR(b.figures.read_energy, parts, parts * 1e-12);
}

TEST(PredecodeBlock, SecondPathReusesTheFirstDecodersDelay) {  // quirk Q19
  // 7 bits: A1 = two 2->4, A2 = one 3->8, into 128 NAND3. A2's output slope is the slower one, so
  // its path (charged with A1's decoder delay) sets the block latency.
  const DeviceModel& d = hp22();
  const PredecodeBlock b = size_predecode_block(d, {7, 30e-15, 0.0});
  const Delay a1 = basic_decoder_delay(d, b.a1, kInfinite);
  const Delay a2 = basic_decoder_delay(d, b.a2, kInfinite);
  const double path_a1 = a1.latency + row_decoder_delay(d, b.stage1a, a1.ramp_out).latency;
  const double path_a2 = a1.latency + row_decoder_delay(d, b.stage1a, a2.ramp_out).latency;
  const double latency = predecode_block_delay(d, b, kInfinite).latency;
  EXPECT_NEAR(latency, std::max(path_a1, path_a2), 1e-18);
  // Without the quirk (A2's own decoder delay) the block would be faster by about 2 ps.
  const double honest_a2 = a2.latency + row_decoder_delay(d, b.stage1a, a2.ramp_out).latency;
  EXPECT_GT(latency - std::max(path_a1, honest_a2), 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Row decoder

TEST(RowDecoder, GateChoiceFollowsRowsAndWaySelect) {
  const DeviceModel& d = hp22();
  auto inputs = [&](int rows, bool way) {
    return size_row_decoder(d, {rows, 20e-15, 1000.0, way, BufferStyle::latency, 0.0}).nand_inputs;
  };
  EXPECT_EQ(inputs(1, false), 0);  // quirk Q20: a mux degree of 1 still gets a driver
  EXPECT_EQ(inputs(8, false), 0);
  EXPECT_EQ(inputs(8, true), 2);
  EXPECT_EQ(inputs(16, false), 2);
  EXPECT_EQ(inputs(16, true), 3);
  const RowDecoder one = size_row_decoder(d, {1, 20e-15, 1000.0, false, BufferStyle::latency, 0.0});
  EXPECT_GT(one.driver.stages, 0);
  EXPECT_GT(one.figures.read_energy, 0.0);
  EXPECT_EQ(one.nand_input_cap, 0.0);
}

TEST(RowDecoder, AreaAndLeakageScaleWithRows) {
  const DeviceModel& d = hp22();
  const RowDecoder r64 = size_row_decoder(d, {64, 20e-15, 1000.0, false, BufferStyle::latency, 0.0});
  const RowDecoder r128 = size_row_decoder(d, {128, 20e-15, 1000.0, false, BufferStyle::latency, 0.0});
  EXPECT_NEAR(r128.figures.height, 2.0 * r64.figures.height, 1e-18);
  EXPECT_NEAR(r128.figures.leakage, 2.0 * r64.figures.leakage, 1e-18);
  EXPECT_EQ(r128.figures.width, r64.figures.width);
  EXPECT_EQ(r128.figures.read_energy, r64.figures.read_energy);  // one row switches
  const double nand_leak = gate_leakage(d, Gate::nand, 2, r64.nand_width_n, r64.nand_width_p) * d.vdd;
  EXPECT_NEAR(r64.figures.leakage, 64.0 * (nand_leak + r64.driver.figures.leakage), 1e-15);
}

TEST(RowDecoder, InvalidWhenTheWordlineCurrentNeedsTooWideADriver) {
  const DeviceModel& d = hp22();
  const double too_much = 2.0 * d.max_nmos_width * d.on_current_n;
  const RowDecoder r = size_row_decoder(d, {64, 20e-15, 1000.0, false, BufferStyle::latency, too_much});
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(row_decoder_delay(d, r, kStepRamp).latency, kInfinite);
}

// ---------------------------------------------------------------------------------------------
// NVSim reference case nvsim-B-06 (22 nm HP, 350 K, SRAM.cell: 10F x 14.6F, access 1.31F).
// Data array: mat 2 x 2, subarray 64 x 512 (printed 21.761 um x 117.745 um), m_SA = 32, one row per
// set. Tag array: mat 2 x 2, subarray 64 x 128 (22.548 um x 31.144 um), no muxing. The mat input
// slope is NVSim's 1e41 ("infinite"); the subarray is driven by the row predecoders' output slope.
// Tolerance 0.05 %: the subarray footprint (the predecoder wire load) is only printed to 1 nm.

struct SubarrayLoads {
  double predecode_load, wordline_cap, wordline_res, mux_load;
};

SubarrayLoads b06_loads(int columns, double height, double width) {
  const DeviceModel& d = hp22();
  const Wire& local = tech22().wire("local_aggressive");
  const double cw = wire_capacitance_per_length(local);
  const double rw = wire_resistance_per_length(local, 350.0);
  const double F = d.feature_size;
  const double wordline = columns * 10.0 * F;
  SubarrayLoads l;
  l.predecode_load = cw * (height * 2 / 2 + width * 2 / 2);  // predecoders at the centre of a 2 x 2 mat
  l.wordline_cap = wordline * cw + 2.0 * gate_cap(d, 1.31 * F) * columns;
  l.wordline_res = wordline * rw;
  l.mux_load = gate_cap(d, d.min_width()) * columns + wordline * cw;
  return l;
}

TEST(NvsimReference, B06DataArrayDecoders) {
  const DeviceModel& d = hp22();
  const SubarrayLoads l = b06_loads(512, 21.761e-6, 117.745e-6);
  // Row bits 6 -> two 3-bit row blocks; m_SA = 32 -> mux blocks of 3 and 2 bits with no wire load (quirk Q18).
  const PredecodeBlock row = size_predecode_block(d, {3, l.predecode_load, 0.0});
  const PredecodeBlock mux3 = size_predecode_block(d, {3, 0.0, 0.0});
  const PredecodeBlock mux2 = size_predecode_block(d, {2, 0.0, 0.0});
  const Delay row_delay = predecode_block_delay(d, row, kInfinite);
  const double predecode = std::max({row_delay.latency, predecode_block_delay(d, mux3, kInfinite).latency,
                                     predecode_block_delay(d, mux2, kInfinite).latency});
  EXPECT_NEAR(predecode * 1e12, 51.358, 51.358 * 5e-4);  // "Predecoder Latency = 51.358ps"
  const double predecode_energy = 2.0 * row.figures.read_energy + mux3.figures.read_energy + mux2.figures.read_energy;
  EXPECT_NEAR(predecode_energy * 1e12, 0.081, 0.0006);  // "Predecoder Dynamic Energy = 0.081pJ"

  const RowDecoder dec = size_row_decoder(d, {64, l.wordline_cap, l.wordline_res, false, BufferStyle::latency, 0.0});
  ASSERT_TRUE(dec.valid);
  EXPECT_NEAR(row_decoder_delay(d, dec, row_delay.ramp_out).latency * 1e12, 256.528, 256.528 * 5e-4);
  EXPECT_NEAR(dec.figures.read_energy * 1e12, 0.059, 0.0006);  // "Row Decoder Dynamic Energy = 0.059pJ"

  // Three mux decoders (degrees 32, 1, 1), all paid for (quirk Q20): "Mux Decoder Dynamic Energy = 0.139pJ".
  double mux_energy = 0.0;
  for (int degree : {32, 1, 1})
    mux_energy +=
        size_row_decoder(d, {degree, l.mux_load, l.wordline_res, false, BufferStyle::latency, 0.0}).figures.read_energy;
  EXPECT_NEAR(mux_energy * 1e12, 0.139, 0.0006);

  // Subarray width 117.745 um = wordline + the row decoder folded to the bitline height (64 x 14.6F).
  const double bitline = 64 * 14.6 * d.feature_size;
  EXPECT_NEAR((512 * 10 * d.feature_size + dec.figures.area() / bitline) * 1e6, 117.745, 0.002);
}

TEST(NvsimReference, B06TagArrayDecoders) {
  const DeviceModel& d = hp22();
  const SubarrayLoads l = b06_loads(128, 22.548e-6, 31.144e-6);
  const PredecodeBlock row = size_predecode_block(d, {3, l.predecode_load, 0.0});
  const Delay row_delay = predecode_block_delay(d, row, kInfinite);
  EXPECT_NEAR(row_delay.latency * 1e12, 42.543, 42.543 * 5e-4);  // "Predecoder Latency = 42.543ps"
  const RowDecoder dec = size_row_decoder(d, {64, l.wordline_cap, l.wordline_res, false, BufferStyle::latency, 0.0});
  EXPECT_NEAR(row_decoder_delay(d, dec, row_delay.ramp_out).latency * 1e12, 64.852, 64.852 * 5e-4);
  EXPECT_NEAR(dec.figures.read_energy * 1e12, 0.018, 0.0006);  // "Row Decoder Dynamic Energy = 0.018pJ"
}

}  // namespace
}  // namespace deepnvm::circuit
