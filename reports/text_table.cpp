#include "reports/text_table.hpp"

#include <algorithm>

namespace ciperf {

std::string TextTable::render(std::string (*decorate)(size_t, const std::string&, bool),
                              bool color) const {
  std::vector<size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  };
  measure(header);
  for (const auto& row : rows)
    measure(row);
  auto line = [&](const std::vector<std::string>& row, bool is_header) {
    std::string out;
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      std::string pad(width[c] - row[c].size(), ' ');
      std::string cell = decorate && !is_header ? decorate(c, row[c], color) : row[c];
      bool right = c < right_aligned.size() && right_aligned[c];
      out += right ? pad + cell : cell + pad;
      out += c + 1 < row.size() ? "  " : "";
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    return out + "\n";
  };
  std::string out = line(header, true);
  for (const auto& row : rows)
    out += line(row, false);
  return out;
}

} // namespace ciperf
