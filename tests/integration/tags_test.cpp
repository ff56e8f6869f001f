// Opt-in phases through the real binary: `--tags` / $CIPERF_TAGS select them, an untagged run
// leaves them out without a skipped phase, and runs are only analysed with runs that ran the same
// tag set.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>

using namespace ciperf::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

constexpr const char* kPipeline = R"(version: 1
pipeline: tagged
cold: {prepare: 'true'}
phases:
  - name: build
    run: 'sleep 0.05'
  - name: heavy
    tags: [extra]
    run: 'sleep 0.05'
  - name: test
    run: 'sleep 0.05'
)";

std::vector<std::string> phase_names(const json& results) {
  std::vector<std::string> out;
  for (const auto& p : results["phases"])
    out.push_back(p["name"]);
  return out;
}

} // namespace

TEST_CASE("tagged phases run only when selected, and the run records its tag set", "[tags]") {
  Sandbox box;
  auto plain = box.run(kPipeline);
  INFO(plain.process.err);
  REQUIRE(plain.process.exit_code == 0);
  CHECK(phase_names(plain.results) == std::vector<std::string>{"build", "test"});
  CHECK_THAT(plain.process.err, Contains("left out 1 phase tagged extra"));
  CHECK_FALSE(plain.results["labels"].contains("tags"));

  auto extra = box.run(kPipeline, {"--tags", "extra"});
  REQUIRE(extra.process.exit_code == 0);
  CHECK(phase_names(extra.results) == std::vector<std::string>{"build", "heavy", "test"});
  CHECK(extra.results["labels"]["tags"] == "extra");

  ProcessOptions from_env;
  from_env.env = {"CIPERF_TAGS=extra,nightly"};
  auto env = box.run(kPipeline, {}, from_env);
  REQUIRE(env.process.exit_code == 0);
  CHECK(phase_names(env.results).size() == 3);
  CHECK_THAT(env.process.err, Contains("no phase of tagged is tagged nightly"));

  auto bad = box.run(kPipeline, {"--tags", "no;way"});
  CHECK(bad.process.exit_code == 2);
  CHECK_THAT(bad.process.err, Contains("'no;way' is not a tag"));

  // attribute takes the newest run's tag set (extra) and says what it left out.
  auto store = box.store().string();
  auto attributed = box.ciperf({"attribute", "--json", "--store", store});
  INFO(attributed.err);
  REQUIRE(attributed.exit_code == 0);
  CHECK_THAT(attributed.err, Contains("attribute: left out 1 run(s) whose tags differ"));
  auto rows = json::parse(attributed.out)["rows"];
  CHECK(rows.size() == 3);
}

TEST_CASE("compare judges only the runs that ran the baseline's tag set", "[tags][serial]") {
  Sandbox box;
  auto file = box.write_pipeline(kPipeline, "tagged.yml");
  auto store = box.store().string();
  auto made =
      box.ciperf({"baseline", file.string(), "--runs", "3", "--name", "b", "--store", store});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK_THAT(made.err, Contains("left out 1 phase tagged extra"));
  std::string since = json::parse(
      box.ciperf({"runs", "--json", "--limit", "1", "--store", store}).out)[0]["run_id"];
  for (const char* tags : {"extra", "extra", "extra", "", "", ""}) {
    std::vector<std::string> args = {"run", file.string(), "--mode", "warm", "--store", store};
    if (*tags)
      args.insert(args.end(), {"--tags", tags});
    REQUIRE(box.ciperf(args).exit_code == 0);
  }
  auto compared =
      box.ciperf({"compare", "--since", since, "--baseline", "b", "--json", "--store", store});
  INFO(compared.out << compared.err);
  CHECK_THAT(compared.err, Contains("compare: left out 3 run(s) whose tags differ from baseline "
                                    "b's (none)"));
  auto report = json::parse(compared.out);
  const auto& phases = report["groups"][0]["phases"];
  CHECK(phases.size() == 2); // no "heavy": the runs that ran it were left out
  for (const auto& p : phases)
    CHECK(p["n_candidate"] == 3);
}

TEST_CASE("what a tag selection says on stderr is masked like the run", "[tags][secrets]") {
  Sandbox box;
  ProcessOptions options;
  options.env = {"TOKEN=hunter2secret"};
  auto r = box.run("version: 1\npipeline: p-hunter2secret\nsecrets: [TOKEN]\nphases:\n"
                   "  - {name: a, run: 'true'}\n"
                   "  - {name: b, run: 'true', tags: [hunter2secret]}\n",
                   {"--tags", "nonexistent"}, options);
  INFO(r.process.err);
  REQUIRE(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Contains("left out 1 phase tagged ***"));
  CHECK_THAT(r.process.err, Contains("no phase of p-*** is tagged nonexistent"));
  CHECK(r.process.err.find("hunter2secret") == std::string::npos);
  CHECK(r.process.out.find("hunter2secret") == std::string::npos);
}
