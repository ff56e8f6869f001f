#pragma once
// Change points in one series of measurements in run order (a phase's wall time, its CPU, …):
// the runs after which the level moved and stayed moved.
//
// The method, and why: values go to log space (changes are relative), isolated outliers are
// clipped to 3 robust sigmas around a running median (a CI host's one-off stalls must not open a
// segment), then binary segmentation with the CUSUM statistic proposes splits (O(n log n): a
// 50,000-run history takes milliseconds, where E-divisive's energy statistic is O(n²) per split),
// screened by the Brownian-bridge tail of the normalised statistic. Each proposal is then tested
// on its own neighbourhood (up to `window` runs each side, bounded by the neighbouring changes)
// with a permutation test of the maximal CUSUM, so the p-value accounts for having picked the
// best split, and kept only when the medians on either side differ by at least `min_change`.
// bench/run changes compares it with E-divisive (analysis/e_divisive.hpp) on seeded series.
#include "model/baseline.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ciperf {

struct ChangePointOptions {
  double alpha = 0.01;      // keep a change whose permutation p is at most this
  double min_change = 0.05; // and whose medians differ by at least this, relative
  double min_absolute = 0;  // and by at least this, in the series' unit (a timer's resolution)
  int min_segment = 5;      // values on each side of a change, at least
  int window = 50;          // values each side that the test and the medians use, at most
  int permutations = 999;
  uint64_t seed = 1; // the permutations are drawn from it: the same series gives the same answer
};

struct ChangePoint {
  size_t at = 0; // index of the first value after the change
  double before_median = 0, after_median = 0;
  std::optional<Interval> before_ci, after_ci; // of each median, 95%
  size_t before_n = 0, after_n = 0;            // values the medians are over
  double relative_change = 0;                  // after / before − 1
  double p = 1;                                // permutation p of a change in the neighbourhood
};

// The change points of `values` (non-negative; in run order), in order. Fewer than
// 2 × min_segment values, or a series that never moves, gives none.
std::vector<ChangePoint> find_change_points(std::span<const double> values,
                                            const ChangePointOptions& options = {});

// The series as the detector sees it: log values with isolated outliers clipped. Exposed for the
// benchmark's comparison, which gives E-divisive the same input.
std::vector<double> robust_log_series(std::span<const double> values);

} // namespace ciperf
