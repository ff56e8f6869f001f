#pragma once
// What a comparison could have seen: the noise of a phase, robustly estimated, turned into the
// power of the decision rule actually used (Mann-Whitney at alpha / m for m phases, the smallest
// p the test can reach at these run counts, and the threshold). A comparison that could not have
// flagged a threshold-sized change must not pass as "no regression".
#include <span>

namespace ciperf {

// Relative spread from the median absolute deviation (the interquartile range when half the
// values tie): one outlier does not inflate it the way it inflates the standard deviation.
// NaN below 3 values or at a non-positive median; 0 when the timer cannot resolve the noise.
double robust_cv(std::span<const double> x);
// The robust standard deviation behind robust_cv (1.4826 × MAD, else IQR / 1.349).
double robust_sd(std::span<const double> x);
// Values more than 3 robust standard deviations from the median (any value off the median when
// the rest tie exactly).
int count_outliers(std::span<const double> x);

struct DecisionRule {
  double alpha = 0.05;
  double threshold = 0.05;
  double power = 0.8; // asked of "detectable" and "runs needed"
  int phases = 1;     // m, the Holm factor at the first step
  int min_runs = 3;
};

struct Detectability {
  double power_at_threshold = 0;    // of the significance test at a threshold-sized shift
  double min_detectable_change = 0; // NaN when nothing is detectable or the noise is unknown
  int runs_needed = -1;             // per side, never below the rule's minimum; -1 unknown
  bool attainable = false;          // the smallest attainable p clears alpha / m
  bool blind = true;                // could not have seen a threshold-sized change
  bool below_resolution = false;    // no spread at all: noise under the timer's resolution
};

Detectability assess_detectability(double cv, int n_base, int n_candidate,
                                   const DecisionRule& rule);
// The same for A/B pairs judged by the signed-rank test on their log ratios: `sd` is the robust
// standard deviation of those log ratios, and runs mean pairs.
Detectability assess_paired_detectability(double sd, int pairs, const DecisionRule& rule);

} // namespace ciperf
