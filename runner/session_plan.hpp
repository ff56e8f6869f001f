#pragma once
// The order of a baseline session's runs: rounds, each running every pipeline cold and warm,
// alternating which mode goes first and rotating the pipelines, so that drift of the machine
// over the session hits cold and warm, and every pipeline, alike.
#include "model/enums.hpp"

#include <cstddef>
#include <vector>

namespace ciperf {

struct PlannedRun {
  size_t pipeline = 0;
  RunMode mode = RunMode::Cold;
};

std::vector<PlannedRun> plan_session(size_t pipelines, int runs_per_mode);

} // namespace ciperf
