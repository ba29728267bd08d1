// SPDX-License-Identifier: MIT
#pragma once
// Tests that read Debian's Fashion-MNIST files: skipped when they are absent, except under CI=true,
// where a missing data set fails (scripts/install-deps installs dataset-fashion-mnist).
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/workload/idx.h"

namespace deepnvm::testing {

inline bool have_fashion_mnist() {
  return std::filesystem::exists(std::filesystem::path(deepnvm::kDebianFashionMnistDir) / "train-images-idx3-ubyte.gz");
}

}  // namespace deepnvm::testing

#define DEEPNVM_REQUIRE_FASHION_MNIST()                                                             \
  do {                                                                                              \
    if (!deepnvm::testing::have_fashion_mnist()) {                                                  \
      const char* ci = std::getenv("CI");                                                           \
      if (ci && std::string(ci) == "true") FAIL() << "Fashion-MNIST missing: scripts/install-deps"; \
      GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";                            \
    }                                                                                               \
  } while (0)
