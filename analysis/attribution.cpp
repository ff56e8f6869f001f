#include "analysis/attribution.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ciperf {
namespace {

constexpr double kVitalShare = 0.8;

bool counts(const PhaseSample& s) {
  return s.counts_toward_total();
}

std::string key_of(const PhaseSample& s, AttributeBy by) {
  return by == AttributeBy::Kind   ? std::string(to_string(s.kind))
         : by == AttributeBy::Tier ? s.tier
                                   : s.name;
}

double median_or_zero(const std::vector<double>& v) {
  return v.empty() ? 0.0 : stats::median(v);
}

double mean_or_zero(const std::vector<double>& v) {
  return v.empty() ? 0.0 : stats::mean(v);
}

std::string percent(double share) {
  return fmt::format("{:.0f}%", 100 * share);
}

// The builders want each run's phases together, as the store streams them; a vector put
// together by hand may interleave runs.
template <typename Builder, typename... Args>
auto build(const std::vector<PhaseSample>& samples, Args... args) {
  std::vector<const PhaseSample*> grouped;
  for (const auto& s : samples)
    grouped.push_back(&s);
  std::stable_sort(grouped.begin(), grouped.end(), [](const PhaseSample* a, const PhaseSample* b) {
    return a->run_id < b->run_id;
  });
  Builder b(args...);
  for (const auto* s : grouped)
    b.add(*s);
  return b.finish();
}

} // namespace

const char* const kParetoMethod =
    "each row is the item's mean seconds per run (a run without it counts 0), so the rows add "
    "up to the mean run; 95% CI: bootstrap over runs, seed 42 (normal approximation past 400 "
    "runs)";
const char* const kGapMethod =
    "the gap is the difference of the mean cold and warm runs, split by phase (a run without a "
    "phase counts 0), so the rows add up to it; 95% CI: bootstrap over runs, cold and warm "
    "resampled apart, seed 42 (normal approximation past 400 runs); a CI that holds 0 is no cold "
    "cost";

void ParetoBuilder::add(const PhaseSample& s) {
  if (s.run_id != run_) {
    run_ = s.run_id; // every selected run counts, even one with nothing but skips
    table_.start_run();
  }
  if (!counts(s))
    return;
  const std::string& key = key_of(s, by_);
  table_.add(key.empty() ? "(none)" : key, s.wall_s);
}

Pareto ParetoBuilder::finish() {
  Pareto p;
  p.runs = static_cast<int>(table_.runs());
  Columns columns;
  for (const auto& item : table_.items())
    columns.push_back(table_.column(item));
  columns.push_back(table_.totals());
  auto cis = mean_cis(columns, {});
  p.total_ci = cis.back();
  p.median_run_s = median_or_zero(table_.totals());
  for (size_t i = 0; i + 1 < columns.size(); ++i)
    p.rows.push_back({table_.items()[i], stats::mean(columns[i]), stats::median(columns[i]), cis[i],
                      0, 0, false});
  std::stable_sort(p.rows.begin(), p.rows.end(),
                   [](const ParetoRow& a, const ParetoRow& b) { return a.mean_s > b.mean_s; });
  for (const auto& r : p.rows)
    p.total_s += r.mean_s;
  double cumulative = 0;
  bool reached = false;
  for (auto& r : p.rows) {
    r.share = p.total_s > 0 ? r.mean_s / p.total_s : 0;
    cumulative += r.share;
    r.cumulative = cumulative;
    r.vital = !reached && p.total_s > 0;
    reached = reached || cumulative >= kVitalShare;
  }
  return p;
}

Pareto pareto(const std::vector<PhaseSample>& samples, AttributeBy by) {
  return build<ParetoBuilder>(samples, by);
}

void ColdWarmBuilder::add(const PhaseSample& s) {
  if (s.run_id != run_) {
    run_ = s.run_id;
    run_mode_ = s.mode;
    if (run_mode_ == RunMode::Cold || run_mode_ == RunMode::Warm)
      (run_mode_ == RunMode::Cold ? cold_ : warm_).start_run();
  }
  if (!counts(s) || (run_mode_ != RunMode::Cold && run_mode_ != RunMode::Warm))
    return;
  (run_mode_ == RunMode::Cold ? cold_ : warm_).add(s.name, s.wall_s);
}

namespace {

// The phases of either mode, cold's order first, then the ones only warm runs had.
std::vector<std::string> phases_of(const RunTable& cold, const RunTable& warm) {
  std::vector<std::string> phases = cold.items();
  for (const auto& phase : warm.items())
    if (std::find(phases.begin(), phases.end(), phase) == phases.end())
      phases.push_back(phase);
  return phases;
}

} // namespace

ColdWarmGap ColdWarmBuilder::finish() {
  ColdWarmGap g;
  g.cold_runs = static_cast<int>(cold_.runs());
  g.warm_runs = static_cast<int>(warm_.runs());
  g.cold_total = median_or_zero(cold_.totals());
  g.warm_total = median_or_zero(warm_.totals());
  Columns cold, warm;
  for (const auto& phase : phases_of(cold_, warm_)) {
    cold.push_back(cold_.column(phase));
    warm.push_back(warm_.column(phase));
  }
  cold.push_back(cold_.totals());
  warm.push_back(warm_.totals());
  auto cis = mean_cis(cold, warm);
  g.gap_ci = cis.back();
  auto phases = phases_of(cold_, warm_);
  for (size_t i = 0; i < phases.size(); ++i) {
    GapRow r;
    r.phase = phases[i];
    r.cold_mean = mean_or_zero(cold[i]);
    r.warm_mean = mean_or_zero(warm[i]);
    r.cold_median = median_or_zero(cold[i]);
    r.warm_median = median_or_zero(warm[i]);
    r.difference = r.cold_mean - r.warm_mean;
    r.ci = cis[i];
    r.within_noise = holds_zero(r.ci);
    g.cold_mean += r.cold_mean;
    g.warm_mean += r.warm_mean;
    g.gap += r.difference;
    g.rows.push_back(r);
  }
  for (auto& r : g.rows)
    r.share_of_gap = g.gap > 0 ? r.difference / g.gap : std::nan("");
  std::stable_sort(g.rows.begin(), g.rows.end(),
                   [](const GapRow& a, const GapRow& b) { return a.difference > b.difference; });
  return g;
}

ColdWarmGap cold_vs_warm(const std::vector<PhaseSample>& samples) {
  return build<ColdWarmBuilder>(samples);
}

void ResourceBuilder::add(const PhaseSample& s) {
  if (!counts(s) || s.wall_s <= 0)
    return;
  auto [it, inserted] = phases_.try_emplace(s.name);
  if (inserted)
    order_.push_back(s.name);
  Figures& f = it->second;
  f.wall.push_back(s.wall_s);
  f.cores.push_back(s.cpu_s() / s.wall_s);
  int64_t bytes = s.tree_read_bytes && s.tree_write_bytes ? *s.tree_read_bytes + *s.tree_write_bytes
                                                          : s.read_bytes + s.write_bytes;
  f.rate.push_back(static_cast<double>(bytes) / s.wall_s / (1 << 20));
  f.psi = f.psi && s.pressure.has_value();
  f.own = f.own && s.own_pressure.has_value();
  if (s.pressure) {
    f.host_cpu.push_back(s.pressure->cpu_some_s / s.wall_s);
    f.host_io.push_back(s.pressure->io_some_s / s.wall_s);
    f.host_memory.push_back(s.pressure->memory_some_s / s.wall_s);
  }
  if (s.own_pressure) {
    f.own_cpu.push_back(s.own_pressure->cpu_some_s / s.wall_s);
    f.own_io.push_back(s.own_pressure->io_some_s / s.wall_s);
    f.own_memory.push_back(s.own_pressure->memory_some_s / s.wall_s);
  }
  for (const auto& c : s.services)
    f.services[c.name].push_back((c.user_s + c.sys_s) / s.wall_s);
}

namespace {

double services_cores(const ResourceRow& r) {
  double total = 0;
  for (const auto& s : r.services)
    total += s.cores;
  return total;
}

// The first rule that holds decides; its figures are the reason given. With the phase's own
// stalls (a cgroup per phase) a stall is the phase's; with host-wide ones only, it may be a
// co-tenant's, and the reason says so.
void decide(ResourceRow& r, bool psi) {
  bool own = psi && r.own_stalls;
  std::string whose = own ? "" : "host ";
  std::string rate = fmt::format("{:.1f} MiB/s", r.io_mib_per_s);
  if (psi && r.memory_stall >= 0.10) {
    r.bound = "memory-bound";
    r.because = whose + "memory stall " + percent(r.memory_stall) + " of its time";
  } else if (own && r.io_stall >= 0.2) {
    // Before the CPU rule: an fsync loop spends half a core in the kernel and still waits on
    // the disk most of its time.
    r.bound = "I/O-bound";
    r.because =
        fmt::format("I/O stall {}, {}, uses {:.2f} cores", percent(r.io_stall), rate, r.cores);
  } else if (r.cores >= 0.5 || (own && r.cpu_stall >= 0.3)) {
    r.bound = "CPU-bound";
    r.because = fmt::format("uses {:.2f} cores", r.cores);
    if (psi && r.cpu_stall >= 0.2)
      r.because += fmt::format(", {}CPU stall {} ({})", whose, percent(r.cpu_stall),
                               own ? "it waited for a core: too few, or a co-tenant's"
                                   : "too few cores, or a co-tenant");
  } else if (!own && ((psi && r.io_stall >= 0.2) || r.io_mib_per_s >= 20)) {
    r.bound = "I/O-bound";
    r.because = psi ? fmt::format("host I/O stall {}, {}", percent(r.io_stall), rate) : rate;
  } else if (double busy = services_cores(r); busy >= 0.5) {
    // A client that waits while the services it drives work (pgbench and its postmaster).
    r.bound = "waiting on services";
    r.because = fmt::format("uses {:.2f} cores while its services use {:.2f} ({} {:.2f})", r.cores,
                            busy, r.services.front().service, r.services.front().cores);
  } else {
    r.bound = "waiting";
    r.because = fmt::format("uses {:.2f} cores", r.cores);
    if (own && r.io_mib_per_s >= 20)
      r.because += ", " + rate + " without I/O stall (the page cache absorbed it)";
    if (psi && !own && r.cpu_stall >= 0.3)
      r.because += ", but the host's CPU is stalled " + percent(r.cpu_stall);
  }
  if (psi && own && r.host_cpu_stall >= 0.3 && r.cpu_stall < 0.1)
    r.because += ", host CPU stall " + percent(r.host_cpu_stall) + " was others'";
  if (!own)
    r.because += psi ? " (host-wide figures only)" : " (no PSI)";
}

} // namespace

std::vector<ResourceRow> ResourceBuilder::finish() {
  std::vector<ResourceRow> rows;
  for (const auto& phase : order_) {
    const Figures& f = phases_[phase];
    ResourceRow r;
    r.phase = phase;
    r.wall_median = stats::median(f.wall);
    r.cores = stats::median(f.cores);
    r.io_mib_per_s = stats::median(f.rate);
    r.own_stalls = f.own && !f.own_cpu.empty();
    bool psi = r.own_stalls || (f.psi && !f.host_cpu.empty());
    auto stall = [&](const std::vector<double>& own, const std::vector<double>& host) {
      return !psi ? std::nan("") : stats::median(r.own_stalls ? own : host);
    };
    r.cpu_stall = stall(f.own_cpu, f.host_cpu);
    r.io_stall = stall(f.own_io, f.host_io);
    r.memory_stall = stall(f.own_memory, f.host_memory);
    r.host_cpu_stall = f.host_cpu.empty() ? std::nan("") : stats::median(f.host_cpu);
    for (const auto& [service, cores] : f.services)
      r.services.push_back({service, stats::median(cores)});
    std::stable_sort(r.services.begin(), r.services.end(),
                     [](const ServiceLoad& a, const ServiceLoad& b) { return a.cores > b.cores; });
    decide(r, psi);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<ResourceRow> classify_resources(const std::vector<PhaseSample>& samples) {
  return build<ResourceBuilder>(samples);
}

} // namespace ciperf
