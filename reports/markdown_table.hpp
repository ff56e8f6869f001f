#pragma once
// A GitHub-flavoured Markdown table, every cell escaped (markdown_escape: pipes, markup, no live
// mention): the views that write Markdown tables of their own (sweep, fleet) share it.
#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

void write_markdown_table(const std::vector<std::string>& header,
                          const std::vector<std::vector<std::string>>& rows, std::ostream& out);

} // namespace ciperf
