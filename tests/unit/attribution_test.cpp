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

TEST_CASE("the Pareto table ranks by mean per run and marks the vital few", "[attribute]") {
  std::vector<PhaseSample> s;
  for (const char* run : {"r1", "r2", "r3"}) {
    s.push_back(sample(run, "warm", "deploy", 60, 0, "deploy"));
    s.push_back(sample(run, "warm", "functional", 25));
    s.push_back(sample(run, "warm", "install", 10));
    s.push_back(sample(run, "warm", "teardown", 5, 0, "teardown"));
  }
  s.push_back(sample("r3", "warm", "retry", 100)); // in one run of three: its median is 0, its
                                                   // mean 33.3 s of every run
  auto service = sample("r1", "warm", "svc", 500);
  service.background = true; // spans the run: not attributed
  s.push_back(service);
  auto p = pareto(s, AttributeBy::Phase);
  CHECK(p.runs == 3);
  CHECK(p.total_s == Approx(400.0 / 3)); // runs of 100, 100 and 200 s
  CHECK(p.median_run_s == 100);
  REQUIRE(p.rows.size() == 5);
  CHECK(p.rows[0].item == "deploy");
  CHECK(p.rows[0].share == Approx(0.45));
  CHECK(p.rows[1].item == "retry");
  CHECK(p.rows[1].mean_s == Approx(100.0 / 3));
  CHECK(p.rows[1].median_s == 0);
  CHECK(p.rows[1].cumulative == Approx(0.7));
  CHECK(p.rows[2].cumulative == Approx(0.8875));
  CHECK(p.rows[0].vital);
  CHECK(p.rows[2].vital); // 45% + 25% + 18.75% first reaches 80%
  CHECK_FALSE(p.rows[3].vital);
  CHECK(p.rows[4].item == "teardown");
  CHECK(p.rows[4].cumulative == Approx(1.0));
  auto kinds = pareto(s, AttributeBy::Kind);
  CHECK(kinds.rows[0].item == "test");
  CHECK(kinds.rows[0].mean_s == Approx(35 + 100.0 / 3));
  CHECK(kinds.rows[1].item == "deploy");
  CHECK(kinds.rows[1].median_s == 60);
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

namespace {

double sum_of(const std::vector<GapRow>& rows, double GapRow::*field) {
  double sum = 0;
  for (const auto& r : rows)
    sum += r.*field;
  return sum;
}

// Cold and warm runs whose per-phase medians do not add up to the median run: `build` is
// skewed one way in cold runs, `link` the other, and `docs` is missing from some runs.
std::vector<PhaseSample> skewed_session() {
  const double build_cold[] = {10, 10, 30, 30, 31};
  const double link_cold[] = {9, 2, 2, 2, 2};
  const double build_warm[] = {5, 5, 5, 6, 20};
  const double link_warm[] = {1, 1, 8, 8, 8};
  std::vector<PhaseSample> s;
  for (int i = 0; i < 5; ++i) {
    std::string c = "c" + std::to_string(i), w = "w" + std::to_string(i);
    s.push_back(sample(c, "cold", "build", build_cold[i]));
    s.push_back(sample(c, "cold", "link", link_cold[i]));
    if (i < 2)
      s.push_back(sample(c, "cold", "docs", 4));
    s.push_back(sample(w, "warm", "build", build_warm[i]));
    s.push_back(sample(w, "warm", "link", link_warm[i]));
    if (i == 4)
      s.push_back(sample(w, "warm", "docs", 3));
  }
  return s;
}

// A few hundred seconds of noise that cold.prepare cannot touch (`suite`, the same list cold
// and warm in a different order) and a tool phase 20× slower cold.
std::vector<PhaseSample> tool_and_noise_session() {
  const double suite[] = {310, 260, 350, 240, 295, 330, 270, 305};
  std::vector<PhaseSample> s;
  for (int i = 0; i < 8; ++i) {
    std::string c = "c" + std::to_string(i), w = "w" + std::to_string(i);
    s.push_back(sample(c, "cold", "tool", 2.0 + 0.01 * i));
    s.push_back(sample(c, "cold", "suite", suite[i]));
    s.push_back(sample(w, "warm", "tool", 0.1 + 0.001 * i));
    s.push_back(sample(w, "warm", "suite", suite[(i + 3) % 8]));
  }
  return s;
}

} // namespace

TEST_CASE("cold-vs-warm rows add up to the gap of the mean runs", "[attribute]") {
  auto g = cold_vs_warm(skewed_session());
  // Mean runs: cold (23+16+32+32+33)/5 = 27.2, warm (6+6+13+14+31)/5 = 14; the gap is 13.2.
  // (The medians' differences, 25 − 6 + 1, would add up to 20 against a median-run gap of 19.)
  CHECK(g.gap == Approx(13.2).epsilon(1e-12));
  CHECK(sum_of(g.rows, &GapRow::difference) == Approx(g.gap).epsilon(1e-12));
  CHECK(sum_of(g.rows, &GapRow::share_of_gap) == Approx(1.0).epsilon(1e-12));
  CHECK(g.cold_mean == Approx(27.2).epsilon(1e-12));
  CHECK(g.warm_mean == Approx(14).epsilon(1e-12));
  // Beside it, the median runs themselves, not sums of medians.
  CHECK(g.cold_total == 32);
  CHECK(g.warm_total == 13);
  REQUIRE(g.rows.size() == 3);
  CHECK(g.rows[0].phase == "build");
  CHECK(g.rows[0].difference == Approx(14.0));
  CHECK(g.rows[2].phase == "link");
  CHECK(g.rows[2].difference == Approx(-1.8));
  CHECK(g.rows[1].phase == "docs"); // 4 s in two of five cold runs, 3 s in one warm run
  CHECK(g.rows[1].difference == Approx(1.6 - 0.6));
}

TEST_CASE("cold-vs-warm marks a phase with no cold cost by its CI", "[attribute]") {
  auto g = cold_vs_warm(tool_and_noise_session());
  REQUIRE(g.rows.size() == 2);
  const GapRow& tool = g.rows[0].phase == "tool" ? g.rows[0] : g.rows[1];
  const GapRow& suite = g.rows[0].phase == "suite" ? g.rows[0] : g.rows[1];
  REQUIRE(tool.ci);
  REQUIRE(suite.ci);
  CHECK(tool.ci->low > 1.8);
  CHECK(tool.ci->high < 2.1);
  CHECK_FALSE(tool.within_noise);
  CHECK(suite.difference == Approx(0).margin(1e-9));
  CHECK(suite.ci->low < 0);
  CHECK(suite.ci->high > 0);
  CHECK(suite.within_noise);
  CHECK(sum_of(g.rows, &GapRow::share_of_gap) == Approx(1.0).epsilon(1e-12));
  REQUIRE(g.gap_ci);
  CHECK(g.gap_ci->low < g.gap);
  CHECK(g.gap_ci->high > g.gap);
  // Seeded: the same selection gives the same intervals.
  auto again = cold_vs_warm(tool_and_noise_session());
  CHECK(again.gap_ci->low == g.gap_ci->low);
  CHECK(again.rows[1].ci->high == g.rows[1].ci->high);
}

TEST_CASE("the Pareto table's rows add up to the mean run", "[attribute]") {
  std::vector<PhaseSample> s;
  const double compile[] = {10, 10, 30, 30, 31};
  const double test[] = {9, 2, 2, 2, 2};
  for (int i = 0; i < 5; ++i) {
    std::string r = "r" + std::to_string(i);
    s.push_back(sample(r, "warm", "compile", compile[i]));
    s.push_back(sample(r, "warm", "test", test[i]));
  }
  auto p = pareto(s, AttributeBy::Phase);
  // Run totals 19, 12, 32, 32, 33: the mean run 25.6 (what the rows add up to), the median
  // run 32.
  CHECK(p.total_s == Approx(25.6).epsilon(1e-12));
  CHECK(p.median_run_s == 32);
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].mean_s + p.rows[1].mean_s == Approx(p.total_s).epsilon(1e-12));
  CHECK(p.rows[0].share + p.rows[1].share == Approx(1.0).epsilon(1e-12));
  CHECK(p.rows[1].cumulative == Approx(1.0).epsilon(1e-12));
  CHECK(p.rows[1].share == Approx(3.4 / 25.6));
  REQUIRE(p.rows[0].ci);
  CHECK(p.rows[0].ci->low < p.rows[0].mean_s);
  CHECK(p.rows[0].ci->high > p.rows[0].mean_s);
  CHECK(p.rows[0].ci->low >= 10);
  REQUIRE(p.total_ci);
  CHECK(p.total_ci->low < 25.6);
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
