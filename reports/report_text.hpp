#pragma once
// Wording and figures shared by the formats, so that every report says the same thing the same
// way: why a phase failed, its share of the run, the run's phases that count toward the total.
#include "analysis/comparison.hpp"
#include "model/run_record.hpp"

#include <string>

namespace ciperf {

// "exit code 2", "timed out", "killed by signal 9", or the runner's own message.
std::string failure_summary(const PhaseRecord& p);
// A phase that took time of its own: ran, and is not a background service.
bool counts_toward_total(const PhaseRecord& p);
// The phase's share of the run's wall time, 0 for phases that do not count.
double share_of_run(const PhaseRecord& p, const RunRecord& run);
// The classname JUnit viewers group by: pipeline.tier, or the pipeline alone.
std::string junit_classname(const RunRecord& run, const PhaseRecord& p);

// Why a comparison's overall outcome is what it is, in one sentence of plain text (not escaped):
// the regressed phases with their change; or what made it inconclusive (the host moved, too few
// runs, a phase that could not have shown a change of `threshold`); or that every phase was judged.
std::string outcome_reason(const std::vector<PhaseComparison>& verdicts, double threshold);

} // namespace ciperf
