#include "analysis/confirmation.hpp"

#include <algorithm>

namespace ciperf {

std::vector<ConfirmedPhase> confirm_phases(const std::string& pipeline, RunMode mode,
                                           const std::vector<PhaseComparison>& first,
                                           const std::vector<PhaseComparison>& second) {
  std::vector<ConfirmedPhase> out;
  for (const auto& f : first) {
    if (f.verdict != Verdict::Regressed)
      continue;
    ConfirmedPhase c{pipeline, mode, f.phase, f.change, f.p_adjusted};
    auto again = std::find_if(second.begin(), second.end(),
                              [&](const PhaseComparison& s) { return s.phase == f.phase; });
    if (again != second.end()) {
      c.verdict = again->verdict;
      c.change = again->change;
      c.p = again->p_adjusted;
    }
    out.push_back(c);
  }
  return out;
}

} // namespace ciperf
