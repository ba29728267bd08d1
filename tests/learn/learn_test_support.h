// SPDX-License-Identifier: MIT
#pragma once
// Shared by the learn tests: a per-process scratch folder (ctest runs tests in parallel) and the
// Debian Fashion-MNIST files, skipped when absent unless CI=true (there a missing data set fails).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/learn/idx.h"

namespace deepnvm_learn_test {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag)
      : path_(fs::temp_directory_path() / ("deepnvm-learn-" + tag + "-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline bool have_fashion_mnist() {
  return fs::exists(fs::path(deepnvm::learn::kDebianFashionMnistDir) / "train-images-idx3-ubyte.gz");
}

#define DEEPNVM_REQUIRE_FASHION_MNIST()                                                             \
  do {                                                                                              \
    if (!deepnvm_learn_test::have_fashion_mnist()) {                                                \
      const char* ci = std::getenv("CI");                                                           \
      if (ci && std::string(ci) == "true") FAIL() << "Fashion-MNIST missing: scripts/install-deps"; \
      GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";                            \
    }                                                                                               \
  } while (0)

}  // namespace deepnvm_learn_test
