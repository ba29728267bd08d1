// SPDX-License-Identifier: MIT
#include "deepnvm/core/progress.h"

#include <cstdio>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace deepnvm {
namespace {

TEST(Progress, RendersBarRateAndEta) {
  EXPECT_EQ(Progress::render("search", 50, 100, 4.0, 10), "search [#####-----] 50/100 12.5/s ETA 4s");
  EXPECT_EQ(Progress::render("search", 100, 100, 2.0, 4), "search [####] 100/100 50/s ETA 0s");
  EXPECT_EQ(Progress::render("search", 0, 100, 0.0, 4), "search [----] 0/100 0/s ETA ?");
  EXPECT_EQ(Progress::render("study", 1, 3601, 1.0, 4), "study [----] 1/3601 1/s ETA 1h00m");
}

TEST(Progress, CountsFromManyThreadsAndStaysSilentWhenHidden) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  {
    Progress p("work", 4000, false, sink);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) p.advance();
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(p.done(), 4000u);
  }
  EXPECT_EQ(std::ftell(sink), 0L);  // nothing drawn
  std::fclose(sink);
}

TEST(Progress, VisibleBarIsErasedAtTheEnd) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  {
    Progress p("work", 2, true, sink);
    p.advance(2);
  }
  std::rewind(sink);
  char buffer[256] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, sink);
  const std::string out(buffer, n);
  EXPECT_TRUE(out.ends_with("\r\033[K")) << out;
  std::fclose(sink);
}

}  // namespace
}  // namespace deepnvm
