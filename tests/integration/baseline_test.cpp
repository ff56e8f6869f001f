// Baseline sessions, comparisons and attribution through the real binary and store.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

// `fetch` is slow when cold (its cache cleared by cold.prepare); `test` takes $TEST_S. The
// sleeps are long enough that a loaded host's fork and shell start-up (tens of milliseconds)
// stay well inside the 5% threshold and the tolerances below.
constexpr const char* kPipeline = R"(version: 1
pipeline: demo
cold: {prepare: "rm -f cache.marker"}
phases:
  - name: fetch
    kind: build
    run: 'if [ -f cache.marker ]; then sleep 0.2; else sleep 0.6; fi; touch cache.marker'
  - name: test
    kind: test
    run: 'sleep ${TEST_S:-0.3}'
)";

struct Session {
  Sandbox box;
  std::filesystem::path file = box.write_pipeline(kPipeline, "demo.yml");

  ProcessResult ciperf(std::vector<std::string> args, ProcessOptions options = {}) const {
    args.push_back("--store");
    args.push_back(box.store().string());
    return box.ciperf(args, options);
  }
  ProcessResult baseline(const std::string& name, int runs = 5) const {
    return ciperf({"baseline", file.string(), "--runs", std::to_string(runs), "--name", name});
  }
  void warm_runs(int n, const std::string& test_seconds) const {
    ProcessOptions options;
    options.env = {"TEST_S=" + test_seconds};
    for (int i = 0; i < n; ++i)
      REQUIRE(ciperf({"run", file.string(), "--mode", "warm"}, options).exit_code == 0);
  }
  std::string newest_run_id() const {
    return nlohmann::json::parse(ciperf({"runs", "--json", "--limit", "1"}).out)[0]["run_id"];
  }
};

} // namespace

TEST_CASE("a baseline session stores cold and warm statistics, compare finds a regression",
          "[baseline][serial]") {
  Session s;
  auto made = s.baseline("main");
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK_THAT(made.err, Contains("[10/10] demo"));
  CHECK_THAT(made.err, Contains("ETA"));
  CHECK_THAT(made.out, Contains("baseline 'main' written: 10 runs"));
  CHECK(made.err.find("lukewarm") == std::string::npos);
  auto runs = nlohmann::json::parse(s.ciperf({"runs", "--json", "--label", "baseline=main"}).out);
  CHECK(runs.size() == 10); // every session run is a normal stored run

  std::string before = s.newest_run_id();
  s.warm_runs(5, "0.3");
  auto same = s.ciperf({"compare", "--since", before, "--baseline", "main", "--json"});
  INFO(same.out << same.err);
  // Same code, so never "regressed"; one outlier of a busy host can make the noise too large to
  // resolve the 5% threshold, and then compare honestly says inconclusive (4) instead of 0.
  CHECK((same.exit_code == 0 || same.exit_code == 4));
  auto report = nlohmann::json::parse(same.out);
  CHECK(report["regressed"] == false);
  // A time selection that reaches back into the baseline's own session judges only the later
  // runs: the session's runs are the baseline itself.
  std::string first_of_session = runs.back()["run_id"];
  auto overlapping =
      s.ciperf({"compare", "--since", first_of_session, "--baseline", "main", "--json"});
  INFO(overlapping.err);
  CHECK_THAT(overlapping.err, Contains("run(s) of baseline main's own session"));
  auto judged = nlohmann::json::parse(overlapping.out);
  for (const auto& p : judged["groups"][0]["phases"])
    CHECK(p["n_candidate"] == 5);

  std::string mark = s.newest_run_id();
  s.warm_runs(5, "0.6");
  auto slow = s.ciperf({"compare", "--since", mark});
  INFO(slow.out << slow.err);
  CHECK(slow.exit_code == 1);
  CHECK_THAT(slow.out, Contains("regressed") && Contains("verdict: regressed"));
  auto json = nlohmann::json::parse(s.ciperf({"compare", "--since", mark, "--json"}).out);
  const auto& phases = json["groups"][0]["phases"];
  for (const auto& p : phases) {
    if (p["phase"] == "test") {
      CHECK(p["verdict"] == "regressed");
      CHECK(p["change"].get<double>() == Approx(1.0).margin(0.2));
      CHECK(p["p_adjusted"].get<double>() <= 0.05);
    } else {
      // A loaded host can shift fetch by a significant few percent: below the threshold.
      CHECK((p["verdict"] == "unchanged" || p["verdict"] == "below threshold"));
    }
  }
}

TEST_CASE("attribute ranks phases and explains the cold-warm gap", "[baseline][serial]") {
  Session s;
  REQUIRE(s.baseline("b", 3).exit_code == 0);
  auto gap = s.ciperf({"attribute", "--cold-vs-warm", "--json"});
  REQUIRE(gap.exit_code == 0);
  auto g = nlohmann::json::parse(gap.out);
  CHECK(g["rows"][0]["phase"] == "fetch");
  CHECK(g["rows"][0]["share_of_gap"].get<double>() == Approx(1.0).margin(0.15));
  auto warm = nlohmann::json::parse(s.ciperf({"attribute", "--mode", "warm", "--json"}).out);
  CHECK(warm["runs"] == 3);
  CHECK(warm["rows"][0]["item"] == "test");
  auto kinds = nlohmann::json::parse(s.ciperf({"attribute", "--by", "kind", "--json"}).out);
  CHECK(kinds["rows"].size() == 2);
  auto resources = s.ciperf({"attribute", "--by", "resource"});
  CHECK_THAT(resources.out, Contains("waiting"));
  auto none = s.ciperf({"attribute", "--cold-vs-warm", "--mode", "warm"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("needs cold and warm runs"));
}

TEST_CASE("a cold state that is not colder is called lukewarm", "[baseline][serial]") {
  Sandbox box;
  // 5 runs a side: at 3, only a complete separation could say "slower cold", which a loaded
  // host's jitter makes one session in twenty.
  auto file = box.write_pipeline("version: 1\ncold: {prepare: 'true'}\nphases:\n"
                                 "  - {name: a, run: [sleep, '0.1']}\n");
  auto r = box.ciperf({"baseline", file.string(), "--runs", "5", "--store", box.store().string()});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("lukewarm"));
}

TEST_CASE("a failing prepare stops the session, runs made are kept, no baseline", "[baseline]") {
  Sandbox box;
  // The first cold prepare passes, the second fails.
  auto file = box.write_pipeline(
      "version: 1\ncold: {prepare: 'n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; "
      "[ $n -lt 1 ]'}\nphases:\n  - {name: a, run: 'true'}\n");
  auto r = box.ciperf(
      {"baseline", file.string(), "--runs", "3", "--name", "x", "--store", box.store().string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("session stopped: cold.prepare failed"));
  CHECK_THAT(r.err, Contains("baseline 'x' not written"));
  auto runs =
      nlohmann::json::parse(box.ciperf({"runs", "--json", "--store", box.store().string()}).out);
  CHECK(runs.size() >= 2); // the first round, and the failed cold run, marked failed
  auto compare =
      box.ciperf({"compare", "--last", "--baseline", "x", "--store", box.store().string()});
  CHECK(compare.exit_code == 2);
  CHECK_THAT(compare.err, Contains("no baseline named 'x'"));
}

TEST_CASE("an interrupted session keeps its runs and writes no baseline", "[baseline]") {
  Sandbox box;
  auto file = box.write_pipeline(
      "version: 1\ncold: {prepare: 'true'}\nphases:\n"
      "  - {name: a, run: 'if [ -f go ]; then touch started; sleep 30; fi; touch go'}\n");
  ProcessOptions options;
  options.signal = SIGINT;
  options.signal_when_exists = box.dir / "started";
  auto r = box.ciperf(
      {"baseline", file.string(), "--runs", "3", "--name", "y", "--store", box.store().string()},
      options);
  CHECK(r.exit_code == 130);
  CHECK_THAT(r.err, Contains("baseline 'y' not written"));
  auto compare =
      box.ciperf({"compare", "--last", "--baseline", "y", "--store", box.store().string()});
  CHECK_THAT(compare.err, Contains("no baseline named 'y'"));
}

TEST_CASE("compare reports phases missing on either side and refuses other pipelines",
          "[baseline]") {
  Session s;
  REQUIRE(s.baseline("b", 3).exit_code == 0);
  auto changed = s.box.write_pipeline(R"(version: 1
pipeline: demo
phases:
  - {name: fetch, run: [sleep, "0.05"]}
  - {name: lint, run: "true"}
)",
                                      "demo2.yml");
  REQUIRE(s.ciperf({"run", changed.string(), "--mode", "warm"}).exit_code == 0);
  auto r = s.ciperf({"compare", "--last", "--baseline", "b"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4); // one candidate run: fetch could not be tested, inconclusive
  CHECK_THAT(r.out, Contains("new phase (not in the baseline)"));
  CHECK_THAT(r.out, Contains("missing from the candidate runs"));
  CHECK_THAT(r.out, Contains("not enough data")); // one candidate run
  auto other = s.box.write_pipeline(
      "version: 1\npipeline: other\nphases:\n  - {name: a, run: 'true'}\n", "other.yml");
  REQUIRE(s.ciperf({"run", other.string()}).exit_code == 0);
  auto refused = s.ciperf({"compare", "--last", "--baseline", "b"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("baseline 'b' has no warm runs of pipeline 'other'"));
  CHECK(s.ciperf({"compare", "--last", "--baseline", "nope"}).exit_code == 2);
  CHECK(s.ciperf({"compare"}).exit_code == 2);
  CHECK(s.ciperf({"compare", "--since", "no-such-run"}).exit_code == 2);
}

TEST_CASE("compare is inconclusive, exit 4, when it could not have seen a regression",
          "[baseline]") {
  Session s;
  REQUIRE(s.baseline("few", 3).exit_code == 0);
  s.warm_runs(1, "0.3");
  auto r = s.ciperf({"compare", "--last", "--baseline", "few"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.out, Contains("verdict: inconclusive"));
  CHECK_THAT(r.out, Contains("could not have seen a 5% change"));
  auto json =
      nlohmann::json::parse(s.ciperf({"compare", "--last", "--baseline", "few", "--json"}).out);
  CHECK(json["verdict"] == "inconclusive");
  CHECK(json["inconclusive"] == true);
  CHECK(json["regressed"] == false);
  for (const auto& p : json["groups"][0]["phases"])
    CHECK(p["verdict"] == "not enough data");
}

TEST_CASE("a baseline needs a cold prepare and readable pipelines", "[baseline]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'true'}\n");
  auto r = box.ciperf({"baseline", file.string(), "--runs", "3", "--store", box.store().string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("needs 'cold: prepare:'"));
  CHECK(box.ciperf({"baseline", (box.dir / "missing.yml").string()}).exit_code == 2);
  CHECK(box.ciperf({"baseline", file.string(), "--runs", "1"}).exit_code == 2);
}

TEST_CASE("the lukewarm check finds a pipeline whose name holds a secret", "[baseline][serial]") {
  // The stored runs carry the redacted name; the check must not look for the raw one.
  Sandbox box;
  auto file = box.write_pipeline("version: 1\npipeline: app-tok-0123456789\nsecrets: [API_TOKEN]\n"
                                 "env: {API_TOKEN: tok-0123456789}\ncold: {prepare: 'true'}\n"
                                 "phases:\n  - {name: a, run: [sleep, '0.1']}\n");
  auto r = box.ciperf({"baseline", file.string(), "--runs", "5", "--store", box.store().string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("lukewarm: no phase of app-*** is slower cold"));
  CHECK_THAT(r.err, Contains("checked 1 phase, cold vs warm medians: a "));
  CHECK(r.err.find("tok-0123456789") == std::string::npos);
}
