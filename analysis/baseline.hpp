#pragma once
// A named baseline: per (pipeline, phase, mode), the statistics of a benchmark session's runs
// and the samples themselves.
#include "analysis/statistics.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct BaselinePhase {
  std::string pipeline;
  std::string phase;
  std::string mode;
  int position = 0;
  std::vector<double> samples; // wall seconds
  int n = 0;
  double median = 0, mean = 0, stddev = 0, mad = 0, min = 0, max = 0, p95 = 0, cv = 0;
  std::optional<stats::Interval> median_ci;
};

struct Baseline {
  std::string name;
  std::string session;
  std::string created_at;
  int runs_per_mode = 0;
  std::vector<BaselinePhase> phases;
};

// Fills in the statistics from `samples` (NaN where the sample is too small; see statistics.hpp).
BaselinePhase summarize(std::string pipeline, std::string phase, std::string mode, int position,
                        std::vector<double> samples);

} // namespace ciperf
