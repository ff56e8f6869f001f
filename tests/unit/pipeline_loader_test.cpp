#include "pipeline/pipeline_loader.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// The problems reported for `yaml`, as one string (empty if it loads).
std::string problems(const std::string& yaml) {
  test::TempDir dir;
  auto file = dir.write("p.yml", yaml);
  try {
    load_pipeline(file);
    return "";
  } catch (const PipelineError& e) {
    std::string text = e.what();
    // Make the message independent of the temporary directory's name.
    for (size_t at; (at = text.find(file.string())) != std::string::npos;)
      text.replace(at, file.string().size(), "p.yml");
    return text;
  }
}

} // namespace

TEST_CASE("a complete pipeline loads with its defaults applied", "[pipeline]") {
  test::TempDir dir;
  auto file = dir.write("sub/p.yml", R"(version: 1
pipeline: demo
workdir: ..
env: { A: "1" }
secrets: [TOKEN]
defaults: { timeout: 2m, grace: 1s }
cold: { prepare: "echo cold" }
phases:
  - name: deploy
    kind: deploy
    tier: base
    run: "echo $A"
    timeout: 30s
    budget: 20s
  - name: svc
    kind: deploy
    background: true
    run: [python3, -m, http.server]
  - name: teardown
    kind: teardown
    always: true
    workdir: sub
    env: { B: "2" }
    run: "true"
expect: { deploys: 2 }
)");
  Pipeline p = load_pipeline(file);
  CHECK(p.name == "demo");
  CHECK(p.workdir == dir.path());
  CHECK(p.env.at("A") == "1");
  CHECK(p.secrets == std::vector<std::string>{"TOKEN"});
  REQUIRE(p.cold_prepare);
  CHECK(p.cold_prepare->script == "echo cold");
  REQUIRE(p.phases.size() == 3);
  CHECK(p.phases[0].timeout == Duration(30s));
  CHECK(p.phases[0].budget == Duration(20s));
  CHECK(p.phases[0].grace == Duration(1s));
  CHECK(p.phases[0].tier == "base");
  CHECK(p.phases[1].background);
  CHECK_FALSE(p.phases[1].run.shell);
  CHECK(p.phases[1].run.argv == std::vector<std::string>{"python3", "-m", "http.server"});
  CHECK(p.phases[1].timeout == Duration(2min));
  CHECK(p.phases[2].always);
  CHECK(p.phases[2].workdir == dir / "sub");
  CHECK(p.phases[2].env.at("B") == "2");
  CHECK(p.expected_deploys == 2);
}

TEST_CASE("phases run in the pipeline file's directory by default", "[pipeline]") {
  test::TempDir dir;
  auto file = dir.write("x/y/p.yml", "version: 1\nphases:\n  - {name: a, run: 'true'}\n");
  Pipeline p = load_pipeline(file);
  CHECK(p.phases[0].workdir == dir / "x/y");
  CHECK(p.name == "p"); // the file's stem when `pipeline:` is absent
  CHECK(p.phases[0].timeout == kDefaultPhaseTimeout);
}

TEST_CASE("an unknown key names file, line, column and the closest valid key", "[pipeline]") {
  auto text = problems(R"(version: 1
phases:
  - name: deploy
    run: "true"
    timout: 5s
)");
  CHECK(text == "p.yml:5:5: unknown key 'timout' in phase 'deploy' (line 5); did you mean "
                "'timeout'?");
}

TEST_CASE("malformed YAML is reported with its position", "[pipeline]") {
  auto text = problems("version: 1\nphases:\n  - name: [unclosed\n");
  CHECK_THAT(text, Contains("p.yml:") && Contains("malformed YAML"));
}

TEST_CASE("wrong types are reported, each with its line", "[pipeline]") {
  auto text = problems(R"(version: 1
env: [A, B]
phases:
  - name: a
    run: {x: 1}
    always: maybe
    background: [1]
)");
  CHECK_THAT(text, Contains("p.yml:2:6: env must be a mapping"));
  CHECK_THAT(text, Contains("p.yml:5:10: run in phase 'a' must be a command string"));
  CHECK_THAT(text, Contains("p.yml:6:13: always in phase 'a' must be true or false"));
  CHECK_THAT(text, Contains("p.yml:7:17: background in phase 'a' must be true or false"));
}

TEST_CASE("duplicate phase names are rejected", "[pipeline]") {
  auto text = problems(R"(version: 1
phases:
  - {name: a, run: "true"}
  - {name: a, run: "false"}
)");
  CHECK_THAT(text, Contains("p.yml:4:12: duplicate phase name 'a'"));
}

TEST_CASE("a pipeline without phases is rejected", "[pipeline]") {
  CHECK_THAT(problems("version: 1\nphases: []\n"), Contains("phases must be a non-empty list"));
  CHECK_THAT(problems("version: 1\n"), Contains("missing key 'phases'"));
}

TEST_CASE("negative and unparseable durations are rejected", "[pipeline]") {
  auto text = problems(R"(version: 1
defaults: {timeout: soon}
phases:
  - {name: a, run: "true", timeout: -5s}
  - {name: b, run: "true", budget: 10}
  - {name: c, run: "true", timeout: 0s}
)");
  CHECK_THAT(text, Contains("p.yml:2:21: defaults.timeout: 'soon' is not a duration"));
  CHECK_THAT(text, Contains("p.yml:4:37: timeout in phase 'a': '-5s' is not a duration"));
  CHECK_THAT(text, Contains("p.yml:5:36: budget in phase 'b': '10' is not a duration"));
  CHECK_THAT(text, Contains("timeout in phase 'c' must be greater than zero"));
}

TEST_CASE("a wait block loads with its targets and policy", "[pipeline]") {
  test::TempDir dir;
  auto file = dir.write("p.yml", R"(version: 1
env: {PORT: "18080"}
phases:
  - name: ready
    timeout: 30s
    wait:
      any:
        - http: http://127.0.0.1:$PORT/healthz
          status: 200-299,401
          body: "ok"
          headers: {Host: example.org}
          method: HEAD
          insecure: true
        - tcp: 127.0.0.1:5432
        - "exec:pg_isready -q"
        - {log: $CIPERF_RUN_DIR/server.log, match: "ready to accept"}
      interval: 25ms
      attempt_timeout: 500ms
      successes: 2
      backoff: 1.5
      fail_if:
        - exec: "test -f crashloop"
)");
  Pipeline p = load_pipeline(file);
  const PhaseSpec& ready = p.phases.at(0);
  CHECK(ready.kind == PhaseKind::Wait);
  REQUIRE(ready.wait);
  const WaitSpec& w = *ready.wait;
  CHECK(w.any);
  REQUIRE(w.targets.size() == 4);
  CHECK(w.targets[0].kind == ProbeKind::Http);
  CHECK(w.targets[0].text == "http://127.0.0.1:$PORT/healthz"); // expanded when it runs
  CHECK(w.targets[0].status.size() == 2);
  CHECK(w.targets[0].method == "HEAD");
  CHECK(w.targets[0].headers == std::vector<std::string>{"Host: example.org"});
  CHECK(w.targets[0].insecure);
  CHECK(w.targets[1].port == 5432);
  CHECK(w.targets[2].command == "pg_isready -q");
  CHECK(w.targets[3].regex == "ready to accept");
  CHECK(w.interval == Duration(25ms));
  CHECK(w.attempt_timeout == Duration(500ms));
  CHECK(w.timeout == Duration(30s)); // the phase's timeout bounds its wait
  CHECK(w.successes == 2);
  CHECK(w.backoff == 1.5);
  REQUIRE(w.fail_if.size() == 1);
  CHECK(w.fail_if[0].kind == ProbeKind::Exec);
}

TEST_CASE("a broken wait block names what is wrong", "[pipeline]") {
  auto text = problems(R"(version: 1
phases:
  - name: ready
    run: "true"
    wait: {all: [{tcp: "127.0.0.1:5432"}]}
  - name: ready2
    wait:
      all:
        - {htpp: "http://x/"}
        - {http: "ftp://x/"}
        - {tcp: "127.0.0.1:99999"}
        - {log: /tmp/x}
        - {exec: "true", status: 200}
        - {http: "http://x/", body: "("}
      intervall: 5ms
  - name: ready3
    wait: {timeout: 1s}
)");
  CHECK_THAT(text, Contains("a phase has either 'run' or 'wait', not both in phase 'ready'"));
  CHECK_THAT(text, Contains("unknown key 'htpp' in a wait target in phase 'ready2'"));
  CHECK_THAT(text, Contains("did you mean 'http'?"));
  CHECK_THAT(text, Contains("target 'ftp://x/' is not one of http://"));
  CHECK_THAT(text, Contains("'99999' is not a port"));
  CHECK_THAT(text, Contains("a log target needs 'match'"));
  CHECK_THAT(text, Contains("'status' applies to http targets only"));
  CHECK_THAT(text, Contains("bad regex '('"));
  CHECK_THAT(text, Contains("unknown key 'intervall' in the wait block in phase 'ready2'"));
  CHECK_THAT(text, Contains("did you mean 'interval'?"));
  CHECK_THAT(text, Contains("wait in phase 'ready3' needs 'all' or 'any'"));
}

TEST_CASE("unknown kinds, versions and top-level keys are reported", "[pipeline]") {
  auto text = problems(R"(version: 2
pipline: x
phases:
  - {name: a, run: "true", kind: deplyo}
expect: {deploys: -1}
)");
  CHECK_THAT(text, Contains("unsupported version '2'"));
  CHECK_THAT(text, Contains("unknown key 'pipline' at the top level (line 2); did you mean "
                            "'pipeline'?"));
  CHECK_THAT(text, Contains("unknown kind 'deplyo' in phase 'a'"));
  CHECK_THAT(text, Contains("did you mean 'deploy'?"));
  CHECK_THAT(text, Contains("expect.deploys must be a whole number"));
}

TEST_CASE("a missing file is a clear error", "[pipeline]") {
  CHECK_THROWS_WITH(load_pipeline("/nonexistent/pipeline.yml"),
                    Contains("/nonexistent/pipeline.yml: cannot read the pipeline file"));
}

TEST_CASE("two phases without a name are two problems, not a crash", "[pipeline]") {
  // Found by fuzz_pipeline: the duplicate check took both for the name "" and asked the
  // missing `name` node for its position, which throws.
  std::string text = problems(R"(version: 1
phases:
  - run: "true"
  - run: "true"
)");
  CHECK_THAT(text, Contains("missing key 'name' in the phase at line 3"));
  CHECK_THAT(text, Contains("missing key 'name' in the phase at line 4"));
  CHECK(text.find("duplicate") == std::string::npos);
}
