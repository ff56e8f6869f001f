#pragma once
// The inline SVG charts of the HTML report. Each returns a complete <svg> element; every text
// in it is escaped. No script: the charts are static pictures with <title> tooltips.
#include "analysis/attribution.hpp"
#include "analysis/baseline.hpp"
#include "model/run_record.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

// The run's phases on a time axis, probe attempts as ticks on their wait phase.
std::string waterfall_svg(const RunRecord& run);
// Bars of each item's share, largest first, and the cumulative line with the 80% mark.
std::string pareto_svg(const Pareto& pareto);
// One row per phase: the cold and the warm samples as box plots on the phase's own axis.
std::string box_plots_svg(const std::vector<const BaselinePhase*>& cold,
                          const std::vector<const BaselinePhase*>& warm);
// A small line of values (NaN leaves a gap), for a phase's trend over recent runs.
// `changes`: indices of values that start a new level, marked with a dashed line.
std::string sparkline_svg(const std::vector<double>& values,
                          const std::vector<size_t>& changes = {});

// A curve of y over x (both from 0, x at its value: concurrency levels 1, 2, 4 are spaced so),
// each point labelled and with a tooltip; `mark_x`, when set, gets a dashed line (the knee).
struct CurvePoint {
  double x = 0, y = 0;
  std::string label; // the point's value as shown
};
std::string curve_svg(const std::string& title, const std::vector<CurvePoint>& points,
                      std::optional<double> mark_x = std::nullopt);

} // namespace ciperf
