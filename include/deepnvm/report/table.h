// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace deepnvm {

/// @brief A plain-text table for the terminal: a header row, aligned columns, numbers right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  Table& row(std::vector<std::string> cells);
  std::string str() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace deepnvm
