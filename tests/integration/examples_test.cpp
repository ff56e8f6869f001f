// The examples are real: the runnable ones run here against real servers.
#include "pipeline/pipeline_loader.hpp"
#include "probes/user_regex.hpp"
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace ciperf::test;

namespace {

CiperfRun run_example(const Sandbox& box, const std::string& name) {
  CiperfRun r;
  r.run_dir = box.dir / "run";
  r.process = box.ciperf({"run", CIPERF_SOURCE_DIR "/examples/" + name, "--store",
                          box.store().string(), "--out", r.run_dir.string()});
  INFO(r.process.out << r.process.err);
  REQUIRE(std::filesystem::exists(r.run_dir / "results.json"));
  require_valid_results(r.run_dir / "results.json");
  r.results = nlohmann::json::parse(read_file(r.run_dir / "results.json"));
  return r;
}

} // namespace

TEST_CASE("examples/ctest-project builds a C project with CMake and keeps ctest's tests",
          "[examples][junit]") {
  Sandbox box;
  auto r = run_example(box, "ctest-project/pipeline.yml");
  REQUIRE(r.process.exit_code == 0);
  const auto& test = phase(r.results, "test");
  std::set<std::string> names;
  for (const auto& t : test["tests"]) {
    names.insert(t["name"].get<std::string>());
    CHECK(t["status"] == "passed");
  }
  CHECK(names == std::set<std::string>{"rpn.add", "rpn.mul", "rpn.nested", "rpn.divide_by_zero",
                                       "rpn.long_sum"});
  CHECK(std::filesystem::exists(r.run_dir / "build" / "rpn_test")); // built out of tree
  auto show = box.ciperf({"show", "--store", box.store().string(), r.results["run_id"]});
  CHECK(show.out.find("  - rpn.long_sum") != std::string::npos);
}

TEST_CASE("examples/abra-recipe.yml passes ciperf check", "[examples]") {
  Sandbox box;
  auto r = box.ciperf({"check", CIPERF_SOURCE_DIR "/examples/abra-recipe.yml"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("examples/warm-service pipelines pass ciperf check", "[examples]") {
  // compare.py runs them for minutes; here they are only checked.
  Sandbox box;
  for (const char* name : {"per-run.yml", "shared.yml"}) {
    auto r = box.ciperf({"check", CIPERF_SOURCE_DIR "/examples/warm-service/" + std::string(name)});
    INFO(name << ": " << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("examples/sweep: both pipelines run side by side in a sweep", "[examples][sweep]") {
  Sandbox box;
  auto r = box.ciperf({"sweep", CIPERF_SOURCE_DIR "/examples/sweep/cpu-heavy.yml",
                       CIPERF_SOURCE_DIR "/examples/sweep/io-heavy.yml", "--concurrency", "2",
                       "--runs", "1", "--no-warm-up", "--json", "--store", box.store().string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["levels"][0]["failures"] == 0);
  CHECK(report["pipelines"] == nlohmann::json{"sweep-cpu-heavy", "sweep-io-heavy"});
}

TEST_CASE("examples/abra-recipe.yml splits each deploy into pull then start then converge",
          "[examples]") {
  // cc-ci's cold runners pay the image pull; warm ones do not. Only phases of their own let
  // attribute --cold-vs-warm show that share apart from abra's start and swarm's convergence.
  auto pipeline = ciperf::load_pipeline(CIPERF_SOURCE_DIR "/examples/abra-recipe.yml");
  std::vector<std::string> deploy_steps;
  int deploys = 0;
  for (const auto& p : pipeline.phases) {
    deploys += p.kind == ciperf::PhaseKind::Deploy;
    if (p.name.starts_with("pull") || p.name.starts_with("start") || p.name.starts_with("converge"))
      deploy_steps.push_back(p.name);
    if (p.name.starts_with("pull"))
      CHECK(p.kind != ciperf::PhaseKind::Deploy); // a pull is not a deploy of its own
    if (p.name.starts_with("start"))
      CHECK(p.kind == ciperf::PhaseKind::Deploy);
    if (p.name.starts_with("converge"))
      CHECK(p.wait.has_value());
  }
  CHECK(deploy_steps == std::vector<std::string>{"pull", "start", "converge", "pull-previous",
                                                 "start-previous", "converge-previous",
                                                 "converge-upgraded"});
  CHECK(pipeline.expected_deploys == deploys);
}

TEST_CASE("examples/sleep-vs-probe: probes pass in a fraction of the sleeps' time",
          "[examples][serial]") {
  Sandbox box;
  auto sleeps = box.ciperf({"check", CIPERF_SOURCE_DIR "/examples/sleep-vs-probe/with-sleeps.yml"});
  CHECK(sleeps.exit_code == 0);
  auto r = run_example(box, "sleep-vs-probe/with-probes.yml");
  CHECK(r.process.exit_code == 0);
  CHECK(r.results["wall_s"].get<double>() < 5.0); // the sleeps alone take 15 s
  CHECK(phase(r.results, "wait-for-services").at("probe")["outcome"] == "ready");
}

TEST_CASE("examples/ccache-build.yml is slow cold and served from ccache warm",
          "[examples][serial]") {
  Sandbox box;
  auto run = [&](const char* mode) {
    auto dir = box.dir / mode;
    auto p = box.ciperf({"run", CIPERF_SOURCE_DIR "/examples/ccache-build.yml", "--mode", mode,
                         "--store", box.store().string(), "--out", dir.string()});
    INFO(p.out << p.err);
    REQUIRE(p.exit_code == 0);
    return nlohmann::json::parse(read_file(dir / "results.json"));
  };
  auto cold = run("cold");
  auto warm = run("warm");
  double cold_compile = phase(cold, "compile")["wall_s"],
         warm_compile = phase(warm, "compile")["wall_s"];
  CHECK(warm_compile * 5 < cold_compile);
  CHECK(phase(cold, "compile")["metrics"]["cache_hits"]["value"] == 0.0);
  CHECK(phase(warm, "compile")["metrics"]["cache_hits"]["value"] == 6.0);
}

TEST_CASE("examples/http-service.yml deploys nginx, checks it and stops it", "[examples][serial]") {
  Sandbox box;
  auto r = run_example(box, "http-service.yml");
  INFO(r.process.out << r.process.err);
  CHECK(r.process.exit_code == 0);
  CHECK(r.results["status"] == "passed");
  CHECK(r.results["deploys"] == 1);
  CHECK(phase(r.results, "ready").at("probe")["outcome"] == "ready");
  CHECK(phase(r.results, "load")["metrics"]["requests"]["value"] == 200.0);
  CHECK_THAT(r.process.out, Catch::Matchers::Contains("functional"));
  CHECK_FALSE(std::filesystem::exists("/tmp/ciperf-http-service-example/nginx.pid"));
}

TEST_CASE("examples/postgres.yml runs initdb, pgbench and stop for real", "[examples][serial]") {
  Sandbox box;
  auto r = run_example(box, "postgres.yml");
  INFO(r.process.out << r.process.err);
  CHECK(r.process.exit_code == 0);
  CHECK(r.results["status"] == "passed");
  const auto& bench = phase(r.results, "pgbench-run");
  CHECK(bench["wall_s"].get<double>() >= 5.0);
  CHECK(bench["metrics"]["tps"]["value"].get<double>() > 0);
  CHECK(phase(r.results, "stop")["status"] == "passed");
  CHECK_FALSE(std::filesystem::exists("/tmp/ciperf-postgres-example"));
  if (r.results["accounting"] == "cgroup") {
    // The postmaster left `start`'s process group and stayed in its cgroup: a service, whose CPU
    // while pgbench ran is pgbench-run's service cost, apart from pgbench's own.
    REQUIRE(bench.contains("services"));
    REQUIRE(bench["services"].size() == 1);
    const auto& postgres = bench["services"][0];
    CHECK(postgres["name"] == "start");
    CHECK(postgres["user_s"].get<double>() + postgres["sys_s"].get<double>() > 0.5);
    CHECK_THAT(r.process.out, Catch::Matchers::Contains("service start: "));
  }
}

TEST_CASE("examples/postgres.yml fails fast on a real FATAL, not on its own probe's",
          "[examples]") {
  // pg_isready connecting while the server starts makes the server log a FATAL of its own; the
  // fail_if must not take that for a server that cannot start (it once failed the example).
  auto pipeline = ciperf::load_pipeline(CIPERF_SOURCE_DIR "/examples/postgres.yml");
  const ciperf::WaitSpec* wait = nullptr;
  for (const auto& p : pipeline.phases)
    if (p.name == "ready")
      wait = &*p.wait;
  REQUIRE(wait);
  REQUIRE(wait->fail_if.size() == 1);
  ciperf::UserRegex fatal(wait->fail_if[0].regex); // the engine the log probe uses
  CHECK_FALSE(fatal.search("2026-11-27 18:13:02.123 UTC [1234] FATAL:  the database system "
                           "is starting up"));
  CHECK(fatal.search("2026-11-27 18:13:02.523 UTC [99] FATAL:  could not create lock file "
                     "\"/tmp/.s.PGSQL.15432.lock\": Permission denied"));
  CHECK(fatal.search("FATAL:  data directory \"/x\" has invalid permissions"));
}
