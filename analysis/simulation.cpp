#include "analysis/simulation.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <random>

namespace ciperf {

SimulationResult simulate_comparisons(const SimulationSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::normal_distribution<double> noise(0.0, spec.cv);
  auto sample = [&](double mean) {
    std::vector<double> out;
    for (int i = 0; i < spec.runs; ++i)
      out.push_back(mean * (1 + noise(rng)));
    return out;
  };
  CompareOptions options = spec.options;
  options.change_ci = false; // not needed for verdicts, and the dominant cost
  int flagged = 0, detected = 0;
  for (int t = 0; t < spec.trials; ++t) {
    std::vector<PhaseSamples> phases;
    for (int p = 0; p < spec.phases; ++p) {
      auto base = sample(100);
      // fmt rather than "p" + std::to_string(p): GCC 12 at -O3 warns falsely about the latter
      // (-Wrestrict on the inlined string concatenation).
      phases.push_back(
          {fmt::format("p{}", p), base, sample(p == 0 ? 100 * (1 + spec.shift) : 100)});
    }
    auto result = compare_phases(phases, options);
    flagged += std::any_of(result.begin(), result.end(), [](const PhaseComparison& c) {
      return c.verdict == Verdict::Regressed || c.verdict == Verdict::Improved;
    });
    detected += result[0].verdict == Verdict::Regressed;
  }
  return {static_cast<double>(flagged) / spec.trials, static_cast<double>(detected) / spec.trials};
}

} // namespace ciperf
