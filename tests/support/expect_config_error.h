// SPDX-License-Identifier: MIT
#pragma once

// The bad-input assertion every layer's tests share: `run` must throw a ConfigError naming `file`,
// `line` and `key`, with `expected` somewhere in its message.

#include <cstddef>
#include <string>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"

namespace deepnvm::testing {

template <class F>
void expect_config_error(F&& run, const std::string& file, std::size_t line, const std::string& key,
                         const std::string& expected) {
  try {
    run();
    ADD_FAILURE() << "accepted bad input; expected: " << expected;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), file) << e.what();
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what() << "\nexpected: " << expected;
  }
}

}  // namespace deepnvm::testing
