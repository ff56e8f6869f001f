#include "reports/text_table.hpp"

#include "common/text_escape.hpp"

#include <algorithm>

namespace ciperf {

std::string TextTable::render(std::string (*decorate)(size_t, const std::string&, bool),
                              bool color) const {
  // Cells hold names from pipelines and imports: escaped here, once, for every table printed.
  auto escape_row = [](const std::vector<std::string>& row) {
    std::vector<std::string> out;
    out.reserve(row.size());
    for (const auto& cell : row)
      out.push_back(terminal_escape(cell));
    return out;
  };
  std::vector<std::string> head = escape_row(header);
  std::vector<std::vector<std::string>> body;
  body.reserve(rows.size());
  for (const auto& row : rows)
    body.push_back(escape_row(row));
  std::vector<size_t> width(head.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  };
  measure(head);
  for (const auto& row : body)
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
  std::string out = line(head, true);
  for (const auto& row : body)
    out += line(row, false);
  return out;
}

} // namespace ciperf
