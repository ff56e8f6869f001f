#pragma once
// A concurrency sweep: for each level, that many `ciperf run` instances at once (child
// processes, runner/child_run), the given pipelines mixed round-robin, every run a normal stored
// run labelled `sweep=<id>`, `sweep.level=<n>`, `sweep.slot=<k>`; `$CIPERF_SLOT` (0..level-1)
// is exported to each instance's phases so a pipeline can derive ports and paths from it.
#include "analysis/sweep.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

class Store;

struct SweepOptions {
  std::vector<std::string> files; // pipeline files, absolute
  std::vector<int> levels;        // ascending, distinct
  int runs_per_instance = 2;
  std::optional<double> duration_s; // keep starting runs at a level for this long instead
  std::map<std::string, std::string> labels;
  bool warm_up = true; // one unrecorded run of each pipeline first
};

struct SweepOutcome {
  int exit_code = 0; // 0 measured; 1 a warm-up failed; 130 interrupted
  std::string id;
  std::filesystem::path dir; // the instances' run directories and console logs
  std::string started_at, finished_at;
  std::vector<std::string> pipelines;  // the recorded (redacted) name of each file
  std::vector<SweepLevelInput> levels; // the levels measured, an interrupted one left out
  std::optional<int64_t> mem_available_at_start;
};

SweepOutcome run_sweep(const SweepOptions& options, Store& store);

} // namespace ciperf
