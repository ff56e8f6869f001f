// Verdicts: hand-made cases, then seeded simulations of A/A and A/B comparisons.
#include "analysis/comparison.hpp"
#include "analysis/simulation.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ciperf;

TEST_CASE("a clear, large change is a regression, a small one is not", "[compare]") {
  std::vector<PhaseSamples> s = {
      {"deploy",
       {10, 10.1, 9.9, 10.2, 9.8, 10, 10.1, 9.9},
       {12, 12.1, 11.9, 12.2, 11.8, 12, 12.1, 11.9}},
      {"test",
       {5, 5.05, 4.95, 5.1, 4.9, 5, 5.05, 4.95},
       {5.1, 5.15, 5.05, 5.2, 5.0, 5.1, 5.15, 5.05}},
      {"teardown", {1, 1.1}, {2, 2.1}},
  };
  auto r = compare_phases(s);
  CHECK(r[0].verdict == Verdict::Regressed);
  CHECK(r[0].change == Approx(0.2));
  REQUIRE(r[0].change_ci);
  CHECK(r[0].change_ci->low > 0.15);
  CHECK(r[1].verdict == Verdict::Unchanged); // 2% < the 5% threshold, however significant
  CHECK(r[2].verdict == Verdict::NotEnoughData);
  CHECK(any_regressed(r));
  CHECK(r[1].runs_needed >= 2);
  CHECK(r[1].min_detectable_change > 0);
}

TEST_CASE("improvements are reported as such", "[compare]") {
  std::vector<PhaseSamples> s = {{"build", {60, 61, 59, 60.5, 59.5}, {40, 41, 39, 40.5, 39.5}}};
  auto r = compare_phases(s);
  CHECK(r[0].verdict == Verdict::Improved);
  CHECK_FALSE(any_regressed(r));
}

TEST_CASE("A/A comparisons of 20 phases rarely flag anything, uncorrected ones often do",
          "[compare][simulation]") {
  SimulationSpec aa;
  auto corrected = simulate_comparisons(aa);
  CHECK(corrected.any_flagged <= 0.05);
  aa.options.correction = Correction::None;
  aa.options.threshold = 0; // plain p < 0.05 on each of 20 phases
  auto uncorrected = simulate_comparisons(aa);
  CHECK(uncorrected.any_flagged > 0.5); // about 1 − 0.95^20 = 64%
}

TEST_CASE("a 10% shift at CV 3% with 10 runs a side is found at least 90% of the time",
          "[compare][simulation]") {
  SimulationSpec ab;
  ab.seed = 2;
  ab.shift = 0.10;
  CHECK(simulate_comparisons(ab).first_detected >= 0.9);
}

TEST_CASE("zero-variance samples: equal is unchanged, apart is a verdict", "[compare]") {
  std::vector<double> ones(5, 1.0), twos(5, 2.0);
  auto same = compare_phases({{"a", ones, ones}});
  CHECK(same[0].verdict == Verdict::Unchanged);
  CHECK(same[0].p == 1);
  auto apart = compare_phases({{"a", ones, twos}});
  CHECK(apart[0].verdict == Verdict::Regressed);
  // All tied within each side: the normal approximation with tie correction, U = 0,
  // variance 25/12 × (11 − 240/90) = 17.36, z = (12.5 − 0.5) / 4.167 = 2.88.
  CHECK_FALSE(stats::mann_whitney(ones, twos).exact);
  CHECK(apart[0].p == Approx(0.003977).epsilon(1e-3));
  CHECK(std::isnan(apart[0].min_detectable_change) == false);
}

TEST_CASE("a single sample on either side is not enough data", "[compare]") {
  auto r = compare_phases({{"a", {1.0}, {1.0, 1.1, 0.9}}, {"b", {1.0, 1.1, 0.9}, {5.0}}});
  CHECK(r[0].verdict == Verdict::NotEnoughData);
  CHECK(r[1].verdict == Verdict::NotEnoughData);
  CHECK(r[1].runs_needed >= 2); // it still says how many runs would do
}
