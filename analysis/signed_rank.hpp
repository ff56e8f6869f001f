#pragma once
// The Wilcoxon signed-rank test and its Hodges-Lehmann estimate, for paired samples: the
// differences of A/B pairs run back to back, where the host's drift is common to both sides of a
// pair and drops out of the difference.
#include "model/baseline.hpp"

#include <optional>
#include <span>

namespace ciperf::stats {

struct SignedRank {
  double p = 1;    // two-sided; 1 when every difference is 0
  int nonzero = 0; // differences that are not 0 (zeros carry no sign: Wilcoxon's rule)
  bool exact = false;
};
// Exact permutation distribution (average ranks for tied |d|, doubled to stay on integers) up to
// 50 nonzero differences; past that the normal approximation with tie and continuity correction.
SignedRank wilcoxon_signed_rank(std::span<const double> d);
// The smallest two-sided p at n nonzero differences (all of one sign): 2 / 2^n.
double smallest_signed_rank_p(int n);

// The median of the Walsh averages (d_i + d_j) / 2, i <= j: the shift the test estimates.
double hodges_lehmann(std::span<const double> d);
// Its distribution-free interval from the signed-rank null distribution (Walsh averages at the
// critical ranks); nullopt below 6 differences at 95%.
std::optional<Interval> hodges_lehmann_ci(std::span<const double> d, double confidence = 0.95);

} // namespace ciperf::stats
