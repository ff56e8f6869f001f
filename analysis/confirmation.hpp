#pragma once
// `compare --confirm K`: a regression seen once is judged again with K more candidate runs; what
// each phase that first looked regressed became.
#include "analysis/comparison.hpp"
#include "model/enums.hpp"

#include <string>
#include <vector>

namespace ciperf {

struct ConfirmedPhase {
  std::string pipeline;
  RunMode mode = RunMode::Normal;
  std::string phase;
  double first_change = 0; // the first judgement's change and adjusted p
  double first_p = 1;
  Verdict verdict = Verdict::NotEnoughData; // with the reruns
  double change = 0;
  double p = 1;
  bool confirmed() const { return verdict == Verdict::Regressed; }
};

// What `compare --confirm K` did: no reruns when nothing looked regressed; else the runs made and
// each phase's second verdict (`completed` false when a rerun did not pass: the first stands).
struct Confirmation {
  int requested = 0;
  std::vector<std::string> run_ids;
  bool completed = true;
  int failed_exit_code = 0;
  std::vector<ConfirmedPhase> phases;
};

// The phases `first` called regressed, each with its verdict in `second` (the same group judged
// again with the reruns added).
std::vector<ConfirmedPhase> confirm_phases(const std::string& pipeline, RunMode mode,
                                           const std::vector<PhaseComparison>& first,
                                           const std::vector<PhaseComparison>& second);

} // namespace ciperf
