#pragma once
// The candidate runs of a comparison, grouped by pipeline and mode, with each phase's wall times
// beside the baseline's samples of the same pipeline, phase and mode (normal runs against warm).
#include "analysis/comparison.hpp"
#include "model/baseline.hpp"
#include "model/phase_sample.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ciperf {

struct CandidateGroup {
  std::string pipeline;
  RunMode mode = RunMode::Normal;
  std::set<std::string> runs;
  std::vector<PhaseSamples> phases;

  PhaseSamples& phase(const std::string& name);
};

// Fed the candidates' phases as the store streams them: only their wall times are kept.
class CandidateBuilder {
public:
  void add(const PhaseSample& s);
  std::map<std::pair<std::string, RunMode>, CandidateGroup> finish() { return std::move(groups_); }

private:
  std::map<std::pair<std::string, RunMode>, CandidateGroup> groups_;
};

// Puts the baseline's samples beside the group's phases (a phase only in the baseline gets no
// candidates). Throws UsageError when the baseline has no runs of the group's pipeline and mode.
void attach_baseline(CandidateGroup& group, const Baseline& baseline);

} // namespace ciperf
