// The evidence behind "the host changed" and what --confirm made of a regression, on made-up
// runs: the host-wide stalls of each side, the host fields that differ, and how compare says so.
#include "analysis/confirmation.hpp"
#include "analysis/host_evidence.hpp"
#include "reports/comparison_view.hpp"
#include "reports/report_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ciperf;
using Catch::Matchers::Contains;

namespace {

PhaseSample phase(const std::string& run, double wall, std::optional<double> cpu_stall,
                  double io_stall = 0, std::optional<double> own_cpu_stall = std::nullopt) {
  PhaseSample s;
  s.run_id = run;
  s.name = "build";
  s.status = PhaseStatus::Passed;
  s.wall_s = wall;
  if (cpu_stall) {
    s.pressure = Pressure{};
    s.pressure->cpu_some_s = *cpu_stall;
    s.pressure->io_some_s = io_stall;
  }
  if (own_cpu_stall) {
    s.own_pressure = Pressure{};
    s.own_pressure->cpu_some_s = *own_cpu_stall;
  }
  return s;
}

HostInfo host(const std::string& kernel, int cpus) {
  return {"ci-1", cpus, int64_t{8} << 30, kernel, "AMD EPYC", "kvm"};
}

// Three quiet baseline runs on one kernel; three candidate runs stalled for most of their time,
// on a host with fewer CPUs and another kernel.
HostEvidence shifted_host() {
  HostEvidenceBuilder b;
  for (std::string id : {"b1", "b2", "b3"}) {
    b.add_host(Side::Base, host("6.1.0", 8));
    b.add_phase(Side::Base, phase(id, 1.0, 0.01));
    b.add_phase(Side::Base, phase(id, 1.0, 0.03)); // 2% of 2 s
  }
  double stalls[] = {1.0, 1.6, 2.0};
  for (int i = 0; i < 3; ++i) {
    std::string id = "c" + std::to_string(i);
    b.add_host(Side::Candidate, host("6.5.0", 2));
    b.add_phase(Side::Candidate, phase(id, 2.0, stalls[i], 0.2, stalls[i] / 2));
  }
  return b.finish();
}

std::vector<PhaseComparison> moved_together() {
  std::vector<PhaseComparison> rows;
  for (std::string name : {"fetch", "build", "test"}) {
    PhaseComparison c;
    c.phase = name;
    c.verdict = Verdict::MovedWithHost;
    c.n_base = c.n_candidate = 5;
    c.change = 0.8;
    rows.push_back(c);
  }
  return rows;
}

} // namespace

TEST_CASE("host evidence: the median host stall of each side and the host fields that differ",
          "[host-shift]") {
  HostEvidence e = shifted_host();
  CHECK(e.base.runs == 3);
  CHECK(e.base.runs_with_pressure == 3);
  CHECK(e.base.cpu_stall == Approx(0.02));
  CHECK(e.candidate.cpu_stall == Approx(0.8)); // the median of 0.5, 0.8 and 1.0
  CHECK(e.candidate.io_stall == Approx(0.1));
  CHECK(e.base.runs_with_own_pressure == 0); // the baseline's phases had no cgroups
  CHECK(e.candidate.runs_with_own_pressure == 3);
  CHECK(e.candidate.own_cpu_stall == Approx(0.4));
  REQUIRE(e.changed.size() == 2);
  CHECK(e.changed[0].field == "cpus");
  CHECK(e.changed[0].base == "8");
  CHECK(e.changed[0].candidate == "2");
  CHECK(e.changed[1].field == "kernel");
  CHECK(e.changed[1].candidate == "6.5.0");
}

TEST_CASE("host evidence without PSI says so instead of a zero stall", "[host-shift]") {
  HostEvidenceBuilder b;
  b.add_host(Side::Base, host("6.1.0", 8));
  b.add_phase(Side::Base, phase("b1", 1.0, std::nullopt));
  b.add_host(Side::Candidate, host("6.1.0", 8));
  b.add_phase(Side::Candidate, phase("c1", 1.0, 0.5));
  HostEvidence e = b.finish();
  CHECK_FALSE(e.has_pressure());
  CHECK(e.base.runs_with_pressure == 0);
  CHECK(e.changed.empty());
}

TEST_CASE("compare says the host changed and cites the stalls and host fields", "[host-shift]") {
  CandidateGroup g;
  g.pipeline = "demo";
  g.mode = RunMode::Warm;
  g.runs = {"c0", "c1", "c2"};
  Baseline base;
  base.name = "main";
  ComparedGroup compared{&g, moved_together(), shifted_host()};
  std::ostringstream text;
  write_comparison({compared}, base, 0.05, Outcome::Inconclusive, ViewFormat::Text, text);
  INFO(text.str());
  CHECK_THAT(text.str(), Contains("the host changed"));
  CHECK_THAT(text.str(), Contains("baseline:   host CPU 2.0%, I/O 0.0%; own CPU wait not "
                                  "recorded (no cgroups) (3 runs)"));
  CHECK_THAT(text.str(),
             Contains("candidates: host CPU 80.0%, I/O 10.0%; own CPU wait 40.0% (3 runs)"));
  CHECK_THAT(text.str(), Contains("cpus differs: 8 (baseline) vs 2 (candidates)"));
  CHECK_THAT(text.str(), Contains("kernel differs: 6.1.0 (baseline) vs 6.5.0 (candidates)"));

  std::ostringstream out;
  write_comparison({compared}, base, 0.05, Outcome::Inconclusive, ViewFormat::Json, out);
  auto j = nlohmann::json::parse(out.str())["groups"][0];
  CHECK(j["host_changed"] == true);
  CHECK(j["host_evidence"]["candidate"]["cpu_stall"].get<double>() == Approx(0.8));
  CHECK(j["host_evidence"]["base"]["cpu_stall"].get<double>() == Approx(0.02));
  CHECK(j["host_evidence"]["changed"][1]["field"] == "kernel");
  CHECK(j["host_evidence"]["candidate"]["own_cpu_stall"].get<double>() == Approx(0.4));
  CHECK(j["host_evidence"]["base"]["own_cpu_stall"].is_null());
}

TEST_CASE("confirm: each phase that looked regressed, with its verdict after the reruns",
          "[confirm]") {
  PhaseComparison cpu, io;
  cpu.phase = "cpu";
  cpu.verdict = Verdict::Regressed;
  cpu.change = 0.123;
  io.phase = "io";
  io.verdict = Verdict::Unchanged;
  PhaseComparison cpu_again = cpu;
  cpu_again.verdict = Verdict::Unchanged;
  cpu_again.change = 0.01;
  cpu_again.p_adjusted = 0.4;
  Confirmation c;
  c.requested = 3;
  c.run_ids = {"r1", "r2", "r3"};
  c.phases = confirm_phases("demo", RunMode::Normal, {cpu, io}, {cpu_again, io});
  REQUIRE(c.phases.size() == 1);
  CHECK_FALSE(c.phases[0].confirmed());

  CandidateGroup g;
  Baseline base;
  std::ostringstream text;
  write_comparison({}, base, 0.05, Outcome::NoRegression, ViewFormat::Text, text, c);
  CHECK_THAT(text.str(),
             Contains("confirm: cpu (normal) looked regressed (+12.3%, p=1); 3 more runs: not "
                      "confirmed (unchanged, +1.0%, p=0.4)"));
}

TEST_CASE("the reports' outcome line says why: the host, too few runs, or the phases that "
          "regressed",
          "[host-shift][reports]") {
  CHECK_THAT(outcome_reason(moved_together(), 0.05), Contains("the host changed"));
  auto rows = moved_together();
  for (auto& r : rows)
    r.verdict = Verdict::NotEnoughData;
  CHECK_THAT(outcome_reason(rows, 0.05),
             Contains("too few runs to judge fetch, build, test (a verdict needs at least 3"));
  for (auto& r : rows) {
    r.verdict = Verdict::Unchanged;
    r.detectability.blind = true;
    r.runs_needed = 6;
  }
  rows[2].runs_needed = 9;
  CHECK(outcome_reason(rows, 0.05) == "no regression found, but fetch, build, test could not have "
                                      "shown a 5% change (9 runs a side needed)");
  rows[1].verdict = Verdict::Regressed;
  rows[1].change = 0.25;
  CHECK(outcome_reason(rows, 0.05) ==
        "1 phase slower past the threshold and significant: build +25.0%");
}
