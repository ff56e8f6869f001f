// `bench/run stats`: the statistical quality of the verdicts, from seeded simulations of 1,000
// comparisons of 20 phases (10 runs a side, CV 3%).
#include "analysis/simulation.hpp"

#include <cstdio>

int main() {
  using namespace ciperf;
  SimulationSpec aa;
  auto holm = simulate_comparisons(aa);
  aa.options.correction = Correction::BenjaminiHochberg;
  auto bh = simulate_comparisons(aa);
  aa.options.correction = Correction::None;
  aa.options.threshold = 0;
  auto none = simulate_comparisons(aa);
  SimulationSpec ab;
  ab.seed = 2;
  ab.shift = 0.10;
  auto power = simulate_comparisons(ab);
  ab.shift = 0.05;
  auto power5 = simulate_comparisons(ab);
  std::printf("| simulation (1,000 comparisons of 20 phases, 10 runs a side, CV 3%%) | share |\n");
  std::printf("|---|---:|\n");
  std::printf("| A/A, any phase flagged: ciperf (Holm, 5%% threshold) | %.1f%% |\n",
              100 * holm.any_flagged);
  std::printf("| A/A, any phase flagged: Benjamini-Hochberg, 5%% threshold | %.1f%% |\n",
              100 * bh.any_flagged);
  std::printf("| A/A, any phase flagged: uncorrected p < 0.05, no threshold | %.1f%% |\n",
              100 * none.any_flagged);
  std::printf("| power: 10%% shift of one phase detected | %.1f%% |\n", 100 * power.first_detected);
  std::printf("| power: 5%% shift of one phase detected | %.1f%% |\n", 100 * power5.first_detected);
  return 0;
}
