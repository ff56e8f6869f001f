#pragma once
// The reruns of `compare --confirm K`: the candidates' pipeline run K more times in their mode,
// each recorded like `ciperf run` records it, quietly, with a line per run on stderr.
#include "model/enums.hpp"
#include "pipeline/pipeline.hpp"

#include <map>
#include <string>
#include <vector>

namespace ciperf {

class Store;

struct ConfirmationRuns {
  std::vector<std::string> run_ids; // the runs recorded, in order
  int exit_code = 0;                // of the first run that did not pass; 0 when all passed
};

// Stops at the first run that does not pass: a failing pipeline confirms nothing.
ConfirmationRuns run_confirmations(const Pipeline& pipeline, RunMode mode,
                                   const std::map<std::string, std::string>& labels, int count,
                                   Store& store);

} // namespace ciperf
