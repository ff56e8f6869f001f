#pragma once
// Small statistics for benchmark samples, one free function each, guarded for tiny samples:
// what cannot be computed from the sample returns NaN or nullopt, never a made-up number.
#include "model/baseline.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ciperf::stats {

double mean(std::span<const double> x);
double median(std::span<const double> x);
double minimum(std::span<const double> x);
double maximum(std::span<const double> x);
// Sample standard deviation (n − 1); NaN below 2 values.
double stddev(std::span<const double> x);
// Median absolute deviation from the median (unscaled).
double mad(std::span<const double> x);
// Linear interpolation between order statistics (Hyndman & Fan type 7, as numpy's default).
double percentile(std::span<const double> x, double q);
// Coefficient of variation: stddev / mean.
double cv(std::span<const double> x);

using Interval = ciperf::Interval; // model/baseline.hpp

// Distribution-free confidence interval of the median from order statistics (binomial ranks).
// nullopt when the sample is too small to reach the confidence (n < 6 for 95%).
std::optional<Interval> median_ci(std::span<const double> x, double confidence = 0.95);

// Percentile bootstrap CI of median(b) / median(a) − 1 with a fixed seed (reproducible). Past
// 400 values in all, the bound from the two medians' order-statistic intervals instead.
std::optional<Interval> relative_change_ci(std::span<const double> a, std::span<const double> b,
                                           double confidence = 0.95, uint64_t seed = 42,
                                           int resamples = 2000);

struct MannWhitney {
  double u = 0; // U of the first sample
  double p = 1; // two-sided
  bool exact = false;
};
// Two-sided Mann-Whitney U test: the exact permutation distribution (average ranks for ties) up to
// 20 values a side, the normal approximation with tie and continuity correction past that.
// p = 1 when either side is empty.
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);
// The smallest two-sided p the test can give at these sample sizes (complete separation, no
// ties): below alpha / m, no amount of change can be called significant among m phases.
double smallest_attainable_p(int n1, int n2);

// Adjusted p-values, in the order given.
std::vector<double> holm(std::span<const double> p);
std::vector<double> benjamini_hochberg(std::span<const double> p);

// Standard normal CDF and its inverse.
double normal_cdf(double z);
double normal_quantile(double p);

// The smallest relative change a two-sided rank test at `alpha` detects with `power`, given the
// phase's coefficient of variation and the sample sizes (normal approximation, inflated by the
// Mann-Whitney test's asymptotic relative efficiency 3/π).
double min_detectable_change(double cv, int n_a, int n_b, double alpha = 0.05, double power = 0.8);
// Runs per side needed to detect `change` (relative) under the same model.
int runs_needed(double cv, double change, double alpha = 0.05, double power = 0.8);

} // namespace ciperf::stats
