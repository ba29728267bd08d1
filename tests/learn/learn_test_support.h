// SPDX-License-Identifier: MIT
#pragma once
// Shared by the learn tests: a per-process scratch folder (scratch_dir.h) and the
// Debian Fashion-MNIST files, skipped when absent unless CI=true (there a missing data set fails).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/workload/idx.h"
#include "fashion_mnist.h"
#include "scratch_dir.h"

namespace deepnvm_learn_test {

namespace fs = std::filesystem;

using deepnvm::testing::ScratchDir;

}  // namespace deepnvm_learn_test
