// `compare --confirm K` through the real binary: a phase slow only while a marker file exists
// looks regressed, and K more runs say whether it stays so.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

// One phase, so that one test carries the whole judgement (Holm over one phase), and a 100%
// threshold: a loaded host's fork and shell start-up stay far inside it and the five-fold
// slowdown (50 ms against 250 ms) far beyond it, and the noise of 50 ms sleeps cannot make the
// comparison blind to a change of 100% (which would make it inconclusive, exit 4).
constexpr const char* kPipeline = R"(version: 1
pipeline: marker
cold: {{prepare: "true"}}
phases:
  - name: cpu
    run: 'if [ -f {} ]; then sleep 0.25; else sleep 0.05; fi'
)";

struct Confirming {
  Sandbox box;
  std::filesystem::path marker = box.dir / "slow.marker";
  std::filesystem::path file = box.write_pipeline(fmt::format(kPipeline, marker.string()));

  ProcessResult ciperf(std::vector<std::string> args) const {
    args.push_back("--store");
    args.push_back(box.store().string());
    return box.ciperf(args);
  }
  nlohmann::json runs(std::vector<std::string> args = {}) const {
    args.insert(args.begin(), {"runs", "--json", "--limit", "1000"});
    return nlohmann::json::parse(ciperf(args).out);
  }
  std::string newest_run_id() const { return runs()[0]["run_id"]; }
  // `n` candidate runs while the marker exists; returns the id just before them.
  std::string slow_candidates(int n) const {
    std::string before = newest_run_id();
    std::ofstream(marker).put('x');
    for (int i = 0; i < n; ++i)
      REQUIRE(ciperf({"run", file.string(), "--label", "branch=feature"}).exit_code == 0);
    return before;
  }
  ProcessResult compare(const std::string& since, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"compare", "--since",     since, "--baseline",
                                     "main",    "--threshold", "100"};
    args.insert(args.end(), extra.begin(), extra.end());
    return ciperf(args);
  }
};

} // namespace

TEST_CASE("compare --confirm reruns a regression: a lasting one stays, a passing one is not "
          "confirmed",
          "[confirm][serial]") {
  Confirming s;
  auto zero = s.ciperf({"compare", "--last", "--confirm", "0"});
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("'0' is not a whole number from 1 to 100"));
  REQUIRE(s.ciperf({"baseline", s.file.string(), "--runs", "6", "--name", "main"}).exit_code == 0);

  std::string before = s.slow_candidates(3);
  size_t stored = s.runs().size();
  auto missing = s.compare(before, {"--confirm", "2", "--pipeline-file", "nowhere.yml"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("the pipeline file nowhere.yml is missing"));
  CHECK(s.runs().size() == stored); // refused before any rerun

  // The marker stays: the slowdown lasts, three more runs confirm it.
  auto lasting = s.compare(before, {"--confirm", "3"});
  INFO(lasting.out << lasting.err);
  CHECK(lasting.exit_code == 1);
  CHECK_THAT(lasting.out, Contains("confirm: cpu (normal) looked regressed (+"));
  CHECK_THAT(lasting.out, Contains("3 more runs: still regressed"));
  CHECK_THAT(lasting.out, Contains("verdict: regressed"));
  CHECK(s.runs().size() == stored + 3);
  auto confirmations = s.runs({"--label", "branch=feature"});
  CHECK(confirmations.size() == 6); // the candidates' labels carried over
  CHECK(confirmations[0]["labels"]["ciperf.confirms"] == confirmations[3]["run_id"]);
  CHECK(confirmations[0]["mode"] == "normal");

  // Slow only while the marker exists: three slow candidates, then five fast reruns.
  std::string transient = s.slow_candidates(3);
  std::filesystem::remove(s.marker);
  auto passing = s.compare(transient, {"--confirm", "5", "--json"});
  INFO(passing.out << passing.err);
  CHECK(passing.exit_code == 0);
  auto answer = nlohmann::json::parse(passing.out);
  CHECK(answer["verdict"] == "no regression");
  CHECK(answer["confirm"]["runs"].size() == 5);
  REQUIRE(answer["confirm"]["phases"].size() == 1);
  CHECK(answer["confirm"]["phases"][0]["phase"] == "cpu");
  CHECK(answer["confirm"]["phases"][0]["first_change"].get<double>() > 0.5);
  CHECK(answer["confirm"]["phases"][0]["confirmed"] == false);
  CHECK(answer["groups"][0]["candidate_runs"] == 8);
  CHECK(answer["groups"][0]["phases"][0]["n_candidate"] == 8); // each run's phase counted once
  // The same 8 runs judged again: nothing looks regressed now, so nothing is rerun.
  auto text = s.compare(transient, {"--confirm", "5"});
  CHECK_THAT(text.out, Contains("nothing looked regressed: no reruns"));
  CHECK(text.exit_code == 0);

  // Imported runs have no pipeline to run again: refused before anything is judged.
  std::string before_import = s.newest_run_id();
  auto junit = s.box.dir / "junit.xml";
  std::ofstream(junit) << "<testsuite name=\"marker\"><testcase classname=\"c\" name=\"cpu\" "
                          "time=\"1\"/></testsuite>";
  REQUIRE(s.ciperf({"import", junit.string()}).exit_code == 0);
  auto imported = s.compare(before_import, {"--confirm", "2"});
  CHECK(imported.exit_code == 2);
  CHECK_THAT(imported.err,
             Contains("was imported from junit: ciperf has no pipeline to run again"));
}
