#pragma once
// Per-phase verdicts of interleaved A/B pairs: each pair ran A and B back to back (in random
// order), so whatever the host did at that moment weighs on both, and the log ratio B/A of a
// pair is free of it. The signed-rank test judges the ratios; Holm and the threshold apply as in
// a comparison against a baseline, and so do the three-valued outcome and its blind spots.
#include "analysis/comparison.hpp"
#include "model/run_record.hpp"

#include <span>
#include <string>
#include <vector>

namespace ciperf {

struct PairedSamples {
  std::string phase;
  std::vector<double> a; // seconds; a[i] and b[i] are the same pair
  std::vector<double> b;
};

struct RunPair {
  const RunRecord* a = nullptr;
  const RunRecord* b = nullptr;
};

// Per phase, its times in the pairs where both runs timed it. A phase that never ran on both
// sides of a pair keeps the one side's times alone: shown, not judged.
std::vector<PairedSamples> paired_phases(std::span<const RunPair> pairs);
// The whole runs' wall times, pair by pair.
PairedSamples paired_walls(std::span<const RunPair> pairs);

// Rows as for compare_phases: n_base = n_candidate = the pairs, base = A, candidate = B, change =
// the Hodges-Lehmann estimate of B/A − 1 with its interval, noise = the robust SD of the log
// ratios, outliers_base = pairs whose ratio is an outlier.
std::vector<PhaseComparison> compare_pairs(const std::vector<PairedSamples>& phases,
                                           const CompareOptions& options = {});

} // namespace ciperf
