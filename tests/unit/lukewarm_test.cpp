// The lukewarm check, phase by phase, over hand-made session runs.
#include "analysis/lukewarm.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

namespace {

RunRecord run(RunMode mode, const std::vector<std::pair<std::string, double>>& phases) {
  RunRecord r;
  r.pipeline = "app";
  r.mode = mode;
  for (const auto& [name, wall] : phases) {
    PhaseRecord p;
    p.name = name;
    p.status = PhaseStatus::Passed;
    p.wall_s = wall;
    r.phases.push_back(p);
    r.wall_s += wall;
  }
  return r;
}

// `tool` takes `cold_tool` seconds cold and 0.1 s warm; `suite` is a big phase whose noise
// (±50 s) cold.prepare does not touch, the same values cold and warm in another order.
std::vector<RunRecord> session(int per_mode, double cold_tool) {
  const double suite[] = {310, 260, 350, 240, 295, 330, 270, 305};
  std::vector<RunRecord> runs;
  for (int i = 0; i < per_mode; ++i) {
    runs.push_back(run(RunMode::Cold, {{"tool", cold_tool + 0.001 * i}, {"suite", suite[i]}}));
    runs.push_back(run(RunMode::Warm, {{"tool", 0.1 + 0.001 * ((i + 2) % per_mode)},
                                       {"suite", suite[(i + 3) % per_mode]}}));
  }
  return runs;
}

} // namespace

TEST_CASE("a phase 20x slower cold is a cold state though the run totals drown it", "[lukewarm]") {
  auto runs = session(8, 2.0);
  CHECK_FALSE(find_lukewarm(runs));
  auto check = check_lukewarm(runs);
  REQUIRE(check.phases.size() == 2);
  CHECK(check.phases[0].phase == "tool");
  CHECK(check.phases[0].slower_cold);
  CHECK(check.phases[0].p < 0.001);
  CHECK_FALSE(check.phases[1].slower_cold);
}

TEST_CASE("a cold.prepare that changes nothing is lukewarm, naming the phases checked",
          "[lukewarm]") {
  auto l = find_lukewarm(session(8, 0.1));
  REQUIRE(l);
  CHECK(l->pipeline == "app");
  REQUIRE(l->phases.size() == 2);
  CHECK(l->phases[0].phase == "tool");
  CHECK(l->phases[1].phase == "suite");
  CHECK(l->phases[1].p > 0.5);
}

TEST_CASE("a significant but tiny cold cost is not a cold state", "[lukewarm]") {
  // 5% and 1 ms slower in every cold run: below the threshold and the floor.
  CHECK(find_lukewarm(session(8, 0.105)));
}

TEST_CASE("with 3 runs a side, only a complete separation counts as slower cold", "[lukewarm]") {
  // No p below 0.05 exists at 3 against 3 (the smallest is 0.1): every cold run slower is the
  // strongest evidence those runs can give.
  CHECK_FALSE(find_lukewarm(session(3, 2.0)));
  auto mixed = session(3, 2.0);
  mixed[0].phases[0].wall_s = 0.05; // one cold run as fast as a warm one
  CHECK(find_lukewarm(mixed));
}

TEST_CASE("a pipeline checked over fewer than 2 runs a mode is not called lukewarm", "[lukewarm]") {
  CHECK_FALSE(find_lukewarm(session(1, 0.1)));
}
