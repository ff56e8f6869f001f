// attribute --by host's analysis: hosts against the fleet on synthetic runs with known speeds.
#include "analysis/fleet.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <random>

using namespace ciperf;

namespace {

struct Phase {
  std::string name;
  double wall_s;
  double own_cpu_stall; // share of the wall
};

// A passed run of `host` whose phases take their walls times a little seeded noise; feeds the
// run and its phases to the builder.
void add_run(FleetBuilder& b, const std::string& host, int i, const std::vector<Phase>& phases,
             RunMode mode = RunMode::Normal, RunStatus status = RunStatus::Passed) {
  static std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(1.0, 0.02);
  RunRecord run;
  run.run_id = fmt::format("{}-{}-{}", host, to_string(mode), i);
  run.pipeline = "build";
  run.mode = mode;
  run.status = status;
  run.host = {host, 2, int64_t{8} << 30, "Linux 6.1", "Test CPU", "none"};
  std::vector<PhaseSample> samples;
  for (size_t k = 0; k < phases.size(); ++k) {
    PhaseSample s;
    s.run_id = run.run_id;
    s.pipeline = run.pipeline;
    s.mode = mode;
    s.index = static_cast<int>(k);
    s.name = phases[k].name;
    s.status = PhaseStatus::Passed;
    s.wall_s = phases[k].wall_s * noise(rng);
    s.own_pressure = Pressure{phases[k].own_cpu_stall * s.wall_s, 0, 0, 0, 0, 0};
    s.pressure = Pressure{phases[k].own_cpu_stall * s.wall_s, 0, 0, 0, 0, 0};
    run.wall_s += s.wall_s;
    samples.push_back(s);
  }
  b.add_run(run);
  for (const auto& s : samples)
    b.add_phase(s);
}

const std::vector<Phase> kNormal = {{"compile", 2.0, 0.02}, {"test", 1.0, 0.01}};
const std::vector<Phase> kStarved = {{"compile", 3.0, 0.45}, {"test", 1.0, 0.01}};

const HostRow& host_named(const FleetGroup& g, const std::string& name) {
  for (const auto& h : g.hosts)
    if (h.hostname == name)
      return h;
  FAIL("no host " << name);
  throw;
}

} // namespace

TEST_CASE("a runner whose compile phase waits for the CPU is slower than the fleet, with the "
          "phase and the stall as evidence",
          "[fleet]") {
  FleetBuilder b;
  for (int i = 0; i < 8; ++i) {
    add_run(b, "runner-a", i, kNormal);
    add_run(b, "runner-b", i, kNormal);
    add_run(b, "runner-c", i, kStarved);
  }
  auto r = b.finish();
  REQUIRE(r.groups.size() == 1);
  CHECK(r.hostnames == std::vector<std::string>{"runner-a", "runner-b", "runner-c"});
  const auto& g = r.groups[0];
  CHECK(g.runs == 24);
  const auto& c = host_named(g, "runner-c");
  CHECK(c.verdict == FleetVerdict::Slower);
  CHECK(c.fleet_runs == 16);
  CHECK(c.fleet_hosts == 2);
  CHECK(c.ratio == Approx(4.0 / 3.0).epsilon(0.03));
  CHECK(c.p < 0.05);
  REQUIRE(c.ci);
  CHECK(c.ci->low <= c.median_s);
  REQUIRE(c.gaps.size() == 2);
  CHECK(c.gaps[0].phase == "compile");
  CHECK(c.gaps[0].vital);
  CHECK(c.gaps[0].share_of_gap == Approx(1.0).margin(0.1));
  CHECK(c.gaps[0].stalls.source == StallSource::Own);
  CHECK(c.gaps[0].stalls.cpu_higher);
  CHECK_FALSE(c.gaps[1].stalls.cpu_higher);
  CHECK(c.stalls.cpu_higher);
  CHECK_FALSE(c.stalls.io_higher);
  // The others' fleet is one runner like them and the slow one: never slower than that.
  for (const char* name : {"runner-a", "runner-b"}) {
    const auto& h = host_named(g, name);
    CHECK(h.verdict != FleetVerdict::Slower);
    CHECK_FALSE(h.stalls.cpu_higher);
  }
}

TEST_CASE("hosts alike are like the fleet", "[fleet]") {
  FleetBuilder b;
  for (int i = 0; i < 10; ++i)
    for (const char* host : {"a", "b", "c"})
      add_run(b, host, i, kNormal);
  auto r = b.finish();
  for (const auto& h : r.groups.at(0).hosts) {
    INFO(h.hostname << " " << h.ratio << " p " << h.p);
    CHECK(h.verdict == FleetVerdict::Like);
  }
}

TEST_CASE("too few runs: below 3 a side, or when no separation could reach the p", "[fleet]") {
  SECTION("two runs on one host") {
    FleetBuilder b;
    for (int i = 0; i < 6; ++i)
      add_run(b, "many", i, kNormal);
    for (int i = 0; i < 2; ++i)
      add_run(b, "few", i, kStarved);
    auto r = b.finish();
    const auto& few = host_named(r.groups[0], "few");
    CHECK(few.verdict == FleetVerdict::TooFewRuns);
    CHECK(few.why == "2 runs against the fleet's 6; 3 a side at least");
    CHECK(std::isnan(few.p)); // not tested
    CHECK(host_named(r.groups[0], "many").verdict == FleetVerdict::TooFewRuns);
  }
  SECTION("4 against 4, tested twice: even no overlap gives p = 0.029, × 2 > 0.05") {
    FleetBuilder b;
    for (int i = 0; i < 4; ++i) {
      add_run(b, "fast", i, kNormal);
      add_run(b, "slow", i, kStarved);
    }
    auto r = b.finish();
    const auto& slow = host_named(r.groups[0], "slow");
    CHECK(slow.verdict == FleetVerdict::TooFewRuns);
    CHECK_THAT(slow.why, Catch::Matchers::Contains("5 a side would do"));
  }
  SECTION("a pipeline no other host ran") {
    FleetBuilder b;
    for (int i = 0; i < 5; ++i)
      add_run(b, "alone", i, kNormal);
    auto r = b.finish();
    CHECK(r.hostnames.size() == 1);
    CHECK(r.groups[0].hosts[0].why == "no other host ran this pipeline in this mode");
    CHECK(r.groups[0].hosts[0].gaps.empty());
  }
}

TEST_CASE("modes are compared apart, and runs that did not pass are left out", "[fleet]") {
  FleetBuilder b;
  for (int i = 0; i < 6; ++i) {
    add_run(b, "a", i, kNormal, RunMode::Cold);
    add_run(b, "b", i, kStarved, RunMode::Cold);
    add_run(b, "a", i, kNormal, RunMode::Warm);
    add_run(b, "b", i, kNormal, RunMode::Warm);
  }
  add_run(b, "b", 99, {{"compile", 100, 0}}, RunMode::Warm, RunStatus::Failed);
  auto r = b.finish();
  CHECK(r.left_out == 1);
  CHECK(r.runs == 24);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].mode == RunMode::Cold);
  CHECK(host_named(r.groups[0], "b").verdict == FleetVerdict::Slower);
  CHECK(host_named(r.groups[0], "a").verdict == FleetVerdict::Faster);
  CHECK(host_named(r.groups[1], "b").verdict == FleetVerdict::Like);
  CHECK(host_named(r.groups[1], "b").runs == 6);
}

TEST_CASE("a slow host whose stalls are the fleet's has no stall called higher", "[fleet]") {
  FleetBuilder b;
  std::vector<Phase> slower_cpu = {{"compile", 3.0, 0.02}, {"test", 1.0, 0.01}};
  for (int i = 0; i < 8; ++i) {
    add_run(b, "a", i, kNormal);
    add_run(b, "old", i, slower_cpu);
  }
  auto r = b.finish();
  const auto& old = host_named(r.groups[0], "old");
  CHECK(old.verdict == FleetVerdict::Slower);
  CHECK(old.gaps.at(0).phase == "compile");
  CHECK_FALSE(old.stalls.cpu_higher);
  CHECK_FALSE(old.gaps[0].stalls.cpu_higher);
}
