// The importers on in-memory documents: each format, and each kind of bad input the issue
// lists. Errors must name the file and, for syntax errors, the position.
#include "imports/import_error.hpp"
#include "imports/importer.hpp"
#include "reports/results_json.hpp"
#include "support/report_fixture.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ciperf;

namespace {

std::vector<RunRecord> read(const std::string& text, ImportFormat format = ImportFormat::Auto) {
  std::istringstream in(text);
  ImportOptions options;
  options.zone = "UTC"; // the zone-less timestamps below, whatever the host's zone
  return read_runs(in, "input", "identity", format, 1795780800000000000LL, options);
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "no error";
}

const char* kPytest = R"xml(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="3" time="2.5"
 timestamp="2026-11-27T10:00:00.123456" hostname="ci-7">
<testcase classname="tests.test_app" name="test_home" time="0.5"/>
<testcase classname="tests.test_app" name="test_login" time="1.75"><failure message="assert 302 == 200">def test_login():
&gt;   assert r.status == 200</failure><system-out>lots of output</system-out></testcase>
<testcase classname="tests.test_backup" name="test_restore" time="0.0"><skipped message="no S3"/></testcase>
</testsuite></testsuites>)xml";

const char* kCcCi =
    R"json({"recipe": "wordpress", "version": "2.1.0+6.4", "pr": 42, "ref": "abc123",
 "run_id": "1234", "finished": "2026-11-27T10:05:00Z",
 "stages": [
  {"name": "install", "status": "pass",
   "tests": [{"name": "deploy", "status": "pass", "ms": 61000}, {"name": "http", "ms": 1200}]},
  {"tests": [{"name": "upgrade", "status": "fail", "ms": 30000}], "name": "upgrade", "status": "fail"}
 ]})json";

} // namespace

TEST_CASE("pytest junitxml: a suite is a run, test cases are phases of kind test", "[import]") {
  auto runs = read(kPytest);
  REQUIRE(runs.size() == 1);
  const RunRecord& r = runs[0];
  CHECK(r.pipeline == "pytest");
  CHECK(r.status == RunStatus::Failed);
  CHECK(r.started_at == "2026-11-27T10:00:00.123Z");
  CHECK(r.wall_s == 2.5);
  CHECK(r.host.hostname == "ci-7");
  CHECK(r.run_id.size() == 12);
  REQUIRE(r.phases.size() == 3);
  CHECK(r.phases[0].kind == PhaseKind::Test);
  CHECK(r.phases[0].tier == "tests.test_app");
  CHECK(r.phases[1].status == PhaseStatus::Failed);
  CHECK(r.phases[1].message == "assert 302 == 200");
  CHECK(r.phases[1].start_s == 0.5);
  CHECK(r.phases[2].status == PhaseStatus::Skipped);
}

TEST_CASE("the same content gets the same run ids and other content other ids", "[import]") {
  CHECK(read(kPytest)[0].run_id == read(kPytest)[0].run_id);
  std::istringstream other(kPytest);
  CHECK(read_runs(other, "input", "another identity", ImportFormat::Auto)[0].run_id !=
        read(kPytest)[0].run_id);
}

TEST_CASE("cc-ci results: stages become tiers and tests phases", "[import]") {
  auto runs = read(kCcCi);
  REQUIRE(runs.size() == 1);
  const RunRecord& r = runs[0];
  CHECK(r.pipeline == "wordpress");
  CHECK(r.status == RunStatus::Failed);
  CHECK(r.finished_at == "2026-11-27T10:05:00.000Z");
  CHECK(r.wall_s == Approx(92.2));
  CHECK(r.started_at == "2026-11-27T10:03:27.800Z");
  CHECK(r.labels.at("cc_ci.pr") == "42");
  REQUIRE(r.phases.size() == 3);
  CHECK(r.phases[0].tier == "install");
  CHECK(r.phases[1].status == PhaseStatus::Passed); // no status of its own: the stage's
  CHECK(r.phases[2].tier == "upgrade");             // the stage's name came after its tests
  CHECK(r.phases[2].status == PhaseStatus::Failed);
  CHECK(r.phases[2].start_s == Approx(62.2));
}

TEST_CASE("ciperf results.json reads back into the same record", "[import]") {
  RunRecord original = test::fixture_run();
  auto runs = read(results_json(original));
  REQUIRE(runs.size() == 1);
  const RunRecord& r = runs[0];
  CHECK(r.run_id == original.run_id);
  CHECK(r.pipeline == original.pipeline);
  CHECK(r.labels == original.labels);
  REQUIRE(r.phases.size() == original.phases.size());
  CHECK(r.phases[3].name == "test 'a' \"b\" \x01 \xEF\xBF\xBD <b>"); // replaced when written
  CHECK(r.phases[0].over_budget);
  REQUIRE(r.phases[2].probe);
  CHECK(r.phases[2].probe->targets[0].marks.size() == 4);
  CHECK(r.phases[2].probe->targets[0].marks[3].ok);
}

TEST_CASE("truncated or malformed JSON names the position", "[import][faults]") {
  CHECK_THAT(error_of("{\"schema\": \"ciperf/run/v1\", \"phases\": [{\"name\": "),
             Catch::Contains("input: invalid JSON at line 1, column"));
  CHECK_THAT(error_of("{\n  \"stages\": [{\"name\": \"a\" \"tests\": []}]\n}"),
             Catch::Contains("line 2, column"));
  CHECK_THAT(error_of("{\"stages\": [{\"name\": \"s\", \"tests\": [{\"name\": \"t\", "
                      "\"ms\": \"fast\"}]}]}"),
             Catch::Contains("input: stages[0].tests[0].ms: expected a number, got string"));
}

TEST_CASE("malformed or truncated XML names line and column", "[import][faults]") {
  CHECK_THAT(error_of("<testsuites>\n<testsuite name=\"a\" tests=\"1\">\n<testcase name=\"x\""),
             Catch::Contains("input:3:"));
  CHECK_THAT(error_of("<testsuite name=\"a\"><testcase name=\"x\" time=\"abc\"/></testsuite>"),
             Catch::Contains("time=\"abc\" is not a number"));
  CHECK_THAT(error_of("<testsuite><testcase name=\"x\"></testsuite>"),
             Catch::Contains("invalid XML: mismatched tag"));
}

TEST_CASE("a DOCTYPE or entity is refused and never expanded", "[import][faults]") {
  const char* laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<testsuite name="&lol2;"><testcase name="x"/></testsuite>)";
  CHECK_THAT(error_of(laughs), Catch::Contains("input:2:") && Catch::Contains("DOCTYPE"));
  const char* external = R"(<!DOCTYPE t SYSTEM "file:///etc/passwd"><testsuite name="a"/>)";
  CHECK_THAT(error_of(external), Catch::Contains("DOCTYPE"));
  CHECK_THAT(error_of("<testsuite name=\"&undefined;\"><testcase name=\"x\"/></testsuite>"),
             Catch::Contains("undefined entity"));
}

TEST_CASE("files of the wrong kind are named as such", "[import][faults]") {
  CHECK_THAT(error_of("\x89PNG\r\n"), Catch::Contains("neither JSON nor XML"));
  CHECK_THAT(error_of("version: 1\npipeline: x\n"), Catch::Contains("neither JSON nor XML"));
  CHECK_THAT(error_of(""), Catch::Contains("empty"));
  CHECK_THAT(error_of("<html><body>hi</body></html>"),
             Catch::Contains("not JUnit XML: the root element is <html>"));
  CHECK_THAT(error_of("{\"results\": []}"), Catch::Contains("not a results file ciperf knows"));
  CHECK_THAT(error_of("[1, 2]"), Catch::Contains("expected a JSON object"));
  CHECK_THAT(error_of("{\"schema\": \"ciperf/run/v1\", \"run_id\": \"x\", \"pipeline\": \"p\", "
                      "\"status\": \"exploded\", \"started_at\": \"2026-01-01T00:00:00Z\"}"),
             Catch::Contains("status: unknown value 'exploded'"));
  std::istringstream xml(kPytest);
  CHECK_THROWS_WITH(read_runs(xml, "input", "id", ImportFormat::CcCi),
                    Catch::Contains("XML, not the JSON"));
}

TEST_CASE("deep nesting is refused, not recursed into", "[import][faults]") {
  std::string deep = "{\"stages\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK_THAT(error_of(deep), Catch::Contains("nesting deeper than 64"));
  std::string xml = "<testsuites>";
  for (int i = 0; i < 1000; ++i)
    xml += "<a>";
  CHECK_THAT(error_of(xml), Catch::Contains("nested deeper than 256"));
}
