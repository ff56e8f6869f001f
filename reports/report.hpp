#pragma once
// What a report shows, assembled once from the store and handed to whichever format writes it:
// the runs themselves, and the analyses over the selection they came from. Formats that export
// runs (JUnit, trace, OTLP, CSV) write every run; the overview formats (Markdown, HTML) show the
// newest run and the analyses.
#include "analysis/attribution.hpp"
#include "analysis/baseline.hpp"
#include "analysis/comparison.hpp"
#include "model/run_record.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct ReportRun {
  RunRecord record;
  std::map<int, std::string> log_tails; // phase index → the end of its log, for failed phases
};

// One phase's wall time over the recent runs of the pipeline, oldest first.
// A change point in a trend (analysis/change_points.hpp over the trend's own runs).
struct TrendChange {
  size_t at = 0; // index into Report::trend_runs of the first run after it
  double before = 0, after = 0, relative = 0; // medians either side; after / before − 1
};

struct PhaseTrend {
  std::string phase;
  std::vector<double> walls; // NaN where a run did not run the phase
  std::vector<TrendChange> changes;
};

// The change points of the trend's walls, as indices into its runs.
std::vector<TrendChange> trend_changes(const std::vector<double>& walls);

struct Report {
  std::string title;
  std::vector<ReportRun> runs; // newest first
  int selected_runs = 0;       // the runs the analyses cover
  std::optional<Pareto> pareto;
  std::optional<ColdWarmGap> gap;
  std::vector<ResourceRow> resources;
  std::optional<Baseline> baseline;      // cold and warm samples: box plots, hyperfine's layout
  bool baseline_named = false;           // asked for (--baseline), not the run's newest one
  std::vector<PhaseComparison> verdicts; // the newest run's pipeline against the baseline
  std::vector<std::string> trend_runs;   // run ids, oldest first
  std::vector<PhaseTrend> trends;
  // Mean user and system seconds per (pipeline, phase, mode) of the baseline's session runs.
  std::map<std::string, std::pair<double, double>> baseline_cpu;
};

} // namespace ciperf
