#pragma once
// `ciperf compare`'s answer: per candidate group, the phase verdicts as a table or JSON, what the
// runs say about the host when it changed, and what `--confirm` reruns made of a regression.
#include "analysis/candidates.hpp"
#include "analysis/confirmation.hpp"
#include "analysis/flaky_tests.hpp"
#include "analysis/host_evidence.hpp"
#include "reports/view_format.hpp"

#include <iosfwd>
#include <optional>
#include <vector>

namespace ciperf {

struct ComparedGroup {
  const CandidateGroup* group = nullptr;
  std::vector<PhaseComparison> rows;
  std::optional<HostEvidence> host; // when host_changed(rows)
};

void write_comparison(const std::vector<ComparedGroup>& groups, const Baseline& baseline,
                      double threshold, Outcome outcome, ViewFormat format, std::ostream& out,
                      const std::optional<Confirmation>& confirmation = std::nullopt,
                      const std::vector<FlakyTest>* flaky = nullptr); // with --tests

} // namespace ciperf
