// SPDX-License-Identifier: MIT
#pragma once

// The IDX file format of (Fashion-)MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/, "FILE
// FORMATS"): a 4-byte magic {0, 0, type, rank} with type 0x08 (unsigned byte), then `rank` big-endian
// 32-bit dimensions, then the data in row-major order. Files may be gzip-compressed, as Debian's
// dataset-fashion-mnist ships them (/usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz).
//
// No libtorch here: the reader is plain C++ so that it can be tested and reused on its own.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace deepnvm::learn {

/// @brief An unsigned-byte IDX array: its dimensions and its elements in row-major order.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;
};

/// @brief Reads an unsigned-byte IDX file (plain or gzip) of rank `expected_rank`. A missing,
/// unreadable, truncated or over-long file, a bad magic or a wrong rank is an IoError naming the file
/// and what was expected.
IdxArray read_idx(const std::filesystem::path& path, int expected_rank);

/// @brief Images (N×rows×cols bytes, 0 = background) and their labels (N bytes, 0..classes-1).
struct ImageSet {
  std::int64_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels, labels;
};

/// @brief An image file (rank 3) and its label file (rank 1): IoError if the counts differ or a
/// label is not below `classes`.
ImageSet read_image_set(const std::filesystem::path& images, const std::filesystem::path& labels, int classes = 10);

/// @brief Fashion-MNIST (Xiao et al. 2017, arXiv:1708.07747): 60 000 training and 10 000 test images.
struct FashionMnist {
  ImageSet train, test;
};

/// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// @brief Reads {train,t10k}-{images-idx3,labels-idx1}-ubyte from `dir`, each plain or with `.gz`
/// (the plain file wins when both exist). IoError naming the missing file otherwise.
FashionMnist load_fashion_mnist(const std::filesystem::path& dir);

}  // namespace deepnvm::learn
