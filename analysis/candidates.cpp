#include "analysis/candidates.hpp"

#include "common/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ciperf {

PhaseSamples& CandidateGroup::phase(const std::string& name) {
  auto it = std::find_if(phases.begin(), phases.end(),
                         [&](const PhaseSamples& p) { return p.phase == name; });
  return it != phases.end() ? *it : phases.emplace_back(PhaseSamples{name, {}, {}});
}

void CandidateBuilder::add(const PhaseSample& s) {
  CandidateGroup& g = groups_[{s.pipeline, s.mode}];
  g.pipeline = s.pipeline;
  g.mode = s.mode;
  g.runs.insert(s.run_id);
  if (s.counts_toward_total()) {
    PhaseSamples& phase = g.phase(s.name);
    phase.candidate.push_back(s.wall_s);
    phase.test_case = s.kind == PhaseKind::Test;
  }
}

void attach_baseline(CandidateGroup& g, const Baseline& base) {
  bool found = false;
  RunMode wanted = base.per_mode ? g.mode : baseline_mode(g.mode);
  for (const auto& b : base.phases)
    if (b.pipeline == g.pipeline && b.mode == wanted) {
      found = true;
      g.phase(b.phase).base = b.samples;
    }
  if (!found)
    throw UsageError(fmt::format("baseline '{}' has no {} runs of pipeline '{}'", base.name,
                                 to_string(baseline_mode(g.mode)), g.pipeline));
}

} // namespace ciperf
