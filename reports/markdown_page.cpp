// GitHub-flavoured Markdown for a PR comment, $GITHUB_STEP_SUMMARY or a Drone card: the run's
// status, its failed phases (first, so no cut hides them), its phase table with share bars and
// budget flags, the verdicts against a baseline, and the vital few. GitHub truncates comments past
// 65,536 characters, so tables stop early enough to keep the whole report under 64 KiB.
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"
#include "reports/report_format.hpp"
#include "reports/report_text.hpp"
#include "reports/share_bar.hpp"
#include "reports/test_rows.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <ostream>
#include <sstream>

namespace ciperf {
namespace {

constexpr size_t kLimit = 64 * 1024;
// Where each table must stop, leaving room for the sections after it (their headers, the
// over-budget line of at most kMaxFlags, the closing line).
constexpr size_t kFailuresCeiling = 24 * 1024;
constexpr size_t kPhasesCeiling = kLimit - 16 * 1024;
constexpr size_t kVerdictsCeiling = kLimit - 8 * 1024;
constexpr size_t kVitalCeiling = kLimit - 2 * 1024;
constexpr size_t kMaxFlags = 2048;
constexpr size_t kMaxCell = 120;
// Failures listed before the phase table: enough for any real run, few enough to leave it room.
constexpr int kMaxFailures = 100;

// Cut, then escaped: one long name cannot eat the budget.
std::string cell(std::string_view text) {
  return markdown_escape(truncate_utf8(text, kMaxCell));
}

const char* status_mark(const std::string& status) {
  if (status == "passed")
    return "✅";
  if (status == "timeout")
    return "⏱️";
  if (status == "interrupted" || status == "incomplete")
    return "⚠️";
  return "❌";
}

std::string percent(double share) {
  return std::isnan(share) ? "-" : fmt::format("{:.1f}%", 100 * share);
}

// Appends table rows while the report stays within its budget; says how many were left out.
class BoundedTable {
public:
  BoundedTable(std::string& out, size_t ceiling, const std::string& header)
      : out_(out), ceiling_(ceiling) {
    out_ += header;
  }
  BoundedTable(std::string& out, size_t ceiling, const std::string& header, int max_rows)
      : BoundedTable(out, ceiling, header) {
    max_rows_ = max_rows;
  }
  void row(const std::string& line) {
    if (out_.size() + line.size() > ceiling_ || rows_ >= max_rows_) {
      ++dropped_;
      return;
    }
    out_ += line;
    ++rows_;
  }
  void close(const char* what) {
    if (dropped_ > 0)
      out_ += fmt::format("\n_{} more {} not shown (the report stays under 64 KiB; the HTML "
                          "report has them all)._\n",
                          dropped_, what);
    out_ += "\n";
  }

private:
  std::string& out_;
  size_t ceiling_;
  int max_rows_ = std::numeric_limits<int>::max();
  int rows_ = 0;
  int dropped_ = 0;
};

std::string budget_flag(const PhaseRecord& p) {
  if (!p.budget_s)
    return "";
  return p.over_budget ? fmt::format("⚠️ over {}", human_seconds(*p.budget_s))
                       : fmt::format("within {}", human_seconds(*p.budget_s));
}

// Before the phase table, which a long run has cut: every failed phase (up to a bound), with
// how many there are, so that the one that matters is never among those not shown.
void write_failures(const RunRecord& r, std::string& out) {
  int failures = 0;
  int failed_tests = 0;
  for (const auto& p : r.phases) {
    failures += p.failed();
    for (const auto& t : p.tests)
      failed_tests += failed(t.status);
  }
  if (failures == 0 && failed_tests == 0)
    return;
  std::string phases = fmt::format("{} phase{}", failures, failures == 1 ? "" : "s");
  std::string tests = fmt::format("{} test{}", failed_tests, failed_tests == 1 ? "" : "s");
  out += fmt::format("### ❌ {} failed\n\n", failures && failed_tests ? phases + " and " + tests
                                            : failures               ? phases
                                                                     : tests);
  BoundedTable table(out, kFailuresCeiling,
                     "| # | phase | status | wall | why |\n|---:|---|---|---:|---|\n",
                     kMaxFailures);
  for (const auto& p : r.phases)
    if (p.failed())
      table.row(fmt::format("| {} | {} | **{}** | {} | {} |\n", p.index + 1, cell(p.name),
                            to_string(p.status), human_seconds(p.wall_s),
                            cell(failure_summary(p))));
  for (const auto& p : r.phases)
    for (const auto& t : p.tests)
      if (failed(t.status))
        table.row(fmt::format("| {} | {} / {} | **{}** | {} | {} |\n", p.index + 1, cell(p.name),
                              cell(t.name), to_string(t.status), human_seconds(t.wall_s),
                              cell(t.message)));
  table.close(!failed_tests ? "failed phases"
              : !failures   ? "failed tests"
                            : "failed phases and tests");
}

// A phase's test cases as rows under it: its failures and slowest, the rest counted.
void write_tests(const PhaseRecord& p, BoundedTable& table) {
  ShownTests shown = tests_to_show(p);
  for (const TestCaseRecord* t : shown.tests) {
    std::string status = t->status == PhaseStatus::Passed || t->status == PhaseStatus::Skipped
                             ? to_string(t->status)
                             : fmt::format("**{}**: {}", to_string(t->status), cell(t->message));
    double share = p.wall_s > 0 ? t->wall_s / p.wall_s : 0;
    table.row(fmt::format("| &nbsp;&nbsp;↳ {} | | {} | {} | {} | | | |\n", cell(t->name), status,
                          human_seconds(t->wall_s),
                          share > 0 ? percent(share) + " of phase" : "-"));
  }
  if (shown.hidden)
    table.row(fmt::format("| &nbsp;&nbsp;{} | | | | | | | |\n", cell(hidden_tests_line(shown))));
}

void write_run(const RunRecord& r, std::string& out) {
  out += fmt::format("## {} {} {} in {}\n\n", status_mark(to_string(r.status)), cell(r.pipeline),
                     to_string(r.status), human_seconds(r.wall_s));
  out += fmt::format("run {} · mode {} · started {} · deploys {}{} · host {}{}\n\n", cell(r.run_id),
                     cell(to_string(r.mode)), cell(r.started_at), r.deploys,
                     r.expected_deploys ? fmt::format(" (expected {})", *r.expected_deploys) : "",
                     cell(r.host.hostname),
                     r.host.cpus > 0 ? fmt::format(" ({} CPUs)", r.host.cpus) : "");
  write_failures(r, out);
  BoundedTable table(out, kPhasesCeiling,
                     "| phase | tier | status | wall | share | | CPU | budget |\n"
                     "|---|---|---|---:|---:|---|---:|---|\n");
  for (const auto& p : r.phases) {
    double share = share_of_run(p, r);
    std::string name = cell(p.name) + (p.background ? " (service)" : "");
    bool ran = p.ran();
    std::string status =
        p.status == PhaseStatus::Passed || !ran
            ? to_string(p.status)
            : fmt::format("**{}**: {}", to_string(p.status), cell(failure_summary(p)));
    table.row(fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", name, cell(p.tier), status,
                          ran ? human_seconds(p.wall_s) : "-", share > 0 ? percent(share) : "-",
                          share_bar(share), ran ? human_seconds(p.cpu_s()) : "-", budget_flag(p)));
    write_tests(p, table);
  }
  table.close("phases");
  std::string over;
  for (const auto& p : r.phases)
    if (p.over_budget && p.budget_s && over.size() < kMaxFlags)
      over += fmt::format("{}{} ({} > {})", over.empty() ? "" : ", ", cell(p.name),
                          human_seconds(p.wall_s), human_seconds(*p.budget_s));
  if (!over.empty())
    out += "**Over budget:** " + over + "\n\n";
}

const char* outcome_mark(Outcome o) {
  switch (o) {
  case Outcome::Regressed:
    return "❌";
  case Outcome::Inconclusive:
    return "⚠️";
  case Outcome::NoRegression:
    break;
  }
  return "✅";
}

// "baseline nightly", or "its history" when the verdicts are against the run's own history
// (ciperf publish without a stored baseline), whose runs the note names.
std::string against(const Baseline& b) {
  return b.history_note.empty() ? "baseline " + cell(b.name) : std::string("its history");
}

// First thing on the page: what `ciperf compare` would conclude, and why.
void write_outcome(const Report& report, std::string& out) {
  if (report.verdicts.empty() || !report.baseline)
    return;
  Outcome o = overall_outcome(report.verdicts);
  out += fmt::format("**{} {} against {}**: {}.\n\n", outcome_mark(o), outcome_name(o),
                     against(*report.baseline),
                     markdown_escape(outcome_reason(report.verdicts, CompareOptions{}.threshold)));
}

void write_verdicts(const Report& report, std::string& out) {
  if (report.verdicts.empty() || !report.baseline)
    return;
  int regressed = 0, improved = 0, judged = 0;
  for (const auto& v : report.verdicts) {
    regressed += v.verdict == Verdict::Regressed;
    improved += v.verdict == Verdict::Improved;
    judged += v.verdict != Verdict::NotEnoughData;
  }
  out += fmt::format(
      "### Against {}: {}\n\n", against(*report.baseline),
      regressed ? fmt::format("❌ {} phase{} regressed", regressed, regressed == 1 ? "" : "s")
      : judged  ? fmt::format("{} {}", outcome_mark(overall_outcome(report.verdicts)),
                              outcome_name(overall_outcome(report.verdicts)))
                : "not enough runs to judge");
  if (!report.baseline->history_note.empty())
    out +=
        "Against " + markdown_escape(truncate_utf8(report.baseline->history_note, 600)) + ".\n\n";
  if (judged == 0)
    out += "A verdict needs at least 3 runs on each side: select the candidate runs with "
           "`--last 3` or `--since`.\n\n";
  BoundedTable table(out, kVerdictsCeiling,
                     "| phase | baseline | this run | change | p (Holm) | verdict |\n"
                     "|---|---:|---:|---:|---:|---|\n");
  for (const auto& v : report.verdicts) {
    bool both = v.n_base > 0 && v.n_candidate > 0;
    table.row(fmt::format("| {} | {} | {} | {} | {:.3g} | {} |\n", cell(v.phase),
                          v.n_base ? human_seconds(v.base_median) : "-",
                          v.n_candidate ? human_seconds(v.candidate_median) : "-",
                          both ? fmt::format("{:+.1f}%", 100 * v.change) : "-", v.p_adjusted,
                          v.verdict == Verdict::Regressed  ? "**regressed**"
                          : v.verdict == Verdict::Improved ? "improved"
                                                           : verdict_name(v.verdict)));
  }
  table.close("phases");
  if (improved)
    out += fmt::format("{} phase{} improved.\n\n", improved, improved == 1 ? "" : "s");
}

void write_vital_few(const Report& report, std::string& out) {
  if (!report.pareto || report.pareto->rows.empty())
    return;
  const Pareto& p = *report.pareto;
  std::string names;
  double share = 0;
  int vital = 0;
  for (const auto& row : p.rows)
    if (row.vital) {
      if (++vital <= 8)
        names += (names.empty() ? "" : ", ") + cell(row.item);
      share = row.cumulative;
    }
  if (vital > 8)
    names += fmt::format(" and {} more", vital - 8);
  out += fmt::format("### The vital few, over {} run{}\n\n{} hold{} {} of the mean run ({}; "
                     "the median run {}).\n\nMethod: {}.\n\n",
                     p.runs, p.runs == 1 ? "" : "s", names, vital == 1 ? "s" : "", percent(share),
                     human_seconds(p.total_s), human_seconds(p.median_run_s), kParetoMethod);
  BoundedTable table(out, kVitalCeiling,
                     "| phase | mean per run | 95% CI | share | cumulative | |\n"
                     "|---|---:|---:|---:|---:|---|\n");
  for (const auto& row : p.rows)
    table.row(fmt::format("| {}{} | {} | {} | {} | {} | {} |\n", cell(row.item),
                          row.vital ? " ★" : "", human_seconds(row.mean_s), seconds_ci(row.ci),
                          percent(row.share), percent(row.cumulative), share_bar(row.share)));
  table.row(fmt::format("| total | {} | {} | {} | | |\n", human_seconds(p.total_s),
                        seconds_ci(p.total_ci), percent(p.total_s > 0 ? 1 : 0)));
  table.close("phases");
}

void write_gap(const Report& report, std::string& out) {
  if (!report.gap || report.gap->rows.empty())
    return;
  const ColdWarmGap& g = *report.gap;
  out += fmt::format("### Cold vs warm: {:+.2f}s per run\n\ncold {} vs warm {} (means of {} and "
                     "{} runs; the median runs {} and {}).\n\nMethod: {}.\n\n",
                     g.gap, human_seconds(g.cold_mean), human_seconds(g.warm_mean), g.cold_runs,
                     g.warm_runs, human_seconds(g.cold_total), human_seconds(g.warm_total),
                     kGapMethod);
  if (std::string note = gap_noise_note(g); !note.empty())
    out += "**" + note + ".**\n\n";
  BoundedTable table(out, kVitalCeiling - 4096,
                     "| phase | cold | warm | cold−warm | 95% CI | share of gap | |\n"
                     "|---|---:|---:|---:|---:|---:|---|\n");
  for (const auto& r : g.rows)
    table.row(fmt::format("| {} | {} | {} | {:+.2f}s | {} | {} | {} |\n", cell(r.phase),
                          human_seconds(r.cold_mean), human_seconds(r.warm_mean), r.difference,
                          difference_ci(r.ci), percent(r.share_of_gap), cold_cost_note(r)));
  table.row(fmt::format("| total | {} | {} | {:+.2f}s | {} | {} | |\n", human_seconds(g.cold_mean),
                        human_seconds(g.warm_mean), g.gap, difference_ci(g.gap_ci),
                        percent(g.gap > 0 ? 1 : std::nan(""))));
  table.close("phases");
}

// The change points in the report's trends (the last runs of the pipeline), one row each.
void write_trend_changes(const Report& report, std::string& out) {
  bool any = false;
  for (const auto& t : report.trends)
    any = any || !t.changes.empty();
  if (!any)
    return;
  out += fmt::format("### Change points over the last {} runs\n\n", report.trend_runs.size());
  BoundedTable table(out, kVitalCeiling,
                     "| phase | first run after | before | after | change |\n"
                     "|---|---|---:|---:|---:|\n");
  for (const auto& t : report.trends)
    for (const auto& c : t.changes)
      table.row(fmt::format("| {} | {} | {} | {} | {} |\n", cell(t.phase),
                            cell(report.trend_runs[c.at]), human_seconds(c.before),
                            human_seconds(c.after), relative_text(c.relative)));
  table.close("change points");
  out += "`ciperf changes` has the whole history and each change's cause.\n\n";
}

class MarkdownPage : public PageRenderer {
public:
  void render(const Report& report, std::ostream& out) override {
    std::string text;
    write_outcome(report, text);
    if (!report.runs.empty())
      write_run(report.runs.front().record, text);
    else if (report.baseline)
      text += fmt::format("## Baseline {}\n\n{} runs per mode, created {}\n\n",
                          cell(report.baseline->name), report.baseline->runs_per_mode,
                          cell(report.baseline->created_at));
    write_verdicts(report, text);
    write_gap(report, text);
    write_vital_few(report, text);
    write_trend_changes(report, text);
    text += "<sub>ciperf report</sub>\n";
    out << text;
  }
};

} // namespace

std::unique_ptr<PageRenderer> make_markdown_page() {
  return std::make_unique<MarkdownPage>();
}

} // namespace ciperf
