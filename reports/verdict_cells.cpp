#include "reports/verdict_cells.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ciperf {

bool blind(const PhaseComparison& c) {
  return c.verdict == Verdict::Unchanged && c.detectability.blind;
}

// The p-values are computed as 1 − Φ(z) or as a ratio of counts: below 1e-6 the digits say
// nothing a CI user acts on, and 0 would claim a certainty no finite sample gives.
std::string p_text(double p) {
  return p < 1e-6 ? "< 1e-6" : fmt::format("{:.3g}", p);
}

std::string noise_text(const PhaseComparison& c) {
  if (c.detectability.below_resolution)
    return "< timer resolution";
  return std::isnan(c.noise) ? "-" : fmt::format("{:.1f}%", 100 * c.noise);
}

std::string detectable_text(const PhaseComparison& c) {
  if (c.verdict == Verdict::NotEnoughData)
    return "-";
  if (!c.detectability.attainable)
    return "none"; // no p can clear alpha / m at these run counts
  return std::isnan(c.min_detectable_change)
             ? "-"
             : fmt::format("{:.1f}%", 100 * c.min_detectable_change);
}

std::string ci_text(const PhaseComparison& c) {
  return c.change_ci
             ? fmt::format("[{:+.1f}%, {:+.1f}%]", 100 * c.change_ci->low, 100 * c.change_ci->high)
             : "-";
}

} // namespace ciperf
