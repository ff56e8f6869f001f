// One self-contained HTML page: inline CSS and SVG, no script (the Content-Security-Policy
// forbids any), readable offline. The newest run as a waterfall and a table, then the analyses
// of the selection: Pareto chart, cold vs warm box plots, trends, resource classification.
#include "common/text_escape.hpp"
#include "reports/attribution_view.hpp"
#include "reports/html_charts.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"
#include "reports/report_format.hpp"
#include "reports/report_text.hpp"
#include "reports/test_rows.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <ostream>

namespace ciperf {
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#59636e}.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600}
.passed{background:#1a7f37}.failed,.incomplete{background:#cf222e}.timeout{background:#bc4c00}.interrupted,.skipped{background:#6e7781}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2;vertical-align:middle}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}
.share{background:#eaeef2;width:120px;height:10px;border-radius:3px}.share i{display:block;height:10px;background:#0969da;border-radius:3px}
.over{color:#cf222e;font-weight:600}.note{color:#59636e;font-size:13px}tr.test td{font-size:13px}
svg text{font:11px system-ui,sans-serif;fill:#1f2328}svg .item{text-anchor:end}svg .tick{fill:#59636e}svg .grid{stroke:#eaeef2}
.phase{fill:#8c959f}.kind-deploy{fill:#0969da}.kind-wait{fill:#bf8700}.kind-build{fill:#8250df}.kind-test{fill:#1a7f37}.kind-teardown{fill:#6e7781}
.status-failed,.status-timeout{stroke:#cf222e;stroke-width:2}.service{fill-opacity:.35}
.probe-fail{stroke:#1f2328;stroke-opacity:.3;stroke-width:1}.probe-ok{stroke:#1a7f37;stroke-width:2.5}
.bar{fill:#8c959f}.bar.vital{fill:#0969da}.cumulative{fill:none;stroke:#cf222e;stroke-width:2}.cut{stroke:#cf222e;stroke-dasharray:4 3}
.cold rect{fill:#a5d6ff;stroke:#0969da}.warm rect{fill:#ffd8b5;stroke:#bc4c00}.whisker,.median{stroke:#1f2328}
.spark polyline{fill:none;stroke:#0969da;stroke-width:1.5}.spark circle{fill:#0969da}.spark .change{stroke:#cf222e;stroke-dasharray:3 2}
.legend span{margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
.sw-deploy{background:#0969da}.sw-wait{background:#bf8700}.sw-build{background:#8250df}.sw-test{background:#1a7f37}.sw-teardown{background:#6e7781}.sw-cold{background:#a5d6ff}.sw-warm{background:#ffd8b5}
.bound{font-weight:600}
.outcome{padding:8px 12px;border-left:4px solid;margin:0 0 12px}.outcome.regressed{border-color:#cf222e;background:#ffebe9}
.outcome.inconclusive{border-color:#bc4c00;background:#fff1e5}.outcome.no-regression{border-color:#1a7f37;background:#dafbe1}
:root{color-scheme:light dark}
@media (prefers-color-scheme:dark){
body{color:#e6edf3;background:#0d1117}h2{border-color:#30363d}.meta,.note{color:#9198a1}
th,td{border-color:#21262d}th{background:#161b22}.share{background:#21262d}.share i{background:#4493f8}
.passed{background:#238636}.failed,.incomplete{background:#da3633}.timeout{background:#bd561d}.over{color:#ff7b72}
svg text{fill:#e6edf3}svg .tick{fill:#9198a1}svg .grid{stroke:#30363d}
.phase,.bar{fill:#6e7681}.kind-deploy,.bar.vital{fill:#4493f8}.kind-wait{fill:#d29922}.kind-build{fill:#ab7df8}.kind-test{fill:#3fb950}
.status-failed,.status-timeout,.cumulative,.cut{stroke:#ff7b72}.probe-fail,.whisker,.median{stroke:#e6edf3}.probe-ok{stroke:#3fb950}
.cold rect{fill:#1f4a7a;stroke:#4493f8}.warm rect{fill:#6b3a14;stroke:#f0883e}.spark polyline{stroke:#4493f8}.spark circle{fill:#4493f8}
.sw-deploy{background:#4493f8}.sw-wait{background:#d29922}.sw-build{background:#ab7df8}.sw-test{background:#3fb950}.sw-cold{background:#1f4a7a}.sw-warm{background:#6b3a14}
.outcome.regressed{background:#3d1418}.outcome.inconclusive{background:#3d2410}.outcome.no-regression{background:#12321d}
.badge{color:#fff}.interrupted,.skipped,.kind-teardown,.sw-teardown{background:#6e7681;fill:#6e7681}.spark .change{stroke:#ff7b72}
}
)css";

std::string e(std::string_view s) {
  return xml_escape(s);
}

std::string percent(double share) {
  return std::isnan(share) ? "-" : fmt::format("{:.1f}%", 100 * share);
}

void write_head(const Report& report, std::string& out) {
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; script-src 'none'\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         e(report.title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
}

void write_summary(const RunRecord& r, std::string& out) {
  out += fmt::format("<h1>{} <span class=\"badge {}\">{}</span> in {}</h1>\n", e(r.pipeline),
                     e(to_string(r.status)), e(to_string(r.status)), human_seconds(r.wall_s));
  std::string labels;
  for (const auto& [k, v] : r.labels)
    labels += fmt::format(" · {}={}", e(k), e(v));
  std::string cpus = r.host.cpus > 0 ? fmt::format("{} CPUs, ", r.host.cpus) : ""; // 0: unknown
  out += fmt::format(
      "<p class=\"meta\">run {} · mode {} · started {} · deploys {} · {} ({}{}){}</p>\n",
      e(r.run_id), e(to_string(r.mode)), e(r.started_at), r.deploys, e(r.host.hostname), cpus,
      e(r.host.kernel), labels);
}

void write_waterfall(const RunRecord& r, std::string& out) {
  out += "<h2>Waterfall</h2>\n<p class=\"legend note\">"
         "<span><i class=\"sw sw-deploy\"></i>deploy</span>"
         "<span><i class=\"sw sw-wait\"></i>wait</span>"
         "<span><i class=\"sw sw-build\"></i>build</span>"
         "<span><i class=\"sw sw-test\"></i>test</span>"
         "<span><i class=\"sw sw-teardown\"></i>teardown</span>"
         "<span>ticks on a wait: probe attempts (green: ready)</span></p>\n";
  out += waterfall_svg(r) + "\n";
}

// A phase's test cases as rows under it (class "test"): its failures and slowest, the rest
// counted.
void write_tests(const PhaseRecord& p, std::string& out) {
  ShownTests shown = tests_to_show(p);
  for (const TestCaseRecord* t : shown.tests) {
    std::string status = e(to_string(t->status));
    if (failed(t->status) && !t->message.empty())
      status += ": " + e(t->message);
    double share = p.wall_s > 0 ? t->wall_s / p.wall_s : 0;
    out += fmt::format("<tr class=\"test\"><td>&#8627; {}</td><td>testcase</td><td></td><td>{}</td>"
                       "<td class=\"n\">{}</td><td class=\"n\">{}</td><td></td><td></td><td></td>"
                       "<td></td></tr>\n",
                       e(t->name), status, human_seconds(t->wall_s),
                       share > 0 ? percent(share) + " of phase" : "-");
  }
  if (shown.hidden)
    out += fmt::format("<tr class=\"test\"><td colspan=\"10\">{}</td></tr>\n",
                       e(hidden_tests_line(shown)));
}

void write_phase_table(const ReportRun& run, std::string& out) {
  const RunRecord& r = run.record;
  out += "<h2>Phases</h2>\n<table class=\"phases\"><tr><th>phase</th><th>kind</th><th>tier</th>"
         "<th>status</th><th>wall</th><th>share</th><th></th><th>CPU</th><th>peak RSS</th>"
         "<th>budget</th></tr>\n";
  for (const auto& p : r.phases) {
    double share = share_of_run(p, r);
    std::string status = e(to_string(p.status));
    if (p.status != PhaseStatus::Passed && p.ran())
      status += ": " + e(failure_summary(p));
    std::string budget;
    if (p.budget_s)
      budget = p.over_budget ? "<span class=\"over\">over " + human_seconds(*p.budget_s) + "</span>"
                             : "within " + human_seconds(*p.budget_s);
    out += fmt::format("<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
                       "<td class=\"n\">{}</td><td><div class=\"share\"><i style=\"width:{:.1f}%\">"
                       "</i></div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>"
                       "</tr>\n",
                       e(p.name), p.background ? " <span class=\"note\">(service)</span>" : "",
                       e(to_string(p.kind)), e(p.tier), status, human_seconds(p.wall_s),
                       share > 0 ? percent(share) : "-", 100 * share, human_seconds(p.cpu_s()),
                       p.max_rss_bytes > 0 ? human_bytes(p.max_rss_bytes) : "-", budget);
    write_tests(p, out);
  }
  out += "</table>\n";
  for (const auto& [index, tail] : run.log_tails)
    if (index >= 0 && static_cast<size_t>(index) < r.phases.size())
      out += fmt::format("<details><summary>log tail of {}</summary><pre>{}</pre></details>\n",
                         e(r.phases[static_cast<size_t>(index)].name), e(tail));
}

// First thing on the page: what `ciperf compare` would conclude, and why.
void write_outcome(const Report& report, std::string& out) {
  if (report.verdicts.empty() || !report.baseline)
    return;
  Outcome o = overall_outcome(report.verdicts);
  std::string name = outcome_name(o);
  std::string css = name;
  std::replace(css.begin(), css.end(), ' ', '-');
  out += fmt::format("<p class=\"outcome {}\"><strong>{} against baseline {}</strong>: {}.</p>\n",
                     css, e(name), e(report.baseline->name),
                     e(outcome_reason(report.verdicts, CompareOptions{}.threshold)));
}

void write_verdicts(const Report& report, std::string& out) {
  if (report.verdicts.empty() || !report.baseline)
    return;
  out += "<h2>Against baseline " + e(report.baseline->name) +
         "</h2>\n<table><tr><th>phase</th><th>baseline</th><th>this run</th><th>change</th>"
         "<th>p (Holm)</th><th>verdict</th></tr>\n";
  for (const auto& v : report.verdicts)
    out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                       "<td class=\"n\">{}</td><td class=\"n\">{:.3g}</td><td{}>{}</td></tr>\n",
                       e(v.phase), v.n_base ? human_seconds(v.base_median) : "-",
                       v.n_candidate ? human_seconds(v.candidate_median) : "-",
                       v.n_base && v.n_candidate ? fmt::format("{:+.1f}%", 100 * v.change) : "-",
                       v.p_adjusted, v.verdict == Verdict::Regressed ? " class=\"over\"" : "",
                       verdict_name(v.verdict));
  out += "</table>\n";
}

void write_pareto(const Report& report, std::string& out) {
  if (!report.pareto || report.pareto->rows.empty())
    return;
  const Pareto& p = *report.pareto;
  out +=
      fmt::format("<h2>Where the time goes</h2>\n<p class=\"note\">Mean per run over {} run{}: "
                  "the mean run takes {} (95% CI {}), the median run {}. Blue bars: the vital few "
                  "that first reach 80%. Method: {}.</p>\n",
                  p.runs, p.runs == 1 ? "" : "s", human_seconds(p.total_s), seconds_ci(p.total_ci),
                  human_seconds(p.median_run_s), e(kParetoMethod));
  out += pareto_svg(p) + "\n";
}

void write_box_plots(const Report& report, std::string& out) {
  if (!report.baseline)
    return;
  std::vector<const BaselinePhase*> cold, warm;
  for (const auto& c : report.baseline->phases) {
    if (c.mode != RunMode::Cold)
      continue;
    for (const auto& w : report.baseline->phases)
      if (w.mode == RunMode::Warm && w.pipeline == c.pipeline && w.phase == c.phase) {
        cold.push_back(&c);
        warm.push_back(&w);
      }
  }
  if (cold.empty())
    return;
  out +=
      "<h2>Cold vs warm</h2>\n<p class=\"legend note\"><span><i class=\"sw sw-cold\">"
      "</i>cold</span><span><i class=\"sw sw-warm\"></i>warm</span>baseline " +
      e(report.baseline->name) + ", " + std::to_string(report.baseline->runs_per_mode) +
      " runs per mode; each phase on its own axis, fastest to slowest run; medians (cold / warm) "
      "on the right</p>\n";
  out += box_plots_svg(cold, warm) + "\n";
}

void write_gap(const Report& report, std::string& out) {
  if (!report.gap)
    return;
  const ColdWarmGap& g = *report.gap;
  std::string noise = gap_noise_note(g);
  out +=
      fmt::format("<h2>What explains the cold−warm gap</h2>\n<p class=\"note\">cold {} vs warm "
                  "{} per run (means of {} and {} runs; the median runs {} and {}): the gap is "
                  "{:+.2f}s. Method: {}.</p>\n{}<table><tr><th>phase</th><th>cold</th><th>warm"
                  "</th><th>cold−warm</th><th>95% CI</th><th>share of gap</th><th></th><th>"
                  "</th></tr>\n",
                  human_seconds(g.cold_mean), human_seconds(g.warm_mean), g.cold_runs, g.warm_runs,
                  human_seconds(g.cold_total), human_seconds(g.warm_total), g.gap, e(kGapMethod),
                  noise.empty() ? "" : "<p class=\"note\">" + e(noise) + ".</p>\n");
  for (const auto& r : g.rows) {
    double share = std::isnan(r.share_of_gap) ? 0 : std::clamp(r.share_of_gap, 0.0, 1.0);
    out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                       "<td class=\"n\">{:+.2f}s</td><td class=\"n\">{}</td><td class=\"n\">{}"
                       "</td><td><div class=\"share\"><i style=\"width:{:.1f}%\"></i></div></td>"
                       "<td>{}</td></tr>\n",
                       e(r.phase), human_seconds(r.cold_mean), human_seconds(r.warm_mean),
                       r.difference, difference_ci(r.ci), percent(r.share_of_gap), 100 * share,
                       cold_cost_note(r));
  }
  out += fmt::format("<tr><th>total</th><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                     "<td class=\"n\">{:+.2f}s</td><td class=\"n\">{}</td><td class=\"n\">{}"
                     "</td><td></td><td></td></tr>\n</table>\n",
                     human_seconds(g.cold_mean), human_seconds(g.warm_mean), g.gap,
                     difference_ci(g.gap_ci), percent(g.gap > 0 ? 1 : std::nan("")));
}

// "+20.1% at run 20260101…": a trend's change points, for its row.
std::string change_list(const Report& report, const PhaseTrend& t) {
  std::string out;
  for (const auto& c : t.changes)
    out +=
        fmt::format("{}{} from {} ({} → {})", out.empty() ? "" : "<br>", relative_text(c.relative),
                    e(report.trend_runs[c.at]), human_seconds(c.before), human_seconds(c.after));
  return out.empty() ? "-" : out;
}

void write_trends(const Report& report, std::string& out) {
  if (report.trends.empty() || report.trend_runs.size() < 2)
    return;
  out += fmt::format("<h2>Trends</h2>\n<p class=\"note\">Wall time of each phase over the last {} "
                     "runs, oldest on the left; a dashed line marks a change point (ciperf "
                     "changes has the whole history and the cause).</p>\n<table><tr><th>phase</th>"
                     "<th>trend</th><th>latest</th><th>min</th><th>max</th><th>change points</th>"
                     "</tr>\n",
                     report.trend_runs.size());
  for (const auto& t : report.trends) {
    double lo = INFINITY, hi = 0;
    for (double v : t.walls)
      if (!std::isnan(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    double latest = t.walls.empty() ? NAN : t.walls.back();
    std::vector<size_t> marks;
    for (const auto& c : t.changes)
      marks.push_back(c.at);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td>{}</td></tr>\n",
        e(t.phase), sparkline_svg(t.walls, marks), std::isnan(latest) ? "-" : human_seconds(latest),
        std::isinf(lo) ? "-" : human_seconds(lo), human_seconds(hi), change_list(report, t));
  }
  out += "</table>\n";
}

void write_resources(const Report& report, std::string& out) {
  if (report.resources.empty())
    return;
  out += "<h2>What bounds each phase</h2>\n<table><tr><th>phase</th><th>bound</th><th>wall</th>"
         "<th>cores</th><th>stall CPU/IO/mem</th><th>I/O</th><th>services (cores)</th>"
         "<th>because</th></tr>\n";
  for (const auto& r : report.resources)
    out += fmt::format("<tr><td>{}</td><td class=\"bound\">{}</td><td class=\"n\">{}</td>"
                       "<td class=\"n\">{:.2f}</td><td class=\"n\">{}</td><td class=\"n\">"
                       "{:.1f} MiB/s</td><td>{}</td><td class=\"note\">{}</td></tr>\n",
                       e(r.phase), e(r.bound), human_seconds(r.wall_median), r.cores,
                       std::isnan(r.cpu_stall)
                           ? std::string("n/a")
                           : fmt::format("{:.0f}/{:.0f}/{:.0f}% {}", 100 * r.cpu_stall,
                                         100 * r.io_stall, 100 * r.memory_stall,
                                         r.own_stalls ? "own" : "host"),
                       r.io_mib_per_s, e(service_loads(r.services)), e(r.because));
  out += "</table>\n";
}

class HtmlPage : public PageRenderer {
public:
  void render(const Report& report, std::ostream& out) override {
    std::string page;
    write_head(report, page);
    write_outcome(report, page);
    if (!report.runs.empty()) {
      write_summary(report.runs.front().record, page);
      write_waterfall(report.runs.front().record, page);
      write_phase_table(report.runs.front(), page);
    } else if (report.baseline) {
      page += "<h1>Baseline " + e(report.baseline->name) + "</h1>\n<p class=\"meta\">created " +
              e(report.baseline->created_at) + "</p>\n";
    }
    write_verdicts(report, page);
    write_pareto(report, page);
    write_box_plots(report, page);
    write_gap(report, page);
    write_trends(report, page);
    write_resources(report, page);
    page += "<p class=\"note\">ciperf report · " + std::to_string(report.selected_runs) +
            " run(s) analysed</p>\n</body></html>\n";
    out << page;
  }
};

} // namespace

std::unique_ptr<PageRenderer> make_html_page() {
  return std::make_unique<HtmlPage>();
}

} // namespace ciperf
