#pragma once
// A simulated shared CI host whose speed drifts, to hold the two gates to their promises where
// independent noise would flatter them: a slow swing plus a random walk of the host's slowness,
// felt by each phase in proportion to how much it leans on the host (CPU work fully, a sleep not
// at all). `ab` pairs runs back to back; the stored-baseline path judges later runs against a
// session that ran many runs earlier. Used by the tests and by `bench/run stats`.
#include "analysis/comparison.hpp"

#include <cstdint>
#include <vector>

namespace ciperf {

struct DriftSpec {
  uint64_t seed = 1;
  int trials = 1000;
  int phases = 9;
  int runs = 10;              // ab: pairs; stored baseline: the baseline session's runs
  int candidate_runs = 3;     // stored baseline: the later runs judged against it
  int gap_runs = 40;          // stored baseline: runs between the session and the candidates
  double cv = 0.03;           // independent noise of each phase in each run
  double walk = 0.01;         // random-walk step of the host's log slowness, per run
  double swing = 0.10;        // amplitude of its slow swing (log scale)
  int swing_period = 60;      // runs
  std::vector<double> shifts; // planted relative change per phase (B, or the candidates)
  CompareOptions options;
};

struct DriftResult {
  double any_flagged = 0; // some phase called regressed or improved
  double regressed = 0;   // overall outcomes
  double inconclusive = 0;
  double passed = 0;
  std::vector<double> detected; // per phase: share of trials that called it regressed
  double ci_coverage = 0;       // share of phase 0's change intervals that hold its planted shift
};

DriftResult simulate_ab(const DriftSpec& spec);
DriftResult simulate_stored_baseline(const DriftSpec& spec);

} // namespace ciperf
