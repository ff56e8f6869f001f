#pragma once
// A share drawn as a bar of Unicode blocks, to eighths of a cell: tables in Markdown and in a
// terminal get a picture of where the time went without any image.
#include <string>

namespace ciperf {

std::string share_bar(double share, int cells = 10);

} // namespace ciperf
