// `ciperf attribute`'s tables as text and JSON: the method, the CI column and totals that add up.
#include "reports/attribution_view.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ciperf;
using Catch::Matchers::Contains;

namespace {

ColdWarmGap tool_and_noise_gap() {
  ColdWarmGap g;
  g.cold_runs = g.warm_runs = 8;
  g.cold_mean = 302.04;
  g.warm_mean = 300.1;
  g.gap = 1.94;
  g.gap_ci = Interval{-20, 24};
  g.cold_total = 301;
  g.warm_total = 299;
  GapRow tool{"tool", 2.04, 0.1, 2.04, 0.1, 1.94, Interval{1.9, 1.98}, false, 1.0};
  GapRow suite{"suite", 300, 300, 300, 300, 0, Interval{-22, 22}, true, 0};
  g.rows = {tool, suite};
  return g;
}

std::string render(const ColdWarmGap& g, ViewFormat format) {
  std::ostringstream out;
  write_gap(g, format, out);
  return out.str();
}

} // namespace

TEST_CASE("the cold-warm text states its method, a CI per row and a total that adds up",
          "[attribute]") {
  std::string text = render(tool_and_noise_gap(), ViewFormat::Text);
  CHECK_THAT(text, Contains("method: the gap is the difference of the mean cold and warm runs"));
  CHECK_THAT(text, Contains("the median runs 5m01s and 4m59s"));
  CHECK_THAT(text, Contains("95% CI"));
  CHECK_THAT(text, Contains("+1.90s..+1.98s"));
  CHECK_THAT(text, Contains("no cold cost"));
  CHECK_THAT(text, Contains("total") && Contains("+1.94s") && Contains("100.0%"));
  // The whole gap's CI holds 0 here (the suite's noise): the shares are said to split noise.
  CHECK_THAT(text, Contains("the gap's 95% CI holds 0"));
  auto clear = tool_and_noise_gap();
  clear.gap_ci = Interval{1.8, 2.1};
  CHECK_THAT(render(clear, ViewFormat::Text), !Contains("CI holds 0"));
}

TEST_CASE("the cold-warm JSON keeps its fields and adds the CI and the method", "[attribute]") {
  auto j = nlohmann::json::parse(render(tool_and_noise_gap(), ViewFormat::Json));
  CHECK(j["gap_s"] == 1.94);
  CHECK(j["cold_total_s"] == 301);
  CHECK(j["method"].get<std::string>().find("bootstrap") != std::string::npos);
  CHECK(j["gap_ci_s"][0] == -20);
  const auto& suite = j["rows"][1];
  CHECK(suite["phase"] == "suite");
  CHECK(suite["within_noise"] == true);
  CHECK(suite["difference_ci_s"][1] == 22);
  CHECK(suite.contains("cold_median_s"));
  CHECK(suite.contains("share_of_gap"));
}

TEST_CASE("the Pareto text says what the per-run figure is", "[attribute]") {
  Pareto p;
  p.runs = 5;
  p.total_s = 25.6;
  p.median_run_s = 32;
  p.total_ci = Interval{17, 31};
  p.rows = {{"compile", 22.2, 30, Interval{14, 28}, 22.2 / 25.6, 22.2 / 25.6, true},
            {"test", 3.4, 2, Interval{2, 5.2}, 3.4 / 25.6, 1.0, false}};
  std::ostringstream out;
  write_pareto(p, "phase", ViewFormat::Text, out);
  CHECK_THAT(out.str(), Contains("5 runs: the mean run takes 25.6s, the median run 32.0s"));
  CHECK_THAT(out.str(), Contains("mean/run") && Contains("95% CI") && Contains("14.0s..28.0s"));
  CHECK_THAT(out.str(), Contains("method: each row is the item's mean seconds per run"));
}
