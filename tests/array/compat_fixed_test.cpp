// SPDX-License-Identifier: MIT
// compat: fixed (docs/models/array.md "compat: fixed"): each NVSim quirk it corrects changes the
// result the way the physics says, against the same design in compat: nvsim; the joint cache search
// is exact (against the unpruned product of tag and data arrays), never worse than the separate
// search on the cache's target, and independent of the thread count.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/array/evaluate.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/core/error.h"
#include "deepnvm/tech/technology.h"
#include "reference_data.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

fs::path cell_dir() { return testing::nvsim_reference_dir() / "cells"; }

// A device, a cell and the local and global wires at 22 nm HP, 350 K (NVSim's sample conditions).
struct Bench {
  Technology tech;
  circuit::DeviceModel device;
  ArrayCell cell;
  circuit::WireModel local, global, global_repeated;

  explicit Bench(const std::string& cell_file)
      : tech(find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9)),
        device(circuit::make_device_model(tech, "hp", 350.0, 100.0)) {
    cell = make_array_cell(load_nvsim_cell(cell_dir() / cell_file)->characterize(CellContext{&tech, 350.0, "hp"}));
    circuit::WireSpec spec;
    spec.sense_voltage = cell.min_sense_voltage;
    local = circuit::make_wire_model(device, tech.wire("local_aggressive"), spec);
    global = circuit::make_wire_model(device, tech.wire("global_aggressive"), spec);
    spec.repeater = circuit::RepeaterKind::optimal;
    global_repeated = circuit::make_wire_model(device, tech.wire("global_aggressive"), spec);
  }

  SubArraySpec subarray(std::int64_t rows, std::int64_t columns, int m_sa, int m1, int m2, Compat compat) const {
    SubArraySpec s;
    s.rows = rows;
    s.columns = columns;
    s.mux_sense_amp = m_sa;
    s.mux_output_lev1 = m1;
    s.mux_output_lev2 = m2;
    s.local_wire_res_per_length = local.res_per_length;
    s.local_wire_cap_per_length = local.cap_per_length;
    s.compat = compat;
    return s;
  }
  SubArray size(std::int64_t rows, std::int64_t columns, int m_sa, int m1, int m2, Compat compat) const {
    return size_subarray(device, subarray(rows, columns, m_sa, m1, m2, compat), cell);
  }
};

#define REQUIRE_REFERENCE() \
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no NVSim reference data (DEEPNVM_REFERENCE_DIR)"

NvsimConfig reference_config(const std::string& id) {
  NvsimConfig config = load_nvsim_config(testing::nvsim_reference_dir() / "inputs" / (id + ".cfg"));
  config.cell_file = cell_dir() / config.cell_file_as_written;
  return config;
}

ArrayOptions options(Compat compat, unsigned threads = 0, CacheSearch search = CacheSearch::joint) {
  ArrayOptions o;
  o.compat = compat;
  o.threads = threads;
  o.cache_search = search;
  return o;
}

bool same_organisation(const ArrayDesign& a, const ArrayDesign& b) {
  const BankSpec &x = a.spec, &y = b.spec;
  return x.mat_rows == y.mat_rows && x.mat_columns == y.mat_columns && x.active_mat_rows == y.active_mat_rows &&
         x.active_mat_columns == y.active_mat_columns && x.subarray_rows == y.subarray_rows &&
         x.subarray_columns == y.subarray_columns && x.active_subarray_rows == y.active_subarray_rows &&
         x.active_subarray_columns == y.active_subarray_columns && x.rows_per_set == y.rows_per_set &&
         x.subarray.mux_sense_amp == y.subarray.mux_sense_amp &&
         x.subarray.mux_output_lev1 == y.subarray.mux_output_lev1 &&
         x.subarray.mux_output_lev2 == y.subarray.mux_output_lev2 && a.buffer_style == b.buffer_style &&
         a.local_wire == b.local_wire && a.global_wire == b.global_wire;
}

// --- Quirks corrected in the technology tables ---------------------------------------------------

const Device& device_of(const Technology& t, const std::string& flavour) {
  for (const Device& d : t.devices)
    if (d.flavour == flavour) return d;
  throw ModelError("no {} device", flavour);
}

TEST(CompatFixed, PmosCurrentIsNotShiftedByOneTemperatureStep) {  // Q5
  const Technology nvsim = find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  const Technology fixed = fixed_technology(nvsim);
  for (const std::string flavour : {"hp", "lstp", "lop"}) {
    const Device &n = device_of(nvsim, flavour), &f = device_of(fixed, flavour);
    // NVSim: I_on,p(300 K) = I_on,p(310 K) = I_on,n(300 K)/2; the PMOS weakens with T as the NMOS does.
    EXPECT_EQ(n.on_current_p[0], n.on_current_p[1]) << flavour;
    for (std::size_t i = 0; i < f.on_current_p.size(); ++i) EXPECT_EQ(f.on_current_p[i], f.on_current_n[i] / 2.0);
    EXPECT_LT(f.current(DeviceCurrent::on_p, 350.0), n.current(DeviceCurrent::on_p, 350.0)) << flavour;
  }
}

TEST(CompatFixed, LeakageTableTyposAreSmoothed) {  // Q6
  const auto check = [](double node, const std::string& flavour, DeviceCurrent which, double kelvin) {
    const Technology nvsim = find_technology(DEEPNVM_DATA_DIR, "nvsim", node);
    const Technology fixed = fixed_technology(nvsim);
    const Device &n = device_of(nvsim, flavour), &f = device_of(fixed, flavour);
    const double below = f.current(which, kelvin - 10.0), above = f.current(which, kelvin + 10.0);
    // NVSim's entry lies outside its neighbours; leakage grows exponentially with T, so the fixed one
    // is their geometric mean, and nothing else changes.
    const double typo = n.current(which, kelvin);
    EXPECT_TRUE(typo > std::max(below, above) || typo < std::min(below, above)) << node;
    EXPECT_DOUBLE_EQ(f.current(which, kelvin), std::sqrt(below * above));
    EXPECT_EQ(f.current(which, kelvin - 10.0), n.current(which, kelvin - 10.0));
  };
  check(90e-9, "lstp", DeviceCurrent::off_n, 320.0);
  check(65e-9, "lop", DeviceCurrent::off_p, 370.0);
}

// --- Quirks corrected in the subarray -------------------------------------------------------------

TEST(CompatFixed, SenseAmpLeakageIsCurrentTimesVddOnce) {  // Q12
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const SubArray nvsim = s.size(64, 512, 8, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(64, 512, 8, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  // NVSim: I_off W Vdd^2 per amp; the power a leaking device draws is I_off W Vdd.
  EXPECT_NEAR(fixed.sense_amp.figures.leakage, nvsim.sense_amp.figures.leakage / s.device.vdd,
              1e-12 * nvsim.sense_amp.figures.leakage);
  EXPECT_GT(fixed.sense_amp.figures.leakage, nvsim.sense_amp.figures.leakage);  // Vdd = 0.9 V < 1 V
}

TEST(CompatFixed, UnmuxedLevelsHaveNoDecoder) {  // Q20
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const SubArray nvsim = s.size(64, 512, 1, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(64, 512, 1, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  EXPECT_GT(nvsim.mux_decoder_read_energy, 0.0);  // NVSim pays three drivers with no muxing at all
  EXPECT_EQ(fixed.mux_decoder_read_energy, 0.0);
  EXPECT_LT(fixed.leakage, nvsim.leakage);
  const SubArrayTiming tn = subarray_delay(s.device, nvsim, circuit::kStepRamp);
  const SubArrayTiming tf = subarray_delay(s.device, fixed, circuit::kStepRamp);
  EXPECT_GT(tn.column_decoder_latency, 0.0);
  EXPECT_EQ(tf.column_decoder_latency, 0.0);
  // A muxed level keeps its decoder, now driving only the pass gates it selects (N_col / m_SA).
  const SubArray muxed_n = s.size(64, 512, 8, 1, 1, Compat::nvsim);
  const SubArray muxed_f = s.size(64, 512, 8, 1, 1, Compat::fixed);
  EXPECT_GT(muxed_f.bitline_mux_decoder.figures.read_energy, 0.0);
  EXPECT_LT(muxed_f.bitline_mux_decoder.figures.read_energy, muxed_n.bitline_mux_decoder.figures.read_energy);
}

TEST(CompatFixed, UnmuxedBitlineIsLoadedByItsSenseAmp) {  // Q26
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const SubArray nvsim = s.size(64, 512, 1, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(64, 512, 1, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  // The sense amp's input cap now loads the bitline: a slower discharge and more charge per read.
  EXPECT_GT(subarray_delay(s.device, fixed, circuit::kStepRamp).bitline_latency,
            subarray_delay(s.device, nvsim, circuit::kStepRamp).bitline_latency);
  const double v = nvsim.precharge_voltage;
  EXPECT_NEAR(fixed.bitline_read_energy - nvsim.bitline_read_energy, fixed.sense_amp.input_cap * v * v * 512,
              1e-9 * nvsim.bitline_read_energy);
}

TEST(CompatFixed, WidePrechargerFoldsToTheArrayWidth) {  // Q25
  REQUIRE_REFERENCE();
  const Bench s("sample_STTRAM.cell");
  const SubArray nvsim = s.size(256, 256, 2, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(256, 256, 2, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  ASSERT_GT(nvsim.precharger.figures.width, nvsim.wordline_length)
      << "the case needs a precharger wider than the array";
  // NVSim draws the precharger wider than the subarray it belongs to and counts only its height; kept
  // within the array's width, the same area makes a taller strip.
  const double folded = nvsim.precharger.figures.area() / nvsim.wordline_length;
  EXPECT_NEAR(fixed.height - nvsim.height, folded - nvsim.precharger.figures.height, 1e-9 * nvsim.height);
  EXPECT_GT(fixed.height, nvsim.height);
}

TEST(CompatFixed, SetEnergyUsesTheSetVoltage) {  // Q23
  REQUIRE_REFERENCE();
  Bench s("sample_PCRAM.cell");
  // A current-mode cell whose RESET states a voltage and whose SET does not: NVSim takes |V_set| = 0
  // for the SET (it tests the RESET voltage), so its SET pulse costs nothing.
  s.cell.set_voltage_mode = s.cell.reset_voltage_mode = false;
  s.cell.set_voltage = 0.0;
  s.cell.reset_voltage = 3.0;
  s.cell.set_energy = s.cell.reset_energy = 0.0;
  const SubArray nvsim = s.size(256, 256, 2, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(256, 256, 2, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  // Fixed: with no SET voltage the SET is driven from Vdd: Vdd I_set t_set per bit more.
  const double selected = 256.0 / 2.0;
  const double per_bit = s.device.vdd * s.cell.set_current * s.cell.set_pulse;
  EXPECT_NEAR((fixed.cell_set_energy - nvsim.cell_set_energy) * 0.2 / selected, per_bit, 1e-9 * per_bit);
  EXPECT_EQ(fixed.cell_reset_energy, nvsim.cell_reset_energy);
}

TEST(CompatFixed, ResetEnergyIsTheResetNotSetPlusReset) {  // RESET-after-SET total
  REQUIRE_REFERENCE();
  const Bench s("sample_PCRAM.cell");
  const SubArray nvsim = s.size(256, 256, 2, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(256, 256, 2, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  // Each total is the cell's own pulse plus the same write periphery.
  const double fixed_periphery = fixed.set_energy - fixed.cell_set_energy;
  const double nvsim_periphery = nvsim.set_energy - nvsim.cell_set_energy;
  EXPECT_NEAR(fixed.reset_energy, fixed.cell_reset_energy + fixed_periphery, 1e-9 * fixed.reset_energy);
  EXPECT_NEAR(nvsim.reset_energy, nvsim.set_energy + nvsim_periphery, 1e-9 * nvsim.reset_energy);
  EXPECT_LT(fixed.reset_energy, nvsim.reset_energy);
}

TEST(CompatFixed, CrossPointWriteCountsTheMuxesOnce) {  // Q13
  REQUIRE_REFERENCE();
  const Bench s("sample_RRAM.cell");
  const SubArray nvsim = s.size(256, 256, 4, 1, 1, Compat::nvsim);
  const SubArray fixed = s.size(256, 256, 4, 1, 1, Compat::fixed);
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  EXPECT_GT(nvsim.mux_write_energy, 0.0);
  // The second count of the muxes and sense amps goes (the mux decoders also change, Q20).
  const double decoders = nvsim.mux_decoder_write_energy - fixed.mux_decoder_write_energy;
  EXPECT_EQ(fixed.mux_write_energy, nvsim.mux_write_energy);
  EXPECT_NEAR(nvsim.write_energy - fixed.write_energy,
              nvsim.mux_write_energy + nvsim.sense_amp.figures.write_energy + decoders, 1e-9 * nvsim.write_energy);
}

// --- Quirks corrected in the mat and the bank ----------------------------------------------------

MatSpec mat_spec(const Bench& s, ArrayRole role, Compat compat) {
  MatSpec m;
  m.subarray_rows = m.subarray_columns = 2;
  m.active_subarray_rows = m.active_subarray_columns = 2;
  m.address_bits = 9;
  m.data_bits = role == ArrayRole::tag ? 32 : 256;
  m.ways = role == ArrayRole::tag ? 4 : 1;
  m.role = role;
  m.subarray = s.subarray(0, 0, 4, 2, 1, compat);
  return m;
}

TEST(CompatFixed, MuxPredecodersDriveTheirWires) {  // Q18
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const Mat nvsim = size_mat(s.device, s.cell, mat_spec(s, ArrayRole::data, Compat::nvsim));
  const Mat fixed = size_mat(s.device, s.cell, mat_spec(s, ArrayRole::data, Compat::fixed));
  ASSERT_TRUE(nvsim.valid && fixed.valid);
  // NVSim's mux predecoders see no wire inside a mat of 2 x 2 subarrays; they drive the same span as
  // the row predecoders, so charging it costs energy.
  EXPECT_GT(fixed.bitline_mux_predecoder[0].figures.read_energy, nvsim.bitline_mux_predecoder[0].figures.read_energy);
}

TEST(CompatFixed, ComparatorPullDownsLeak) {  // Q24
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const Mat nvsim = size_mat(s.device, s.cell, mat_spec(s, ArrayRole::tag, Compat::nvsim));
  const Mat fixed = size_mat(s.device, s.cell, mat_spec(s, ArrayRole::tag, Compat::fixed));
  ASSERT_TRUE(nvsim.valid && fixed.valid && fixed.has_comparator);
  const double per_bit = s.device.off_current_n * 12.5 * s.device.feature_size * s.device.vdd;
  EXPECT_NEAR(fixed.comparator.figures.leakage - nvsim.comparator.figures.leakage, 32 * per_bit, 1e-9 * per_bit);
}

BankSpec bank_spec(const Bench& s, Compat compat) {
  BankSpec b;
  b.mat_rows = 8;
  b.mat_columns = 4;
  b.active_mat_rows = 1;
  b.active_mat_columns = 4;
  b.subarray_rows = b.subarray_columns = 2;
  b.active_subarray_rows = b.active_subarray_columns = 2;
  b.capacity_bits = 8.0 * 1024 * 1024;
  b.block_bits = 512;
  b.subarray = s.subarray(0, 0, 16, 1, 1, compat);
  return b;
}

TEST(CompatFixed, FastModeTreeWriteDividesOnlyTheDataBits) {  // Q10
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  BankSpec n = bank_spec(s, Compat::nvsim), f = bank_spec(s, Compat::fixed);
  n.write_energy_divisor = f.write_energy_divisor = 4;
  const Bank nvsim = evaluate_bank(s.device, s.cell, s.global, n);
  const Bank fixed = evaluate_bank(s.device, s.cell, s.global, f);
  ASSERT_TRUE(nvsim.valid && fixed.valid) << nvsim.invalid_reason << fixed.invalid_reason;
  // A one-line write still sends every address bit: more than NVSim's read / 4, less than a read.
  // (The mats differ slightly between the modes, through the subarray and mat fixes: compare ratios.)
  EXPECT_NEAR(nvsim.tree_write_energy, nvsim.tree_read_energy / 4, 1e-12 * nvsim.tree_read_energy);
  EXPECT_GT(fixed.tree_write_energy / fixed.tree_read_energy, 0.25 + 1e-3);
  EXPECT_LT(fixed.tree_write_energy, fixed.tree_read_energy);
  f.write_energy_divisor = 1;  // a RAM (or a normal cache) writes what it reads
  const Bank whole = evaluate_bank(s.device, s.cell, s.global, f);
  EXPECT_EQ(whole.tree_write_energy, whole.tree_read_energy);
}

TEST(CompatFixed, BusWiresOfIdleMatRowsLeak) {  // Q11
  REQUIRE_REFERENCE();
  const Bench s("SRAM.cell");
  const Bank nvsim = evaluate_bus_bank(s.device, s.cell, s.global_repeated, bank_spec(s, Compat::nvsim));
  const Bank fixed = evaluate_bus_bank(s.device, s.cell, s.global_repeated, bank_spec(s, Compat::fixed));
  ASSERT_TRUE(nvsim.valid && fixed.valid) << nvsim.invalid_reason << fixed.invalid_reason;
  // One of 8 mat rows is active: NVSim counts the repeaters of that row's wire only (8 mats long);
  // all rows' wires leak, 8 + 7 + ... + 1 = 36 mats long, 4.5 times as much per mat height.
  EXPECT_GT(nvsim.tree_leakage, 0.0);
  EXPECT_NEAR((fixed.tree_leakage / fixed.mat->height) / (nvsim.tree_leakage / nvsim.mat->height), 4.5, 1e-6);
}

// --- Quirks corrected in the cache and the search ------------------------------------------------

TEST(CompatFixed, NormalHitWaitsForTheTagOnlyAtTheColumnDecoder) {  // Q9
  REQUIRE_REFERENCE();
  const NvsimConfig config = reference_config("nvsim-B-01");  // normal access
  const ArrayResult r = evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, options(Compat::nvsim));
  const Bank& d = r.data.bank;
  const Bank& t = r.tag->bank;
  const ArrayFigures nvsim = cache_figures(d, t, CacheAccessMode::normal, false, Compat::nvsim);
  const ArrayFigures fixed = cache_figures(d, t, CacheAccessMode::normal, false, Compat::fixed);
  EXPECT_EQ(nvsim.hit_latency, r.figures.hit_latency);
  const double coldec = d.mat_timing.subarray.column_decoder_latency;
  const double tree = d.read_latency - d.mat_timing.read_latency;
  EXPECT_DOUBLE_EQ(fixed.hit_latency, std::max(t.read_latency + coldec, d.mat_timing.read_latency) + tree);
  EXPECT_LE(fixed.hit_latency, nvsim.hit_latency);
  EXPECT_GE(fixed.hit_latency, nvsim.hit_latency - coldec);
  EXPECT_EQ(fixed.hit_energy, nvsim.hit_energy);
}

// A small RAM text config (sample SRAM cell) with ForceBank written before UseCactiAssumption.
NvsimConfig cacti_then_force() {
  const std::string text =
      "-DesignTarget: RAM\n-OptimizationTarget: ReadLatency\n-ProcessNode: 22\n-Capacity (KB): 256\n"
      "-WordWidth (bit): 256\n-DeviceRoadmap: HP\n-LocalWireType: LocalAggressive\n"
      "-LocalWireRepeaterType: RepeatedNone\n-LocalWireUseLowSwing: No\n-GlobalWireType: GlobalAggressive\n"
      "-GlobalWireRepeaterType: RepeatedNone\n-GlobalWireUseLowSwing: No\n-Routing: H-tree\n"
      "-InternalSensing: true\n-MemoryCellInputFile: SRAM.cell\n-Temperature (K): 350\n"
      "-BufferDesignOptimization: latency\n-ForceBank (Total AxB, Active CxD): 4x4, 2x2\n"
      "-UseCactiAssumption: Yes\n";
  NvsimConfig c = read_nvsim_config(text, testing::nvsim_reference_dir() / "inputs" / "inline.cfg");
  c.cell_file = cell_dir() / "SRAM.cell";
  return c;
}

TEST(CompatFixed, ForceLinesWinWhateverTheirOrder) {  // Q3
  REQUIRE_REFERENCE();
  const NvsimConfig c = cacti_then_force();
  ASSERT_TRUE(c.cacti_assumption_after_force_bank);
  const ArrayResult nvsim = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::nvsim));
  const ArrayResult fixed = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed));
  // NVSim: the later UseCactiAssumption line overrides the forced activation (1 row of 4 mats).
  EXPECT_EQ(nvsim.data.spec.active_mat_rows, 1);
  EXPECT_EQ(nvsim.data.spec.active_mat_columns, 4);
  EXPECT_EQ(fixed.data.spec.active_mat_rows, 2);
  EXPECT_EQ(fixed.data.spec.active_mat_columns, 2);
  EXPECT_EQ(fixed.data.spec.mat_rows, 4);
}

TEST(CompatFixed, TagArrayTakesTheConfiguredWires) {  // Q1
  REQUIRE_REFERENCE();
  NvsimConfig config = reference_config("nvsim-B-01");
  config.local_wire.type = WireType::semi_aggressive;  // outside NVSim's reduced tag space
  const ArrayResult nvsim = evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, options(Compat::nvsim));
  const ArrayResult fixed = evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, options(Compat::fixed));
  EXPECT_NE(nvsim.tag->local_wire.type, WireType::semi_aggressive);
  EXPECT_EQ(fixed.tag->local_wire.type, WireType::semi_aggressive);
  EXPECT_EQ(fixed.data.local_wire.type, WireType::semi_aggressive);
}

TEST(CompatFixed, ConstraintsBindTheTagArrayToo) {  // Q4
  REQUIRE_REFERENCE();
  NvsimConfig fastest = reference_config("nvsim-B-01");  // every wire key fixed: no refinement
  fastest.optimization_target = OptimizationTarget::read_latency;
  const double best_tag_latency =
      evaluate_nvsim_config(fastest, DEEPNVM_DATA_DIR, options(Compat::fixed, 0, CacheSearch::separate))
          .tag->bank.read_latency;
  NvsimConfig frugal = reference_config("nvsim-B-01");
  frugal.optimization_target = OptimizationTarget::read_energy;
  const ArrayResult nvsim_free = evaluate_nvsim_config(frugal, DEEPNVM_DATA_DIR, options(Compat::nvsim));
  frugal.constraints.read_latency = 0.05;
  const ArrayResult nvsim = evaluate_nvsim_config(frugal, DEEPNVM_DATA_DIR, options(Compat::nvsim));
  const ArrayResult fixed = evaluate_nvsim_config(frugal, DEEPNVM_DATA_DIR, options(Compat::fixed));
  // NVSim leaves the tag unconstrained; fixed keeps it within 5 % of its fastest.
  EXPECT_TRUE(same_organisation(*nvsim.tag, *nvsim_free.tag));
  EXPECT_LE(fixed.tag->bank.read_latency, 1.05 * best_tag_latency);
}

TEST(CompatFixed, AccessTransistorIsCheckedAgainstTheWriteCurrent) {  // Q30
  REQUIRE_REFERENCE();
  const fs::path dir = fs::temp_directory_path() / "deepnvm_compat_fixed_q30";
  fs::create_directories(dir);
  {
    std::ofstream cell(dir / "weak.cell");
    cell << "-MemCellType: MRAM\n-CellArea (F^2): 54\n-CellAspectRatio: 0.54\n-ResistanceOn (ohm): 3000\n"
            "-ResistanceOff (ohm): 6000\n-ReadMode: current\n-ReadVoltage (V): 0.25\n-MinSenseVoltage (mV): 25\n"
            "-ReadPower (uW): 30\n-ResetMode: current\n-ResetCurrent (uA): 500\n-ResetPulse (ns): 10\n"
            "-ResetEnergy (pJ): 1\n-SetMode: current\n-SetCurrent (uA): 500\n-SetPulse (ns): 10\n"
            "-SetEnergy (pJ): 1\n-AccessType: CMOS\n-VoltageDropAccessDevice (V): 0.15\n-AccessCMOSWidth (F): 8\n";
  }
  NvsimConfig c = cacti_then_force();
  c.use_cacti_assumption = false;
  c.force_mat = ForcedGrid{2, 2, 2, 2};
  c.cell_file = dir / "weak.cell";
  // 500 uA through an 8F (176 nm) transistor at 1931 uA/um (22 nm HP, 350 K): at most 340 uA.
  const auto has_q30 = [](const ArrayResult& r) {
    for (const auto& w : r.warnings)
      if (w.find("Q30") != std::string::npos) return true;
    return false;
  };
  EXPECT_FALSE(has_q30(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::nvsim))));
  EXPECT_TRUE(has_q30(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed))));
  fs::remove_all(dir);
}

// --- The joint cache search ----------------------------------------------------------------------

double target_of(const ArrayResult& r) { return cache_target_value(r.figures, r.optimization_target); }

// A small cache whose data array is forced down to the muxes, so that the unpruned product of tag
// and data arrays can be evaluated in full.
NvsimConfig small_cache(CacheAccessMode mode, OptimizationTarget target) {
  NvsimConfig c = reference_config("nvsim-B-01");
  c.capacity = 64 * 1024;
  c.cache_access_mode = mode;
  c.optimization_target = target;
  c.use_cacti_assumption = false;
  c.force_bank = ForcedGrid{4, 2, 1, 2};
  c.force_mat = ForcedGrid{2, 2, 2, 2};
  return c;
}

TEST(CompatFixed, JointSearchIsExactAgainstTheUnprunedProduct) {
  REQUIRE_REFERENCE();
  for (const CacheAccessMode mode : {CacheAccessMode::normal, CacheAccessMode::sequential, CacheAccessMode::fast})
    for (const OptimizationTarget target :
         {OptimizationTarget::read_edp, OptimizationTarget::read_latency, OptimizationTarget::write_edp}) {
      const NvsimConfig c = small_cache(mode, target);
      const ArrayResult joint = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 2));
      const ArrayResult brute =
          evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 2, CacheSearch::exhaustive));
      SCOPED_TRACE(std::string(nvsim_name(mode)) + " " + std::string(nvsim_name(target)));
      EXPECT_EQ(target_of(joint), target_of(brute));
      EXPECT_TRUE(same_organisation(joint.data, brute.data));
    }
}

TEST(CompatFixed, JointSearchIsNeverWorseThanSeparate) {
  REQUIRE_REFERENCE();
  for (const std::string id : {"nvsim-B-01", "nvsim-B-03", "nvsim-B-07", "nvsim-B-11"}) {
    const NvsimConfig c = reference_config(id);
    const ArrayResult joint = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed));
    const ArrayResult separate =
        evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 0, CacheSearch::separate));
    EXPECT_LE(target_of(joint), target_of(separate)) << id;
  }
  // With the small cache the product is searched for every mode and target.
  for (const CacheAccessMode mode : {CacheAccessMode::normal, CacheAccessMode::sequential, CacheAccessMode::fast})
    for (const OptimizationTarget target : {OptimizationTarget::read_edp, OptimizationTarget::read_latency,
                                            OptimizationTarget::write_edp, OptimizationTarget::area}) {
      const NvsimConfig c = small_cache(mode, target);
      EXPECT_LE(
          target_of(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed))),
          target_of(evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 0, CacheSearch::separate))));
    }
}

TEST(CompatFixed, ResultDoesNotDependOnTheThreadCount) {
  REQUIRE_REFERENCE();
  const NvsimConfig c = reference_config("nvsim-B-11");  // normal access, ReadEDP: a real front
  const ArrayResult one = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 1));
  const ArrayResult three = evaluate_nvsim_config(c, DEEPNVM_DATA_DIR, options(Compat::fixed, 3));
  EXPECT_TRUE(same_organisation(one.data, three.data));
  EXPECT_TRUE(same_organisation(*one.tag, *three.tag));
  EXPECT_EQ(one.figures.hit_latency, three.figures.hit_latency);
  EXPECT_EQ(one.figures.hit_energy, three.figures.hit_energy);
  EXPECT_EQ(one.figures.area, three.figures.area);
  EXPECT_EQ(one.candidates, three.candidates);
  EXPECT_EQ(one.compat, Compat::fixed);
}

TEST(CompatFixed, CactiModelIsRefused) {
  REQUIRE_REFERENCE();
  ArrayOptions o = options(Compat::fixed);
  o.model = circuit::CircuitModel::cacti;
  EXPECT_THROW(evaluate_nvsim_config(reference_config("nvsim-B-01"), DEEPNVM_DATA_DIR, o), ModelError);
}

}  // namespace
}  // namespace deepnvm
