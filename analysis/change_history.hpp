#pragma once
// Change points over a pipeline's stored history, per phase and for the run total, on wall time,
// CPU, peak memory, I/O and own stalls, each labelled with its likely cause: `environment` when
// the host changed under it (kernel or host class, most phases moving at the same run, or host
// stalls stepping with it), `code` otherwise (the phase's own CPU, memory or I/O moved with it,
// or it moved alone on an unchanged host). Fed run by run and phase by phase, oldest first, so
// the caller can stream a store; holds a few numbers per phase of each run.
#include "analysis/change_points.hpp"
#include "analysis/history_series.hpp"
#include "model/phase_sample.hpp"
#include "model/run_record.hpp"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace ciperf {

struct HistoryChange {
  HistoryKey history;
  std::string phase; // "" for the run total
  ChangeMetric metric = ChangeMetric::Wall;
  ChangePoint point;      // indices into the series (the runs that have this figure)
  std::string run_id;     // the first run after the change
  std::string started_at; // of that run
  std::map<std::string, std::string> labels; // of that run (a commit, a branch)
  ChangeCause cause = ChangeCause::Code;
  size_t run_index = 0;  // of that run in its history
  std::string why;       // the evidence for the cause, one line
  bool accepted = false; // a user marked it expected (ciperf changes --accept)
};

struct HistoryOptions {
  ChangePointOptions detector;
  bool mix_host_classes = false;
  std::set<std::string> phases; // show only these (empty: all) and the run total; all phases
                                // stay evidence for the causes
  // Accepted changes: (pipeline, phase or "*" or "" for the total, run id).
  std::set<std::tuple<std::string, std::string, std::string>> accepted;
};

struct HistoryResult {
  std::vector<HistoryChange> changes; // by history, then run order, then phase
  // Per history: the runs analysed, and how many host classes were mixed (1 unless asked).
  std::map<HistoryKey, size_t> runs;
  std::map<HistoryKey, std::set<std::string>> host_classes;
};

class HistoryBuilder {
public:
  explicit HistoryBuilder(HistoryOptions options);
  // Runs in store order, oldest first. Incomplete and failed runs are left out of the run total
  // but their passed phases count.
  void add_run(RunRecord run); // taken by value: its labels move in
  // A phase of a run added before; skipped, failed and background phases are left out.
  void add_phase(const PhaseSample& phase);
  HistoryResult finish();

private:
  bool is_accepted(const History& history, const SeriesChange& change) const;

  HistoryOptions options_;
  std::map<HistoryKey, History> histories_;
  std::unordered_map<std::string, std::pair<History*, uint32_t>>
      run_slot_;            // run id → history, index
  std::string last_run_id_; // of the last phase added, and its slot
  std::pair<History*, uint32_t> last_slot_{};
};

} // namespace ciperf
