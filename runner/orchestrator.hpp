#pragma once
// Runs a pipeline: phases in order, skipping after a failure except `always` phases, background
// services until the end, the cold prepare step, budgets, the deploy-count expectation, and the
// record of it all in the store and in results.json.
#include "analysis/run_record.hpp"
#include "runner/pipeline.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace ciperf {

class Store;

struct RunOptions {
  std::string mode = "normal";   // normal | cold | warm
  std::filesystem::path out_dir; // empty: .ciperf/runs/<run-id>
  std::map<std::string, std::string> labels;
  bool verbose = false;
  bool quiet = false; // no per-phase progress (baseline sessions print their own)
};

struct RunOutcome {
  RunRecord record;
  int exit_code = 0;
};

RunOutcome run_pipeline(const Pipeline& pipeline, const RunOptions& options, Store& store);

} // namespace ciperf
