#include "reports/markdown_table.hpp"

#include "common/text_escape.hpp"

#include <ostream>

namespace ciperf {

void write_markdown_table(const std::vector<std::string>& header,
                          const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (const auto& c : cells)
      out << " " << markdown_escape(c) << " |";
    out << "\n";
  };
  line(header);
  out << "|";
  for (size_t i = 0; i < header.size(); ++i)
    out << "---|";
  out << "\n";
  for (const auto& row : rows)
    line(row);
  out << "\n";
}

} // namespace ciperf
