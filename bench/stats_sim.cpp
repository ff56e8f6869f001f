// `bench/run stats`: the statistical quality of the verdicts, from seeded simulations: 1,000
// comparisons of 20 phases with independent noise (10 runs a side, CV 3%), then the two gates on
// a drifting host (analysis/drift_simulation.hpp): interleaved A/B pairs against a stored baseline.
#include "analysis/drift_simulation.hpp"
#include "analysis/simulation.hpp"

#include <cstdio>

namespace {

using namespace ciperf;

void print_drift_row(const char* what, const DriftResult& r) {
  std::printf("| %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", what, 100 * r.any_flagged,
              100 * r.regressed, 100 * r.inconclusive, 100 * r.passed);
}

void drifting_host() {
  std::printf("\n| A/A on a drifting host (9 phases, CV 3%%, swing 10%%, walk 1%%/run) | any "
              "phase flagged | regressed | inconclusive | no regression |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  DriftSpec aa;
  print_drift_row("`ab`, 10 pairs", simulate_ab(aa));
  aa.candidate_runs = 3;
  print_drift_row("stored baseline of 10 runs, 3 candidates 40 runs later",
                  simulate_stored_baseline(aa));
  aa.candidate_runs = 10;
  print_drift_row("stored baseline of 10 runs, 10 candidates 40 runs later",
                  simulate_stored_baseline(aa));

  std::printf("\n| planted +10%% (phase 0) and +3%% (phase 1), drifting host | found +10%% | "
              "found +3%% | 95%% CI of the +10%% holds it |\n");
  std::printf("|---|---:|---:|---:|\n");
  DriftSpec ab;
  ab.seed = 2;
  ab.shifts = {0.10, 0.03};
  for (double threshold : {0.05, 0.02}) {
    for (int phases : {1, 9}) {
      ab.options.threshold = threshold;
      ab.phases = std::max(phases, 2);
      auto r = simulate_ab(ab);
      std::printf("| `ab`, 10 pairs, %d phases, threshold %.0f%% | %.1f%% | %.1f%% | %.1f%% |\n",
                  ab.phases, 100 * threshold, 100 * r.detected[0], 100 * r.detected[1],
                  100 * r.ci_coverage);
    }
  }
  ab.options.threshold = 0.02;
  ab.phases = 2;
  ab.runs = 20;
  auto twenty = simulate_ab(ab);
  std::printf("| `ab`, 20 pairs, 2 phases, threshold 2%% | %.1f%% | %.1f%% | %.1f%% |\n",
              100 * twenty.detected[0], 100 * twenty.detected[1], 100 * twenty.ci_coverage);
  ab.runs = 10;
  ab.options.threshold = 0.05;
  ab.phases = 9;
  ab.candidate_runs = 10;
  auto stored = simulate_stored_baseline(ab);
  std::printf("| stored baseline, 10 vs 10 runs 40 runs apart, 9 phases, threshold 5%% | %.1f%% | "
              "%.1f%% | %.1f%% |\n",
              100 * stored.detected[0], 100 * stored.detected[1], 100 * stored.ci_coverage);
  ab.walk = ab.swing = 0;
  stored = simulate_stored_baseline(ab);
  std::printf("| the same on a steady host | %.1f%% | %.1f%% | %.1f%% |\n",
              100 * stored.detected[0], 100 * stored.detected[1], 100 * stored.ci_coverage);
}

} // namespace

int main() {
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
  drifting_host();
  return 0;
}
