// SPDX-License-Identifier: MIT
// Wires, sense amps, column muxes, the precharger and the tag comparator against the worked numbers of
// the array-model note (§1.4, §5: 22 nm HP at 350 K, NVSim reference case B-06, an 8 MB SRAM cache
// whose data array has 64 x 512 subarrays with m_SA = 32) and against closed forms of the note's
// equations (§2.1, §2.5-§2.7, §2.11).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include <gtest/gtest.h>

#include "deepnvm/circuit/comparator.h"
#include "deepnvm/circuit/mux.h"
#include "deepnvm/circuit/precharger.h"
#include "deepnvm/circuit/sense_amp.h"
#include "deepnvm/circuit/wire.h"
#include "deepnvm/tech/formulas.h"

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

WireModel wire22(std::string_view type, RepeaterKind repeater = RepeaterKind::none, bool low_swing = false) {
  WireSpec spec;
  spec.repeater = repeater;
  spec.low_swing = low_swing;
  return make_wire_model(hp22(), tech22().wire(type), spec);
}

// B-06 data array: mat 43.521 um x 240.196 um; 3 horizontal and 6 vertical H-tree levels (§1.4).
constexpr double kMatHeight = 43.521e-6, kMatWidth = 240.196e-6;
struct Segment {
  double length;
  double active;  // wires switching per bit
  double bits;    // A + D + B
};
constexpr Segment kB06Tree[] = {
    {4 * kMatWidth, 1, 17 + 512},  {16 * kMatHeight, 1, 16 + 512}, {8 * kMatHeight, 1, 15 + 512},
    {4 * kMatHeight, 1, 14 + 512}, {2 * kMatHeight, 1, 13 + 512},  {2 * kMatWidth, 2, 13 + 256},
    {kMatHeight, 2, 12 + 256},     {kMatWidth, 4, 12 + 128},       {kMatHeight / 2, 4, 11 + 128},
};

// ---------------------------------------------------------------------------------------------- wire

TEST(Wire, GlobalAggressivePerLengthRcAt22nm350K) {
  const WireModel w = wire22("global_aggressive");
  EXPECT_NEAR(w.res_per_length * 1e-6, 2.024, 0.002);   // Ohm/um
  EXPECT_NEAR(w.cap_per_length * 1e9, 0.2945, 0.0005);  // fF/um
  EXPECT_DOUBLE_EQ(w.pitch, tech22().wire("global_aggressive").pitch);
  EXPECT_EQ(w.repeated_pitch, 0.0);
}

TEST(Wire, UnrepeatedHtreeOneWayDelayMatchesNvsimB06) {
  const WireModel w = wire22("global_aggressive");
  double delay = 0.0;
  for (const Segment& s : kB06Tree) delay += wire_figures(w, s.length).delay;
  EXPECT_NEAR(delay * 1e9, 1.2731, 0.0010);  // note §5; NVSim prints 1.273 ns (write H-tree)
}

TEST(Wire, UnrepeatedHtreeReadEnergyMatchesNvsimB06) {
  const WireModel w = wire22("global_aggressive");
  double energy = 0.0, leakage = 0.0;
  for (const Segment& s : kB06Tree) {
    const WireFigures f = wire_figures(w, s.length);
    energy += f.energy * s.active * s.bits;
    leakage += f.leakage;
  }
  EXPECT_NEAR(energy * 1e12, 387.599, 0.2);  // NVSim: H-tree read energy 387.599 pJ
  EXPECT_EQ(leakage, 0.0);
}

TEST(Wire, UnrepeatedDelayIs2p3HalfRcL2AndEnergyCV2) {
  const WireModel w = wire22("semi_aggressive");
  const double L = 500e-6, vdd = hp22().vdd;
  const WireFigures f = wire_figures(w, L);
  EXPECT_DOUBLE_EQ(f.delay, 2.3 * w.res_per_length * w.cap_per_length * L * L / 2.0);
  EXPECT_DOUBLE_EQ(f.energy, w.cap_per_length * L * vdd * vdd);
  EXPECT_NEAR(wire_figures(w, 2 * L).delay / f.delay, 4.0, 1e-12);  // per segment, quadratic
}

TEST(Wire, OptimalRepeaterFollowsTheClosedFormWithSummedDriveResistance) {
  const DeviceModel& d = hp22();
  const WireModel w = wire22("global_aggressive", RepeaterKind::optimal);
  ASSERT_TRUE(w.valid);
  const double wn = d.min_width(), wp = wn * d.pn_size_ratio;
  const double c0 = gate_cap(d, wn) + gate_cap(d, wp);
  const double cd0 = drain_cap(d, wn, Channel::nmos, 1.0) + drain_cap(d, wp, Channel::pmos, 1.0);
  const double r0 = on_resistance(d, wn, Channel::nmos) + on_resistance(d, wp, Channel::pmos);  // quirk Q15
  const double r = w.res_per_length, c = w.cap_per_length;
  EXPECT_NEAR(w.repeater_size, std::sqrt(r0 * c / (c0 * r)), 1e-9 * w.repeater_size);
  EXPECT_NEAR(w.repeater_spacing, std::sqrt(2 * r0 * (cd0 + c0) / (r * c)), 1e-9 * w.repeater_spacing);

  // Per-length delay from the note's tau, with the wire resistance charging the driver's own drain.
  // NVSim evaluates the scaled repeater's devices directly (drain caps are not linear in the width).
  const double s = w.repeater_size, l = w.repeater_spacing;
  const double R = on_resistance(d, s * wn, Channel::nmos) + on_resistance(d, s * wp, Channel::pmos);
  const double cin = gate_cap(d, s * wn) + gate_cap(d, s * wp);
  const double cout = drain_cap(d, s * wn, Channel::nmos, 1.0) + drain_cap(d, s * wp, Channel::pmos, 1.0);
  const double tau = R * (cin + cout) + R * c * l + r * l * cout + 0.5 * r * c * l * l;
  EXPECT_NEAR(w.delay_per_length, 0.693 * tau / l, 1e-9 * w.delay_per_length);
  EXPECT_NEAR(w.energy_per_length, (cin + cout + c * l) * d.vdd * d.vdd / l, 1e-9 * w.energy_per_length);

  // A long global wire is much faster repeated; repeated figures are linear in the length.
  const double L = 5e-3;
  const WireFigures rep = wire_figures(w, L), bare = wire_figures(wire22("global_aggressive"), L);
  EXPECT_LT(rep.delay, 0.5 * bare.delay);
  EXPECT_GT(rep.leakage, 0.0);
  EXPECT_NEAR(wire_figures(w, 2 * L).delay, 2 * rep.delay, 1e-12 * rep.delay);
  EXPECT_GT(w.repeater_width, 0.0);
  EXPECT_GE(w.repeater_width, w.repeater_height);
  EXPECT_DOUBLE_EQ(w.repeated_pitch, w.pitch + w.repeater_width);
}

TEST(Wire, PenalisedRepeaterTradesDelayForEnergyAtTheOptimalSpacing) {
  const WireModel opt = wire22("global_aggressive", RepeaterKind::optimal);
  for (RepeaterKind kind : {RepeaterKind::penalty_10, RepeaterKind::penalty_30, RepeaterKind::penalty_50}) {
    const WireModel pen = wire22("global_aggressive", kind);
    ASSERT_TRUE(pen.valid);
    EXPECT_LE(pen.delay_per_length, opt.delay_per_length * (1.0 + repeater_penalty(kind)) * (1 + 1e-12));
    EXPECT_GT(pen.delay_per_length, opt.delay_per_length);
    EXPECT_LT(pen.energy_per_length, opt.energy_per_length);
    EXPECT_LT(pen.repeater_size, opt.repeater_size);
    // Quirk Q16: the size walk is exhausted at the first spacing, so the spacing never moves.
    EXPECT_DOUBLE_EQ(pen.repeater_spacing, opt.repeater_spacing);
  }
  EXPECT_LT(wire22("global_aggressive", RepeaterKind::penalty_50).repeater_size,
            wire22("global_aggressive", RepeaterKind::penalty_10).repeater_size);
}

TEST(Wire, LowSwingSavesEnergyOnLongWiresAndRejectsRepeaters) {
  const WireModel ls = wire22("global_aggressive", RepeaterKind::none, true);
  ASSERT_TRUE(ls.valid);
  const double L = 2e-3;
  const WireFigures f = wire_figures(ls, L), full = wire_figures(wire22("global_aggressive"), L);
  EXPECT_GT(f.delay, 0.0);
  EXPECT_LT(f.energy, 0.2 * full.energy);
  // The differential swing alone costs 2 c L 0.1 V 0.4 V.
  EXPECT_GT(f.energy, 2.0 * ls.cap_per_length * L * 0.1 * 0.4);
  EXPECT_GT(f.leakage, 0.0);
  EXPECT_TRUE(std::isfinite(f.delay));

  const WireModel bad = wire22("global_aggressive", RepeaterKind::optimal, true);
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(wire_figures(bad, L).delay, kInfinite);
}

// Reference cases with other global wires. Tree levels (bits A + D + B, active and total wire counts)
// follow the bookkeeping of note §1.4; with repeaters each level is lengthened by half the width of the
// bundles it crosses, ceil(bits / n_share) x repeated pitch / 2 with n_share = floor(spacing / repeater
// height) [NVSim BankWithHtree.cpp CalculateArea]. The mats are NVSim's printed sizes.
struct Level {
  double length, bits, active, total;
};
struct TreeTotals {
  double one_way = 0.0, read_energy = 0.0, leakage = 0.0;
};
template <std::size_t N>
TreeTotals tree_totals(const WireModel& w, const Level (&levels)[N]) {
  TreeTotals t;
  for (const Level& l : levels) {
    const WireFigures f = wire_figures(w, l.length);
    t.one_way += f.delay;
    t.read_energy += f.energy * l.active * l.bits;
    t.leakage += f.leakage * l.total * l.bits;
  }
  return t;
}
double bundle(const WireModel& w, double bits) {
  const double share = std::floor(w.repeater_spacing / w.repeater_height);
  return std::ceil(bits / share) * w.repeated_pitch / 2.0;
}

TEST(Wire, OptimallyRepeatedHtreeMatchesNvsimA098) {
  // 22 nm HP 350 K, 16 MB RAM, 512-bit word, bank 16 x 16 (1 x 16 active), mat 167.334 x 243.479 um.
  const WireModel w = wire22("global_aggressive", RepeaterKind::optimal);
  const double H = 167.334e-6, W = 243.479e-6;
  const double bh[] = {530, 273, 144, 79}, bv[] = {529, 272, 143, 78};
  double lh[4], lv[4];
  lv[3] = H / 2;
  lh[3] = W + bundle(w, bv[3]);
  for (int i = 2; i >= 0; --i) {
    lv[i] = 2 * lv[i + 1] + bundle(w, bh[i + 1]);
    lh[i] = 2 * lh[i + 1] + bundle(w, bv[i]);
  }
  const Level levels[] = {{lh[0], bh[0], 1, 1},  {lv[0], bv[0], 1, 2},  {lh[1], bh[1], 2, 4},  {lv[1], bv[1], 2, 8},
                          {lh[2], bh[2], 4, 16}, {lv[2], bv[2], 4, 32}, {lh[3], bh[3], 8, 64}, {lv[3], bv[3], 8, 128}};
  const TreeTotals t = tree_totals(w, levels);
  EXPECT_NEAR(t.one_way * 1e12, 518.317, 0.05);     // NVSim: write H-tree latency 518.317 ps
  EXPECT_NEAR(t.read_energy * 1e9, 1.184, 0.0006);  // NVSim: H-tree read energy 1.184 nJ
  EXPECT_NEAR(t.leakage * 1e3, 853.561, 0.05);      // NVSim: H-tree leakage 853.561 mW
}

TEST(Wire, TenPercentPenaltyRepeatedHtreeMatchesNvsimA099) {
  // 45 nm HP 350 K, 16 MB RAM, 256-bit word, bank 64 x 16 (8 x 16 active), mat 37.744 x 505.796 um.
  // The match needs the penalised search to stay at the optimal spacing (quirk Q16).
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 45e-9);
  const DeviceModel d = make_device_model(tech, "hp", 350.0);
  WireSpec spec;
  spec.repeater = RepeaterKind::penalty_10;
  const WireModel w = make_wire_model(d, tech.wire("global_aggressive"), spec);
  const double H = 37.744e-6, W = 505.796e-6;
  const double bh[] = {275, 35, 26, 21}, bv[] = {147, 83, 51, 34, 25, 20};
  double lh[4], lv[6];
  lv[5] = H / 2;
  lv[4] = H;
  lv[3] = 2 * H;
  lh[3] = W + bundle(w, bv[3]) + bundle(w, bv[4]) + bundle(w, bv[5]);
  for (int i = 2; i >= 0; --i) {
    lv[i] = 2 * lv[i + 1] + bundle(w, bh[i + 1]);
    lh[i] = 2 * lh[i + 1] + bundle(w, bv[i]);
  }
  const Level levels[] = {{lh[0], bh[0], 1, 1},   {lv[0], bv[0], 2, 2},    {lv[1], bv[1], 4, 4},
                          {lv[2], bv[2], 8, 8},   {lh[1], bh[1], 16, 16},  {lv[3], bv[3], 16, 32},
                          {lh[2], bh[2], 32, 64}, {lv[4], bv[4], 32, 128}, {lh[3], bh[3], 64, 256},
                          {lv[5], bv[5], 64, 512}};
  const TreeTotals t = tree_totals(w, levels);
  EXPECT_NEAR(t.one_way * 1e12, 517.737, 0.05);     // NVSim: write H-tree latency 517.737 ps
  EXPECT_NEAR(t.read_energy * 1e9, 2.188, 0.0006);  // NVSim: H-tree read energy 2.188 nJ
  EXPECT_NEAR(t.leakage * 1e3, 323.322, 0.05);      // NVSim: H-tree leakage 323.322 mW
}

TEST(Wire, LowSwingHtreeMatchesNvsimA100) {
  // 65 nm HP 350 K, 4 MB PCRAM RAM, 64-bit word, bank 8 x 4 (1 x 1 active), mat 218.779 x 307.918 um.
  // Unrepeated, so no bundles; the receiver adds only its input cap (NVSim never evaluates it).
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 65e-9);
  const DeviceModel d = make_device_model(tech, "hp", 350.0);
  WireSpec spec;
  spec.low_swing = true;
  const WireModel w = make_wire_model(d, tech.wire("global_aggressive"), spec);
  const double H = 218.779e-6, W = 307.918e-6;
  const Level levels[] = {
      {2 * W, 19 + 64, 1, 1}, {2 * H, 18 + 64, 1, 2}, {H, 17 + 64, 1, 4}, {W, 16 + 64, 1, 8}, {H / 2, 15 + 64, 1, 16}};
  const TreeTotals t = tree_totals(w, levels);
  EXPECT_NEAR(t.one_way * 1e9, 2.191, 0.0006);       // NVSim: write H-tree latency 2.191 ns
  EXPECT_NEAR(t.read_energy * 1e12, 13.177, 0.005);  // NVSim: H-tree read energy 13.177 pJ
  EXPECT_NEAR(t.leakage * 1e3, 29.942, 0.005);       // NVSim: H-tree leakage 29.942 mW
}

// ----------------------------------------------------------------------------------------- sense amp

SenseAmpSpec b06_sense_amps() {
  SenseAmpSpec spec;
  spec.amps = 512 / 32;
  spec.sense_voltage = 0.08;
  spec.pitch = 32 * 10 * 22e-9;  // m_SA x cell width (10F)
  return spec;
}

TEST(SenseAmp, VoltageLatchMatchesNvsimB06) {
  const DeviceModel& d = hp22();
  const SenseAmp sa = size_sense_amp(d, b06_sense_amps());
  ASSERT_TRUE(sa.valid);
  EXPECT_NEAR(sa.input_cap * 1e15, 0.520, 0.002);             // note §5
  EXPECT_NEAR(sa.figures.read_latency * 1e12, 2.656, 0.003);  // NVSim: Senseamp Latency 2.656 ps
  EXPECT_NEAR(sa.figures.read_energy * 1e12, 0.007, 0.0005);  // NVSim: Senseamp Dynamic Energy 0.007 pJ
  EXPECT_NEAR(sa.figures.read_energy, 16 * sa.input_cap * d.vdd * d.vdd, 1e-9 * sa.figures.read_energy);
  EXPECT_EQ(sa.figures.write_energy, 0.0);
  // Quirk Q12: I_off,n 5F Vdd Vdd per amp.
  EXPECT_NEAR(sa.figures.leakage, 16 * d.off_current_n * 5 * d.feature_size * d.vdd * d.vdd, 1e-9 * sa.figures.leakage);
  EXPECT_DOUBLE_EQ(sa.figures.width, 16 * b06_sense_amps().pitch);
  EXPECT_GT(sa.figures.height, 0.0);
}

TEST(SenseAmp, InvalidWhenThePitchIsNotAbove2F) {
  SenseAmpSpec spec = b06_sense_amps();
  spec.pitch = 2 * 22e-9;
  const SenseAmp sa = size_sense_amp(hp22(), spec);
  EXPECT_FALSE(sa.valid);
  EXPECT_EQ(sa.figures.read_latency, kInfinite);
  // NVSim would fold the devices into fingers of width <= 0 here (nonsense caps); we refuse the design.
  spec.pitch = 3 * 22e-9;
  EXPECT_FALSE(size_sense_amp(hp22(), spec).valid);
  spec.pitch = 3.5 * 22e-9;
  EXPECT_TRUE(size_sense_amp(hp22(), spec).valid);
}

TEST(SenseAmp, CurrentSensingAddsTheIvConverterConstants) {
  SenseAmpSpec spec = b06_sense_amps();
  const SenseAmp v = size_sense_amp(hp22(), spec);
  spec.current_sense = true;
  const SenseAmp i = size_sense_amp(hp22(), spec);
  // Quirk Q28: below 31 nm NVSim's uncalibrated 1.45 ns / 0.15 pJ / 0.15 uW per amp.
  EXPECT_NEAR(i.figures.read_latency - v.figures.read_latency, 1.45e-9, 1e-15);
  EXPECT_NEAR(i.figures.read_energy - v.figures.read_energy, 16 * 15e-14, 1e-20);
  EXPECT_NEAR(i.figures.leakage - v.figures.leakage, 16 * 15e-8, 1e-15);
  EXPECT_NEAR(i.figures.height - v.figures.height, 50000 * 22e-9 * 22e-9 / spec.pitch, 1e-15);
  EXPECT_DOUBLE_EQ(iv_converter_constants(32e-9).latency, 1.07e-9);
  EXPECT_DOUBLE_EQ(iv_converter_constants(45e-9).leakage, 4.41e-9);
  EXPECT_DOUBLE_EQ(iv_converter_constants(65e-9).energy, 9.00e-14);
  EXPECT_DOUBLE_EQ(iv_converter_constants(90e-9).latency, 0.53e-9);
  EXPECT_DOUBLE_EQ(iv_converter_constants(120e-9).latency, 0.49e-9);
  EXPECT_DOUBLE_EQ(iv_converter_constants(30e-9).latency, 1.45e-9);
}

// ----------------------------------------------------------------------------------------------- mux

TEST(Mux, BitlineMuxMatchesNvsimB06) {
  const DeviceModel& d = hp22();
  const SenseAmp sa = size_sense_amp(d, b06_sense_amps());
  MuxSpec spec;
  spec.inputs = 32;
  spec.instances = 512 / 32;
  spec.load_cap = sa.input_cap;
  spec.next_input_cap = sa.input_cap;
  const Mux mux = size_mux(d, spec);
  ASSERT_TRUE(mux.exists);
  EXPECT_NEAR(mux.pass_width, 9 * d.feature_size, 1e-15);
  EXPECT_NEAR(mux.pass_resistance, 3414.0, 3.0);                       // note §5
  EXPECT_NEAR((mux.output_cap + spec.load_cap) * 1e15, 2.981, 0.005);  // note §5
  EXPECT_NEAR(mux.figures.read_latency * 1e12, 23.387, 0.05);          // NVSim: Mux Latency 23.387 ps
  EXPECT_NEAR(mux.figures.read_energy * 1e12, 0.033, 0.0005);          // NVSim: Mux Dynamic Energy 0.033 pJ
  EXPECT_DOUBLE_EQ(mux.load_for_previous, mux.output_cap + mux.pass_cap + spec.load_cap);
  EXPECT_EQ(mux.figures.leakage, 0.0);
}

TEST(Mux, DegreeOneComputesNothing) {
  MuxSpec spec;
  spec.inputs = 1;
  spec.instances = 512;
  spec.load_cap = 1e-15;
  const Mux mux = size_mux(hp22(), spec);  // quirk Q26: no caps, no resistance, no cost
  EXPECT_FALSE(mux.exists);
  EXPECT_EQ(mux.load_for_previous, 0.0);
  EXPECT_EQ(mux.pass_cap, 0.0);
  EXPECT_EQ(mux.pass_resistance, 0.0);
  EXPECT_EQ(mux.figures.read_latency, 0.0);
  EXPECT_EQ(mux.figures.area(), 0.0);
}

TEST(Mux, ResistiveCellsWidenThePassDeviceUpToMaxNmosSize) {
  const DeviceModel& d = hp22();
  MuxSpec spec;
  spec.inputs = 8;
  spec.instances = 64;
  spec.resistive_cell = true;
  spec.cell_on_resistance = 10e3;
  const double expected = on_resistance(d, d.feature_size, Channel::nmos) * d.feature_size / (0.2 * 10e3);
  ASSERT_GT(expected, 9 * d.feature_size);
  EXPECT_NEAR(size_mux(d, spec).pass_width, expected, 1e-9 * expected);
  spec.cell_on_resistance = 1e3;  // would need > MaxNmosSize F
  EXPECT_NEAR(size_mux(d, spec).pass_width, d.max_nmos_width, 1e-18);
  spec.min_driver_current = 2.0 * d.max_nmos_width * d.on_current_n;  // the current wins over the clamp
  EXPECT_NEAR(size_mux(d, spec).pass_width, 2.0 * d.max_nmos_width, 1e-15);
}

// ---------------------------------------------------------------------------------------- precharger

PrechargerSpec b06_precharger() {
  const DeviceModel& d = hp22();
  const double F = d.feature_size;
  const double c_local = wire_capacitance_per_length(tech22().wire("local_aggressive"));
  const double r_local = wire_resistance_per_length(tech22().wire("local_aggressive"), 350.0);
  const double bitline_length = 64 * 14.6 * F;
  PrechargerSpec spec;
  spec.precharge_voltage = d.vdd;
  spec.columns = 512;
  // Bitline: local wire plus half the access drains (shared contacts), note §5.
  spec.bitline_cap = bitline_length * c_local + drain_cap(d, 1.31 * F, Channel::nmos, 10 * F) * 64 / 2;
  spec.bitline_resistance = bitline_length * r_local;
  spec.wire_cap_per_column = 10 * F * c_local;
  return spec;
}

TEST(Precharger, MatchesNvsimB06) {
  const DeviceModel& d = hp22();
  const PrechargerSpec spec = b06_precharger();
  EXPECT_NEAR(spec.bitline_cap * 1e15, 5.76 + 0.956, 0.01);  // note §5
  EXPECT_NEAR(spec.bitline_resistance, 1638.0, 2.0);
  const Precharger p = size_precharger(d, spec);
  ASSERT_TRUE(p.valid);
  EXPECT_NEAR(p.figures.read_energy * 1e12, 0.220, 0.0006);  // NVSim: Precharge Dynamic Energy 0.220 pJ
  EXPECT_EQ(p.figures.write_energy, 0.0);
  const PrechargerDelay delay = precharger_delay(d, p, kStepRamp);
  EXPECT_NEAR(delay.precharge.latency * 1e12, 60.684, 0.6);  // NVSim: Precharge Latency 60.684 ps
  EXPECT_GT(delay.enable_latency, 0.0);
  EXPECT_GE(p.figures.width, p.driver.figures.width);
}

TEST(Precharger, ColumnPeripheryHeightsAddUpToNvsimB06SubarrayHeight) {
  // Subarray height = bitline + precharger + bitline mux + sense amps (output muxes have degree 1);
  // the precharger is wider than the subarray but its "folding" is a no-op (quirk Q25).
  const DeviceModel& d = hp22();
  const SenseAmp sa = size_sense_amp(d, b06_sense_amps());
  MuxSpec mux;
  mux.inputs = 32;
  mux.instances = 16;
  mux.load_cap = sa.input_cap;
  const Precharger p = size_precharger(d, b06_precharger());
  const double height =
      64 * 14.6 * d.feature_size + p.figures.height + size_mux(d, mux).figures.height + sa.figures.height;
  EXPECT_NEAR(height * 1e6, 21.761, 0.0006);  // NVSim: Subarray Area = 21.761um x 117.745um
}

TEST(Precharger, PmosLeakageUsesTheGivenPrechargeVoltage) {
  const DeviceModel& d = hp22();
  PrechargerSpec spec = b06_precharger();
  const double full = size_precharger(d, spec).figures.leakage;
  spec.precharge_voltage = d.vdd / 2;  // NVSim always passes Vdd (quirk Q27); the term scales with it
  const double half = size_precharger(d, spec).figures.leakage;
  EXPECT_NEAR(full - half, 512 * d.vdd / 2 * d.off_current_p * 6 * d.feature_size, 1e-9 * full);
}

// ---------------------------------------------------------------------------------------- comparator

TEST(Comparator, LeakageIsTheInverterChainsOnlyAndEnergyFollowsTheNodeCaps) {
  const DeviceModel& d = hp22();
  const double F = d.feature_size;
  ComparatorSpec spec;
  spec.tag_bits = 28;
  const Comparator c = size_comparator(d, spec);
  EXPECT_EQ(c.quarter_bits, 7);
  // Quirk Q24: the per-bit pull-downs leak nothing (NAND2 with zero PMOS width).
  const double wn[] = {7.5, 15, 30, 50}, wp[] = {12.5, 25, 50, 100};
  double chain = 0.0;
  for (int i = 0; i < 4; ++i) chain += gate_leakage(d, Gate::inv, 1, wn[i] * F, wp[i] * F) * d.vdd;
  EXPECT_NEAR(c.figures.leakage, 4 * chain, 1e-12 * c.figures.leakage);

  double energy = 0.0;
  for (int i = 0; i < 3; ++i) energy += (c.output_cap[i] + c.input_cap[i + 1]) * d.vdd * d.vdd;
  energy += (c.bottom_cap + c.top_cap) * d.vdd * d.vdd;
  EXPECT_NEAR(c.figures.read_energy, 4 * energy, 1e-12 * energy);
  EXPECT_DOUBLE_EQ(c.bottom_res, on_resistance(d, 50 * F, Channel::nmos));
  EXPECT_DOUBLE_EQ(c.top_res, 2 * on_resistance(d, 12.5 * F, Channel::nmos));
  EXPECT_GT(c.figures.area(), 0.0);
}

TEST(Comparator, DelayGrowsWithTheTagWidthAndEndsWithTheMatchLineRc) {
  const DeviceModel& d = hp22();
  ComparatorSpec spec;
  spec.tag_bits = 16;
  const Comparator narrow = size_comparator(d, spec);
  spec.tag_bits = 64;
  const Comparator wide = size_comparator(d, spec);
  const Delay dn = comparator_delay(d, narrow, kStepRamp), dw = comparator_delay(d, wide, kStepRamp);
  EXPECT_GT(dw.latency, dn.latency);
  const double last_tau = wide.bottom_res * wide.bottom_cap + (wide.bottom_res + wide.top_res) * wide.top_cap;
  EXPECT_GT(dw.latency, std::log(2.0) * last_tau);
  EXPECT_GT(wide.figures.width, narrow.figures.width * 0.999);
}

}  // namespace
}  // namespace deepnvm::circuit
