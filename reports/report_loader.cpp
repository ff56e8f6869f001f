#include "reports/report_loader.hpp"

#include "analysis/change_points.hpp"

#include "common/confined_path.hpp"
#include "common/errors.hpp"
#include "reports/report_format.hpp"

#include <cmath>
#include <fstream>
#include <map>

namespace ciperf {
namespace {

ReportRun with_log_tails(RunRecord record, size_t bytes) {
  ReportRun run{std::move(record), {}};
  for (const auto& p : run.record.phases)
    if (p.failed() && !p.log.empty() && !run.record.run_dir.empty())
      if (auto file =
              file_inside(run.record.run_dir, p.log)) // an imported `log` may point anywhere
        if (auto tail = log_tail(file->string(), bytes); !tail.empty())
          run.log_tails[p.index] = tail;
  return run;
}

// The run a RUN argument names, or the newest run of the selection.
RunRecord focal_run(Store& store, const ReportRequest& request, const RunFilter& selection) {
  if (request.run) {
    auto run = store.load_run(*request.run);
    if (!run)
      throw UsageError("no run '" + *request.run + "' in " + store.path());
    return *run;
  }
  RunFilter newest = selection;
  newest.limit = 1;
  auto runs = store.list_runs(newest);
  if (runs.empty())
    throw UsageError("no stored runs match the selection");
  return *store.load_run(runs.front().run_id);
}

// The selection the analyses cover.
RunFilter analysis_filter(const ReportRequest& request, const std::optional<Baseline>& baseline,
                          const RunRecord* run) {
  if (request.run && run) {
    RunFilter one;
    one.run_id = run->run_id;
    return one;
  }
  RunFilter f = request.filter;
  f.complete_only = true;
  if (!request.filtered && baseline)
    f.labels.emplace_back("session", baseline->session);
  else if (!request.filtered)
    f.limit = 1;
  return f;
}

struct Analyses {
  ParetoBuilder pareto{AttributeBy::Phase};
  ColdWarmBuilder gap;
  ResourceBuilder resources;
  std::map<std::string, std::pair<double, double>> cpu_sums; // pipeline/phase/mode → user, sys
  std::map<std::string, int> cpu_counts;
  std::map<std::string, std::vector<double>> walls; // phase → wall of each selected run
  int runs = 0;
  std::string last_run; // samples come run by run
  bool cpu = false;     // hyperfine's user and system means: only for a named baseline

  void add(const PhaseSample& s, const std::optional<RunRecord>& newest) {
    if (s.run_id != last_run) {
      ++runs;
      last_run = s.run_id;
    }
    pareto.add(s);
    gap.add(s);
    resources.add(s);
    if (cpu) {
      std::string key = s.pipeline + "/" + s.name + "/" + to_string(s.mode);
      cpu_sums[key].first += s.user_s;
      cpu_sums[key].second += s.sys_s;
      ++cpu_counts[key];
    }
    if (newest && s.pipeline == newest->pipeline && s.mode == newest->mode && !s.background &&
        s.ran())
      walls[s.name].push_back(s.wall_s);
  }

  void finish(Report& report) {
    report.pareto = pareto.finish();
    if (ColdWarmGap g = gap.finish(); g.cold_runs > 0 && g.warm_runs > 0)
      report.gap = g;
    report.resources = resources.finish();
    for (const auto& [key, sums] : cpu_sums)
      report.baseline_cpu[key] = {sums.first / cpu_counts[key], sums.second / cpu_counts[key]};
  }
};

std::vector<PhaseComparison> verdicts(const Analyses& a, const Baseline& base,
                                      const RunRecord& run) {
  RunMode mode = baseline_mode(run.mode);
  std::vector<PhaseSamples> phases;
  for (const auto& b : base.phases)
    if (b.pipeline == run.pipeline && b.mode == mode) {
      auto it = a.walls.find(b.phase);
      phases.push_back(
          {b.phase, b.samples, it == a.walls.end() ? std::vector<double>{} : it->second});
    }
  if (phases.empty())
    throw UsageError("baseline '" + base.name + "' has no " + to_string(mode) +
                     " runs of pipeline '" + run.pipeline + "'");
  return compare_phases(phases);
}

void load_trends(Store& store, const RunRecord& run, int count, Report& report) {
  RunFilter f; // the runs comparable with this one: its pipeline, mode, opt-in phases and host
  f.pipeline = run.pipeline;
  f.mode = run.mode;
  f.tag_set = run.labels.count("tags") ? run.labels.at("tags") : "";
  f.until = run.started_at;
  f.limit = count;
  f.complete_only = true;
  if (!run.host.cpu_model.empty()) // one host class: another runner's speed is not a trend
    f.host_class_of = run.host;
  std::map<std::string, size_t> row_of;
  std::string current;
  store.for_each_phase_sample(f, [&](const PhaseSample& s) {
    if (s.run_id != current) {
      current = s.run_id;
      report.trend_runs.push_back(s.run_id);
      for (auto& t : report.trends)
        t.walls.push_back(NAN);
    }
    if (!s.counts_toward_total())
      return;
    auto [it, added] = row_of.emplace(s.name, report.trends.size());
    if (added)
      report.trends.push_back({s.name, std::vector<double>(report.trend_runs.size(), NAN), {}});
    report.trends[it->second].walls.back() = s.wall_s;
  });
  for (auto& t : report.trends)
    t.changes = trend_changes(t.walls);
}

} // namespace

std::vector<TrendChange> trend_changes(const std::vector<double>& walls) {
  std::vector<double> values;
  std::vector<size_t> index;
  for (size_t i = 0; i < walls.size(); ++i)
    if (!std::isnan(walls[i])) {
      values.push_back(walls[i]);
      index.push_back(i);
    }
  std::vector<TrendChange> out;
  for (const auto& c : find_change_points(values))
    out.push_back({index[c.at], c.before_median, c.after_median, c.relative_change});
  return out;
}

std::string log_tail(const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return {};
  auto size = static_cast<size_t>(in.tellg());
  size_t start = size > bytes ? size - bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (start > 0)
    if (auto newline = text.find('\n'); newline != std::string::npos)
      text.erase(0, newline + 1);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

void for_each_report_run(Store& store, const ReportRequest& request,
                         const std::function<void(const ReportRun&)>& visit) {
  std::optional<Baseline> baseline;
  if (request.baseline) {
    baseline = store.load_baseline(*request.baseline);
    if (!baseline)
      throw UsageError("no baseline named '" + *request.baseline + "' in " + store.path());
  }
  RunFilter selection;
  if (request.run) {
    auto run = store.load_run(*request.run);
    if (!run)
      throw UsageError("no run '" + *request.run + "' in " + store.path());
    selection.run_id = run->run_id;
  } else {
    selection = analysis_filter(request, baseline, nullptr);
  }
  size_t seen = 0;
  store.for_each_run(selection, [&](RunRecord& r) {
    ++seen;
    visit(with_log_tails(std::move(r), request.log_tail_bytes));
  });
  if (seen == 0)
    throw UsageError("no stored runs match the selection");
}

Report load_report(Store& store, const ReportRequest& request) {
  Report report;
  if (request.baseline) {
    report.baseline = store.load_baseline(*request.baseline);
    if (!report.baseline)
      throw UsageError("no baseline named '" + *request.baseline + "' in " + store.path());
    report.baseline_named = true;
  }
  bool baseline_only = report.baseline && !request.run && !request.filtered;
  std::optional<RunRecord> newest;
  if (!baseline_only)
    newest = focal_run(store, request, request.filter);
  RunFilter selection = analysis_filter(request, report.baseline, newest ? &*newest : nullptr);

  Analyses a;
  a.cpu = request.baseline.has_value();
  store.for_each_phase_sample(selection, [&](const PhaseSample& s) { a.add(s, newest); });
  report.selected_runs = a.runs;
  if (report.selected_runs == 0 && !baseline_only)
    throw UsageError("no stored runs match the selection");
  a.finish(report);
  // The overviews draw the cold and warm distributions of the run's pipeline from its newest
  // baseline even when none is named; verdicts only come with a named one.
  if (newest && !report.baseline)
    if (auto name = store.newest_baseline_for(newest->pipeline))
      report.baseline = store.load_baseline(*name);
  if (newest) {
    if (request.baseline)
      report.verdicts = verdicts(a, *report.baseline, *newest);
    load_trends(store, *newest, request.trend_runs, report);
    report.title =
        newest->pipeline + " run " + newest->run_id + " (" + to_string(newest->status) + ")";
  } else {
    report.title = "baseline " + report.baseline->name;
  }

  if (newest)
    report.runs.push_back(with_log_tails(std::move(*newest), request.log_tail_bytes));
  return report;
}

void write_report(Store& store, const ReportRequest& request, const ReportFormat& format,
                  std::ostream& out) {
  if (!format.exports()) {
    format.render()->render(load_report(store, request), out);
    return;
  }
  auto exporter = format.export_runs();
  exporter->begin(out);
  for_each_report_run(store, request, [&](const ReportRun& run) { exporter->run(run, out); });
  exporter->end(out);
}

} // namespace ciperf
