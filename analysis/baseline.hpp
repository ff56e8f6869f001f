#pragma once
// A baseline's statistics from a benchmark session's runs.
#include "analysis/statistics.hpp"
#include "model/baseline.hpp"
#include "model/run_record.hpp"

#include <string>
#include <vector>

namespace ciperf {

// Fills in the statistics from `samples` (NaN where the sample is too small; see statistics.hpp).
BaselinePhase summarize(std::string pipeline, std::string phase, RunMode mode, int position,
                        std::vector<double> samples);

// Per (pipeline, phase, mode) of a session's runs, the statistics of the phases that ran.
std::vector<BaselinePhase> summarize_session(const std::vector<RunRecord>& runs);

} // namespace ciperf
