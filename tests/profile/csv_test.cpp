// SPDX-License-Identifier: MIT
// The CSV reader and the number syntax of the profiler files.
#include <gtest/gtest.h>

#include "deepnvm/core/error.h"
#include "deepnvm/profile/csv.h"
#include "expect_config_error.h"

namespace deepnvm {
namespace {

std::vector<CsvRecord> read_all(std::string_view text) {
  CsvReader reader(text, "t.csv");
  std::vector<CsvRecord> out;
  while (!reader.at_end()) out.push_back(reader.read_record());
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, QuotedFieldsKeepCommasDoubledQuotesAndLineBreaks) {
  const auto records = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[1].fields, (Fields{"two\nlines", "", "x"}));
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].fields, (Fields{"last"}));
  EXPECT_EQ(records[2].line, 4u);  // the quoted line break counted
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  const auto records = read_all(",,\n\"\",a,\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(records[1].fields, (Fields{"", "a", ""}));
}

TEST(CsvReader, ToleratesTheUnescapedQuotesNcuWritesInNvtxCells) {
  // Verbatim shape of an ncu 2025.3 NVTX cell whose range name holds quotes (see csv.h).
  const auto records = read_all("\"500  \"\"<d>:conv1, \"q\":none\"\" \",\"next\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"500  \"<d>:conv1, \"q\":none\" ", "next"}));
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorAtItsLine) {
  testing::expect_config_error([] { read_all("a,b\nc,\"open\nstill open"); }, "t.csv", 3, "",
                               "unterminated quoted field (opened on line 2)");
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsAnError) {
  testing::expect_config_error([] { read_all("ok\nab\"c,d\n"); }, "t.csv", 2, "", "quote inside an unquoted field");
}

TEST(CsvReader, PeekAndSkipWalkPhysicalLines) {
  CsvReader reader("==PROF== \"odd\nx,y\r\n", "t.csv");
  EXPECT_EQ(reader.peek_line(), "==PROF== \"odd");
  reader.skip_line();
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(reader.peek_line(), "x,y");
  EXPECT_EQ(reader.read_record().fields, (Fields{"x", "y"}));
  EXPECT_TRUE(reader.at_end());
}

TEST(ParseCsvLine, RejectsALineThatIsNotCsvOnItsOwn) {
  EXPECT_EQ(parse_csv_line("\"ID\",\"Kernel Name\""), (Fields{"ID", "Kernel Name"}));
  EXPECT_FALSE(parse_csv_line("say \"hi\""));
  EXPECT_FALSE(parse_csv_line("\"open"));
}

}  // namespace
}  // namespace deepnvm
