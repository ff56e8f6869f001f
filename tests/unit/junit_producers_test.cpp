// The JUnit importer on files written by the real producers (tests/fixtures/junit, made by its
// generate.sh; VERSIONS says which tool wrote each): statuses, identities, times, zones,
// messages, output and properties, the reconciliation warning, and the export round trip.
#include "imports/importer.hpp"
#include "reports/report_format.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace ciperf;
using Catch::Contains;
using Catch::StartsWith;

namespace {

struct Imported {
  RunRecord run;
  std::vector<std::string> warnings;
  const PhaseRecord& phase(const std::string& name) const {
    for (const auto& p : run.phases)
      if (p.name == name)
        return p;
    FAIL("no phase " << name);
    throw std::logic_error("unreachable");
  }
};

std::string fixture(const std::string& file) {
  return std::string(CIPERF_SOURCE_DIR) + "/tests/fixtures/junit/" + file;
}

Imported import(const std::string& file, std::optional<std::string> zone = "Asia/Tokyo") {
  Imported out;
  ImportOptions options;
  options.zone = zone;
  options.warnings = &out.warnings;
  auto runs = import_file(fixture(file), ImportFormat::Junit, options);
  REQUIRE(runs.size() == 1); // one run per file, whatever its suites
  out.run = runs[0];
  return out;
}

std::string junit_of(const RunRecord& run) {
  std::ostringstream xml;
  auto exporter = make_junit_export();
  exporter->begin(xml);
  exporter->run(ReportRun{run, {}}, xml);
  exporter->end(xml);
  return xml.str();
}

// xmllint's verdict on `xml` against schema/junit.xsd: empty when valid.
std::string schema_problems(const std::string& xml) {
  test::TempDir dir;
  auto path = dir / "report.xml";
  std::ofstream(path, std::ios::binary) << xml;
  auto r = test::run_process({"/usr/bin/xmllint", "--noout", "--nonet", "--schema",
                              std::string(CIPERF_SOURCE_DIR) + "/schema/junit.xsd", path.string()},
                             {});
  return r.exit_code == 0 ? "" : r.err + " (exit " + std::to_string(r.exit_code) + ")";
}

// The run lasts at least as long as its cases; no phase starts or ends after it.
void check_times(const RunRecord& r) {
  double sum = 0;
  for (const auto& p : r.phases) {
    sum += p.wall_s;
    CHECK(p.start_s + p.wall_s <= r.wall_s + 1e-9);
  }
  CHECK(r.wall_s >= sum - 1e-9);
}

} // namespace

TEST_CASE("ctest --output-junit", "[import][junit]") {
  auto f = import("ctest.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.status == RunStatus::Failed);
  CHECK(f.run.started_at == "2026-12-03T07:45:13.000Z"); // 16:45:13 in Tokyo, written zone-less
  CHECK(f.run.wall_s > 1.5); // the suite says time="1", its cases add up to 1.52 s
  check_times(f.run);
  CHECK(f.phase("passes").status == PhaseStatus::Passed);
  CHECK(f.phase("passes").system_out == "all good\n");
  CHECK(f.phase("fails").status == PhaseStatus::Failed);
  CHECK(f.phase("fails").message == "expected 3, got 4"); // from its system-out
  CHECK(f.phase("skips").status == PhaseStatus::Skipped);
  CHECK(f.phase("skips").message == "SKIP_RETURN_CODE=77");
  CHECK(f.phase("disabled").status == PhaseStatus::Skipped);
  CHECK(f.phase("disabled").message == "disabled");
  CHECK(f.phase("notrun").status == PhaseStatus::Skipped);
  CHECK(f.phase("will_fail").status == PhaseStatus::Passed);
  CHECK(f.phase("times_out").status == PhaseStatus::Failed);
}

TEST_CASE("the same ctest file in another zone, and in the host's", "[import][junit]") {
  CHECK(import("ctest.xml", "UTC").run.started_at == "2026-12-03T16:45:13.000Z");
  CHECK(import("ctest.xml", "Europe/Paris").run.started_at == "2026-12-03T15:45:13.000Z");
}

TEST_CASE("GoogleTest --gtest_output=xml", "[import][junit]") {
  auto f = import("gtest.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.pipeline == "AllTests");
  CHECK(f.run.phases.size() == 6); // two suites, one run
  CHECK(f.run.started_at == "2026-12-03T07:45:17.000Z");
  CHECK(f.run.host.cpus == 0); // unknown
  check_times(f.run);
  CHECK(f.phase("Math::Adds").status == PhaseStatus::Passed);
  CHECK(f.phase("Strings::Adds").status == PhaseStatus::Passed); // not merged with Math::Adds
  CHECK(f.phase("Strings::Adds").properties == "owner=text-team");
  CHECK(f.phase("Strings::Adds").tier == "Strings");
  CHECK(f.phase("Math::Fails").status == PhaseStatus::Failed);
  CHECK_THAT(f.phase("Math::Fails").message,
             StartsWith("Expected equality of these values: got Which is: 3 4"));
  CHECK(f.phase("Math::DISABLED_NotYet").status == PhaseStatus::Skipped);
  CHECK(f.phase("Math::DISABLED_NotYet").message == "disabled");
  CHECK(f.phase("Math::Skips").status == PhaseStatus::Skipped);
  CHECK(f.phase("Math::Skips").message == "needs a network");
  CHECK_THAT(f.phase("Strings::Throws").message, StartsWith("C++ exception with description"));
}

TEST_CASE("Catch2 v2 -r junit", "[import][junit]") {
  auto f = import("catch2.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.pipeline == "catch2");
  CHECK(f.run.started_at == "2026-12-03T07:45:32.000Z"); // written with Z: no zone applies
  CHECK(f.run.host.hostname.empty());                    // Catch2 writes "tbd"
  CHECK(f.phase("catch2.global::fails").status == PhaseStatus::Failed);
  CHECK(f.phase("catch2.global::fails").message == "got == 4");
  CHECK(f.phase("catch2.global::throws").status == PhaseStatus::Error);
  CHECK(f.phase("catch2.global::throws").message == "boom from throws"); // not "FAILED:"
  const auto& mayfail = f.phase("catch2.global::may fail and does");
  CHECK(mayfail.status == PhaseStatus::Skipped);
  CHECK(mayfail.message == "expected failure: 1 == 2");
  CHECK_THAT(f.phase("catch2.global::prints").system_out, Contains("printed by prints"));
  CHECK_THAT(f.phase("catch2.global::prints").system_err, Contains("warned by prints"));
}

TEST_CASE("Boost.Test --log_format=JUNIT, and its counts that disagree", "[import][junit]") {
  auto f = import("boost.xml");
  CHECK(f.run.pipeline == "boost_fixture");
  CHECK(f.phase("math::fails").message == "check got == 4 has failed [3 != 4]");
  CHECK(f.phase("math::throws").status == PhaseStatus::Error);
  CHECK(f.phase("math::throws").message == "std::runtime_error: boom from throws");
  CHECK(f.phase("math::disabled").status == PhaseStatus::Skipped);
  CHECK(f.phase("math::adds").status == PhaseStatus::Passed);
  CHECK(f.phase("strings::adds").status == PhaseStatus::Passed);
  // expected_failures(1): Boost counts it passed but writes <failure>
  CHECK(f.phase("math::expected").status == PhaseStatus::Failed);
  REQUIRE(f.warnings.size() == 1);
  CHECK_THAT(f.warnings[0], Contains("boost.xml:2: <testsuite name=\"boost_fixture\"> says "
                                     "failures+errors=2, but its test cases give 3"));
}

TEST_CASE("pytest --junitxml: xfail, xpass, setup errors, same names in two classes",
          "[import][junit]") {
  auto f = import("pytest.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.started_at == "2026-12-03T08:15:40.334Z"); // pytest 7: zone-less, Tokyo
  check_times(f.run);
  CHECK(f.phase("test_fixture.TestA::test_x").status == PhaseStatus::Passed);
  CHECK(f.phase("test_fixture.TestB::test_x").properties == "owner=team-b");
  CHECK_THAT(f.phase("test_fixture.TestB::test_x").system_out, Contains("printed by TestB.test_x"));
  CHECK_THAT(f.phase("test_fixture.TestB::test_x").system_err, Contains("warned by TestB.test_x"));
  CHECK(f.phase("test_fixture.TestA::test_fails").message == "AssertionError: sum of the parts");
  CHECK(f.phase("test_fixture::test_setup_error").status == PhaseStatus::Error);
  CHECK_THAT(f.phase("test_fixture::test_setup_error").message,
             Contains("RuntimeError: database did not start"));
  CHECK(f.phase("test_fixture::test_xfail").status == PhaseStatus::Skipped);
  CHECK(f.phase("test_fixture::test_xfail").message == "expected failure: bug 12");
  CHECK(f.phase("test_fixture::test_xpass").status == PhaseStatus::Passed); // not strict
  CHECK(f.phase("test_fixture::test_xpass_strict").status == PhaseStatus::Failed);
  CHECK(f.phase("test_fixture::test_xpass_strict").message == "[XPASS(strict)] bug 14");
  CHECK(f.phase("test_fixture::test_skipped").message == "needs a network");
}

TEST_CASE("unittest + xmlrunner: the datestamp leaves the pipeline's name", "[import][junit]") {
  auto f = import("xmlrunner.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.pipeline == "TestA");
  CHECK(f.phase("TestA::test_raises").status == PhaseStatus::Error);
  CHECK(f.phase("TestA::test_raises").message == "bad value");
  CHECK(f.phase("TestA::test_expected").status == PhaseStatus::Skipped);
  CHECK_THAT(f.phase("TestA::test_expected").message, StartsWith("expected failure: "));
  ImportOptions named;
  named.pipeline = "unit";
  CHECK(import_file(fixture("xmlrunner.xml"), ImportFormat::Auto, named)[0].pipeline == "unit");
}

TEST_CASE("PHPUnit --log-junit: nested data-provider suites are one run", "[import][junit]") {
  auto f = import("phpunit.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.phases.size() == 9);
  check_times(f.run);
  const auto& wrong = f.phase("MathTest::testSum with data set \"wrong\"");
  CHECK(wrong.status == PhaseStatus::Failed);
  CHECK(wrong.message == "Failed asserting that 4 is identical to 5."); // not the test's name
  CHECK(f.phase("MathTest::testThrows").status == PhaseStatus::Error);
  CHECK(f.phase("MathTest::testThrows").message == "RuntimeException: boom from testThrows");
  CHECK(f.phase("MathTest::testSkipped").status == PhaseStatus::Skipped);
  CHECK(f.phase("MathTest::testPrints").system_out == "printed by testPrints\n");
  CHECK(f.phase("StringTest::testAdds").status == PhaseStatus::Passed);
}

TEST_CASE("RSpec + rspec_junit_formatter", "[import][junit]") {
  auto f = import("rspec.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.started_at == "2026-12-03T07:45:51.000Z"); // +09:00 written: no zone applies
  // expat folds the newlines of an attribute into spaces, as XML says it must
  CHECK_THAT(f.phase("spec.math_spec::Math fails").message, StartsWith("expected: 4      got: 3"));
  CHECK(f.phase("spec.math_spec::Math raises").message == "bad value");
  CHECK(f.phase("spec.math_spec::Math is pending and fails").status == PhaseStatus::Skipped);
  CHECK(f.phase("spec.math_spec::Math is disabled").status == PhaseStatus::Skipped);
}

TEST_CASE("prove + TAP::Formatter::JUnit: a script that died fails the run", "[import][junit]") {
  auto f = import("prove.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.pipeline == "junit"); // two scripts, no name for the file
  CHECK(f.run.status == RunStatus::Failed);
  CHECK_THAT(f.run.labels.at("junit.suite_error"), Contains("dies_t: Dubious, test returned 255"));
  CHECK(f.phase("dies_t::1 - first").status == PhaseStatus::Passed);
  CHECK(f.phase("pass_t::2 - sum of the parts").message == "not ok 2 - sum of the parts");
}

TEST_CASE("jest-junit: zone-less timestamps in UTC", "[import][junit]") {
  auto f = import("jest.xml", std::nullopt);
  CHECK(f.warnings.empty());
  CHECK(f.run.started_at == "2026-12-03T07:45:57.000Z");
  CHECK(f.run.wall_s == Approx(0.867));
  CHECK(f.phase("Math adds").status == PhaseStatus::Passed);
  CHECK(f.phase("Math fails").message ==
        "Error: expect(received).toBe(expected) // Object.is equality");
  CHECK(f.phase("Math is skipped").status == PhaseStatus::Skipped);
}

TEST_CASE("mocha: the xunit reporter and mocha-junit-reporter", "[import][junit]") {
  auto x = import("mocha-xunit.xml", std::nullopt);
  CHECK(x.warnings.empty());
  CHECK(x.run.started_at == "2026-12-03T07:45:59.000Z"); // an HTTP date
  CHECK(x.phase("Math::fails").message == "sum of the parts");
  CHECK(x.phase("Strings::adds").status == PhaseStatus::Passed);
  CHECK(x.phase("Math::is pending").status == PhaseStatus::Skipped);
  auto j = import("mocha-junit.xml", std::nullopt);
  CHECK(j.run.pipeline == "Mocha Tests");
  CHECK(j.run.started_at == "2026-12-03T07:46:01.000Z");
  CHECK(j.phase("Math throws").message == "boom from throws");
  REQUIRE(j.warnings.size() == 1); // it counts the pending tests it leaves out
  CHECK_THAT(j.warnings[0], Contains("mocha-junit.xml:5: <testsuite name=\"Math\"> says tests=5, "
                                     "but its test cases give 3"));
}

TEST_CASE("Maven Surefire 2.22 (offline, from Debian's maven-repo)", "[import][junit]") {
  auto f = import("surefire.xml");
  CHECK(f.warnings.empty());
  CHECK(f.run.pipeline == "fixture.MathTest");
  CHECK(f.phase("fixture.MathTest::throwsError").status == PhaseStatus::Error);
  CHECK(f.phase("fixture.MathTest::throwsError").message == "boom from throwsError");
  CHECK(f.phase("fixture.MathTest::fails").message == "sum of the parts expected:<4> but was:<3>");
  CHECK(f.phase("fixture.MathTest::assumes").message == "no GPU here");
  CHECK(f.phase("fixture.MathTest::ignored").message == "needs a network");
}

TEST_CASE("a run whose cases have properties exports JUnit valid against junit-10.xsd's rules",
          "[import][junit][reports]") {
  auto run = import("pytest.xml").run;
  size_t with_properties = 0;
  for (auto& p : run.phases)
    with_properties += !p.properties.empty();
  REQUIRE(with_properties > 0);
  run.phases[0].properties = "owner=core\nticket=CI-1"; // a passed case with properties too
  std::string xml = junit_of(run);
  CHECK(schema_problems(xml).empty());
  // The suite keeps its own properties; no case carries any.
  CHECK_THAT(xml, Contains("<property name=\"ciperf.run_id\""));
  CHECK(xml.find("owner=") == std::string::npos);
  CHECK(xml.find("name=\"owner\"") == std::string::npos);
}

TEST_CASE("schema/junit.xsd refuses what junit-10.xsd refuses", "[junit][reports]") {
  auto suite = [](const std::string& inside, const std::string& counts) {
    return "<testsuites><testsuite name=\"s\" tests=\"1\"" + counts + ">" + inside +
           "</testsuite></testsuites>";
  };
  std::string both = " failures=\"0\" errors=\"0\"";
  std::string plain = "<testcase name=\"t\" classname=\"c\" time=\"0.5\"/>";
  CHECK(schema_problems(suite(plain, both)).empty()); // the control: the schema accepts this
  CHECK_FALSE(schema_problems(suite("<testcase name=\"t\" classname=\"c\" time=\"0.5\">"
                                    "<properties><property name=\"a\" value=\"b\"/></properties>"
                                    "</testcase>",
                                    both))
                  .empty());
  CHECK_FALSE(schema_problems(suite(plain, " failures=\"0\"")).empty()); // errors is required
  CHECK_FALSE(schema_problems(suite(plain, " errors=\"0\"")).empty());   // failures too
  CHECK_FALSE(schema_problems("<testsuites skipped=\"0\"/>").empty());   // not an attribute there
}

TEST_CASE("import, export, import is a fixed point", "[import][junit][reports]") {
  for (const char* file : {"pytest.xml", "catch2.xml", "gtest.xml", "ctest.xml"}) {
    INFO(file);
    auto first = import(file).run;
    std::istringstream in(junit_of(first));
    auto again = read_runs(in, "again.xml", "again", ImportFormat::Junit, 0);
    REQUIRE(again.size() == 1);
    const RunRecord& second = again[0];
    CHECK(second.run_id == first.run_id);
    CHECK(second.pipeline == first.pipeline);
    CHECK(second.started_at.substr(0, 19) == first.started_at.substr(0, 19)); // JUnit: seconds
    REQUIRE(second.phases.size() == first.phases.size());
    for (size_t i = 0; i < first.phases.size(); ++i) {
      const auto &a = first.phases[i], &b = second.phases[i];
      CHECK(b.name == a.name);
      CHECK(b.tier == a.tier);
      CHECK(b.status == a.status);
      CHECK(b.message == a.message);
      CHECK(b.properties.empty()); // junit-10.xsd has no place for them in a <testcase>
      CHECK(b.system_out == a.system_out);
    }
  }
}
