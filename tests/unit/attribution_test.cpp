// Attribution over hand-made samples whose answers are easy to work out.
#include "analysis/attribution.hpp"
#include "runner/session_plan.hpp"
#include "support/enum_names.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ciperf;

namespace {

PhaseSample sample(const std::string& run, const std::string& mode, const std::string& phase,
                   double wall, double cpu = 0, const std::string& kind = "test",
                   const std::string& tier = "") {
  PhaseSample s;
  s.run_id = run;
  s.mode = test::named<RunMode>(mode);
  s.name = phase;
  s.kind = test::named<PhaseKind>(kind);
  s.tier = tier;
  s.status = PhaseStatus::Passed;
  s.wall_s = wall;
  s.user_s = cpu;
  s.pressure = Pressure{};
  return s;
}

} // namespace

TEST_CASE("the Pareto table ranks by median per run and marks the vital few", "[attribute]") {
  std::vector<PhaseSample> s;
  for (const char* run : {"r1", "r2", "r3"}) {
    s.push_back(sample(run, "warm", "deploy", 60, 0, "deploy"));
    s.push_back(sample(run, "warm", "functional", 25));
    s.push_back(sample(run, "warm", "install", 10));
    s.push_back(sample(run, "warm", "teardown", 5, 0, "teardown"));
  }
  s.push_back(sample("r3", "warm", "retry", 100)); // in one run of three: its median is 0
  auto service = sample("r1", "warm", "svc", 500);
  service.background = true; // spans the run: not attributed
  s.push_back(service);
  auto p = pareto(s, AttributeBy::Phase);
  CHECK(p.runs == 3);
  CHECK(p.total_s == 100);
  REQUIRE(p.rows.size() == 5);
  CHECK(p.rows[0].item == "deploy");
  CHECK(p.rows[0].share == Approx(0.6));
  CHECK(p.rows[1].cumulative == Approx(0.85));
  CHECK(p.rows[0].vital);
  CHECK(p.rows[1].vital); // 60% + 25% first reaches 80%
  CHECK_FALSE(p.rows[2].vital);
  CHECK(p.rows[4].item == "retry");
  CHECK(p.rows[4].median_s == 0);
  auto kinds = pareto(s, AttributeBy::Kind);
  CHECK(kinds.rows[0].item == "deploy");
  CHECK(kinds.rows[1].item == "test");
  CHECK(kinds.rows[1].median_s == 35);
}

TEST_CASE("cold-vs-warm names the phases that make the gap", "[attribute]") {
  std::vector<PhaseSample> s;
  for (int i = 0; i < 3; ++i) {
    std::string c = "c" + std::to_string(i), w = "w" + std::to_string(i);
    s.push_back(sample(c, "cold", "pull", 30));
    s.push_back(sample(c, "cold", "test", 10));
    s.push_back(sample(w, "warm", "pull", 6));
    s.push_back(sample(w, "warm", "test", 10));
  }
  auto g = cold_vs_warm(s);
  CHECK(g.cold_runs == 3);
  CHECK(g.gap == Approx(24));
  REQUIRE(g.rows.size() == 2);
  CHECK(g.rows[0].phase == "pull");
  CHECK(g.rows[0].share_of_gap == Approx(1.0));
  CHECK(g.rows[1].difference == Approx(0));
}

TEST_CASE("resource classification follows CPU use and stall shares", "[attribute]") {
  auto cpu = sample("r1", "warm", "compile", 10, 18);
  auto io = sample("r1", "warm", "restore", 10, 1);
  io.pressure->io_some_s = 6.5; // cc-ci's deploys: disk-bound, 65% I/O pressure
  auto mem = sample("r1", "warm", "index", 10, 1);
  mem.pressure->memory_some_s = 2;
  auto wait = sample("r1", "warm", "ready", 10, 0.1);
  auto starved = sample("r1", "warm", "deploy", 10, 0.2);
  starved.pressure->cpu_some_s = 5;
  auto rows = classify_resources({cpu, io, mem, wait, starved});
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].bound == "CPU-bound");
  CHECK(rows[0].because == "uses 1.80 cores (host-wide figures only)");
  CHECK(rows[1].bound == "I/O-bound");
  CHECK(rows[1].because == "host I/O stall 65%, 0.0 MiB/s (host-wide figures only)");
  CHECK(rows[2].bound == "memory-bound");
  CHECK(rows[3].bound == "waiting");
  CHECK(rows[4].bound == "waiting");
  CHECK(rows[4].because ==
        "uses 0.02 cores, but the host's CPU is stalled 50% (host-wide figures only)");
  auto no_psi = sample("r1", "warm", "x", 10, 1);
  no_psi.pressure.reset();
  CHECK(std::isnan(classify_resources({no_psi})[0].io_stall));
  CHECK(classify_resources({no_psi})[0].because == "uses 0.10 cores (no PSI)");
}

TEST_CASE("with each phase's own cgroup figures, verdicts rest on the phase's own stalls",
          "[attribute]") {
  // The three verdicts the host-wide rules got wrong.
  auto fsync = sample("r1", "warm", "fsync-writes", 10, 0);
  fsync.tree_user_s = 0.5; // half a core in the kernel, and waiting on the disk most of the time
  fsync.tree_sys_s = 4.5;
  fsync.own_pressure = Pressure{};
  fsync.own_pressure->io_some_s = 7;
  fsync.tree_read_bytes = 0;
  fsync.tree_write_bytes = int64_t{900} << 20;
  auto starved = sample("r1", "warm", "cpu-loop", 10, 0);
  starved.tree_user_s = 4; // a CPU loop that got 0.4 of a core from a co-tenant
  starved.tree_sys_s = 0;
  starved.own_pressure = Pressure{};
  starved.own_pressure->cpu_some_s = 6;
  auto cached = sample("r1", "warm", "page-cache-writes", 10, 0);
  cached.tree_user_s = 0.1;
  cached.tree_sys_s = 0.9;
  cached.own_pressure = Pressure{};
  cached.tree_read_bytes = 0;
  cached.tree_write_bytes = int64_t{500} << 20;
  auto idle = sample("r1", "warm", "idle", 10, 0);
  idle.tree_user_s = idle.tree_sys_s = 0;
  idle.own_pressure = Pressure{};
  idle.pressure->cpu_some_s = 8; // the host was busy, the phase was not
  idle.services = {{0, "postgres", 12, 2, std::nullopt}, {1, "nginx", 0.1, 0.1, std::nullopt}};
  auto rows = classify_resources({fsync, starved, cached, idle});
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].bound == "I/O-bound");
  CHECK(rows[0].because == "I/O stall 70%, 90.0 MiB/s, uses 0.50 cores");
  CHECK(rows[1].bound == "CPU-bound");
  CHECK(rows[1].because ==
        "uses 0.40 cores, CPU stall 60% (it waited for a core: too few, or a co-tenant's)");
  CHECK(rows[2].bound == "waiting");
  CHECK(rows[2].because ==
        "uses 0.10 cores, 50.0 MiB/s without I/O stall (the page cache absorbed it)");
  CHECK(rows[3].bound == "waiting on services");
  CHECK(rows[3].because ==
        "uses 0.00 cores while its services use 1.42 (postgres 1.40), host CPU stall 80% was "
        "others'");
  CHECK(rows[3].own_stalls);
  REQUIRE(rows[3].services.size() == 2);
  CHECK(rows[3].services[0].service == "postgres");
  CHECK(rows[3].services[0].cores == Approx(1.4));
  // One run without its own figures makes the phase's verdict host-wide.
  auto mixed = idle;
  mixed.own_pressure.reset();
  CHECK_FALSE(classify_resources({idle, mixed})[0].own_stalls);
}

TEST_CASE("a session interleaves modes and pipelines", "[baseline]") {
  auto plan = plan_session(2, 3);
  REQUIRE(plan.size() == 12);
  int cold = 0;
  for (const auto& r : plan)
    cold += r.mode == RunMode::Cold;
  CHECK(cold == 6);
  CHECK(plan[0].mode == RunMode::Cold);
  CHECK(plan[1].mode == RunMode::Warm);
  CHECK(plan[2].pipeline == 1);
  CHECK(plan[2].mode == RunMode::Warm); // alternates which mode goes first
  CHECK(plan[4].pipeline == 1);         // the next round starts with the other pipeline
}
