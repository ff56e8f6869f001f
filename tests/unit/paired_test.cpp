// The signed-rank test against a brute-force enumeration of sign flips, the Hodges-Lehmann
// interval's coverage, and the A/B gate on a drifting host (analysis/drift_simulation.hpp).
#include "analysis/drift_simulation.hpp"
#include "analysis/paired_comparison.hpp"
#include "analysis/signed_rank.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace ciperf;

namespace {

// Two-sided p by enumerating all 2^n sign patterns of the nonzero |d| with average ranks: a
// second, naive implementation to hold the dynamic programme to.
double brute_force_p(std::vector<double> d) {
  std::erase(d, 0.0);
  size_t n = d.size();
  std::vector<double> rank(n);
  for (size_t i = 0; i < n; ++i) {
    double below = 0, equal = 0;
    for (size_t j = 0; j < n; ++j) {
      below += std::abs(d[j]) < std::abs(d[i]);
      equal += std::abs(d[j]) == std::abs(d[i]);
    }
    rank[i] = below + (equal + 1) / 2;
  }
  double observed = 0;
  for (size_t i = 0; i < n; ++i)
    observed += d[i] > 0 ? rank[i] : 0;
  double low = 0, high = 0, all = std::ldexp(1.0, static_cast<int>(n));
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    double w = 0;
    for (size_t i = 0; i < n; ++i)
      w += (mask >> i & 1u) ? rank[i] : 0;
    low += w <= observed + 1e-9;
    high += w >= observed - 1e-9;
  }
  return std::min(1.0, 2 * std::min(low, high) / all);
}

} // namespace

TEST_CASE("signed-rank p equals the enumeration of every sign pattern, ties and zeros included",
          "[paired]") {
  std::vector<std::vector<double>> cases = {
      {1, 2, 3, 4, 5},
      {1, -2, 3, 4, 5, 6, -7},
      {0.5, 0.5, -0.5, 1, 1, 2, -3, 0, 0.5},
      {0.001, 0.001, 0.001, -0.002, 0.003, 0.001, 0.002, -0.001, 0.004, 0.001, 0.002, 0.001},
      {3, -1, 4, -1, 5, -9, 2, 6, -5, 3, 5, 8, -9, 7}};
  for (const auto& d : cases) {
    auto r = stats::wilcoxon_signed_rank(d);
    CHECK(r.exact);
    CHECK(r.p == Approx(brute_force_p(d)).epsilon(1e-12));
  }
  CHECK(stats::wilcoxon_signed_rank(std::vector<double>{1, 2, 3, 4, 5}).p == Approx(2.0 / 32));
  CHECK(stats::wilcoxon_signed_rank(std::vector<double>{0, 0, 0}).p == 1);
  CHECK(stats::smallest_signed_rank_p(10) == Approx(2.0 / 1024));
}

TEST_CASE("past 50 pairs the normal approximation agrees with the exact tail", "[paired]") {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0.3, 1);
  std::vector<double> d;
  for (int i = 0; i < 60; ++i)
    d.push_back(noise(rng));
  auto approx = stats::wilcoxon_signed_rank(d);
  CHECK_FALSE(approx.exact);
  d.resize(50);
  auto exact = stats::wilcoxon_signed_rank(d);
  CHECK(exact.exact);
  CHECK(approx.p > 0);
  CHECK(approx.p < 1);
}

TEST_CASE("Hodges-Lehmann estimate and its 95% interval holds the shift 95% of the time",
          "[paired]") {
  CHECK(stats::hodges_lehmann(std::vector<double>{1, 2, 3}) == 2); // 1 1.5 2 2 2.5 3
  CHECK_FALSE(stats::hodges_lehmann_ci(std::vector<double>{1, 2, 3, 4, 5}).has_value());
  // n = 10: the critical T+ is 8, so the 9th smallest and 9th largest of 55 Walsh averages.
  std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto ci = stats::hodges_lehmann_ci(ten);
  REQUIRE(ci);
  CHECK(ci->low == 3); // Walsh averages sorted: 1 1.5 2 2 2.5 2.5 3 3 3 …
  CHECK(ci->high == 8);
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.1, 0.05);
  int held = 0, trials = 4000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> d;
    for (int i = 0; i < 10; ++i)
      d.push_back(noise(rng));
    auto c = stats::hodges_lehmann_ci(d);
    held += c && c->low <= 0.1 && 0.1 <= c->high;
  }
  CHECK(held / double(trials) == Approx(0.95).margin(0.015));
}

TEST_CASE("interleaved pairs: a drifting host raises no false alarm, a planted 10% is found",
          "[paired]") {
  DriftSpec aa;
  aa.trials = 300;
  auto quiet = simulate_ab(aa);
  CHECK(quiet.any_flagged <= 0.05);
  CHECK(quiet.regressed <= 0.05);
  DriftSpec planted;
  planted.trials = 300;
  planted.seed = 5;
  planted.shifts = {0.10};
  auto found = simulate_ab(planted);
  CHECK(found.detected[0] >= 0.9);
  CHECK(found.ci_coverage == Approx(0.95).margin(0.04));
  // The same drift fools a baseline stored 40 runs earlier: why `ab` is the gate to recommend.
  aa.candidate_runs = 10;
  CHECK(simulate_stored_baseline(aa).any_flagged > 0.2);
}

TEST_CASE("a phase only one side ran is shown, not judged, and does not make the A/B inconclusive",
          "[paired]") {
  std::vector<PairedSamples> phases = {{"work",
                                        {1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01},
                                        {2.0, 2.02, 1.98, 2.0, 2.04, 1.96, 2.0, 2.02}},
                                       {"new", {}, {0.5, 0.5, 0.5}}};
  auto rows = compare_pairs(phases);
  CHECK(rows[0].verdict == Verdict::Regressed);
  CHECK(rows[0].change == Approx(1.0).margin(0.01));
  CHECK(rows[1].verdict == Verdict::NotEnoughData);
  CHECK(rows[1].n_base == 0);
  CHECK(overall_outcome(rows) == Outcome::Regressed);
  phases[0].b = phases[0].a;
  CHECK(overall_outcome(compare_pairs(phases)) != Outcome::Regressed);
}

TEST_CASE("too few pairs for the phases tested is inconclusive, with the pairs it would take",
          "[paired]") {
  // 4 pairs: the smallest p is 2 / 16 = 0.125, above 0.05 whatever the change.
  std::vector<PairedSamples> phases = {{"a", {1, 1, 1, 1}, {3, 3.1, 2.9, 3}}};
  auto rows = compare_pairs(phases);
  CHECK(rows[0].verdict == Verdict::Unchanged);
  CHECK_FALSE(rows[0].detectability.attainable);
  CHECK(overall_outcome(rows) == Outcome::Inconclusive);
  CHECK(rows[0].runs_needed >= 6); // 2 / 2^6 = 0.031 < 0.05
}
