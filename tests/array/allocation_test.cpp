// SPDX-License-Identifier: MIT
// The search allocates per distinct mat, never per candidate: counted with a replaced global
// operator new (this test binary only).
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <new>

#include <gtest/gtest.h>

#include "deepnvm/array/evaluate.h"
#include "reference_data.h"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace deepnvm {
namespace {

TEST(SearchAllocations, StayFarBelowTheNumberOfCandidates) {
  if (!testing::have_nvsim_reference()) GTEST_SKIP() << "no reference data";
  const auto dir = testing::nvsim_reference_dir();
  NvsimConfig config = load_nvsim_config(dir / "inputs" / "nvsim-B-13.cfg");
  config.cell_file = dir / "cells" / config.cell_file_as_written;
  const std::uint64_t before = allocations.load();
  const ArrayResult r = evaluate_nvsim_config(config, DEEPNVM_DATA_DIR, 1);
  const std::uint64_t used = allocations.load() - before;
  ASSERT_GT(r.candidates, 1'000'000u);
  // Loading the tables and the cell costs a few thousand, the mat pool grows to its working set once,
  // and each new best keeps its own copy of its mat: about 30 000 in all here.
  EXPECT_LT(used, r.candidates / 100) << used << " allocations for " << r.candidates << " candidates";
  std::cout << used << " allocations for " << r.candidates << " candidates\n";
}

}  // namespace
}  // namespace deepnvm
