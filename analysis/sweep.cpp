#include "analysis/sweep.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace ciperf {
namespace {

using PhaseKey = std::pair<size_t, std::string>;

// The first level's median wall per pipeline, and per pipeline and phase: the references.
struct References {
  std::map<size_t, double> run;
  std::map<PhaseKey, double> phase;
};

References references_of(const SweepLevelInput& first) {
  std::map<size_t, std::vector<double>> runs;
  std::map<PhaseKey, std::vector<double>> phases;
  for (const auto& r : first.runs) {
    if (!r.passed)
      continue; // a failed run's wall is not what the pipeline takes
    runs[r.pipeline].push_back(r.wall_s);
    for (const auto& [name, wall] : r.phase_walls)
      phases[{r.pipeline, name}].push_back(wall);
  }
  References out;
  for (const auto& [p, walls] : runs)
    out.run[p] = stats::median(walls);
  for (const auto& [key, walls] : phases)
    out.phase[key] = stats::median(walls);
  return out;
}

std::vector<PhaseSlowdown> phase_slowdowns(const SweepLevelInput& in, const References& refs) {
  std::map<PhaseKey, std::vector<double>> walls;
  for (const auto& r : in.runs)
    if (r.passed)
      for (const auto& [name, wall] : r.phase_walls)
        walls[{r.pipeline, name}].push_back(wall);
  std::vector<PhaseSlowdown> out;
  for (const auto& [key, w] : walls) {
    auto ref = refs.phase.find(key);
    if (ref != refs.phase.end() && ref->second > 0)
      out.push_back({key.first, key.second, stats::median(w) / ref->second});
  }
  return out;
}

SweepLevel summarize_level(const SweepLevelInput& in, const References& refs) {
  SweepLevel out;
  out.level = in.level;
  out.runs = static_cast<int>(in.runs.size());
  out.elapsed_s = in.elapsed_s;
  out.min_mem_available_bytes = in.min_mem_available_bytes;
  out.cpu_pressure = in.cpu_pressure;
  out.io_pressure = in.io_pressure;
  out.memory_pressure = in.memory_pressure;
  std::vector<double> walls, ratios;
  int passed = 0;
  for (const auto& r : in.runs) {
    if (!r.passed) {
      ++out.failures;
      continue;
    }
    ++passed;
    walls.push_back(r.wall_s);
    if (auto ref = refs.run.find(r.pipeline); ref != refs.run.end() && ref->second > 0)
      ratios.push_back(r.wall_s / ref->second);
    if (r.peak_memory_bytes)
      out.peak_memory_bytes = std::max(out.peak_memory_bytes.value_or(0), *r.peak_memory_bytes);
  }
  if (in.elapsed_s > 0)
    out.throughput_per_h = passed * 3600.0 / in.elapsed_s;
  if (!walls.empty()) {
    out.median_wall_s = stats::median(walls);
    out.p95_wall_s = stats::percentile(walls, 0.95);
  }
  if (!ratios.empty()) {
    out.slowdown = stats::median(ratios);
    out.p95_slowdown = stats::percentile(ratios, 0.95);
  }
  out.phases = phase_slowdowns(in, refs);
  out.samples = in.runs;
  return out;
}

std::string mib(int64_t bytes) {
  return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

using Broken = std::vector<std::pair<KneeRule, std::string>>;

// Every rule level `i` breaks, the most severe first, each with its figures.
Broken broken_rules(const std::vector<SweepLevel>& levels, size_t i, const KneeRules& rules) {
  const SweepLevel& l = levels[i];
  Broken out;
  if (l.failures > 0)
    out.emplace_back(KneeRule::Failure, fmt::format("{} of {} runs failed at concurrency {}",
                                                    l.failures, l.runs, l.level));
  if (l.min_mem_available_bytes && *l.min_mem_available_bytes < rules.memory_floor_bytes)
    out.emplace_back(KneeRule::Memory,
                     fmt::format("MemAvailable fell to {} at concurrency {}, under the floor of {}",
                                 mib(*l.min_mem_available_bytes), l.level,
                                 mib(rules.memory_floor_bytes)));
  if (l.p95_slowdown && *l.p95_slowdown > rules.p95_limit)
    out.emplace_back(KneeRule::P95,
                     fmt::format("p95 run time at concurrency {} is {:.2f}x the first level's, "
                                 "over the limit of {:.2f}x",
                                 l.level, *l.p95_slowdown, rules.p95_limit));
  if (i == 0)
    return out;
  // Every lower level passed, so each beat the one before it: the previous level is the best.
  const SweepLevel* best = &levels[i - 1];
  if (l.throughput_per_h <= best->throughput_per_h * (1 + rules.margin))
    out.emplace_back(KneeRule::Throughput,
                     fmt::format("throughput at concurrency {} is {:.0f}/h, not more than {:.0f}% "
                                 "over the {:.0f}/h of concurrency {}",
                                 l.level, l.throughput_per_h, 100 * rules.margin,
                                 best->throughput_per_h, best->level));
  return out;
}

} // namespace

std::string_view knee_rule_name(KneeRule rule) {
  switch (rule) {
  case KneeRule::Failure:
    return "failure";
  case KneeRule::Memory:
    return "memory";
  case KneeRule::P95:
    return "p95";
  case KneeRule::Throughput:
    return "throughput";
  case KneeRule::None:
    break;
  }
  return "none";
}

std::vector<SweepLevel> summarize_sweep(const std::vector<SweepLevelInput>& levels) {
  std::vector<SweepLevel> out;
  if (levels.empty())
    return out;
  References refs = references_of(levels.front());
  for (const auto& l : levels)
    out.push_back(summarize_level(l, refs));
  return out;
}

Knee find_knee(const std::vector<SweepLevel>& levels, const KneeRules& rules) {
  Knee knee;
  for (size_t i = 0; i < levels.size(); ++i) {
    Broken broken = broken_rules(levels, i, rules);
    if (broken.empty()) {
      knee.recommended = levels[i].level;
      continue;
    }
    knee.level = levels[i].level;
    knee.rule = broken.front().first;
    knee.reason = broken.front().second;
    for (size_t b = 1; b < broken.size(); ++b)
      knee.reason += "; " + broken[b].second;
    return knee;
  }
  if (!levels.empty())
    knee.reason = fmt::format("every level up to {} kept improving", levels.back().level);
  return knee;
}

std::vector<PipelineDemand> pipeline_demands(const SweepLevelInput& first, size_t pipelines,
                                             std::optional<int64_t> headroom_bytes,
                                             int recommended) {
  std::vector<PipelineDemand> out(pipelines);
  std::vector<std::vector<double>> cpu(pipelines), io(pipelines), memory(pipelines);
  for (const auto& r : first.runs) {
    if (!r.passed || r.wall_s <= 0 || r.pipeline >= pipelines)
      continue;
    ++out[r.pipeline].runs;
    cpu[r.pipeline].push_back(r.cpu_s / r.wall_s);
    io[r.pipeline].push_back(std::min(1.0, r.io_stall_s / r.wall_s));
    if (r.peak_memory_bytes)
      memory[r.pipeline].push_back(static_cast<double>(*r.peak_memory_bytes));
  }
  // One slot's memory: the headroom at the start shared by the recommended concurrency.
  double per_slot = headroom_bytes && *headroom_bytes > 0
                        ? static_cast<double>(*headroom_bytes) / std::max(1, recommended)
                        : 0;
  for (size_t p = 0; p < pipelines; ++p) {
    PipelineDemand& d = out[p];
    d.pipeline = p;
    if (d.runs == 0)
      continue;
    d.cpu = stats::median(cpu[p]);
    d.io = stats::median(io[p]);
    if (!memory[p].empty() && per_slot > 0)
      d.memory = stats::median(memory[p]) / per_slot;
    d.weight = std::max({d.cpu, d.io, d.memory.value_or(0)});
  }
  return out;
}

} // namespace ciperf
