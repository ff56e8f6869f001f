#include "reports/share_bar.hpp"

#include <algorithm>
#include <cmath>

namespace ciperf {

std::string share_bar(double share, int cells) {
  static const char* const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (!(share > 0))
    return "";
  long total = std::lround(std::min(share, 1.0) * cells * 8);
  std::string bar;
  for (long i = 0; i < total / 8; ++i)
    bar += "█";
  bar += eighths[total % 8];
  return bar.empty() ? "▏" : bar; // a phase with any share at all shows a sliver
}

} // namespace ciperf
