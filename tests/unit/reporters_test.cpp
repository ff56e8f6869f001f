// Golden output per format (google/benchmark's output tests are the model): the fixture report
// is written in each format and compared byte for byte with tests/golden/; each output is also
// checked by that format's validator. CIPERF_UPDATE_GOLDEN=1 rewrites the golden files.
#include "reports/report_format.hpp"
#include "reports/results_json.hpp"
#include "support/process.hpp"
#include "support/report_fixture.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ciperf;

namespace {

const std::string kGolden = std::string(CIPERF_SOURCE_DIR) + "/tests/golden/";

std::string render(const std::string& format, const Report& report) {
  std::ostringstream out;
  report_format(format).write(report, out);
  return out.str();
}

void require_valid(const std::string& format, const std::string& text) {
  test::TempDir dir;
  auto path = dir / ("report." + format);
  std::ofstream(path, std::ios::binary) << text;
  auto r = test::run_process({"/usr/bin/python3",
                              std::string(CIPERF_SOURCE_DIR) + "/tests/validate_report.py", format,
                              path.string()},
                             {});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

void check_golden(const std::string& format, const std::string& file) {
  std::string text = render(format, test::fixture_report());
  require_valid(format, text);
  std::string path = kGolden + file;
  if (std::getenv("CIPERF_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << text;
    WARN("rewrote " << path);
  }
  std::string golden = test::read_file(path);
  INFO("compare with " << path << " (CIPERF_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(text == golden);
}

} // namespace

TEST_CASE("markdown report matches its golden file", "[reports]") {
  check_golden("md", "report.md");
}
TEST_CASE("html's dark scheme gives every coloured class, the charts' too, a dark rule",
          "[reports]") {
  std::string html = render("html", test::fixture_report());
  CHECK(test::dark_scheme_gaps(html).empty());
  CHECK(test::dark_scheme_gaps("<style>.x{fill:#000}</style>") == std::vector<std::string>{"x"});
}

TEST_CASE("html report matches its golden file", "[reports]") {
  check_golden("html", "report.html");
}
TEST_CASE("junit report matches its golden file", "[reports]") {
  check_golden("junit", "report.junit.xml");
}
TEST_CASE("trace report matches its golden file", "[reports]") {
  check_golden("trace", "report.trace.json");
}
TEST_CASE("otlp report matches its golden file", "[reports]") {
  check_golden("otlp", "report.otlp.jsonl");
}
TEST_CASE("csv report matches its golden file", "[reports]") {
  check_golden("csv", "report.csv");
}
TEST_CASE("hyperfine export matches its golden file", "[reports]") {
  check_golden("hyperfine", "report.hyperfine.json");
}

TEST_CASE("hostile names never reach any format raw", "[reports]") {
  Report report = test::fixture_report();
  for (const auto& f : report_formats()) {
    std::string format(f.name);
    std::string text = render(format, report);
    INFO(format);
    bool markup = format == "md" || format == "html" || format == "junit";
    if (markup) // in CSV and JSON it is data, quoted as such
      CHECK(text.find("<script>") == std::string::npos);
    CHECK(text.find('\x01') == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("\xff") == std::string::npos); // invalid UTF-8 replaced
  }
}

TEST_CASE("markdown stays under 64 KiB however many phases", "[reports]") {
  Report report = test::fixture_report();
  RunRecord& run = report.runs.front().record;
  PhaseRecord model = run.phases.front();
  for (int i = 0; i < 5000; ++i) {
    model.index = 10 + i;
    model.name = "phase-" + std::to_string(i) + std::string(300, 'x');
    run.phases.push_back(model);
  }
  std::string text = render("md", report);
  CHECK(text.size() <= 64 * 1024);
  CHECK(text.find("more phases not shown") != std::string::npos);
  CHECK(text.find("The vital few") != std::string::npos);
  require_valid("md", text);
}

TEST_CASE("csv keeps its columns and appends labels and failure facts", "[reports]") {
  Report report = test::fixture_report();
  RunRecord& run = report.runs.front().record;
  run.labels = {{"branch", "main"}, {"sha", "a,b"}};
  PhaseRecord& phase = run.phases.front();
  phase.status = PhaseStatus::Failed;
  phase.exit_code.reset();
  phase.signal = 9;
  phase.message = "killed, \"OOM\"";
  std::string text = render("csv", report);
  std::string header = text.substr(0, text.find('\n'));
  CHECK(header == "run_id,pipeline,mode,run_status,started_at,index,phase,kind,tier,status,"
                  "exit_code,background,start_s,wall_s,user_s,sys_s,max_rss_bytes,read_bytes,"
                  "write_bytes,budget_s,over_budget,cpu_stall_s,io_stall_s,memory_stall_s,"
                  "labels,signal,message,parent");
  std::string row = text.substr(header.size() + 1);
  row = row.substr(0, row.find('\n'));
  CHECK_THAT(row, Catch::EndsWith(",\"branch=main;sha=a,b\",9,\"killed, \"\"OOM\"\"\","));
  require_valid("csv", text);
  // A phase's test cases follow it, each naming it in `parent`.
  phase.tests.push_back({"c::t", PhaseStatus::Failed, 0.5, 0.25, "no"});
  text = render("csv", report);
  size_t at = text.find(",c::t,testcase,,failed,");
  REQUIRE(at != std::string::npos);
  std::string test_row = text.substr(at, text.find('\n', at) - at);
  CHECK_THAT(test_row, Catch::EndsWith(",no," + phase.name));
  require_valid("csv", text);
}

TEST_CASE("markdown lists every failure before the cut of a long run", "[reports]") {
  Report report = test::fixture_report();
  RunRecord& run = report.runs.front().record;
  PhaseRecord model = run.phases.front();
  model.status = PhaseStatus::Passed;
  model.exit_code = 0;
  model.message.clear();
  for (int i = 0; i < 3000; ++i) { // the last 4 fail: far past where the phase table stops
    model.index = static_cast<int>(run.phases.size());
    model.name = "case-" + std::to_string(i) + std::string(40, 'x');
    bool fails = i >= 2996;
    model.status = fails ? PhaseStatus::Failed : PhaseStatus::Passed;
    model.exit_code = fails ? 1 : 0;
    run.phases.push_back(model);
  }
  auto failures = std::count_if(run.phases.begin(), run.phases.end(),
                                [](const PhaseRecord& p) { return p.failed(); });
  std::string text = render("md", report);
  CHECK(text.size() <= 64 * 1024);
  CHECK(text.find("more phases not shown") != std::string::npos);
  size_t heading = text.find(fmt::format("### ❌ {} phases failed", failures));
  REQUIRE(heading != std::string::npos);
  for (int i = 2996; i < 3000; ++i) {
    size_t at = text.find("case-" + std::to_string(i) + "x");
    REQUIRE(at != std::string::npos);
    CHECK(at > heading);
  }
  CHECK(heading < text.find("| phase | tier |")); // before the phase table
  require_valid("md", text);
}

TEST_CASE("markdown says how many failures it could not show", "[reports]") {
  Report report = test::fixture_report();
  RunRecord& run = report.runs.front().record;
  PhaseRecord model = run.phases.front();
  for (int i = 0; i < 3000; ++i) { // every tenth of 3,000 cases fails: 300, past the list's 100
    model.index = static_cast<int>(run.phases.size());
    model.name = "case-" + std::to_string(i) + std::string(40, 'x');
    bool fails = i % 10 == 9;
    model.status = fails ? PhaseStatus::Failed : PhaseStatus::Passed;
    model.exit_code = fails ? 1 : 0;
    run.phases.push_back(model);
  }
  auto failures = std::count_if(run.phases.begin(), run.phases.end(),
                                [](const PhaseRecord& p) { return p.failed(); });
  std::string text = render("md", report);
  CHECK(text.size() <= 64 * 1024);
  size_t heading = text.find(fmt::format("### ❌ {} phases failed", failures));
  REQUIRE(heading != std::string::npos);
  size_t table = text.find("| phase | tier |");
  int listed = 0;
  for (size_t at = text.find("| **failed** |", heading); at < table;
       at = text.find("| **failed** |", at + 1))
    ++listed;
  CHECK(listed == 100);
  size_t note = text.find(fmt::format("_{} more failed phases not shown", failures - listed));
  CHECK(note != std::string::npos);
  CHECK(note < table); // said before the phase table, which no cut can hide
  require_valid("md", text);
}

TEST_CASE("hyperfine export without a baseline gives the run's phases, one sample each",
          "[reports]") {
  Report report = test::fixture_report();
  report.baseline_named = false; // the run's newest baseline, there for the charts only
  std::string text = render("hyperfine", report);
  auto doc = nlohmann::json::parse(text);
  const RunRecord& run = report.runs.front().record;
  size_t ran = std::count_if(run.phases.begin(), run.phases.end(),
                             [](const PhaseRecord& p) { return p.ran(); });
  REQUIRE(doc["results"].size() == ran);
  const auto& first = doc["results"][0];
  CHECK(first["times"].size() == 1);
  CHECK(first["mean"].get<double>() == run.phases.front().wall_s);
  CHECK(first["stddev"].is_null());
  CHECK(first["parameters"]["run"] == run.run_id);
  require_valid("hyperfine", text);
}

TEST_CASE("hyperfine export gives a phase's test cases as results of their own after it",
          "[reports][junit]") {
  Report report = test::fixture_report();
  report.baseline_named = false;
  RunRecord& run = report.runs.front().record;
  auto phase = std::find_if(run.phases.begin(), run.phases.end(),
                            [](const PhaseRecord& p) { return p.ran(); });
  REQUIRE(phase != run.phases.end());
  phase->tests = {{"math::adds", PhaseStatus::Passed, 0, 0.25, ""},
                  {"math::divides", PhaseStatus::Failed, 0.25, 0.5, "1/0"},
                  {"math::later", PhaseStatus::Skipped, 0.75, 0, "not today"}};
  std::string text = render("hyperfine", report);
  auto results = nlohmann::json::parse(text)["results"];
  std::string prefix = run.pipeline + "/" + phase->name;
  size_t at = 0;
  while (at < results.size() && results[at]["command"] != prefix + " (" + to_string(run.mode) + ")")
    ++at;
  REQUIRE(at + 2 < results.size());
  const auto& adds = results[at + 1];
  const auto& divides = results[at + 2];
  CHECK(adds["command"] == prefix + "/math::adds (" + to_string(run.mode) + ")");
  CHECK(adds["times"] == nlohmann::json::array({0.25}));
  CHECK(adds["mean"].get<double>() == 0.25);
  CHECK(adds["exit_codes"] == nlohmann::json::array({0}));
  CHECK(adds["parameters"]["test"] == "math::adds");
  CHECK(adds["parameters"]["phase"] == phase->name);
  CHECK(divides["command"] == prefix + "/math::divides (" + to_string(run.mode) + ")");
  CHECK(divides["exit_codes"] == nlohmann::json::array({1}));
  CHECK(text.find("math::later") == std::string::npos); // a skipped test has no time to show
  size_t ran = std::count_if(run.phases.begin(), run.phases.end(),
                             [](const PhaseRecord& p) { return p.ran(); });
  CHECK(results.size() == ran + 2);
  require_valid("hyperfine", text);
}

TEST_CASE("an unknown format names the known ones", "[reports]") {
  CHECK_THROWS_WITH(report_format("pdf"), Catch::Contains("md, html, junit"));
}

TEST_CASE("the json export writes each run as its results.json", "[reports]") {
  Report report = test::fixture_report();
  CHECK(render("json", report) == results_json(report.runs.front().record));
  report.runs.push_back(report.runs.front());
  std::string two = render("json", report);
  CHECK(two == results_json(report.runs[0].record) + results_json(report.runs[1].record));
  test::TempDir dir;
  auto path = dir / "results.json";
  std::ofstream(path) << results_json(report.runs.front().record);
  auto r = test::run_process({"/usr/bin/python3",
                              std::string(CIPERF_SOURCE_DIR) + "/tests/validate_results.py",
                              path.string()},
                             {});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("every format is an exporter or a page, never both", "[reports]") {
  for (const auto& f : report_formats()) {
    INFO(f.name);
    CHECK((f.export_runs == nullptr) != (f.render == nullptr));
    CHECK(&report_format(f.name) == &f);
  }
}

TEST_CASE("markdown mentions in names notify nobody", "[reports]") {
  Report report = test::fixture_report();
  RunRecord& run = report.runs.front().record;
  run.pipeline = "@everyone deploy";
  run.phases.front().name = "@here ping @octocat";
  run.phases.front().tier = "team @org/admins";
  std::string text = render("md", report);
  for (const char* mention : {"@everyone", "@here", "@octocat", "@org"}) {
    INFO(mention);
    CHECK(text.find(mention) == std::string::npos);
  }
  CHECK(text.find("&#64;everyone deploy") != std::string::npos);
  require_valid("md", text);
}

TEST_CASE("html and markdown mark the change points of the trends", "[reports]") {
  Report report = test::fixture_report();
  report.trend_runs.clear();
  std::vector<double> walls;
  for (int i = 0; i < 30; ++i) {
    report.trend_runs.push_back(fmt::format("run{:02d}", i));
    double noise = 0.01 * ((i * 7) % 5 - 2); // ±2%, no step of its own
    walls.push_back((i < 18 ? 2.0 : 2.6) * (1 + noise));
  }
  report.trends = {{"deploy", walls, trend_changes(walls)},
                   {"flat", std::vector<double>(30, 1.0), {}}};
  REQUIRE(report.trends[0].changes.size() == 1);
  CHECK(report.trends[0].changes[0].at == 18);
  CHECK(report.trends[0].changes[0].relative == Approx(0.3).margin(0.03));

  std::string html = render("html", report);
  CHECK(html.find("class=\"change\"") != std::string::npos);
  CHECK(html.find("from run18") != std::string::npos);
  std::string md = render("md", report);
  CHECK(md.find("### Change points over the last 30 runs") != std::string::npos);
  CHECK(md.find("| deploy | run18 |") != std::string::npos);

  report.trends[0].changes.clear();
  CHECK(render("html", report).find("class=\"change\"") == std::string::npos);
  CHECK(render("md", report).find("Change points") == std::string::npos);
}
