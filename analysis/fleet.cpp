#include "analysis/fleet.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

namespace ciperf {
namespace {

constexpr double kVitalShare = 0.8;
const double kNaN = std::nan("");

double share(double stall_s, double wall_s) {
  return wall_s > 0 ? stall_s / wall_s : kNaN;
}

// The median of the values that are numbers; NaN when none is.
template <typename T> double median_of_numbers(const std::vector<T>& values) {
  std::vector<double> v;
  v.reserve(values.size());
  for (T x : values)
    if (!std::isnan(x))
      v.push_back(static_cast<double>(x));
  return v.empty() ? kNaN : stats::median(v);
}

StallComparison compare_stalls(const StallShares& host, const StallShares& fleet, double margin) {
  StallComparison c;
  if (!std::isnan(host.own_cpu) && !std::isnan(fleet.own_cpu))
    c = {StallSource::Own, host.own_cpu, fleet.own_cpu, host.own_io, fleet.own_io};
  else if (!std::isnan(host.host_cpu) && !std::isnan(fleet.host_cpu))
    c = {StallSource::Host, host.host_cpu, fleet.host_cpu, host.host_io, fleet.host_io};
  else
    return {StallSource::None, kNaN, kNaN, kNaN, kNaN};
  c.cpu_higher = c.cpu - c.fleet_cpu >= margin;
  c.io_higher = c.io - c.fleet_io >= margin;
  return c;
}

// The fewest runs a side for which the test could reach `alpha` across `tests` hosts.
int runs_for_significance(int tests, double alpha) {
  for (int n = 3; n < 100; ++n)
    if (stats::smallest_attainable_p(n, n) * tests <= alpha)
      return n;
  return 100;
}

// A phase's stall shares into its column (NaN without the figures) and its stall seconds into
// its run's sums, which become the run's shares.
template <typename Sums, typename Column>
void add_stalls(const std::optional<Pressure>& pressure, double wall_s, Sums& run, Column& phase) {
  phase.cpu.push_back(static_cast<float>(pressure ? share(pressure->cpu_some_s, wall_s) : kNaN));
  phase.io.push_back(static_cast<float>(pressure ? share(pressure->io_some_s, wall_s) : kNaN));
  if (!pressure)
    return;
  run.cpu_s += pressure->cpu_some_s;
  run.io_s += pressure->io_some_s;
  run.wall_s += wall_s;
}

} // namespace

const char* const kFleetMethod =
    "each host's runs against the fleet's: the other hosts' runs of the same pipeline and mode "
    "(a host is never part of its own reference); slower or faster when the medians differ by "
    "at least the threshold and the two-sided Mann-Whitney p, Holm-adjusted across the hosts of "
    "the pipeline and mode, is at most 0.05; too few runs below 3 a side, or when no separation "
    "could reach that p; the median's 95% CI from order statistics (6 runs or more); the gap by "
    "phase is each phase's median minus the fleet's (medians, so the rows need not add up to "
    "the run's gap); a stall is higher when its share of the wall is 10 points above the "
    "fleet's";

const char* to_string(FleetVerdict v) {
  switch (v) {
  case FleetVerdict::Slower:
    return "slower than the fleet";
  case FleetVerdict::Faster:
    return "faster than the fleet";
  case FleetVerdict::Like:
    return "like the fleet";
  case FleetVerdict::TooFewRuns:
    return "too few runs";
  }
  return "?";
}

void FleetBuilder::add_run(const RunRecord& run) {
  if (run.status != RunStatus::Passed) {
    ++left_out_;
    return;
  }
  Group& group = groups_[{run.pipeline, run.mode}];
  std::string name = run.host.hostname.empty() ? "(unknown host)" : run.host.hostname;
  HostRuns& host = group.hosts[name];
  std::string klass = ciperf::host_class(run.host);
  if (host.host_class.find(klass) == std::string::npos) // a runner re-provisioned: both classes
    host.host_class += (host.host_class.empty() ? "" : " / ") + klass;
  slots_[run.run_id] = {&group, &host, host.runs.size()};
  RunFigures figures;
  figures.wall_s = run.wall_s;
  host.runs.push_back(figures);
}

void FleetBuilder::add_phase(const PhaseSample& s) {
  if (!s.counts_toward_total())
    return;
  if (s.run_id != last_run_) {
    auto it = slots_.find(s.run_id);
    last_run_ = s.run_id;
    last_slot_ = it == slots_.end() ? nullptr : &it->second;
  }
  if (!last_slot_)
    return;
  const Slot& slot = *last_slot_;
  RunFigures& run = slot.host->runs[slot.run];
  auto [column, inserted] = slot.host->phases.try_emplace(s.name);
  if (inserted && std::find(slot.group->phase_order.begin(), slot.group->phase_order.end(),
                            s.name) == slot.group->phase_order.end())
    slot.group->phase_order.push_back(s.name);
  PhaseColumn& p = column->second;
  p.wall.push_back(static_cast<float>(s.wall_s));
  add_stalls(s.own_pressure, s.wall_s, run.own, p.own);
  add_stalls(s.pressure, s.wall_s, run.host, p.host);
}

namespace {

struct RunSide {
  std::vector<double> walls, own_cpu, own_io, host_cpu, host_io;

  template <typename Runs> void add(const Runs& runs) {
    for (const auto& r : runs) {
      walls.push_back(r.wall_s);
      own_cpu.push_back(share(r.own.cpu_s, r.own.wall_s));
      own_io.push_back(share(r.own.io_s, r.own.wall_s));
      host_cpu.push_back(share(r.host.cpu_s, r.host.wall_s));
      host_io.push_back(share(r.host.io_s, r.host.wall_s));
    }
  }
  StallShares stalls() const {
    return {median_of_numbers(own_cpu), median_of_numbers(own_io), median_of_numbers(host_cpu),
            median_of_numbers(host_io)};
  }
};

template <typename V> void append(V& to, const V& from) {
  to.insert(to.end(), from.begin(), from.end());
}

template <typename Column> void append_column(Column& to, const Column& from) {
  append(to.wall, from.wall);
  for (auto side : {&Column::own, &Column::host}) {
    append((to.*side).cpu, (from.*side).cpu);
    append((to.*side).io, (from.*side).io);
  }
}

template <typename Column> StallShares phase_stalls(const Column& c) {
  return {median_of_numbers(c.own.cpu), median_of_numbers(c.own.io), median_of_numbers(c.host.cpu),
          median_of_numbers(c.host.io)};
}

} // namespace

std::vector<PhaseGap> FleetBuilder::phase_gaps(const Group& group, const std::string& name,
                                               const HostRuns& host, double run_gap) const {
  std::vector<PhaseGap> gaps;
  for (const auto& phase : group.phase_order) {
    auto own = host.phases.find(phase);
    if (own == host.phases.end())
      continue;
    PhaseColumn fleet;
    for (const auto& [other, runs] : group.hosts)
      if (auto it = runs.phases.find(phase); other != name && it != runs.phases.end())
        append_column(fleet, it->second);
    if (fleet.wall.empty())
      continue;
    PhaseGap g;
    g.phase = phase;
    g.runs = static_cast<int>(own->second.wall.size());
    g.fleet_runs = static_cast<int>(fleet.wall.size());
    g.median_s = median_of_numbers(own->second.wall);
    g.fleet_median_s = median_of_numbers(fleet.wall);
    g.difference_s = g.median_s - g.fleet_median_s;
    g.share_of_gap = run_gap > 0 ? g.difference_s / run_gap : kNaN;
    g.stalls =
        compare_stalls(phase_stalls(own->second), phase_stalls(fleet), options_.stall_margin);
    gaps.push_back(std::move(g));
  }
  std::stable_sort(gaps.begin(), gaps.end(), [](const PhaseGap& a, const PhaseGap& b) {
    return a.difference_s > b.difference_s;
  });
  double cumulative = 0;
  for (auto& g : gaps) {
    if (run_gap <= 0 || g.difference_s <= 0 || cumulative >= kVitalShare)
      break;
    g.vital = true;
    cumulative += g.share_of_gap;
  }
  return gaps;
}

HostRow FleetBuilder::compare_host(const Group& group, const std::string& name,
                                   const HostRuns& host) const {
  RunSide own, fleet;
  own.add(host.runs);
  for (const auto& [other, runs] : group.hosts)
    if (other != name)
      fleet.add(runs.runs);
  HostRow row;
  row.hostname = name;
  row.host_class = host.host_class;
  row.runs = static_cast<int>(own.walls.size());
  row.median_s = stats::median(own.walls);
  row.ci = stats::median_ci(own.walls);
  row.fleet_hosts = static_cast<int>(group.hosts.size()) - 1;
  row.fleet_runs = static_cast<int>(fleet.walls.size());
  row.fleet_median_s = fleet.walls.empty() ? kNaN : stats::median(fleet.walls);
  row.ratio = fleet.walls.empty() ? kNaN : row.median_s / row.fleet_median_s;
  row.p = stats::mann_whitney(own.walls, fleet.walls).p;
  row.stalls = compare_stalls(own.stalls(), fleet.stalls(), options_.stall_margin);
  if (!fleet.walls.empty())
    row.gaps = phase_gaps(group, name, host, row.median_s - row.fleet_median_s);
  return row;
}

FleetGroup FleetBuilder::summarize(const std::pair<std::string, RunMode>& key,
                                   const Group& group) const {
  FleetGroup out{key.first, key.second, 0, 0, {}};
  std::vector<double> walls;
  for (const auto& [name, host] : group.hosts) {
    for (const auto& r : host.runs)
      walls.push_back(r.wall_s);
    out.hosts.push_back(compare_host(group, name, host));
  }
  out.runs = static_cast<int>(walls.size());
  out.median_s = stats::median(walls);
  // Holm across the hosts that have enough runs on both sides: each is one test.
  std::vector<HostRow*> tested;
  std::vector<double> p;
  for (auto& h : out.hosts)
    if (h.runs >= options_.min_runs && h.fleet_runs >= options_.min_runs) {
      tested.push_back(&h);
      p.push_back(h.p);
    }
  auto adjusted = stats::holm(p);
  int m = static_cast<int>(tested.size());
  for (size_t i = 0; i < tested.size(); ++i) {
    HostRow& h = *tested[i];
    h.p = adjusted[i];
    double best = stats::smallest_attainable_p(h.runs, h.fleet_runs);
    if (best * m > options_.alpha) {
      h.why = fmt::format("{} runs against the fleet's {}: even no overlap gives p {:.3g}, × {} "
                          "host{} > {:g}; {} a side would do",
                          h.runs, h.fleet_runs, best, m, m == 1 ? "" : "s", options_.alpha,
                          runs_for_significance(m, options_.alpha));
      continue;
    }
    double change = h.ratio - 1;
    bool significant = h.p <= options_.alpha;
    h.verdict = significant && change >= options_.threshold    ? FleetVerdict::Slower
                : significant && change <= -options_.threshold ? FleetVerdict::Faster
                                                               : FleetVerdict::Like;
  }
  for (auto& h : out.hosts)
    if (h.verdict == FleetVerdict::TooFewRuns && h.why.empty()) {
      h.p = kNaN; // not tested
      h.why = h.fleet_runs == 0 ? std::string("no other host ran this pipeline in this mode")
                                : fmt::format("{} runs against the fleet's {}; {} a side at least",
                                              h.runs, h.fleet_runs, options_.min_runs);
    }
  return out;
}

FleetResult FleetBuilder::finish() {
  FleetResult result;
  result.options = options_;
  result.left_out = left_out_;
  std::set<std::string> names;
  for (const auto& [key, group] : groups_) {
    for (const auto& [name, host] : group.hosts) {
      names.insert(name);
      result.runs += static_cast<int>(host.runs.size());
    }
    result.groups.push_back(summarize(key, group));
  }
  result.hostnames.assign(names.begin(), names.end());
  return result;
}

} // namespace ciperf
