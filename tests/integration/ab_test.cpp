// `ciperf ab` through the real binary: pairs of real runs in random order, recorded in the store,
// judged pair by pair.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <map>

using namespace ciperf::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

std::string pipeline(const std::string& name, const std::string& work_s) {
  return "version: 1\npipeline: " + name +
         "\nphases:\n"
         "  - name: work\n    run: sleep " +
         work_s +
         "\n"
         "  - name: same\n    run: sleep 0.1\n";
}

struct AbSandbox {
  Sandbox box;
  ProcessResult ab(const std::string& a, const std::string& b,
                   std::vector<std::string> extra) const {
    std::vector<std::string> args = {"ab", a, b, "--store", box.store().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return box.ciperf(args);
  }
  json runs(const std::string& label) const {
    return json::parse(box.ciperf({"runs", "--json", "--limit", "1000", "--label", label, "--store",
                                   box.store().string()})
                           .out);
  }
};

const json& row(const json& report, const std::string& phase) {
  for (const auto& r : report["phases"])
    if (r["phase"] == phase)
      return r;
  FAIL("no row for " << phase);
  throw;
}

} // namespace

TEST_CASE("ab finds a planted slowdown in interleaved pairs and records every run",
          "[ab][serial]") {
  AbSandbox s;
  auto a = s.box.write_pipeline(pipeline("fast", "0.15"), "a.yml");
  auto b = s.box.write_pipeline(pipeline("slow", "0.3"), "b.yml");
  auto r = s.ab(a.string(), b.string(), {"--runs", "7", "--seed", "3", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 1);
  auto report = json::parse(r.out);
  CHECK(report["verdict"] == "regressed");
  CHECK(report["pairs"] == 7);
  CHECK(row(report, "work")["verdict"] == "regressed");
  CHECK(row(report, "work")["change"].get<double>() > 0.6);
  CHECK(row(report, "same")["verdict"] != "regressed");
  CHECK_THAT(r.err, Contains("[7/7]"));

  // Every run is in the store, labelled with its session, side and pair; the order within each
  // pair is the one the report says was drawn.
  std::string session = report["session"];
  auto all = s.runs("ab.session=" + session);
  REQUIRE(all.size() == 14);
  std::map<std::string, std::map<std::string, std::string>> started; // pair → side → time
  for (const auto& run : all)
    started[run["labels"]["ab.pair"]][run["labels"]["ab.side"]] = run["started_at"];
  REQUIRE(started.size() == 7);
  int b_first = 0;
  for (auto& [pair, sides] : started)
    b_first += sides["B"] < sides["A"];
  CHECK(b_first == report["b_first"].get<int>());
  CHECK(b_first > 0); // seed 3 draws both orders
  CHECK(b_first < 7);
  CHECK(s.runs("ab.side=B").size() == 7);
}

TEST_CASE("ab of a pipeline against itself calls nothing regressed", "[ab][serial]") {
  AbSandbox s;
  auto a = s.box.write_pipeline(pipeline("same", "0.15"), "a.yml");
  auto r = s.ab(a.string(), a.string(), {"--runs", "6"});
  INFO(r.out << r.err);
  CHECK((r.exit_code == 0 || r.exit_code == 4));
  CHECK_THAT(r.out, !Contains("regressed"));
  CHECK_THAT(r.out, Contains("order drawn at random (seed "));
}

TEST_CASE("a side that fails stops the A/B session and keeps its complete pairs", "[ab]") {
  AbSandbox s;
  auto a = s.box.write_pipeline(pipeline("ok", "0.01"), "a.yml");
  // Passes twice (the warm-up and pair 1), then fails.
  auto b = s.box.write_pipeline("version: 1\npipeline: flaky\nphases:\n  - name: work\n    run: "
                                "'n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; "
                                "test $n -lt 2'\n",
                                "b.yml");
  auto r = s.ab(a.string(), b.string(), {"--runs", "3", "--seed", "1"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("A/B session stopped: a run did not pass (1 complete pair kept"));
  CHECK(s.runs("ab.side=B").size() == 2);
  auto refused = s.ab(a.string(), b.string(), {"--runs", "2"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("'2' is not a whole number from 3 to 1000"));
}

TEST_CASE("a SIGTERM between two runs of an A/B session stops it with 130", "[ab][serial]") {
  AbSandbox s;
  auto a = s.box.write_pipeline(pipeline("a", "0.01"), "a.yml");
  // B's phase marks that it ran; the harness sends SIGTERM as soon as it sees the mark, as a run
  // ends or between two runs, where no run's own handler is installed.
  auto b = s.box.write_pipeline("version: 1\npipeline: b\nphases:\n  - name: work\n    run: "
                                "'touch ran'\n",
                                "b.yml");
  ProcessOptions options;
  options.signal = SIGTERM;
  options.signal_when_exists = s.box.dir / "ran";
  options.timeout_s = 60;
  std::vector<std::string> args = {
      "ab", a.string(), b.string(), "--runs", "1000", "--store", s.box.store().string()};
  auto r = s.box.ciperf(args, options);
  INFO(r.err);
  CHECK(r.exit_code == 130);
  CHECK_THAT(r.err, !Contains("[1000/1000]"));
  CHECK_THAT(r.err, Contains("(--seed "));
}

TEST_CASE("A and B that do not run the same phases are judged on the whole run too",
          "[ab][serial]") {
  AbSandbox s;
  auto a = s.box.write_pipeline(
      "version: 1\npipeline: ra\nphases:\n  - name: one\n    run: sleep 0.01\n", "a.yml");
  auto b = s.box.write_pipeline(
      "version: 1\npipeline: rb\nphases:\n  - name: two\n    run: sleep 0.25\n", "b.yml");
  auto r = s.ab(a.string(), b.string(), {"--runs", "7", "--seed", "0", "--json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1); // was "no regression": each phase was on one side only
  auto report = json::parse(r.out);
  CHECK(row(report, "one")["verdict"] == "only in A");
  CHECK(row(report, "two")["verdict"] == "only in B");
  CHECK(row(report, "whole run")["verdict"] == "regressed");
}

TEST_CASE("each side of an A/B session records its own tag set", "[ab]") {
  AbSandbox s;
  auto a = s.box.write_pipeline("version: 1\npipeline: ta\nphases:\n  - {name: w, run: 'true'}\n"
                                "  - {name: x, run: 'true', tags: [extra]}\n",
                                "a.yml");
  auto b = s.box.write_pipeline(pipeline("tb", "0.01"), "b.yml");
  auto r = s.ab(a.string(), b.string(), {"--runs", "3", "--tags", "extra"});
  INFO(r.err);
  CHECK(s.runs("tags=extra").size() == 3); // A's three runs, none of B's
  CHECK(s.runs("ab.side=B").size() == 3);
  for (const auto& run : s.runs("ab.side=B"))
    CHECK_FALSE(run["labels"].contains("tags"));
}
