// `ciperf report` and `ciperf import` end to end: a real run (a python3 http.server behind a
// wait, a failing test), reported in every format and checked by each format's validator; the
// HTML opened in headless Chromium; imports of ciperf, JUnit and cc-ci files, twice.
#include "support/ciperf_run.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

std::string pipeline(int port) {
  return "version: 1\npipeline: shop\nphases:\n"
         "  - {name: build, kind: build, tier: base, run: 'sleep 0.1', budget: 10ms}\n"
         "  - name: web\n    kind: deploy\n    background: true\n"
         "    run: [python3, -m, http.server, '" +
         std::to_string(port) +
         "', --bind, 127.0.0.1]\n"
         "  - name: ready\n    kind: wait\n    wait:\n      all:\n        - http: "
         "http://127.0.0.1:" +
         std::to_string(port) +
         "/\n      timeout: 20s\n"
         "  - {name: '<script>alert(1)</script>', kind: test, tier: functional, "
         "run: 'echo first; echo \"<b>boom</b> & more\"; exit 3'}\n"
         "  - {name: teardown, kind: teardown, always: true, run: 'true'}\n";
}

void require_valid_report(const std::string& format, const std::filesystem::path& file) {
  auto r =
      run_process({"/usr/bin/python3", std::string(CIPERF_SOURCE_DIR) + "/tests/validate_report.py",
                   format, file.string()},
                  {});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

std::string chromium_screenshot(const std::filesystem::path& html, const std::filesystem::path& png,
                                const TempDir& profile, bool dump_dom) {
  std::vector<std::string> argv = {"/usr/bin/chromium",
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile.path().string(),
                                   "--hide-scrollbars",
                                   "--window-size=1100,1400"};
  argv.push_back(dump_dom ? "--dump-dom" : "--screenshot=" + png.string());
  argv.push_back("file://" + html.string());
  auto r = run_process(argv, {});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// `ciperf import FILE` with a small ASan quarantine, so that its peak RSS is ciperf's own.
ProcessResult import_huge(const Sandbox& box, const std::filesystem::path& file) {
  ProcessOptions options;
  options.env = {kSmallQuarantine};
  auto r = box.ciperf({"import", "--store", box.store().string(), file.string()}, options);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

} // namespace

TEST_CASE("a real run reported in every format passes each format's validator", "[report]") {
  Sandbox box;
  auto run = box.run(pipeline(free_port()));
  REQUIRE(run.process.exit_code == 1);
  std::string store = box.store().string();
  for (std::string format : {"md", "html", "junit", "trace", "otlp", "csv", "hyperfine"}) {
    auto out = box.dir / ("report." + format);
    auto r = box.ciperf({"report", "--store", store, "--format", format, "-o", out.string()});
    INFO(format << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    require_valid_report(format, out);
  }
  std::string junit = read_file(box.dir / "report.junit");
  CHECK_THAT(junit, Contains("classname=\"shop.functional\"") &&
                        Contains("&lt;b&gt;boom&lt;/b&gt; &amp; more") &&
                        Contains("message=\"exit code 3\""));
  auto trace = nlohmann::json::parse(read_file(box.dir / "report.trace"));
  int instants = 0;
  for (const auto& e : trace["traceEvents"])
    instants += e["ph"] == "i";
  CHECK(instants >= 1); // the probe's attempts, at least its success
  std::string md = read_file(box.dir / "report.md");
  CHECK_THAT(md, Contains("❌ shop failed") && Contains("⚠️ over 0.01s") &&
                     Contains("The vital few"));
  auto stdout_md = box.ciperf({"report", "--store", store});
  CHECK(stdout_md.out == md); // md is the default, stdout without -o
  // without a baseline, hyperfine's layout holds the run's phases that ran
  auto hyperfine = nlohmann::json::parse(read_file(box.dir / "report.hyperfine"));
  CHECK(static_cast<long>(hyperfine["results"].size()) ==
        std::count_if(run.results["phases"].begin(), run.results["phases"].end(),
                      [](const nlohmann::json& p) { return p["status"] != "skipped"; }));
}

TEST_CASE("the html report renders in headless chromium with its charts",
          "[report][browser][serial]") {
  Sandbox box;
  REQUIRE(box.run(pipeline(free_port())).process.exit_code == 1);
  auto html = box.dir / "report.html";
  REQUIRE(box.ciperf({"report", "--store", box.store().string(), "--format", "html", "-o",
                      html.string()})
              .exit_code == 0);
  TempDir profile;
  std::string dom = chromium_screenshot(html, {}, profile, true);
  CHECK_THAT(dom, Contains("class=\"chart waterfall\"") && Contains("class=\"chart pareto\"") &&
                      Contains("class=\"probe-ok\""));
  CHECK(dom.find("<script>alert") == std::string::npos);

  auto shot = box.dir / "report.png";
  chromium_screenshot(html, shot, profile, false);
  auto blank_html = box.dir / "blank.html";
  std::ofstream(blank_html) << "<!DOCTYPE html><html><body></body></html>";
  auto blank = box.dir / "blank.png";
  chromium_screenshot(blank_html, blank, profile, false);
  // A rendered page compresses far worse than an empty white one of the same size.
  CHECK(std::filesystem::file_size(shot) > 5 * std::filesystem::file_size(blank));
}

TEST_CASE("importing the same file twice stores one run", "[import]") {
  Sandbox box;
  auto run = box.run("version: 1\npipeline: tiny\nphases:\n  - {name: a, run: 'true'}\n");
  REQUIRE(run.process.exit_code == 0);
  std::string fresh = (box.dir / "fresh.db").string();
  auto results = (run.run_dir / "results.json").string();
  auto first = box.ciperf({"import", "--store", fresh, results});
  REQUIRE(first.exit_code == 0);
  auto second = box.ciperf({"import", "--store", fresh, results});
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Contains("already in the store"));
  auto runs = nlohmann::json::parse(box.ciperf({"runs", "--store", fresh, "--json"}).out);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["run_id"] == run.results["run_id"]);
}

TEST_CASE("junit and cc-ci files import and report like runs", "[import]") {
  Sandbox box;
  std::string store = box.store().string();
  auto junit = box.dir / "pytest.xml";
  std::ofstream(junit) << "<?xml version=\"1.0\"?><testsuites><testsuite name=\"recipe-tests\" "
                          "tests=\"2\" timestamp=\"2026-11-27T09:00:00\"><testcase "
                          "classname=\"install\" name=\"test_deploy\" time=\"4.5\"/><testcase "
                          "classname=\"install\" name=\"test_http\" time=\"0.5\"><failure "
                          "message=\"503\">boom</failure></testcase></testsuite></testsuites>";
  auto cc = box.dir / "results.json";
  std::ofstream(cc) << R"({"recipe": "gitea", "finished": "2026-11-27T09:10:00Z", "stages": [
    {"name": "install", "status": "pass", "tests": [{"name": "deploy", "status": "pass", "ms": 42000}]},
    {"name": "backup", "status": "pass", "tests": [{"name": "restore", "status": "pass", "ms": 9000}]}]})";
  for (int i = 0; i < 2; ++i)
    REQUIRE(box.ciperf({"import", "--store", store, junit.string(), cc.string()}).exit_code == 0);
  auto runs = nlohmann::json::parse(box.ciperf({"runs", "--store", store, "--json"}).out);
  REQUIRE(runs.size() == 2);
  auto md = box.ciperf({"report", "--store", store, "--pipeline", "gitea"});
  REQUIRE(md.exit_code == 0);
  CHECK_THAT(md.out, Contains("| deploy | install | passed | 42.0s |") && Contains("backup"));
  auto junit_out = box.dir / "again.xml";
  REQUIRE(box.ciperf({"report", "--store", store, "--pipeline", "recipe-tests", "--format", "junit",
                      "-o", junit_out.string()})
              .exit_code == 0);
  require_valid_report("junit", junit_out);
  // an imported case keeps its classname: no pipeline prefix per round trip
  CHECK_THAT(read_file(junit_out), Contains("classname=\"install\" name=\"test_http\""));
}

TEST_CASE("bad import input is refused whole, with the position, and stores nothing",
          "[import][faults]") {
  Sandbox box;
  std::string store = box.store().string();
  auto good = box.dir / "good.xml";
  std::ofstream(good) << "<testsuite name=\"ok\"><testcase name=\"a\" time=\"1\"/></testsuite>";
  auto truncated = box.dir / "cut.json";
  std::ofstream(truncated) << "{\"recipe\": \"x\", \"stages\": [\n {\"name\": \"install\", ";
  auto r = box.ciperf({"import", "--store", store, good.string(), truncated.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("cut.json: invalid JSON at line 2"));
  auto runs = box.ciperf({"runs", "--store", store, "--json"});
  CHECK((runs.exit_code != 0 || nlohmann::json::parse(runs.out).empty()));
}

TEST_CASE("a huge junit file is streamed in bounded memory", "[import][faults][serial]") {
  Sandbox box;
  auto huge = box.dir / "huge.xml";
  {
    std::ofstream out(huge);
    std::string noise(8000, 'x');
    out << "<testsuites><testsuite name=\"big\">";
    for (int i = 0; i < 20000; ++i)
      out << "<testcase classname=\"c\" name=\"t" << i << "\" time=\"0.01\"><system-out>" << noise
          << "</system-out></testcase>";
    out << "</testsuite></testsuites>";
  }
  REQUIRE(std::filesystem::file_size(huge) > 150'000'000);
  auto r = import_huge(box, huge);
  CHECK_THAT(r.out, Contains("20000 phases"));
  CHECK(r.max_rss_kb < 80 * 1024 + kSanitizerSlackKb); // the file is over 150 MB
}

TEST_CASE("report refuses what it cannot do with exit 2", "[report][faults]") {
  Sandbox box;
  REQUIRE(
      box.run("version: 1\npipeline: p\nphases:\n  - {name: a, run: 'true'}\n").process.exit_code ==
      0);
  std::string store = box.store().string();
  CHECK(box.ciperf({"report", "--store", store, "--format", "pdf"}).exit_code == 2);
  auto missing = box.ciperf({"report", "nonexistent", "--store", store});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("no run 'nonexistent'"));
  auto unknown = box.ciperf({"report", "--store", store, "--baseline", "nope"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("no baseline named 'nope'"));
  auto out = box.dir / "no-such-dir" / "r.md";
  CHECK(box.ciperf({"report", "--store", store, "-o", out.string()}).exit_code == 2);
}

TEST_CASE("the example imports load and export again", "[import][examples]") {
  Sandbox box;
  std::string store = box.store().string();
  std::string dir = std::string(CIPERF_SOURCE_DIR) + "/examples/imports/";
  auto r = box.ciperf(
      {"import", "--store", store, dir + "pytest-junit.xml", dir + "cc-ci-results.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out,
             Contains("(pytest, 4 phases, failed)") && Contains("(gitea, 12 phases, failed)"));
  auto md = box.ciperf({"report", "--store", store, "--pipeline", "gitea"});
  CHECK_THAT(md.out, Contains("| restore | backup | **failed**") && Contains("The vital few"));
  for (std::string format : {"junit", "otlp", "trace", "csv", "html"}) {
    auto out = box.dir / ("all." + format);
    REQUIRE(box.ciperf({"report", "--store", store, "--since", "2000-01-01T00:00:00Z", "--format",
                        format, "-o", out.string()})
                .exit_code == 0);
    require_valid_report(format, out);
  }
}

TEST_CASE("a huge cc-ci results.json is streamed in bounded memory", "[import][faults][serial]") {
  Sandbox box;
  auto huge = box.dir / "results.json";
  {
    std::ofstream out(huge);
    std::string noise(20000, 'y');
    out << "{\"recipe\": \"big\", \"finished\": \"2026-11-27T10:00:00Z\", \"stages\": [";
    for (int stage = 0; stage < 10; ++stage) {
      out << (stage ? "," : "") << "{\"name\": \"tier" << stage << "\", \"tests\": [";
      for (int i = 0; i < 1000; ++i)
        out << (i ? "," : "") << "{\"name\": \"t" << i << "\", \"status\": \"pass\", \"ms\": 5, "
            << "\"output\": \"" << noise << "\"}";
      out << "]}";
    }
    out << "]}";
  }
  REQUIRE(std::filesystem::file_size(huge) > 200'000'000);
  auto r = import_huge(box, huge);
  CHECK_THAT(r.out, Contains("10000 phases"));
  CHECK(r.max_rss_kb < 80 * 1024 + kSanitizerSlackKb); // the file is over 200 MB
}
