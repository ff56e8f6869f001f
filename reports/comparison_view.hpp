#pragma once
// `ciperf compare`'s answer: per candidate group, the phase verdicts as a table or JSON.
#include "analysis/candidates.hpp"
#include "reports/view_format.hpp"

#include <iosfwd>
#include <vector>

namespace ciperf {

struct ComparedGroup {
  const CandidateGroup* group = nullptr;
  std::vector<PhaseComparison> rows;
};

void write_comparison(const std::vector<ComparedGroup>& groups, const Baseline& baseline,
                      double threshold, Outcome outcome, ViewFormat format, std::ostream& out);

} // namespace ciperf
