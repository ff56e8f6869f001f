#include "reports/human_units.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ciperf {

std::string human_seconds(double s) {
  if (s < 10)
    return fmt::format("{:.2f}s", s);
  if (s < 60)
    return fmt::format("{:.1f}s", s);
  auto whole = static_cast<int64_t>(std::llround(s));
  if (whole < 3600)
    return fmt::format("{}m{:02d}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02d}m", whole / 3600, (whole % 3600) / 60);
}

std::string human_bytes(int64_t b) {
  constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(b);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{}B", b) : fmt::format("{:.1f}{}", value, units[unit]);
}

} // namespace ciperf
