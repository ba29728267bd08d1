// SPDX-License-Identifier: MIT
// screen_bank against evaluate_bank: the search ranks organisations by the screen's figures and
// builds a bank only for a new best, which is NVSim's search only if the two agree exactly. Over a
// grid of organisations (data and tag banks, unrepeated and repeated global wires, NVSim and fixed
// compat), the verdict must be the same reason and a legal bank's figures the same bits.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/array/bank.h"
#include "deepnvm/cell/nvsim_cell.h"
#include "deepnvm/circuit/wire.h"
#include "deepnvm/tech/formulas.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm {
namespace {

// NVSim's SRAM.cell (shared/reference/nvsim/cells/SRAM.cell, comments dropped), at 22 nm HP, 350 K.
constexpr const char* kSramCell =
    "-MemCellType: SRAM\n-CellArea (F^2): 146\n-CellAspectRatio: 1.46\n-ReadMode: voltage\n"
    "-AccessType: CMOS\n-AccessCMOSWidth (F): 1.31\n-SRAMCellNMOSWidth (F): 2.08\n-SRAMCellPMOSWidth (F): 1.23\n";

TEST(ScreenBank, AgreesWithEvaluateBankBitForBit) {
  const Technology tech = find_technology(DEEPNVM_DATA_DIR, "nvsim", 22e-9);
  const circuit::DeviceModel device = circuit::make_device_model(tech, "hp", 350.0);
  const ArrayCell cell =
      make_array_cell(read_nvsim_cell(kSramCell, "SRAM.cell")->characterize(CellContext{&tech, 350.0, "hp"}));
  std::size_t legal = 0, rejected = 0;
  for (const circuit::RepeaterKind repeater : {circuit::RepeaterKind::none, circuit::RepeaterKind::optimal}) {
    circuit::WireSpec wire_spec;
    wire_spec.repeater = repeater;
    const circuit::WireModel global = circuit::make_wire_model(device, tech.wire("global_aggressive"), wire_spec);
    for (const Compat compat : {Compat::nvsim, Compat::fixed})
      for (const ArrayRole role : {ArrayRole::data, ArrayRole::tag})
        for (int mr = 1; mr <= 64; mr *= 4)
          for (int mc = 1; mc <= 64; mc *= 4)
            for (const int am : {1, 4})
              for (const int m0 : {1, 8, 64})
                for (const int sub : {1, 2}) {
                  BankSpec spec;
                  spec.role = role;
                  spec.capacity_bits = 8.0 * 1024 * 1024 * 8 / (role == ArrayRole::tag ? 16 : 1);
                  spec.block_bits = role == ArrayRole::tag ? 30 : 512;
                  spec.associativity = role == ArrayRole::tag ? 8 : 1;
                  spec.mat_rows = mr;
                  spec.mat_columns = mc;
                  spec.active_mat_rows = spec.active_mat_columns = am;
                  spec.subarray_rows = spec.subarray_columns = sub;
                  spec.active_subarray_rows = spec.active_subarray_columns = sub;
                  spec.subarray.mux_sense_amp = m0;
                  spec.subarray.compat = compat;
                  spec.subarray.local_wire_res_per_length =
                      wire_resistance_per_length(tech.wire("local_aggressive"), 350.0);
                  spec.subarray.local_wire_cap_per_length = wire_capacitance_per_length(tech.wire("local_aggressive"));
                  const BankRoute route = route_bank(spec);
                  MatCache cache;
                  const BankScreen s = screen_bank(device, cell, global, spec, cache, route);
                  const Bank b = evaluate_bank(device, cell, global, spec, nullptr, &route);
                  const std::string where = std::to_string(mr) + "x" + std::to_string(mc) + " mux " +
                                            std::to_string(m0) + " sub " + std::to_string(sub);
                  ASSERT_EQ(std::string(s.rejection), b.valid ? "" : std::string(b.invalid_reason)) << where;
                  if (!b.valid) {
                    ++rejected;
                    continue;
                  }
                  ++legal;
                  EXPECT_EQ(s.read_latency, b.read_latency) << where;
                  EXPECT_EQ(s.write_latency, b.write_latency) << where;
                  EXPECT_EQ(s.read_energy, b.read_energy) << where;
                  EXPECT_EQ(s.write_energy, b.write_energy) << where;
                  EXPECT_EQ(s.leakage, b.leakage) << where;
                  EXPECT_EQ(s.area(), b.area()) << where;
                }
  }
  // Both verdicts are exercised.
  EXPECT_GT(legal, 50u);
  EXPECT_GT(rejected, 50u);
}

}  // namespace
}  // namespace deepnvm
