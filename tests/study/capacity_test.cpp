// SPDX-License-Identifier: MIT
#include <map>

#include <gtest/gtest.h>
#include <unistd.h>

#include "deepnvm/core/error.h"
#include "deepnvm/study/capacity.h"
#include "deepnvm/study/result_cache.h"

namespace deepnvm::study {
namespace {

constexpr std::uint64_t KiB = 1024;

TEST(Capacity, GridHasFourPointsPerOctave) {
  const auto g = slice_grid(128 * KiB, 256 * KiB);
  EXPECT_EQ(g, (std::vector<std::uint64_t>{128 * KiB, 160 * KiB, 192 * KiB, 224 * KiB, 256 * KiB}));
}

TEST(Capacity, SweepCoverBracketsTheRangeWithPartsAtTheTop) {
  EXPECT_EQ(sweep_cover(3 * KiB, 9 * KiB), (std::vector<std::uint64_t>{2 * KiB, 4 * KiB, 8 * KiB, 10 * KiB}));
  EXPECT_EQ(sweep_cover(3 * KiB, 14 * KiB), (std::vector<std::uint64_t>{2 * KiB, 4 * KiB, 8 * KiB, 14 * KiB}));
  EXPECT_EQ(sweep_cover(3 * KiB, 15 * KiB), (std::vector<std::uint64_t>{2 * KiB, 4 * KiB, 8 * KiB, 16 * KiB}));
  EXPECT_EQ(sweep_cover(4 * KiB, 4 * KiB), (std::vector<std::uint64_t>{4 * KiB}));
  EXPECT_EQ(sweep_cover(4 * KiB, 8 * KiB), (std::vector<std::uint64_t>{4 * KiB, 8 * KiB}));
}

TEST(Capacity, SlicePartsAreTheBinaryDigits) {
  EXPECT_EQ(slice_parts(128 * KiB), (std::vector<std::uint64_t>{128 * KiB}));
  EXPECT_EQ(slice_parts(160 * KiB), (std::vector<std::uint64_t>{128 * KiB, 32 * KiB}));
  EXPECT_EQ(slice_parts(224 * KiB), (std::vector<std::uint64_t>{128 * KiB, 64 * KiB, 32 * KiB}));
  EXPECT_THROW(slice_parts(136 * KiB), ModelError);
}

TEST(Capacity, CombinedPartsAddAreaAndLeakageAndWeighEnergyByCapacity) {
  L2Figures a{"t", 128 * KiB, 2, 3.0, 1e-9, 2e-9, 4e-12, 8e-12, 0.5};
  L2Figures b{"t", 32 * KiB, 2, 1.0, 2e-9, 1e-9, 2e-12, 4e-12, 0.25};
  const std::vector<L2Figures> parts{a, b};
  const L2Figures c = combine_parts(parts);
  EXPECT_EQ(c.capacity, 160 * KiB);
  EXPECT_DOUBLE_EQ(c.area, 4.0);
  EXPECT_DOUBLE_EQ(c.leakage, 0.75);
  EXPECT_DOUBLE_EQ(c.read_energy, 0.8 * 4e-12 + 0.2 * 2e-12);
  EXPECT_DOUBLE_EQ(c.read_latency, 2e-9);
  EXPECT_DOUBLE_EQ(c.write_latency, 2e-9);
}

// Area of an L2 of `slices` slices: a fixed periphery per part plus cells.
struct SyntheticArrays {
  double cell_area_per_byte;
  std::map<std::uint64_t, int>* calls;
  L2Figures operator()(std::uint64_t slice) const {
    double area = 0;
    for (const std::uint64_t p : slice_parts(slice)) {
      area += 4 * (1e-9 + cell_area_per_byte * static_cast<double>(p));
      ++(*calls)[p];
    }
    L2Figures f;
    f.technology = "t";
    f.capacity = slice * 4;
    f.slices = 4;
    f.area = area;
    return f;
  }
};

TEST(IsoArea, CapacityGainAboveOneForCellsDenserThanSram) {
  std::map<std::uint64_t, int> calls;
  const SyntheticArrays sram{1e-12, &calls};
  const double budget = sram(128 * KiB).area;
  for (const double density : {1.3, 2.4, 3.3}) {
    const SyntheticArrays nvm{1e-12 / density, &calls};
    const IsoAreaResult r = iso_area_search(budget, 128 * KiB, 8 * KiB, 8192 * KiB, nvm);
    EXPECT_GT(r.slice_bytes, 128 * KiB) << density;
    EXPECT_LE(r.figures.area, budget);
    // The next grid point up would not fit.
    const auto grid = slice_grid(r.slice_bytes, 2 * r.slice_bytes);
    ASSERT_GE(grid.size(), 2u);
    EXPECT_GT(nvm(grid[1]).area, budget) << density;
  }
}

TEST(IsoArea, SearchesBetweenPowersOfTwo) {
  std::map<std::uint64_t, int> calls;
  const SyntheticArrays sram{1e-12, &calls};
  const SyntheticArrays nvm{1e-12 / 1.6, &calls};  // 1.6x denser: 192 KiB fits, 224 KiB does not
  const IsoAreaResult r = iso_area_search(sram(128 * KiB).area, 128 * KiB, 8 * KiB, 8192 * KiB, nvm);
  EXPECT_EQ(r.slice_bytes, 192 * KiB);
}

TEST(IsoArea, WalksDownForCellsLargerThanSram) {
  std::map<std::uint64_t, int> calls;
  const SyntheticArrays sram{1e-12, &calls};
  const SyntheticArrays big{2.5e-12, &calls};
  const IsoAreaResult r = iso_area_search(sram(128 * KiB).area, 128 * KiB, 8 * KiB, 8192 * KiB, big);
  EXPECT_LT(r.slice_bytes, 128 * KiB);
  EXPECT_LE(r.figures.area, sram(128 * KiB).area);
  EXPECT_THROW(iso_area_search(1e-30, 128 * KiB, 8 * KiB, 8192 * KiB, big), ModelError);
}

TEST(ResultCache, StoresAndComparesTheFullKey) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("deepnvm_study_cache_test-" + std::to_string(static_cast<long>(getpid())));
  std::filesystem::remove_all(dir);
  const ResultCache cache(dir);
  const nlohmann::ordered_json key{{"a", 1}, {"b", "x"}};
  EXPECT_FALSE(cache.get("l2", key));
  cache.put("l2", key, {{"v", 0.1 + 0.2}});
  const auto hit = cache.get("l2", key);
  ASSERT_TRUE(hit);
  EXPECT_EQ((*hit)["v"].get<double>(), 0.1 + 0.2);
  EXPECT_FALSE(cache.get("l2", nlohmann::ordered_json{{"a", 2}, {"b", "x"}}));
  EXPECT_FALSE(ResultCache().get("l2", key));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deepnvm::study
