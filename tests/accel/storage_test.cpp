// SPDX-License-Identifier: MIT
// Scratchpad register files: the synthesized read port reads the addressed word, its figures grow
// with the shape, the latches and write path add up, and the read-port table is cached.
#include <unistd.h>

#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/accel/characterize.h"
#include "deepnvm/accel/rtl.h"
#include "deepnvm/accel/storage.h"
#include "deepnvm/core/process.h"
#include "deepnvm/tech/technology.h"

namespace deepnvm::accel {
namespace {

namespace fs = std::filesystem;

GateLibrary library_16nm() {
  const Technology t = find_technology(DEEPNVM_DATA_DIR, default_table_set(16e-9), 16e-9);
  return gate_library(circuit::make_device_model(t, "hp", 350));
}

void require_yosys() {
  if (!find_program("yosys").empty()) return;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL() << "yosys is not on PATH (scripts/install-deps installs it)";
  GTEST_SKIP() << "yosys is not on PATH";
}

TEST(RegisterFile, SynthesizedReadPortReadsTheAddressedWord) {
  require_yosys();
  const auto dir = fs::temp_directory_path() / fmt::format("deepnvm-rf-test-{}", getpid());
  for (const auto& [entries, bits] : {std::pair{12, 8}, {24, 5}}) {
    const GateNetlist n = synthesize_verilog(register_file_read_verilog(entries, bits), "rf", dir);
    const auto& words = n.inputs.at("words");
    const auto& addr = n.inputs.at("addr");
    const auto& q = n.outputs.at("q");
    std::mt19937_64 rng(1);
    std::vector<std::uint64_t> v(n.nets, 0), stored(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) v[words[i]] = stored[i] = rng();
    // Lane l reads address l modulo the address space (addresses past the last entry read 0).
    const int space = 1 << addr.size();
    for (std::size_t b = 0; b < addr.size(); ++b) {
      std::uint64_t lanes = 0;
      for (int l = 0; l < 64; ++l) lanes |= static_cast<std::uint64_t>(((l % space) >> b) & 1) << l;
      v[addr[b]] = lanes;
    }
    evaluate(n, v);
    for (int l = 0; l < 64; ++l)
      for (int b = 0; b < bits; ++b) {
        const int a = l % space;
        const std::uint64_t want = a < entries ? (stored[static_cast<std::size_t>(a * bits + b)] >> l) & 1 : 0;
        ASSERT_EQ((v[q[static_cast<std::size_t>(b)]] >> l) & 1, want) << entries << "x" << bits << " lane " << l;
      }
  }
  fs::remove_all(dir);
}

TEST(RegisterFile, FiguresGrowWithTheShapeAndTheTableIsCached) {
  require_yosys();
  const GateLibrary lib = library_16nm();
  const fs::path cache_dir = fs::temp_directory_path() / fmt::format("deepnvm-rf-cache-{}", getpid());
  const study::ResultCache cache(cache_dir);
  const nlohmann::ordered_json key{{"test", "16nm"}};
  const std::vector<std::pair<std::int64_t, int>> shapes{{12, 8}, {224, 8}, {12, 16}, {1, 8}};
  const ReadPortTable ports = read_ports(lib, key, shapes, cache);
  ASSERT_EQ(ports.size(), 4u);
  const auto rf = [&](std::int64_t e, int b) { return register_file(lib, e, b, ports.at({e, b})); };
  const StorageFigures small = rf(12, 8), deep = rf(224, 8), wide = rf(12, 16), one = rf(1, 8);
  for (const StorageFigures* f : {&small, &deep, &wide}) {
    EXPECT_GT(f->area, 0.0);
    EXPECT_GT(f->leakage, 0.0);
    EXPECT_GT(f->read_energy, 0.0);
    EXPECT_GT(f->write_energy, 0.0);
  }
  EXPECT_GT(deep.area, 15 * small.area);  // storage and multiplexers grow with the entries
  EXPECT_GT(deep.read_energy, small.read_energy);
  EXPECT_NEAR(wide.area / small.area, 2.0, 0.25);  // the port's shared decoding does not double
  // One entry: a register, no read port; the latches alone.
  EXPECT_EQ(one.read_energy, 0.0);
  EXPECT_DOUBLE_EQ(one.area, 8 * (4 * lib[GateKind::nand2].area + lib[GateKind::inv].area));
  EXPECT_THROW(register_file(lib, 0, 8, {}), ConfigError);
  // A second build reads every port from the cache: same figures, no synthesis (yosys not needed).
  const ReadPortTable again = read_ports(lib, key, shapes, cache);
  for (const auto& [shape, f] : ports) EXPECT_EQ(again.at(shape).read_energy, f.read_energy);
  std::size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(cache_dir)) entries += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(entries, 4u);
  fs::remove_all(cache_dir);
}

}  // namespace
}  // namespace deepnvm::accel
