// SPDX-License-Identifier: MIT
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "deepnvm/study/study_spec.h"
#include "expect_config_error.h"

namespace deepnvm::study {
namespace {

const std::filesystem::path kData = DEEPNVM_DATA_DIR;

class StudyFile : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    // One folder per test and process: ctest runs the tests of this binary in parallel.
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("deepnvm_study_spec_test-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
         "-" + std::to_string(static_cast<long>(getpid())));
    std::filesystem::create_directories(dir);
    const auto path = dir / "s.yaml";
    std::ofstream(path) << text;
    return path;
  }
  static std::string good(const std::string& extra = "", const std::string& networks = "[alexnet]") {
    return "kind: study\nname: t\ngpu: gtx1080ti\nnode: 16 nm\ntechnologies: [sram, stt_mram]\nnetworks: " + networks +
           "\nmodes: [training]\nbatch: {training: [8]}\n" + extra;
  }
};

TEST_F(StudyFile, TheShippedStudyLoads) {
  const StudySpec s = load_study(kData / "studies" / "deepnvm.yaml", kData);
  EXPECT_EQ(s.gpu, "gtx1080ti");
  EXPECT_EQ(s.technologies, (std::vector<std::string>{"sram", "stt_mram", "sot_mram"}));
  EXPECT_EQ(s.networks.size(), 6u);
  EXPECT_EQ(s.modes.size(), 2u);
  EXPECT_DOUBLE_EQ(s.node, 16e-9);
  EXPECT_DOUBLE_EQ(s.scalability.to, static_cast<double>(1ull << 30));
}

TEST_F(StudyFile, DefaultsApply) {
  const StudySpec s = load_study(write(good()), kData);
  EXPECT_EQ(s.baseline, "sram");
  EXPECT_EQ(s.miss_ratio.method, "sampled");
  EXPECT_TRUE(s.energy.dram);
  EXPECT_TRUE(s.iso_area);
}

TEST_F(StudyFile, UnknownKeyNamesLineAndSuggests) {
  const auto p = write(good("iso_aera: true\n"));
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 9, "iso_aera", "did you mean 'iso_area'");
}

TEST_F(StudyFile, UnknownNetworkListsTheZoo) {
  const auto p = write(good("", "[alexnet, resnet51]"));
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 6, "networks[1]", "known: ");
}

TEST_F(StudyFile, UnknownGpuListsThePresets) {
  auto text = good();
  text.replace(text.find("gtx1080ti"), 9, "gtx1080");
  const auto p = write(text);
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 3, "gpu", "gtx1080ti");
}

TEST_F(StudyFile, UnknownCellListsTheCellIds) {
  auto text = good();
  text.replace(text.find("stt_mram"), 8, "stt_mrma");
  const auto p = write(text);
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 5, "technologies[1]", "stt_mram");
}

TEST_F(StudyFile, ModeWithoutBatchSizeIsAnError) {
  auto text = good();
  text.replace(text.find("[training]"), 10, "[training, inference]");
  const auto p = write(text);
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 1, "batch", "batch.inference");
}

TEST_F(StudyFile, WrongUnitIsAnError) {
  const auto p = write(good("scalability: {to: 1 GB/s}\n"));
  EXPECT_THROW(load_study(p, kData), ConfigError);
}

TEST_F(StudyFile, BaselineMustBeStudied) {
  const auto p = write(good("baseline: sot_mram\n"));
  testing::expect_config_error([&] { load_study(p, kData); }, p.string(), 1, "baseline", "not one of");
}

TEST(DramTable, EveryTypeHasASourceAndTheGpusTypesAreThere) {
  const DramEnergyTable t = load_dram_table(kData / "dram" / "energy.yaml");
  EXPECT_FALSE(t.types.empty());
  for (const DramType& d : t.types) {
    EXPECT_FALSE(d.source.empty()) << d.name;
    EXPECT_GT(d.energy_per_bit, 1e-12) << d.name;
    EXPECT_LT(d.energy_per_bit, 50e-12) << d.name;
  }
  EXPECT_DOUBLE_EQ(t.find("gddr5x").energy_per_bit, 10.75e-12);
  EXPECT_TRUE(t.find("GDDR5X").assumption);
  EXPECT_THROW(t.find("DDR3"), ConfigError);
}

}  // namespace
}  // namespace deepnvm::study
