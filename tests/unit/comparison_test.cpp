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
  CHECK(r[1].verdict == Verdict::BelowThreshold); // significant, but 2% < the 5% threshold
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
  // All tied within each side: the exact distribution, one draw of C(10, 5) in each tail.
  CHECK(stats::mann_whitney(ones, twos).exact);
  CHECK(apart[0].p == Approx(2.0 / 252));
  CHECK(std::isnan(apart[0].min_detectable_change) == false);
}

TEST_CASE("a single sample on either side is not enough data", "[compare]") {
  auto r = compare_phases({{"a", {1.0}, {1.0, 1.1, 0.9}}, {"b", {1.0, 1.1, 0.9}, {5.0}}});
  CHECK(r[0].verdict == Verdict::NotEnoughData);
  CHECK(r[1].verdict == Verdict::NotEnoughData);
  CHECK(r[1].runs_needed >= 3);                       // it still says how many runs would do
  CHECK(overall_outcome(r) == Outcome::Inconclusive); // nothing was tested
}

namespace {

// m phases of `base_runs` and `candidate_runs` values around 10 s with a 1% spread, the first
// phase's candidates shifted by `shift`.
std::vector<PhaseSamples> phases(int m, int base_runs, int candidate_runs, double shift = 0) {
  std::vector<PhaseSamples> out;
  for (int p = 0; p < m; ++p) {
    PhaseSamples s{"p" + std::to_string(p), {}, {}};
    for (int i = 0; i < base_runs; ++i)
      s.base.push_back(10 * (1 + 0.01 * ((i % 5) - 2)));
    for (int i = 0; i < candidate_runs; ++i)
      s.candidate.push_back(10 * (1 + (p == 0 ? shift : 0)) * (1 + 0.01 * ((i % 3) - 1)));
    out.push_back(s);
  }
  return out;
}

// `m` phases of `runs` runs a side, every candidate `factor` times its phase's baseline.
std::vector<PhaseSamples> all_slower(int m, int runs, double factor) {
  auto out = phases(m, runs, runs);
  for (auto& s : out)
    for (double& v : s.candidate)
      v *= factor;
  return out;
}

} // namespace

TEST_CASE("10 baseline runs against 3 candidates over 8 phases cannot pass the gate", "[compare]") {
  // The smallest attainable p, 2 / C(13, 3) = 0.007, times 8 exceeds 0.05: even a 50% slowdown
  // could not be called, so "no regression" would be a blind pass.
  auto quiet = compare_phases(phases(8, 10, 3));
  CHECK(overall_outcome(quiet) == Outcome::Inconclusive);
  CHECK_FALSE(quiet[0].detectability.attainable);
  CHECK(std::isnan(quiet[0].min_detectable_change));
  auto slow = compare_phases(phases(8, 10, 3, 0.5));
  CHECK(slow[0].verdict == Verdict::Unchanged);
  CHECK(overall_outcome(slow) == Outcome::Inconclusive);
  // Runs needed: enough for an attainable p among 8 phases, never below 3.
  CHECK(quiet[0].runs_needed >= 5);
  // The same noise with enough runs on both sides can see 5%: no regression.
  auto enough = compare_phases(phases(8, 10, 10));
  CHECK(enough[0].detectability.attainable);
  CHECK(overall_outcome(enough) == Outcome::NoRegression);
}

TEST_CASE("runs needed never falls below the 3-run minimum", "[compare]") {
  CompareOptions loose;
  loose.threshold = 0.5; // huge next to a 1% noise
  auto r = compare_phases(phases(1, 10, 10), loose);
  CHECK(r[0].runs_needed >= 3);
}

TEST_CASE("detectable change counts the phases tested (Holm)", "[compare]") {
  CompareOptions fine; // a threshold small enough that the test, not it, limits detection
  fine.threshold = 0.01;
  auto one = compare_phases(phases(1, 10, 10), fine);
  auto twenty = compare_phases(phases(20, 10, 10), fine);
  CHECK(twenty[0].min_detectable_change > one[0].min_detectable_change);
  CHECK(twenty[0].runs_needed >= one[0].runs_needed);
}

TEST_CASE("a significant change under the threshold is its own verdict", "[compare]") {
  std::vector<double> base = {5, 5.01, 4.99, 5.02, 4.98, 5, 5.01, 4.99}, cand;
  for (double v : base)
    cand.push_back(v * 1.02 + 0.05); // clear of every baseline value, +3%
  auto r = compare_phases({{"test", base, cand}});
  CHECK(r[0].p_adjusted < 0.001);
  CHECK(r[0].verdict == Verdict::BelowThreshold);
  CHECK(overall_outcome(r) == Outcome::NoRegression);
}

TEST_CASE("one outlier does not make the planning numbers absurd", "[compare]") {
  std::vector<double> base = {10, 10.1, 9.9, 10.2, 9.8, 10, 10.1, 9.9, 10, 100};
  std::vector<double> cand = {10, 10.1, 9.9, 10.2, 9.8, 10, 10.1, 9.9, 10, 10.05};
  auto r = compare_phases({{"deploy", base, cand}});
  CHECK(r[0].outliers_base == 1);
  CHECK(r[0].outliers_candidate == 0);
  CHECK(r[0].noise < 0.02);                // the SD-based CV is 2.8
  CHECK(r[0].min_detectable_change < 0.1); // was 192%
  CHECK(r[0].runs_needed < 20);            // was in the thousands
  CHECK(overall_outcome(r) == Outcome::NoRegression);
}

TEST_CASE("zero spread is noise below the timer's resolution, not 0%", "[compare]") {
  std::vector<double> ones(5, 1.0);
  auto r = compare_phases({{"a", ones, ones}});
  CHECK(r[0].detectability.below_resolution);
  CHECK(r[0].noise == 0);
  CHECK(r[0].runs_needed >= 3);
}

TEST_CASE("most phases moving together is the host, not the code", "[compare]") {
  // 4 phases, all 30% slower and clear of the baseline: a slower host, not 4 regressions.
  auto r = compare_phases(all_slower(4, 10, 1.3));
  for (const auto& c : r)
    CHECK(c.verdict == Verdict::MovedWithHost);
  CHECK_FALSE(any_regressed(r));
  CHECK(host_changed(r));
  CHECK(overall_outcome(r) == Outcome::Inconclusive);
  // One phase of 4 slower is a regression of that phase.
  auto one = compare_phases(phases(4, 10, 10, 0.3));
  CHECK(one[0].verdict == Verdict::Regressed);
  CHECK_FALSE(host_changed(one));
  CHECK(overall_outcome(one) == Outcome::Regressed);
}

TEST_CASE("a move inside the timer's resolution is no witness of a host's shift", "[compare]") {
  // One phase 30% slower; two 1 ms phases read at millisecond resolution, one run in each side
  // a millisecond off: a "+100%" median with nothing significant behind it. Counted as moves,
  // they made 3 of 3 phases "moved" and hid the one regression as the host's.
  auto r = phases(1, 5, 5, 0.3);
  r.push_back({"tiny-a", {0.001, 0.001, 0.002, 0.001, 0.002}, {0.002, 0.001, 0.002, 0.002, 0.001}});
  r.push_back({"tiny-b", {0.001, 0.002, 0.001, 0.001, 0.002}, {0.002, 0.002, 0.001, 0.001, 0.002}});
  auto c = compare_phases(r);
  INFO(c[1].change << " p " << c[1].p << ", " << c[2].change << " p " << c[2].p);
  REQUIRE(c[1].change > 0.05); // past the threshold, as the failing run read it
  REQUIRE(c[1].p > 0.05);
  CHECK(c[0].verdict == Verdict::Regressed);
  CHECK_FALSE(host_changed(c));
}

TEST_CASE("a phase and its own test cases are one witness of a host's shift", "[compare]") {
  // The phase and both its test cases slowed: one change in the code under test, not three
  // phases moving with a slower host.
  auto r = all_slower(3, 5, 1.3);
  r[0].phase = "tests";
  r[1].phase = "tests/a";
  r[2].phase = "tests/b";
  r[1].test_case = r[2].test_case = true;
  auto c = compare_phases(r);
  CHECK(c[0].verdict == Verdict::Regressed);
  CHECK(c[1].verdict == Verdict::Regressed);
  CHECK_FALSE(host_changed(c));
  // The same three as phases of their own: a host's shift, as before.
  r[1].test_case = r[2].test_case = false;
  CHECK(host_changed(compare_phases(r)));
}
