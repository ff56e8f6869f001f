#include "support/report_fixture.hpp"

#include "support/enum_names.hpp"

#include <cmath>
#include <regex>

namespace ciperf::test {
namespace {

PhaseRecord phase(int index, std::string name, std::string kind, std::string tier,
                  std::string status, double start, double wall) {
  PhaseRecord p;
  p.index = index;
  p.name = std::move(name);
  p.kind = named<PhaseKind>(kind);
  p.tier = std::move(tier);
  p.status = named<PhaseStatus>(status);
  p.start_s = start;
  p.wall_s = wall;
  p.user_s = wall * 0.4;
  p.sys_s = wall * 0.1;
  p.max_rss_bytes = 12 << 20;
  p.read_bytes = 1 << 20;
  p.write_bytes = 2 << 20;
  p.pressure = Pressure{0.1 * wall, 0, 0.05 * wall, 0, 0, 0};
  if (p.ran())
    p.exit_code = p.status == PhaseStatus::Passed ? 0 : 1;
  return p;
}

WaitRecord probe() {
  WaitRecord w;
  w.outcome = WaitOutcome::Ready;
  w.elapsed_s = 1.5;
  w.ready_s = 1.5;
  w.attempts = 4;
  w.http_requests = 2;
  WaitTargetRecord t{"http://127.0.0.1:8080/healthz", ProbeKind::Http, false, 4, 1.5, "503", {}};
  t.marks = {{0.002, false}, {0.004, false}, {0.75, false}, {1.5, true}};
  w.targets.push_back(t);
  return w;
}

std::vector<PhaseSample> samples(const RunRecord& run, const std::string& id, double scale,
                                 const std::string& mode) {
  std::vector<PhaseSample> out;
  for (const auto& p : run.phases) {
    PhaseSample s;
    s.run_id = id;
    s.pipeline = run.pipeline;
    s.mode = named<RunMode>(mode);
    s.index = p.index;
    s.name = p.name;
    s.kind = p.kind;
    s.tier = p.tier;
    s.status = p.status;
    s.background = p.background;
    s.wall_s = p.wall_s * scale;
    s.user_s = p.user_s * scale;
    s.sys_s = p.sys_s * scale;
    s.read_bytes = p.read_bytes;
    s.write_bytes = p.write_bytes;
    s.pressure = p.pressure;
    out.push_back(s);
  }
  return out;
}

} // namespace

RunRecord fixture_run() {
  RunRecord r;
  r.run_id = "20261127T120000Z-0123456789ab";
  r.pipeline = "web<script>alert(\"x\")</script>";
  r.mode = RunMode::Normal;
  r.status = RunStatus::Failed;
  r.started_at = "2026-11-27T12:00:00.000Z";
  r.finished_at = "2026-11-27T12:00:12.500Z";
  r.wall_s = 12.5;
  r.labels = {{"branch", "main & \"dev\""}};
  r.host = {"ci-1", 2, int64_t(8) << 30, "Linux 6.1", "AMD EPYC", "kvm"};
  r.deploys = 1;
  PhaseRecord deploy = phase(0, "deploy", "deploy", "base", "passed", 0, 3.0);
  deploy.budget_s = 2.0;
  deploy.over_budget = true;
  PhaseRecord service = phase(1, "db", "deploy", "base", "passed", 3.0, 9.5);
  service.background = true;
  PhaseRecord ready = phase(2, "ready", "wait", "base", "passed", 3.0, 1.5);
  ready.max_rss_bytes = 0;
  ready.probe = probe();
  PhaseRecord test =
      phase(3, "test 'a' \"b\" \x01 \xff <b>", "test", "functional", "failed", 4.5, 7.5);
  test.log = "logs/03-test.log";
  PhaseRecord skipped = phase(4, "backup | restore", "test", "backup", "skipped", 0, 0);
  PhaseRecord teardown = phase(5, "teardown", "teardown", "", "passed", 12.0, 0.5);
  r.phases = {deploy, service, ready, test, skipped, teardown};
  return r;
}

Report fixture_report() {
  Report report;
  RunRecord run = fixture_run();
  report.title = run.pipeline + " run " + run.run_id + " (failed)";
  ReportRun focal{run,
                  {{3, "Traceback (most recent call last):\n<script>alert(1)</script>\n"
                       "\x1b[31mAssertionError: \"expected\" & 'got'\x1b[0m \xc3\x28"}}};
  std::vector<PhaseSample> all;
  for (int i = 0; i < 5; ++i) {
    auto s = samples(run, "run" + std::to_string(i), 1.0 + 0.05 * i, "normal");
    all.insert(all.end(), s.begin(), s.end());
  }
  std::vector<PhaseSample> session;
  for (int i = 0; i < 3; ++i) {
    auto cold = samples(run, "cold" + std::to_string(i), 2.0 + 0.1 * i, "cold");
    auto warm = samples(run, "warm" + std::to_string(i), 1.0 + 0.05 * i, "warm");
    session.insert(session.end(), cold.begin(), cold.end());
    session.insert(session.end(), warm.begin(), warm.end());
  }
  report.gap = cold_vs_warm(session);
  report.selected_runs = 5;
  report.pareto = pareto(all, AttributeBy::Phase);
  report.resources = classify_resources(all);
  Baseline b{"nightly", "session-1", "2026-11-26T00:00:00.000Z", 5, {}, "", false};
  b.phases.push_back(
      summarize(run.pipeline, "deploy", RunMode::Cold, 0, {9.0, 9.5, 10.0, 9.2, 9.8}));
  b.phases.push_back(
      summarize(run.pipeline, "deploy", RunMode::Warm, 0, {2.0, 2.2, 2.1, 1.9, 2.05}));
  b.phases.push_back(summarize(run.pipeline, "ready", RunMode::Cold, 2, {3.0, 3.5, 3.2, 3.1, 3.3}));
  b.phases.push_back(
      summarize(run.pipeline, "ready", RunMode::Warm, 2, {1.4, 1.5, 1.6, 1.45, 1.55}));
  report.baseline = b;
  report.baseline_named = true;
  report.baseline_cpu[run.pipeline + "/deploy/cold"] = {3.5, 0.5};
  report.verdicts = compare_phases({{"deploy", {2.0, 2.2, 2.1, 1.9, 2.05}, {3.0, 3.1, 2.9, 3.05}},
                                    {"ready", {1.4, 1.5, 1.6, 1.45, 1.55}, {1.5}}});
  report.trend_runs = {"run0", "run1", "run2", "run3", "run4"};
  report.trends = {{"deploy", {2.9, 3.0, 3.2, 2.8, 3.0}, {}},
                   {"ready", {1.4, NAN, 1.6, 1.5, 1.5}, {}}};
  report.runs.push_back(focal);
  return report;
}

std::vector<std::string> dark_scheme_gaps(const std::string& page) {
  size_t open = page.find("<style>"), close = page.find("</style>");
  std::string style = page.substr(open + 7, close - open - 7);
  size_t media = style.find("@media (prefers-color-scheme:dark){");
  std::string light = style.substr(0, media);
  std::string dark = media == std::string::npos ? "" : style.substr(media);
  std::vector<std::string> gaps;
  std::regex rule(R"(([^{}]+)\{([^{}]*)\})"), colour(R"((fill|stroke|background|color):#)"),
      klass(R"(\.([\w-]+))");
  for (std::sregex_iterator r(light.begin(), light.end(), rule), end; r != end; ++r) {
    std::string selectors = (*r)[1], declarations = (*r)[2];
    if (!std::regex_search(declarations, colour))
      continue;
    for (std::sregex_iterator c(selectors.begin(), selectors.end(), klass); c != end; ++c)
      if (!std::regex_search(dark, std::regex("\\." + (*c)[1].str() + "(?![\\w-])")))
        gaps.push_back((*c)[1]);
  }
  return gaps;
}

} // namespace ciperf::test
