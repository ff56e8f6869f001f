#pragma once
// Seeded simulations of many comparisons: how often the verdicts flag a phase when nothing
// changed (A/A), and how often they find a real shift (power). Used by the tests that hold the
// statistics to their promises and by `bench/run stats`, which reports the figures.
#include "analysis/comparison.hpp"

#include <cstdint>

namespace ciperf {

struct SimulationSpec {
  uint64_t seed = 1;
  int trials = 1000;
  int phases = 20;
  int runs = 10;      // per side
  double cv = 0.03;   // noise of every phase
  double shift = 0.0; // relative shift of the first phase's candidate
  CompareOptions options;
};

struct SimulationResult {
  double any_flagged = 0;    // share of trials where some phase was regressed or improved
  double first_detected = 0; // share of trials where the first phase was called regressed
};

SimulationResult simulate_comparisons(const SimulationSpec& spec);

} // namespace ciperf
