#pragma once
// An unrecorded run before a measured session, so that the first recorded run is not the one
// that fills the caches. It goes to a throwaway store and directory.
#include "pipeline/pipeline.hpp"

#include <string>

namespace ciperf {

// The run's exit code (README "Commands").
int warm_up(const Pipeline& pipeline, RunMode mode = RunMode::Warm);
// The pipeline's name as a session prints it: redacted as its stored runs are, and escaped.
std::string shown_name(const Pipeline& pipeline);

} // namespace ciperf
