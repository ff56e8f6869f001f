#pragma once
// Aligned plain-text tables, shared by every command that prints one. Every cell is shown
// through terminal_escape: a table never carries a control character or a CI command.
#include <string>
#include <vector>

namespace ciperf {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right_aligned; // per column; missing means left

  // `decorate` may wrap a cell (colour) after its width was measured.
  std::string render(std::string (*decorate)(size_t column, const std::string& cell,
                                             bool color) = nullptr,
                     bool color = false) const;
};

} // namespace ciperf
