#pragma once
// Seeded synthetic histories with known steps, for measuring change-point detectors (tests and
// bench/run changes): log-normal noise around a level that steps at chosen runs, plus the
// one-off slow runs a shared CI host produces (a run stalled behind a co-tenant).
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace ciperf {

struct Step {
  size_t at = 0;       // the first run at the new level
  double relative = 0; // the level's change: +0.1 is 10% slower
};

struct StepSeriesSpec {
  size_t runs = 500;
  double level = 1.0;                          // seconds before the first step
  double cv = 0.03;                            // the noise around the level
  double outlier_rate = 0.02;                  // runs stalled by a co-tenant
  double outlier_min = 1.2, outlier_max = 2.0; // how much slower a stalled run is
  // A drifting host: the level swings by ±drift_swing (relative) over drift_period runs, a
  // co-tenant's load coming and going. 0: a steady host.
  double drift_swing = 0;
  double drift_period = 200;
  std::vector<Step> steps;
};

std::vector<double> simulate_steps(const StepSeriesSpec& spec, std::mt19937_64& rng);

// `count` steps at random runs (at least `spacing` runs apart and from either end), each of a
// random size from `min_relative` to `max_relative`, randomly up or down.
std::vector<Step> random_steps(size_t runs, int count, size_t spacing, double min_relative,
                               double max_relative, std::mt19937_64& rng);

struct DetectionScore {
  int steps = 0, found = 0;      // planted, and found within the tolerance
  int false_alarms = 0;          // reported changes matching no planted step
  double position_error_sum = 0; // runs between a found step and its report
};

// Scores reported change positions against planted steps: a report within `tolerance` runs of a
// step finds it (each step and each report count once).
void score_detection(const std::vector<Step>& planted, const std::vector<size_t>& reported,
                     size_t tolerance, DetectionScore& score);

} // namespace ciperf
