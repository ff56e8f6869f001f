#pragma once
// A baseline session: a warm-up run of each pipeline, then rounds of cold and warm runs in the
// order of session_plan, every run recorded; the baseline is written at the end, whole, only
// when every run passed.
#include "model/baseline.hpp"
#include "model/run_record.hpp"
#include "pipeline/pipeline.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

class Store;

struct SessionOptions {
  int runs_per_mode = 5;
  std::string name; // empty: the session id
  std::map<std::string, std::string> labels;
  std::vector<std::string> tag_sets; // per pipeline: its runs' `tags` label, when not empty
};

struct SessionOutcome {
  int exit_code = 0;
  std::string session;
  std::vector<RunRecord> runs;      // the recorded runs, in order
  std::optional<Baseline> baseline; // written to the store when every run passed
};

SessionOutcome run_baseline_session(const std::vector<Pipeline>& pipelines,
                                    const SessionOptions& options, Store& store);

} // namespace ciperf
