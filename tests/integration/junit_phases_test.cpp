// `junit:` end to end: a phase runs the real pytest (Debian's python3-pytest), which writes a
// JUnit file; ciperf keeps its test cases as children of the phase in the store, results.json,
// `show` and every export, judges them per test in compare, and finds flaky ones.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

// Two classes with a test of the same name (kept apart), a test whose time $SLOW sets, a
// failure.
constexpr const char* kTests = R"(import os, time
class TestA:
    def test_x(self):
        time.sleep(float(os.environ.get("SLOW", "0.01")))
class TestB:
    def test_x(self):
        pass
def test_fail():
    assert 1 == 2, "one is not two"
)";

// The phase passes whatever pytest says (`; true`): the cases' statuses are the test runner's.
std::string pipeline(const std::string& extra = "") {
  return "version: 1\npipeline: py\nphases:\n"
         "  - name: tests\n    kind: test\n"
         "    run: /usr/bin/python3 -m pytest -q -p no:cacheprovider "
         "--junitxml=$CIPERF_RUN_DIR/junit/py.xml test_t.py; true\n"
         "    junit: $CIPERF_RUN_DIR/junit/*.xml\n" +
         extra;
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

void require_valid_report(const std::string& format, const std::filesystem::path& file) {
  auto r =
      run_process({"/usr/bin/python3", std::string(CIPERF_SOURCE_DIR) + "/tests/validate_report.py",
                   format, file.string()},
                  {});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

const nlohmann::json& test_named(const nlohmann::json& phase, const std::string& name) {
  for (const auto& t : phase["tests"])
    if (t["name"] == name)
      return t;
  FAIL("no test " << name << " in " << phase.dump());
  throw;
}

} // namespace

TEST_CASE("pytest's cases are children of their phase in the store, results.json, show and "
          "every export",
          "[junit]") {
  Sandbox box;
  write(box.dir / "test_t.py", kTests);
  auto run = box.run(pipeline());
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  const auto& phase = ciperf::test::phase(run.results, "tests");
  REQUIRE(phase["status"] == "passed"); // the phase's own status: pytest's exit was ignored
  REQUIRE(phase["tests"].size() == 3);
  CHECK(test_named(phase, "test_t.TestA::test_x")["status"] == "passed");
  CHECK(test_named(phase, "test_t.TestB::test_x")["status"] == "passed");
  const auto& failed = test_named(phase, "test_t::test_fail");
  CHECK(failed["status"] == "failed");
  CHECK_THAT(failed["message"].get<std::string>(), Contains("one is not two"));
  CHECK(test_named(phase, "test_t.TestA::test_x")["wall_s"].get<double>() >= 0.009);

  std::string store = box.store().string();
  std::string id = run.results["run_id"];
  auto show = box.ciperf({"show", "--store", store, id});
  CHECK_THAT(show.out, Contains("  - test_t.TestA::test_x") && Contains("  - test_t::test_fail"));
  auto json = nlohmann::json::parse(box.ciperf({"show", "--store", store, id, "--json"}).out);
  CHECK(ciperf::test::phase(json, "tests")["tests"] == phase["tests"]); // the store kept them

  for (std::string format : {"md", "html", "junit", "trace", "otlp", "csv"}) {
    auto out = box.dir / ("report." + format);
    auto r = box.ciperf({"report", "--store", store, "--format", format, "-o", out.string()});
    INFO(format << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    require_valid_report(format, out);
  }
  CHECK_THAT(read_file(box.dir / "report.junit"),
             Contains("<testcase classname=\"py.tests\" name=\"test_t::test_fail\"") &&
                 Contains("<failure message=\"AssertionError: one is not two"));
  CHECK_THAT(read_file(box.dir / "report.md"),
             Contains("1 test failed") && Contains("↳ test\\_t.TestB::test\\_x"));
  CHECK_THAT(read_file(box.dir / "report.html"), Contains("&#8627; test_t.TestA::test_x"));
  CHECK_THAT(read_file(box.dir / "report.csv"),
             Contains(",test_t::test_fail,testcase,,failed,") && Contains(",tests\n"));

  // The trace: each case a slice on its phase's track, inside the phase's slice.
  auto trace = nlohmann::json::parse(read_file(box.dir / "report.trace"));
  nlohmann::json phase_slice;
  std::vector<nlohmann::json> cases;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "X" && e["name"] == "tests")
      phase_slice = e;
    if (e.value("cat", "") == "testcase")
      cases.push_back(e);
  }
  REQUIRE(cases.size() == 3);
  for (const auto& c : cases) {
    CHECK(c["tid"] == phase_slice["tid"]);
    CHECK(c["ts"].get<int64_t>() >= phase_slice["ts"].get<int64_t>());
    CHECK(c["ts"].get<int64_t>() + c["dur"].get<int64_t>() <=
          phase_slice["ts"].get<int64_t>() + phase_slice["dur"].get<int64_t>());
  }

  // OTLP: each case a span whose parent is the phase's span.
  auto otlp = nlohmann::json::parse(read_file(box.dir / "report.otlp"));
  std::string phase_span;
  std::vector<nlohmann::json> test_spans;
  for (const auto& s : otlp["resourceSpans"][0]["scopeSpans"][0]["spans"]) {
    if (s["name"] == "tests")
      phase_span = s["spanId"];
    for (const auto& a : s["attributes"])
      if (a["key"] == "ciperf.test.name")
        test_spans.push_back(s);
  }
  REQUIRE(test_spans.size() == 3);
  std::set<std::string> ids;
  for (const auto& s : test_spans) {
    CHECK(s["parentSpanId"] == phase_span);
    ids.insert(s["spanId"].get<std::string>());
  }
  CHECK(ids.size() == 3);
}

TEST_CASE("a missing or malformed junit file is a warning naming it and the phase status stands",
          "[junit]") {
  Sandbox box;
  auto run = box.run("version: 1\npipeline: bad\nphases:\n"
                     "  - name: broken\n    run: printf '<testsuite><testcase' > half.xml\n"
                     "    junit: half.xml\n"
                     "  - name: absent\n    run: 'true'\n    junit: none/$CIPERF_PHASE-*.xml\n");
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  CHECK(ciperf::test::phase(run.results, "broken")["status"] == "passed");
  CHECK_FALSE(ciperf::test::phase(run.results, "broken").contains("tests"));
  CHECK_THAT(run.process.err,
             Contains("warning: phase broken: junit file skipped: ") && Contains("half.xml:1:"));
  CHECK_THAT(run.process.err, Contains("warning: phase absent: junit: no file matches ") &&
                                  Contains("none/absent-*.xml"));
}

TEST_CASE("a bad junit: value is refused with its file:line", "[junit]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\npipeline: p\nphases:\n"
                                 "  - {name: a, run: 'true', junit: []}\n"
                                 "  - {name: w, wait: {all: [tcp: '127.0.0.1:1']}, junit: x.xml}\n"
                                 "  - {name: e, run: 'true', junit: ''}\n");
  auto r = box.ciperf({"check", file.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("pipeline.yml:4:") && Contains("junit in phase 'a' must be a path"));
  CHECK_THAT(r.err, Contains("pipeline.yml:5:") && Contains("a wait phase runs no tests"));
  CHECK_THAT(r.err, Contains("pipeline.yml:6:") && Contains("must not be empty"));
}

// Serial: it judges real test cases' times, which tests running beside it would move. Its
// "moved with the host" failures were compare's, not the load's: a 1 ms test that read 2 ms once
// counted as a moved phase (analysis/comparison.cpp now needs a significant move).
TEST_CASE("compare --tests finds the test that slowed and attribute and changes see it too",
          "[junit][serial]") {
  Sandbox box;
  write(box.dir / "test_t.py", kTests);
  std::string store = box.store().string();
  std::string since;
  for (int i = 0; i < 10; ++i) {
    ProcessOptions options;
    options.env = {std::string("SLOW=") + (i < 5 ? "0.01" : "0.2")};
    auto run = box.run(pipeline(), {}, options);
    REQUIRE(run.process.exit_code == 0);
    if (i == 4) // the candidates are the runs after it: 5 against a history of 5
      since = run.results["started_at"];
  }
  auto r =
      box.ciperf({"compare", "--store", store, "--since", since, "--history", "--tests", "--json"});
  INFO(r.out << r.err);
  auto answer = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> verdicts;
  for (const auto& row : answer["groups"][0]["phases"])
    verdicts[row["phase"]] = row["verdict"];
  CHECK(verdicts["tests/test_t.TestA::test_x"] == "regressed");
  CHECK(verdicts.count("tests/test_t.TestB::test_x") == 1); // same name, another class
  CHECK(r.exit_code == 1);
  CHECK(answer["flaky"].empty()); // test_fail failed every time: not flaky
  // Without --tests the phase alone is judged.
  auto plain = box.ciperf({"compare", "--store", store, "--since", since, "--history", "--json"});
  CHECK(plain.out.find("test_t.TestA") == std::string::npos);

  auto attribute = box.ciperf({"attribute", "--store", store, "--tests"});
  CHECK_THAT(attribute.out,
             Contains("tests/test_t.TestA::test_x") && Contains("tests/(outside tests)"));
  auto changes = box.ciperf({"changes", "--store", store, "--tests"});
  CHECK_THAT(changes.out, Contains("tests/test_t.TestA::test_x"));
}

TEST_CASE("flaky tests: failed then passed on a retry, or a status change at one commit",
          "[junit]") {
  Sandbox box;
  // A runner that retries a failed test writes it twice; $OUTCOME decides test b's status.
  std::string yaml =
      "version: 1\npipeline: flaky\nphases:\n"
      "  - name: t\n    kind: test\n    junit: out.xml\n    run: |\n"
      "      if [ \"$OUTCOME\" = fail ]; then b='<failure message=\"no\"/>'; else b=''; fi\n"
      "      printf '<testsuite name=\"s\"><testcase classname=\"c\" name=\"a\"><failure "
      "message=\"timing\"/></testcase><testcase classname=\"c\" name=\"a\"/><testcase "
      "classname=\"c\" name=\"b\">%s</testcase></testsuite>' \"$b\" > out.xml\n";
  std::string store = box.store().string();
  std::string first;
  for (const char* outcome : {"pass", "fail"}) {
    ProcessOptions options;
    options.env = {std::string("OUTCOME=") + outcome};
    auto run = box.run(yaml, {"--label", "commit=abc"}, options);
    INFO(run.process.err);
    REQUIRE(run.process.exit_code == 0);
    CHECK_THAT(run.process.out, Contains("flaky test t/c::a: failed then passed on a retry"));
    if (first.empty())
      first = run.results["run_id"];
  }
  auto r = box.ciperf({"compare", "--store", store, "--last", "--history", "--tests", "--json"});
  INFO(r.out << r.err);
  auto answer = nlohmann::json::parse(r.out);
  std::set<std::string> flaky;
  for (const auto& f : answer["flaky"])
    flaky.insert(f["test"].get<std::string>());
  CHECK(flaky == std::set<std::string>{"t/c::a", "t/c::b"});
  // At another commit a changed status is the code's doing, not flakiness.
  ProcessOptions options;
  options.env = {"OUTCOME=pass"};
  REQUIRE(box.run(yaml, {"--label", "commit=def"}, options).process.exit_code == 0);
  auto text = box.ciperf({"compare", "--store", store, "--last", "--history", "--tests"});
  CHECK_THAT(text.out, Contains("flaky tests (2):") && Contains("both at code abc"));
}
