// SPDX-License-Identifier: MIT
// The generated PE RTL, verilated, against the C++ reference mac() bit for bit: exhaustive over
// activation x weight code where both are at most 8 bits (with corner and random accumulators), random
// and corner vectors above. One width per PE type here; the full sweep is the characterization flow's.
// Without verilator on PATH the test is skipped, except in CI (CI=true), where that is a failure.
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "deepnvm/accel/pe.h"
#include "deepnvm/accel/rtl.h"

namespace deepnvm::accel {
namespace {

namespace fs = std::filesystem;

struct Vector {
  std::int64_t act, acc;
  std::uint64_t code;
};

// Reads "act code acc" lines, drives the model, writes acc_out (as unsigned bits) per line.
constexpr const char* kHarness = R"(#include <cstdint>
#include <cstdio>
#include <type_traits>
#include "Vpe.h"
#include "verilated.h"
int main(int argc, char** argv) {
  if (argc != 3) return 2;
  VerilatedContext context;
  Vpe top{&context};
  std::FILE* in = std::fopen(argv[1], "r");
  std::FILE* out = std::fopen(argv[2], "w");
  if (!in || !out) return 2;
  long long act = 0, acc = 0;
  unsigned long long code = 0;
  while (std::fscanf(in, "%lld %llu %lld", &act, &code, &acc) == 3) {
    top.act = static_cast<std::remove_reference_t<decltype(top.act)>>(static_cast<unsigned long long>(act) & ACT_MASK);
    top.wcode = static_cast<std::remove_reference_t<decltype(top.wcode)>>(code & CODE_MASK);
    top.acc_in = static_cast<std::remove_reference_t<decltype(top.acc_in)>>(static_cast<unsigned long long>(acc) & ACC_MASK);
    top.eval();
    std::fprintf(out, "%llu\n", static_cast<unsigned long long>(top.acc_out) & ACC_MASK);
  }
  top.final();
  return std::fclose(out) == 0 ? 0 : 1;
}
)";

std::uint64_t mask(int bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

std::int64_t sign_extend(std::uint64_t v, int bits) {
  const std::uint64_t m = 1ull << (bits - 1);
  return static_cast<std::int64_t>(((v & mask(bits)) ^ m) - m);
}

std::vector<Vector> vectors(const PeSpec& pe) {
  const int code_bits = weight_code_bits(pe);
  const std::int64_t amax = (1ll << (pe.act_bits - 1)) - 1, accmax = (1ll << (pe.acc_bits - 1)) - 1;
  std::mt19937_64 rng(20261123);
  auto random_acc = [&] { return sign_extend(rng(), pe.acc_bits); };
  std::vector<std::int64_t> accs{0, 1, -1, accmax, -accmax - 1, random_acc(), random_acc()};
  std::vector<Vector> out;
  if (pe.act_bits <= 8 && code_bits <= 8) {
    for (std::int64_t a = -amax - 1; a <= amax; ++a)
      for (std::uint64_t c = 0; c < (1ull << code_bits); ++c)
        for (const std::int64_t acc : accs) out.push_back({a, acc, c});
    return out;
  }
  const std::vector<std::int64_t> acts{0, 1, -1, amax, -amax - 1};
  const std::vector<std::uint64_t> codes{0, 1, mask(code_bits), mask(code_bits) >> 1, (mask(code_bits) >> 1) + 1};
  for (const std::int64_t a : acts)
    for (const std::uint64_t c : codes)
      for (const std::int64_t acc : accs) out.push_back({a, acc, c});
  for (int i = 0; i < 200000; ++i)
    out.push_back({sign_extend(rng(), pe.act_bits), random_acc(), rng() & mask(code_bits)});
  return out;
}

bool have_verilator() { return std::system("verilator --version >/dev/null 2>&1") == 0; }

class RtlVerilator : public ::testing::TestWithParam<std::tuple<std::string, Overflow>> {};

TEST_P(RtlVerilator, MatchesTheReferenceBitForBit) {
  if (!have_verilator()) {
    if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true")
      FAIL() << "verilator is not on PATH (scripts/install-deps installs it)";
    GTEST_SKIP() << "verilator is not on PATH";
  }
  PeSpec pe = named_pe(std::get<0>(GetParam()));
  pe.overflow = std::get<1>(GetParam());
  const fs::path dir = fs::temp_directory_path() / fmt::format("deepnvm-rtl-{}-{}", pe_name(pe), getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string module = pe_module_name(pe);
  std::ofstream(dir / (module + ".v")) << pe_verilog(pe);
  std::ofstream(dir / "harness.cpp") << kHarness;
  const std::string build = fmt::format(
      "cd '{}' && verilator -Wall --cc --exe --build -j 2 --prefix Vpe --top-module {} -CFLAGS "
      "'-O1 -DACT_MASK={}ull -DCODE_MASK={}ull -DACC_MASK={}ull' -o harness {}.v harness.cpp >build.log 2>&1",
      dir.string(), module, mask(pe.act_bits), mask(weight_code_bits(pe)), mask(pe.acc_bits), module);
  ASSERT_EQ(std::system(build.c_str()), 0) << std::ifstream(dir / "build.log").rdbuf() << "\n" << pe_verilog(pe);

  const std::vector<Vector> vs = vectors(pe);
  {
    std::ofstream in(dir / "in.txt");
    for (const Vector& v : vs) in << v.act << ' ' << v.code << ' ' << v.acc << '\n';
  }
  const std::string run = fmt::format("cd '{}' && obj_dir/harness in.txt out.txt", dir.string());
  ASSERT_EQ(std::system(run.c_str()), 0);
  std::ifstream got(dir / "out.txt");
  std::size_t mismatches = 0, n = 0;
  for (const Vector& v : vs) {
    unsigned long long bits = 0;
    ASSERT_TRUE(got >> bits) << "the harness stopped after " << n << " of " << vs.size() << " vectors";
    ++n;
    const std::int64_t want = mac(pe, v.acc, v.act, v.code);
    if (sign_extend(bits, pe.acc_bits) != want && ++mismatches <= 5)
      ADD_FAILURE() << pe_name(pe) << ": act " << v.act << " code " << v.code << " acc " << v.acc << ": RTL "
                    << sign_extend(bits, pe.acc_bits) << ", reference " << want;
  }
  EXPECT_EQ(mismatches, 0u) << "of " << vs.size() << " vectors";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(OneWidthPerType, RtlVerilator,
                         ::testing::Values(std::tuple{"int16", Overflow::wrap}, std::tuple{"int8", Overflow::wrap},
                                           std::tuple{"int4", Overflow::saturate}, std::tuple{"light1", Overflow::wrap},
                                           std::tuple{"light2", Overflow::saturate}),
                         [](const auto& info) {
                           return std::get<0>(info.param) +
                                  (std::get<1>(info.param) == Overflow::wrap ? "_wrap" : "_saturate");
                         });

}  // namespace
}  // namespace deepnvm::accel
