#pragma once
// Why a series moved: `environment` when the host changed under the runs (kernel or host class
// differs across the change, most phases moved at the same run, or the host's CPU stalls over
// the phase stepped the same way), else `code` (the phase's own CPU, memory or I/O moved with
// it, or it moved alone on an unchanged host). Each verdict comes with its evidence in one line.
#include "analysis/history_series.hpp"

#include <span>
#include <string>
#include <utility>

namespace ciperf {

class CauseJudge {
public:
  // `changes`: every change found in the history's series (all phases, all metrics).
  CauseJudge(const History& history, std::span<const SeriesChange> changes, int tolerance_runs);
  std::pair<ChangeCause, std::string> cause_of(const SeriesChange& change) const;

private:
  std::string host_changed(const SeriesChange& c) const;
  std::string most_phases_moved(const SeriesChange& c) const;
  std::string host_stalls_stepped(const SeriesChange& c) const;
  std::string own_profile_moved(const SeriesChange& c) const;
  // The changes of `metric` in `phase` ("*": any phase) within the tolerance of `run`, in the
  // direction of `sign`.
  std::vector<const SeriesChange*> near(const std::string& phase, ChangeMetric metric, uint32_t run,
                                        double sign) const;

  const History& history_;
  std::span<const SeriesChange> changes_;
  uint32_t tolerance_;
  size_t phases_with_history_ = 0; // phases with enough runs for a wall series
};

} // namespace ciperf
