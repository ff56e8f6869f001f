#include "analysis/attribution.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

namespace ciperf {
namespace {

constexpr double kVitalShare = 0.8;

bool counts(const PhaseSample& s) {
  return !s.background && s.status != "skipped";
}

const std::string& key_of(const PhaseSample& s, AttributeBy by) {
  return by == AttributeBy::Kind ? s.kind : by == AttributeBy::Tier ? s.tier : s.phase;
}

// Per run, the seconds of each item; an item missing from a run is 0 there.
std::map<std::string, std::vector<double>> per_run_totals(const std::vector<PhaseSample>& samples,
                                                          AttributeBy by, int& runs) {
  std::map<std::string, std::map<std::string, double>> by_run; // run → item → seconds
  std::set<std::string> items;
  for (const auto& s : samples) {
    by_run[s.run_id]; // every selected run counts, even one with nothing but skips
    if (!counts(s))
      continue;
    std::string item = key_of(s, by).empty() ? "(none)" : key_of(s, by);
    by_run[s.run_id][item] += s.wall_s;
    items.insert(item);
  }
  runs = static_cast<int>(by_run.size());
  std::map<std::string, std::vector<double>> out;
  for (const auto& item : items)
    for (const auto& [run, totals] : by_run) {
      auto it = totals.find(item);
      out[item].push_back(it == totals.end() ? 0.0 : it->second);
    }
  return out;
}

double median_total(const std::vector<PhaseSample>& samples, const std::string& mode, int& runs) {
  std::map<std::string, double> totals;
  for (const auto& s : samples)
    if (s.mode == mode) {
      totals[s.run_id] += counts(s) ? s.wall_s : 0.0;
    }
  runs = static_cast<int>(totals.size());
  std::vector<double> v;
  for (const auto& [run, total] : totals)
    v.push_back(total);
  return v.empty() ? 0.0 : stats::median(v);
}

double median_of(const std::vector<PhaseSample>& samples, const std::string& phase,
                 const std::string& mode) {
  std::vector<double> v;
  for (const auto& s : samples)
    if (s.phase == phase && s.mode == mode && counts(s))
      v.push_back(s.wall_s);
  return v.empty() ? 0.0 : stats::median(v);
}

std::string percent(double share) {
  return fmt::format("{:.0f}%", 100 * share);
}

} // namespace

Pareto pareto(const std::vector<PhaseSample>& samples, AttributeBy by) {
  Pareto p;
  for (const auto& [item, totals] : per_run_totals(samples, by, p.runs))
    p.rows.push_back({item, stats::median(totals), 0, 0, false});
  std::sort(p.rows.begin(), p.rows.end(),
            [](const ParetoRow& a, const ParetoRow& b) { return a.median_s > b.median_s; });
  for (const auto& r : p.rows)
    p.total_s += r.median_s;
  double cumulative = 0;
  bool reached = false;
  for (auto& r : p.rows) {
    r.share = p.total_s > 0 ? r.median_s / p.total_s : 0;
    cumulative += r.share;
    r.cumulative = cumulative;
    r.vital = !reached && p.total_s > 0;
    reached = reached || cumulative >= kVitalShare;
  }
  return p;
}

ColdWarmGap cold_vs_warm(const std::vector<PhaseSample>& samples) {
  ColdWarmGap g;
  g.cold_total = median_total(samples, "cold", g.cold_runs);
  g.warm_total = median_total(samples, "warm", g.warm_runs);
  g.gap = g.cold_total - g.warm_total;
  std::set<std::string> seen;
  for (const auto& s : samples) {
    if (!counts(s) || !seen.insert(s.phase).second)
      continue;
    GapRow r{s.phase, median_of(samples, s.phase, "cold"), median_of(samples, s.phase, "warm"), 0,
             0};
    r.difference = r.cold_median - r.warm_median;
    r.share_of_gap = g.gap > 0 ? r.difference / g.gap : std::nan("");
    g.rows.push_back(r);
  }
  std::sort(g.rows.begin(), g.rows.end(),
            [](const GapRow& a, const GapRow& b) { return a.difference > b.difference; });
  return g;
}

std::vector<ResourceRow> classify_resources(const std::vector<PhaseSample>& samples) {
  std::map<std::string, std::vector<const PhaseSample*>> by_phase;
  std::vector<std::string> order;
  for (const auto& s : samples)
    if (counts(s) && s.wall_s > 0) {
      if (by_phase[s.phase].empty())
        order.push_back(s.phase);
      by_phase[s.phase].push_back(&s);
    }
  std::vector<ResourceRow> rows;
  for (const auto& phase : order) {
    std::vector<double> wall, cores, cpu, io, mem, rate;
    bool psi = true;
    for (const auto* s : by_phase[phase]) {
      wall.push_back(s->wall_s);
      cores.push_back((s->user_s + s->sys_s) / s->wall_s);
      rate.push_back(static_cast<double>(s->read_bytes + s->write_bytes) / s->wall_s / (1 << 20));
      psi = psi && s->pressure.has_value();
      if (s->pressure) {
        cpu.push_back(s->pressure->cpu_some_s / s->wall_s);
        io.push_back(s->pressure->io_some_s / s->wall_s);
        mem.push_back(s->pressure->memory_some_s / s->wall_s);
      }
    }
    ResourceRow r;
    r.phase = phase;
    r.wall_median = stats::median(wall);
    r.cores = stats::median(cores);
    r.io_mib_per_s = stats::median(rate);
    r.cpu_stall = psi ? stats::median(cpu) : std::nan("");
    r.io_stall = psi ? stats::median(io) : std::nan("");
    r.memory_stall = psi ? stats::median(mem) : std::nan("");
    // The first rule that holds decides; its figures are the reason given.
    if (psi && r.memory_stall >= 0.10) {
      r.bound = "memory-bound";
      r.because = "memory stall " + percent(r.memory_stall) + " of its time";
    } else if (r.cores >= 0.5) {
      r.bound = "CPU-bound";
      r.because = fmt::format("uses {:.2f} cores", r.cores);
      if (psi && r.cpu_stall >= 0.2)
        r.because += ", CPU stall " + percent(r.cpu_stall) + " (too few cores)";
    } else if ((psi && r.io_stall >= 0.2) || r.io_mib_per_s >= 20) {
      r.bound = "I/O-bound";
      r.because =
          psi ? fmt::format("I/O stall {}, {:.1f} MiB/s", percent(r.io_stall), r.io_mib_per_s)
              : fmt::format("{:.1f} MiB/s", r.io_mib_per_s);
    } else {
      r.bound = "waiting";
      r.because = fmt::format("uses {:.2f} cores", r.cores);
      if (psi && r.cpu_stall >= 0.3)
        r.because += ", but the host's CPU is stalled " + percent(r.cpu_stall);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

} // namespace ciperf
