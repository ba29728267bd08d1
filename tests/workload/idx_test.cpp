// SPDX-License-Identifier: MIT
// The IDX reader: good files (plain and gzip), and each malformation named in the error.
#include <zlib.h>

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/idx.h"
#include "fashion_mnist.h"
#include "scratch_dir.h"

namespace {

using namespace deepnvm;
using deepnvm::testing::ScratchDir;

std::vector<std::uint8_t> idx_bytes(std::uint8_t rank, const std::vector<std::uint32_t>& dims,
                                    const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> b{0, 0, 0x08, rank};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(d >> shift));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

void write(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gz(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes) {
  gzFile f = gzopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(f);
}

std::string error_of(const std::filesystem::path& p, int rank) {
  try {
    read_idx(p, rank);
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), p.string());
    return e.what();
  }
  ADD_FAILURE() << "no error for " << p;
  return {};
}

const std::vector<std::uint8_t> kPixels{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255};  // 3 images of 2x2

TEST(Idx, ReadsPlainAndGzipFilesAlike) {
  const ScratchDir dir("idx-good");
  write(dir.path() / "images", idx_bytes(3, {3, 2, 2}, kPixels));
  write_gz(dir.path() / "images.gz", idx_bytes(3, {3, 2, 2}, kPixels));
  for (const char* name : {"images", "images.gz"}) {
    const IdxArray a = read_idx(dir.path() / name, 3);
    EXPECT_EQ(a.dims, (std::vector<std::int64_t>{3, 2, 2})) << name;
    EXPECT_EQ(a.data, kPixels) << name;
  }
}

TEST(Idx, ImageSetPairsImagesWithLabels) {
  const ScratchDir dir("idx-set");
  write(dir.path() / "images", idx_bytes(3, {3, 2, 2}, kPixels));
  write(dir.path() / "labels", idx_bytes(1, {3}, {9, 0, 4}));
  const ImageSet s = read_image_set(dir.path() / "images", dir.path() / "labels");
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.rows, 2);
  EXPECT_EQ(s.cols, 2);
  EXPECT_EQ(s.labels, (std::vector<std::uint8_t>{9, 0, 4}));
  write(dir.path() / "few", idx_bytes(1, {2}, {1, 2}));
  EXPECT_THROW(read_image_set(dir.path() / "images", dir.path() / "few"), IoError);
  write(dir.path() / "bad-label", idx_bytes(1, {3}, {1, 10, 2}));
  try {
    read_image_set(dir.path() / "images", dir.path() / "bad-label");
    ADD_FAILURE() << "label 10 accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("label 10"), std::string::npos) << e.what();
  }
}

TEST(Idx, TruncatedFileIsAnErrorNamingTheFile) {
  const ScratchDir dir("idx-trunc");
  std::vector<std::uint8_t> b = idx_bytes(3, {3, 2, 2}, kPixels);
  b.pop_back();
  write(dir.path() / "short", b);
  EXPECT_NE(error_of(dir.path() / "short", 3).find("truncated"), std::string::npos);
  write_gz(dir.path() / "short.gz", b);
  EXPECT_NE(error_of(dir.path() / "short.gz", 3).find("truncated"), std::string::npos);
  write(dir.path() / "header", {0, 0, 8, 3, 0, 0});
  EXPECT_NE(error_of(dir.path() / "header", 3).find("header"), std::string::npos);
  b = idx_bytes(3, {3, 2, 2}, kPixels);
  b.push_back(0);
  write(dir.path() / "long", b);
  EXPECT_NE(error_of(dir.path() / "long", 3).find("more data"), std::string::npos);
}

TEST(Idx, BadMagicOrRankIsAnErrorSayingWhatWasExpected) {
  const ScratchDir dir("idx-magic");
  std::vector<std::uint8_t> b = idx_bytes(3, {3, 2, 2}, kPixels);
  b[2] = 0x0D;  // float data
  write(dir.path() / "float", b);
  const std::string e = error_of(dir.path() / "float", 3);
  EXPECT_NE(e.find("bad IDX magic 00 00 0d 03"), std::string::npos) << e;
  EXPECT_NE(e.find("expected 00 00 08 03"), std::string::npos) << e;
  write(dir.path() / "labels", idx_bytes(1, {3}, {1, 2, 3}));
  EXPECT_NE(error_of(dir.path() / "labels", 3).find("rank 3"), std::string::npos);
  write(dir.path() / "text", {'h', 'e', 'l', 'l', 'o', '\n'});
  EXPECT_NE(error_of(dir.path() / "text", 1).find("bad IDX magic"), std::string::npos);
}

TEST(Idx, MissingFilesAreNamed) {
  const ScratchDir dir("idx-missing");
  EXPECT_NE(error_of(dir.path() / "nothing", 3).find("no such file"), std::string::npos);
  try {
    load_fashion_mnist(dir.path());
    ADD_FAILURE() << "empty folder accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("dataset-fashion-mnist"), std::string::npos) << e.what();
  }
}

TEST(Idx, DebianFashionMnistHasItsDocumentedSizes) {
  DEEPNVM_REQUIRE_FASHION_MNIST();
  const FashionMnist f = load_fashion_mnist(kDebianFashionMnistDir);
  EXPECT_EQ(f.train.count, 60000);
  EXPECT_EQ(f.test.count, 10000);
  EXPECT_EQ(f.train.rows, 28);
  EXPECT_EQ(f.train.cols, 28);
  std::vector<int> per_class(10);
  for (const std::uint8_t l : f.test.labels) ++per_class[l];
  for (const int c : per_class) EXPECT_EQ(c, 1000);  // Xiao et al. 2017: 1,000 test images per class
}

}  // namespace
