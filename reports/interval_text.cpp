#include "reports/interval_text.hpp"

#include "analysis/run_table.hpp"
#include "reports/human_units.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ciperf {

std::string relative_text(double relative) {
  return std::isfinite(relative) ? fmt::format("{:+.1f}%", relative * 100) : "from 0";
}

std::string seconds_ci(const std::optional<Interval>& ci) {
  return ci ? human_seconds(ci->low) + ".." + human_seconds(ci->high) : "-";
}

std::string difference_ci(const std::optional<Interval>& ci) {
  return ci ? fmt::format("{:+.2f}s..{:+.2f}s", ci->low, ci->high) : "-";
}

std::string cold_cost_note(const GapRow& row) {
  if (row.within_noise)
    return "no cold cost";
  return row.ci && row.ci->high < 0 ? "faster cold" : "";
}

std::string gap_noise_note(const ColdWarmGap& gap) {
  if (!holds_zero(gap.gap_ci))
    return "";
  return "the gap's 95% CI holds 0: these runs cannot tell cold from warm, and the shares split "
         "noise";
}

} // namespace ciperf
