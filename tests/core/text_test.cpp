// SPDX-License-Identifier: MIT
#include "deepnvm/core/text.h"

#include <gtest/gtest.h>

namespace deepnvm {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("capacity", "capacty"), 1u);
  EXPECT_EQ(edit_distance("ways", "wasy"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> keys{"capacity", "associativity", "line_size", "ways"};
  EXPECT_EQ(closest_match("capacty", keys), "capacity");
  EXPECT_EQ(closest_match("Capacity", keys), "capacity");
  EXPECT_EQ(closest_match("asociativity", keys), "associativity");
  EXPECT_EQ(closest_match("line-size", keys), "line_size");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  EXPECT_EQ(closest_match("x", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("wyas", keys), " (did you mean 'ways'?)");
  EXPECT_EQ(did_you_mean("zzzzzz", keys), "");
}

TEST(CsvField, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("features.0"), "features.0");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(QuotedList, JoinsWithCommasAndOr) {
  const std::vector<std::string> items{"a", "b", "c"};
  EXPECT_EQ(quoted_list(items), "'a', 'b' or 'c'");
  EXPECT_EQ(quoted_list(std::span(items).first(1)), "'a'");
}

}  // namespace
}  // namespace deepnvm
