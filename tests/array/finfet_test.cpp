// SPDX-License-Identifier: MIT
// The array model at deepnvm's FinFET nodes (16 nm McPAT DG HP, 14 and 7 nm NeuroSim V1.4 LSTP) and
// with SOT-MRAM, neither of which NVSim can run: no reference exists, so these are physical trends
// (smaller nodes give smaller arrays, LSTP leaks far less than HP, SOT writes faster and cheaper than
// STT with the same MTJ) plus the absence of NaN or infinity anywhere in the figures.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/array/bank.h"
#include "deepnvm/array/subarray.h"
#include "deepnvm/cell/mram.h"
#include "deepnvm/cell/sram.h"
#include "deepnvm/circuit/wire.h"
#include "deepnvm/core/config.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

enum class Kind { sram, stt, sot };
const char* name(Kind k) { return k == Kind::sram ? "SRAM" : k == Kind::stt ? "STT" : "SOT"; }

// 16 nm has McPAT's HP device only, 14 and 7 nm NeuroSim's LSTP-like device only.
const char* flavour_at(double node) { return node > 15e-9 ? "hp" : "lstp"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The native MRAM cell files name the access flavour "hp"; at 14 and 7 nm the node's only device is "lstp".
std::string cell_text(const char* file, double node) {
  std::string text = read_text(fs::path(DEEPNVM_DATA_DIR) / "cells" / file);
  const std::string from = "flavour: hp";
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), std::string("flavour: ") + flavour_at(node));
  return text;
}

CellFigures characterize(Kind k, const Technology& tech, double temperature) {
  const CellContext context{&tech, temperature};
  switch (k) {
    case Kind::sram: {  // NVSim's 146 F^2 cell (SRAM.cell), so every node has the same cell in F^2
      const std::string text = fmt::format(
          "kind: sram_cell\nname: sram-146f2\nsource: NVSim SRAM.cell\narea_f2: 146\naspect_ratio: "
          "1.46\naccess_width_f: 1.31\n"
          "nmos_width_f: 2.08\npmos_width_f: 1.23\nflavour: {}\n",
          flavour_at(tech.node));
      return SramCell(SramSpec::schema().parse(load_config_string(text, "sram.yaml"))).characterize(context);
    }
    case Kind::stt:
      return SttMramCell(SttMramSpec::schema().parse(load_config_string(cell_text("stt_mram.yaml", tech.node), "s")))
          .characterize(context);
    case Kind::sot:
      return SotMramCell(SotMramSpec::schema().parse(load_config_string(cell_text("sot_mram.yaml", tech.node), "s")))
          .characterize(context);
  }
  return {};
}

struct Built {
  Technology tech;
  circuit::DeviceModel device;
  CellFigures figures;
  ArrayCell cell;
  circuit::WireModel global;
  SubArraySpec subarray;
};

Built setup(double node, Kind k, double temperature = 350.0) {
  Built s{find_technology(DEEPNVM_DATA_DIR, "deepnvm", node), {}, {}, {}, {}, {}};
  s.device = circuit::make_device_model(s.tech, flavour_at(node), temperature);
  s.figures = characterize(k, s.tech, temperature);
  s.cell = make_array_cell(s.figures);
  s.global = circuit::make_wire_model(s.device, s.tech.wire("global_aggressive"), circuit::WireSpec{});
  const Wire& local = s.tech.wire("local_aggressive");
  s.subarray.local_wire_res_per_length = wire_resistance_per_length(local, temperature);
  s.subarray.local_wire_cap_per_length = wire_capacitance_per_length(local);
  return s;
}

// A 1 MB RAM with a 512-bit word: 4 x 4 mats (4 active), 2 x 2 subarrays per mat (2 active),
// 256 x 512 subarrays with an 8:1 sense-amp mux. One fixed organisation for every node and cell.
Bank one_megabyte(const Built& s) {
  BankSpec b;
  b.mat_rows = b.mat_columns = 4;
  b.active_mat_rows = 1;
  b.active_mat_columns = 4;
  b.subarray_rows = b.subarray_columns = 2;
  b.active_subarray_rows = 1;
  b.active_subarray_columns = 2;
  b.capacity_bits = 8.0 * 1024 * 1024;
  b.block_bits = 512;
  b.subarray = s.subarray;
  b.subarray.mux_sense_amp = 8;
  return evaluate_bank(s.device, s.cell, s.global, b);
}

SubArray subarray_256x512(const Built& s) {
  SubArraySpec spec = s.subarray;
  spec.rows = 256;
  spec.columns = 512;
  spec.mux_sense_amp = 8;
  return size_subarray(s.device, spec, s.cell);
}

bool finite_positive(double v) { return std::isfinite(v) && v > 0.0 && v < 1e30; }

TEST(FinfetArray, OneMegabyteRamEvaluatesAtEveryNodeForEveryCellWithoutNan) {
  for (double node : {16e-9, 14e-9, 7e-9}) {
    for (Kind k : {Kind::sram, Kind::stt, Kind::sot}) {
      SCOPED_TRACE(fmt::format("{} nm {}", node * 1e9, name(k)));
      const Built s = setup(node, k);
      const Bank b = one_megabyte(s);
      ASSERT_TRUE(b.valid) << b.invalid_reason << " / " << b.mat->subarray.invalid_reason;
      EXPECT_EQ(b.mat->subarray.spec.rows, 256);
      EXPECT_EQ(b.mat->subarray.spec.columns, 512);
      for (double v : {b.area(), b.read_latency, b.write_latency, b.read_energy, b.write_energy, b.leakage,
                       b.mat->subarray.read_energy, b.mat->subarray.write_energy, b.mat->subarray.leakage,
                       b.mat_timing.subarray.bitline_latency, b.mat_timing.subarray.row_decoder_latency})
        EXPECT_TRUE(finite_positive(v)) << v;
      EXPECT_LT(b.read_latency, 100e-9);
      EXPECT_LT(b.write_latency, 100e-9);
      std::printf(
          "%2.0f nm %-4s area %8.4f mm2  read %7.3f ns  write %7.3f ns  E_read %8.2f pJ  E_write %8.2f pJ  "
          "leak %9.4f mW\n",
          node * 1e9, name(k), b.area() * 1e6, b.read_latency * 1e9, b.write_latency * 1e9, b.read_energy * 1e12,
          b.write_energy * 1e12, b.leakage * 1e3);
    }
  }
}

TEST(FinfetArray, SmallerNodesGiveSmallerSubarraysAtEqualOrganisation) {
  const SubArray s16 = subarray_256x512(setup(16e-9, Kind::sram));
  const SubArray s14 = subarray_256x512(setup(14e-9, Kind::sram));
  const SubArray s7 = subarray_256x512(setup(7e-9, Kind::sram));
  ASSERT_TRUE(s16.valid && s14.valid && s7.valid);
  EXPECT_LT(s14.area(), s16.area());
  EXPECT_LT(s7.area(), s14.area());
  EXPECT_LT(s7.area(), 0.5 * s16.area());
  EXPECT_LT(s7.bitline_length, s16.bitline_length);
}

TEST(FinfetArray, LstpLeaksFarLessPerBitThanHp) {
  const SubArray hp16 = subarray_256x512(setup(16e-9, Kind::sram));
  const SubArray lstp14 = subarray_256x512(setup(14e-9, Kind::sram));
  const SubArray lstp7 = subarray_256x512(setup(7e-9, Kind::sram));
  ASSERT_TRUE(hp16.valid && lstp14.valid && lstp7.valid);
  // Same bits: I_off of 16 nm HP is 0.23 A/m at 350 K, 14 nm LSTP 1.5e-3 A/m of W_eff (5e-3 per drawn m).
  EXPECT_LT(lstp14.leakage, 0.1 * hp16.leakage);
  EXPECT_LT(lstp7.leakage, 0.1 * hp16.leakage);
  EXPECT_GT(lstp14.leakage, 0.0);
}

TEST(FinfetArray, FinFetCellsBecomeDrawnWidthsOfTwoFPerFin) {
  const Built stt = setup(14e-9, Kind::stt);
  ASSERT_TRUE(stt.figures.access.fins.has_value());
  EXPECT_DOUBLE_EQ(stt.cell.access_width_f, 2.0 * *stt.figures.access.fins);
  EXPECT_EQ(stt.device.fins(stt.cell.access_width_f * stt.device.feature_size), *stt.figures.access.fins);
  EXPECT_FALSE(stt.cell.separate_write_path);
  const Built sot = setup(7e-9, Kind::sot);
  ASSERT_TRUE(sot.figures.access.fins && sot.figures.access.read_fins);
  EXPECT_TRUE(sot.cell.separate_write_path);
  EXPECT_EQ(sot.cell.type, ArrayCellType::mram);
  EXPECT_DOUBLE_EQ(sot.cell.access_width_f, 2.0 * *sot.figures.access.fins);
  EXPECT_DOUBLE_EQ(sot.cell.read_access_width_f, 2.0 * *sot.figures.access.read_fins);
}

TEST(SotMramArray, ReadBitlineCarriesOnlyTheReadCurrent) {
  const Built sot = setup(16e-9, Kind::sot);
  const Built stt = setup(16e-9, Kind::stt);
  const SubArray a = subarray_256x512(sot);
  const SubArray b = subarray_256x512(stt);
  ASSERT_TRUE(a.valid && b.valid);
  EXPECT_NEAR(a.max_bitline_current, sot.cell.read_current + sot.cell.access_leakage_current * 255.0, 1e-12);
  EXPECT_LT(a.max_bitline_current, b.max_bitline_current);  // STT's bitline carries its ~100 uA write
  EXPECT_NEAR(b.max_bitline_current, stt.cell.set_current + stt.cell.access_leakage_current * 255.0, 1e-12);
  // The bitline mux is sized for the read current only, so it is no wider than STT's.
  EXPECT_LE(a.min_bitline_mux_width, b.min_bitline_mux_width);
  // The read path is the MTJ and the read transistor.
  EXPECT_NEAR(a.cell_on_res,
              circuit::on_resistance(sot.device, sot.cell.read_access_width_f * sot.device.feature_size,
                                     circuit::Channel::nmos) +
                  sot.cell.r_on,
              1e-9);
}

TEST(SotMramArray, WritesFasterAndCheaperThanSttWithTheSameOrganisationReadsAlike) {
  for (double node : {16e-9, 7e-9}) {
    SCOPED_TRACE(fmt::format("{} nm", node * 1e9));
    const Built sot_setup = setup(node, Kind::sot);
    const Built stt_setup = setup(node, Kind::stt);
    // The cells themselves: SOT pulse and energy per bit below STT's.
    ASSERT_LT(sot_setup.cell.set_pulse, stt_setup.cell.set_pulse);
    ASSERT_LT(sot_setup.cell.set_energy, stt_setup.cell.set_energy);
    const Bank sot = one_megabyte(sot_setup);
    const Bank stt = one_megabyte(stt_setup);
    ASSERT_TRUE(sot.valid && stt.valid);
    EXPECT_LT(sot.write_latency, stt.write_latency);
    EXPECT_LT(sot.write_energy, stt.write_energy);
    EXPECT_LT(sot.mat->subarray.write_energy, stt.mat->subarray.write_energy);
    // Same MTJ, same read voltage: read latency and energy within a factor of two.
    EXPECT_LT(sot.read_latency, 2.0 * stt.read_latency);
    EXPECT_GT(sot.read_latency, 0.5 * stt.read_latency);
    EXPECT_LT(sot.read_energy, 2.0 * stt.read_energy);
    EXPECT_GT(sot.read_energy, 0.5 * stt.read_energy);
  }
}

}  // namespace
}  // namespace deepnvm
