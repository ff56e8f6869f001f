#pragma once
// A named baseline: per (pipeline, phase, mode), the statistics of a benchmark session's runs
// and the samples themselves (analysis/baseline.hpp computes them; the store keeps them).
#include "model/enums.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct Interval {
  double low = 0;
  double high = 0;
};

struct BaselinePhase {
  std::string pipeline;
  std::string phase;
  RunMode mode = RunMode::Warm;
  int position = 0;
  std::vector<double> samples; // wall seconds
  int n = 0;
  double median = 0, mean = 0, stddev = 0, mad = 0, min = 0, max = 0, p95 = 0, cv = 0;
  std::optional<Interval> median_ci;
};

struct Baseline {
  std::string name;
  std::string session;
  std::string created_at;
  int runs_per_mode = 0;
  std::vector<BaselinePhase> phases;
  // Not stored: set when the reference is the candidates' own history (compare without a
  // stored baseline), saying which runs it holds.
  std::string history_note;
  // Not stored: each candidate mode judged against runs of its own mode (a history), instead of
  // normal runs against the warm side (a baseline session).
  bool per_mode = false;
};

} // namespace ciperf
