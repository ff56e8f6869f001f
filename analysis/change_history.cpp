#include "analysis/change_history.hpp"

#include "analysis/change_cause.hpp"
#include "common/parallel_for.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ciperf {

const char* metric_name(ChangeMetric m) {
  switch (m) {
  case ChangeMetric::Wall:
    return "wall";
  case ChangeMetric::Cpu:
    return "cpu";
  case ChangeMetric::Memory:
    return "memory";
  case ChangeMetric::Io:
    return "io";
  case ChangeMetric::OwnPressure:
    return "pressure";
  }
  return "?";
}

const char* metric_unit(ChangeMetric m) {
  return m == ChangeMetric::Memory || m == ChangeMetric::Io ? "B" : "s";
}

const char* cause_name(ChangeCause c) {
  return c == ChangeCause::Code ? "code" : "environment";
}

namespace {

constexpr float kAbsent = std::numeric_limits<float>::quiet_NaN();

float own_stall_s(const PhaseRecord& p) {
  if (!p.own_pressure)
    return kAbsent;
  return static_cast<float>(p.own_pressure->cpu_some_s + p.own_pressure->io_some_s +
                            p.own_pressure->memory_some_s);
}

float host_stall_share(const PhaseRecord& p) {
  if (!p.pressure || !(p.wall_s > 0))
    return kAbsent;
  return static_cast<float>(std::min(1.0, p.pressure->cpu_some_s / p.wall_s));
}

HistoryPoint point_of(const PhaseRecord& p, uint32_t run) {
  HistoryPoint pt;
  pt.run = run;
  pt.figure[static_cast<int>(ChangeMetric::Wall)] = static_cast<float>(p.wall_s);
  pt.figure[static_cast<int>(ChangeMetric::Cpu)] = static_cast<float>(p.cpu_s());
  pt.figure[static_cast<int>(ChangeMetric::Memory)] =
      static_cast<float>(p.tree_memory_peak_bytes.value_or(p.max_rss_bytes));
  pt.figure[static_cast<int>(ChangeMetric::Io)] =
      p.tree_read_bytes // summed as doubles: two imported int64 figures may not fit one
          ? static_cast<float>(static_cast<double>(*p.tree_read_bytes) +
                               static_cast<double>(p.tree_write_bytes.value_or(0)))
          : static_cast<float>(static_cast<double>(p.read_bytes) +
                               static_cast<double>(p.write_bytes));
  pt.figure[static_cast<int>(ChangeMetric::OwnPressure)] = own_stall_s(p);
  pt.host_share = host_stall_share(p);
  return pt;
}

// The values of one figure of a series and the run each came from (absent figures left out).
struct Series {
  std::vector<double> values;
  std::vector<uint32_t> runs;
};

Series series_of(const std::vector<HistoryPoint>& points, ChangeMetric m) {
  Series s;
  for (const auto& p : points) {
    float v = p.figure[static_cast<int>(m)];
    if (!std::isnan(v)) {
      s.values.push_back(v);
      s.runs.push_back(p.run);
    }
  }
  return s;
}

Series total_series(const std::vector<HistoryRun>& runs) {
  Series s;
  for (uint32_t i = 0; i < runs.size(); ++i)
    if (runs[i].counts) {
      s.values.push_back(runs[i].wall_s);
      s.runs.push_back(i);
    }
  return s;
}

// The smallest move of a figure worth a change point, whatever its share: below a clock's
// resolution and a scheduler's jitter (10 ms), or a page cache's noise (1 MiB).
double min_absolute(ChangeMetric m) {
  return m == ChangeMetric::Memory || m == ChangeMetric::Io ? 1024.0 * 1024 : 0.01;
}

// Changes of one series, in run indices.
void detect(const Series& s, const std::string& phase, ChangeMetric metric,
            ChangePointOptions options, std::vector<SeriesChange>& out) {
  options.min_absolute = std::max(options.min_absolute, min_absolute(metric));
  for (auto& c : find_change_points(s.values, options)) {
    SeriesChange sc;
    sc.phase = phase;
    sc.metric = metric;
    sc.first_run = s.runs[c.at];
    sc.window_start = s.runs[c.at - c.before_n];
    sc.window_end = s.runs[c.at + c.after_n - 1] + 1;
    sc.point = c;
    out.push_back(std::move(sc));
  }
}

} // namespace

HistoryBuilder::HistoryBuilder(HistoryOptions options) : options_(std::move(options)) {}

void HistoryBuilder::add_run(RunRecord run) {
  std::string its_class = host_class(run.host);
  HistoryKey key{run.pipeline, run.mode, options_.mix_host_classes ? "" : its_class,
                 run.labels.count("tags") ? run.labels.at("tags") : ""};
  History& h = histories_[key];
  h.key = key;
  HistoryRun r;
  r.run_id = run.run_id;
  r.started_at = run.started_at;
  r.labels = std::move(run.labels);
  r.kernel = run.host.kernel;
  r.host_class = std::move(its_class);
  r.wall_s = run.wall_s;
  r.counts = run.status == RunStatus::Passed;
  run_slot_[run.run_id] = {&h, static_cast<uint32_t>(h.runs.size())};
  h.runs.push_back(std::move(r));
}

void HistoryBuilder::add_phase(const PhaseSample& phase) {
  if (phase.run_id != last_run_id_) { // a run's phases come together: one look-up per run
    last_run_id_ = phase.run_id;
    auto slot = run_slot_.find(phase.run_id);
    last_slot_ = slot == run_slot_.end() ? std::pair<History*, uint32_t>{} : slot->second;
  }
  auto [history, run] = last_slot_;
  if (!history || phase.status != PhaseStatus::Passed || phase.background)
    return;
  history->phases[phase.name].push_back(point_of(phase, run));
  auto& r = history->runs[run];
  if (phase.pressure) {
    r.host_stall_s += phase.pressure->cpu_some_s;
    r.pressured_wall_s += phase.wall_s;
  }
}

// Accepted at the run that starts the change, or a few runs either side in the same history
// (not another mode, host class or tag set of the pipeline): a change's position can move by a
// run or two as later runs refine it.
bool HistoryBuilder::is_accepted(const History& history, const SeriesChange& c) const {
  auto tolerance = static_cast<uint32_t>(std::max(options_.detector.min_segment, 1));
  uint32_t from = c.first_run > tolerance ? c.first_run - tolerance : 0;
  uint32_t to =
      std::min<uint32_t>(c.first_run + tolerance + 1, static_cast<uint32_t>(history.runs.size()));
  for (uint32_t i = from; i < to; ++i)
    for (const char* phase : {"*", c.phase.c_str()})
      if (options_.accepted.count({history.key.pipeline, phase, history.runs[i].run_id}))
        return true;
  return false;
}

// Runs in the order they started (imports and uploaded artifacts arrive out of order), the
// order they were recorded breaking ties.
void order_by_start(History& h) {
  std::vector<uint32_t> order(h.runs.size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return h.runs[a].started_at < h.runs[b].started_at;
  });
  std::vector<uint32_t> rank(order.size());
  std::vector<HistoryRun> runs;
  runs.reserve(order.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    rank[order[i]] = i;
    runs.push_back(std::move(h.runs[order[i]]));
  }
  h.runs = std::move(runs);
  for (auto& [name, points] : h.phases) {
    for (auto& p : points)
      p.run = rank[p.run];
    std::sort(points.begin(), points.end(),
              [](const HistoryPoint& a, const HistoryPoint& b) { return a.run < b.run; });
  }
}

namespace {

// One series to search: a figure of a phase of a history, or the history's run total.
struct SeriesJob {
  const History* history;
  const std::string* phase;                // nullptr: the run total
  const std::vector<HistoryPoint>* points; // the phase's
  ChangeMetric metric = ChangeMetric::Wall;
};

// Every history's series in the order the causes are judged in: the total, then each phase's
// figures.
std::vector<SeriesJob> series_jobs(const std::map<HistoryKey, History>& histories) {
  std::vector<SeriesJob> jobs;
  for (const auto& [key, h] : histories) {
    jobs.push_back({&h, nullptr, nullptr, ChangeMetric::Wall});
    for (const auto& [name, points] : h.phases)
      for (ChangeMetric m : kChangeMetrics)
        jobs.push_back({&h, &name, &points, m});
  }
  return jobs;
}

} // namespace

HistoryResult HistoryBuilder::finish() {
  for (auto& [key, h] : histories_)
    order_by_start(h);
  // The series are independent (each permutation test has its own seed), so they are searched
  // on every core; the results come back in job order, as one thread would give them.
  auto jobs = series_jobs(histories_);
  std::vector<std::vector<SeriesChange>> found_in(jobs.size());
  parallel_for(jobs.size(), [&](size_t i) {
    const SeriesJob& j = jobs[i];
    if (!j.phase)
      detect(total_series(j.history->runs), "", ChangeMetric::Wall, options_.detector, found_in[i]);
    else
      detect(series_of(*j.points, j.metric), *j.phase, j.metric, options_.detector, found_in[i]);
  });
  HistoryResult result;
  size_t job = 0;
  for (auto& [key, h] : histories_) {
    result.runs[key] = h.runs.size();
    for (const auto& r : h.runs)
      result.host_classes[key].insert(r.host_class);
    std::vector<SeriesChange> found;
    for (; job < jobs.size() && jobs[job].history == &h; ++job)
      for (auto& c : found_in[job])
        found.push_back(std::move(c));
    CauseJudge judge(h, found, options_.detector.min_segment);
    for (const auto& sc : found) {
      // --phase narrows what is shown; every phase stays evidence for the causes.
      if (!sc.phase.empty() && !options_.phases.empty() && !options_.phases.count(sc.phase))
        continue;
      HistoryChange c;
      c.history = key;
      c.phase = sc.phase;
      c.metric = sc.metric;
      c.point = sc.point;
      const auto& first = h.runs[sc.first_run];
      c.run_id = first.run_id;
      c.started_at = first.started_at;
      c.labels = first.labels;
      c.run_index = sc.first_run;
      std::tie(c.cause, c.why) = judge.cause_of(sc);
      c.accepted = is_accepted(h, sc);
      result.changes.push_back(std::move(c));
    }
  }
  std::stable_sort(result.changes.begin(), result.changes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.history, a.run_index, a.phase, a.metric) <
           std::tie(b.history, b.run_index, b.phase, b.metric);
  });
  return result;
}

} // namespace ciperf
