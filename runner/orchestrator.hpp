#pragma once
// Runs a pipeline: phases in order, skipping after a failure except `always` phases, background
// services until the end, the cold prepare step, budgets, the deploy-count expectation, and the
// record of it all in the store and in results.json.
#include "model/run_record.hpp"
#include "pipeline/pipeline.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

class Store;

struct RunOptions {
  RunMode mode = RunMode::Normal;
  std::filesystem::path out_dir; // empty: .ciperf/runs/<run-id>
  std::map<std::string, std::string> labels;
  bool verbose = false;
  bool quiet = false; // no per-phase progress (baseline sessions print their own)
  // Groups and annotations on stdout for GitHub Actions (runner/github_actions.hpp).
  bool github_actions = false;
  // Accounting::Rusage turns per-phase cgroups off (the run's cgroup still contains it);
  // Accounting::Cgroup uses them where the host allows, and says once when it does not.
  // Unset: $CIPERF_ACCOUNTING, else cgroup.
  std::optional<Accounting> accounting;
  // Set when the run is exported live (runner/otlp_live.hpp): each phase gets TRACEPARENT naming
  // its span in this trace (an empty id: the one derived from the run id), and TRACESTATE.
  struct Trace {
    std::string trace_id, trace_state;
  };
  std::optional<Trace> trace;
  // The caller keeps the record of a run whose store became unavailable (ciperf run: the
  // spool) and says so; otherwise the run warns that its results.json alone has it.
  bool caller_keeps_lost_run = false;
};

struct RunOutcome {
  RunRecord record;
  int exit_code = 0;
  bool results_written = true; // false when the last results.json checkpoint failed (full disk)
  // Set (to why) when the store became unavailable during the run (StoreUnavailable): from then
  // on nothing more was written to it, and the record is the whole run to keep elsewhere.
  std::optional<std::string> store_lost;
};

// The exit code of `ciperf run` for a run that ended so (README "Commands").
int exit_code_for(RunStatus status);

// The values of the pipeline's secrets (from its env, its phases' env and ciperf's own), for the
// Redactor that masks them in everything a run writes.
std::vector<std::string> secret_values(const Pipeline& pipeline);

RunOutcome run_pipeline(const Pipeline& pipeline, const RunOptions& options, Store& store);

} // namespace ciperf
