// SPDX-License-Identifier: MIT
#include "deepnvm/core/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "deepnvm/core/error.h"

namespace deepnvm {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteFileAtomic, ReplacesTheFileAndLeavesNoTemporary) {
  const fs::path dir = fs::temp_directory_path() / "deepnvm-atomic-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path p = dir / "out.json";
  write_file_atomic(p, "first");
  write_file_atomic(p, "second");
  EXPECT_EQ(read(p), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  fs::remove_all(dir);
}

TEST(WriteFileAtomic, FailureIsAnIoErrorAndCreatesNothing) {
  const fs::path p = fs::temp_directory_path() / "deepnvm-no-such-dir" / "out.json";
  try {
    write_file_atomic(p, "x");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), p.string());
  }
  EXPECT_FALSE(fs::exists(p));
}

}  // namespace
}  // namespace deepnvm
