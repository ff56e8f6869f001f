// `ciperf compare`: candidate runs against a baseline, phase by phase.
#include "analysis/baseline.hpp"
#include "analysis/comparison.hpp"
#include "common/errors.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"
#include "runner/commands.hpp"
#include "runner/run_selection.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace ciperf {
namespace {

using nlohmann::json;

// The candidate runs: one run, the newest, or those since a time or run.
RunFilter candidate_filter(Store& store, const CompareCommand& c) {
  if (!c.run.empty()) {
    auto run = store.load_run(c.run); // a full id or a unique prefix
    if (!run)
      throw UsageError("no run '" + c.run + "' in " + store.path());
    RunFilter one;
    one.run_id = run->run_id;
    return one;
  }
  RunFilter f = to_filter(c.selection);
  if (c.last)
    f.limit = 1;
  else if (!f.since)
    throw UsageError("compare needs RUN, --last or --since TIME|RUN to choose the candidate runs");
  return f;
}

struct Group { // the candidate runs of one pipeline in one mode
  std::string pipeline, mode;
  std::set<std::string> runs;
  std::vector<PhaseSamples> phases;

  PhaseSamples& phase(const std::string& name) {
    auto it = std::find_if(phases.begin(), phases.end(),
                           [&](const PhaseSamples& p) { return p.phase == name; });
    return it != phases.end() ? *it : phases.emplace_back(PhaseSamples{name, {}, {}});
  }
};

// Streams the candidates' phases into groups: only their wall times are kept.
std::map<std::pair<std::string, std::string>, Group> collect_candidates(Store& store,
                                                                        const RunFilter& filter) {
  std::map<std::pair<std::string, std::string>, Group> groups;
  store.for_each_phase_sample(filter, [&](const PhaseSample& s) {
    Group& g = groups[{s.pipeline, s.mode}];
    g.pipeline = s.pipeline;
    g.mode = s.mode;
    g.runs.insert(s.run_id);
    if (!s.background && s.status != "skipped")
      g.phase(s.phase).candidate.push_back(s.wall_s);
  });
  return groups;
}

// Normal runs clear no caches, so the warm side of the baseline is their like.
std::string baseline_mode(const std::string& mode) {
  return mode == "normal" ? "warm" : mode;
}

void attach_baseline(Group& g, const Baseline& base) {
  bool found = false;
  for (const auto& b : base.phases)
    if (b.pipeline == g.pipeline && b.mode == baseline_mode(g.mode)) {
      found = true;
      g.phase(b.phase).base = b.samples; // a phase only in the baseline gets no candidates
    }
  if (!found)
    throw UsageError(fmt::format("baseline '{}' has no {} runs of pipeline '{}'", base.name,
                                 baseline_mode(g.mode), g.pipeline));
}

std::string verdict_text(const PhaseComparison& c) {
  if (c.n_base == 0)
    return "new phase (not in the baseline)";
  if (c.n_candidate == 0)
    return "missing from the candidate runs";
  return verdict_name(c.verdict);
}

std::string ci_text(const PhaseComparison& c) {
  return c.change_ci
             ? fmt::format("[{:+.1f}%, {:+.1f}%]", 100 * c.change_ci->low, 100 * c.change_ci->high)
             : "-";
}

json comparison_json(const Group& g, const std::vector<PhaseComparison>& rows) {
  json phases = json::array();
  for (const auto& c : rows)
    phases.push_back(
        {{"phase", c.phase},
         {"verdict", verdict_text(c)},
         {"n_base", c.n_base},
         {"n_candidate", c.n_candidate},
         {"base_median_s", std::isnan(c.base_median) ? json(nullptr) : json(c.base_median)},
         {"candidate_median_s",
          std::isnan(c.candidate_median) ? json(nullptr) : json(c.candidate_median)},
         {"change", c.change},
         {"change_ci", c.change_ci ? json{c.change_ci->low, c.change_ci->high} : json(nullptr)},
         {"p", c.p},
         {"p_adjusted", c.p_adjusted},
         {"min_detectable_change",
          std::isnan(c.min_detectable_change) ? json(nullptr) : json(c.min_detectable_change)},
         {"runs_needed", c.runs_needed}});
  return {{"pipeline", g.pipeline},
          {"mode", g.mode},
          {"candidate_runs", g.runs.size()},
          {"phases", phases}};
}

void print_group(const Group& g, const std::vector<PhaseComparison>& rows, const Baseline& base,
                 double threshold) {
  std::cout << fmt::format("{} ({}): {} candidate run{} against the {} runs of baseline '{}' "
                           "({} per mode)\n\n",
                           g.pipeline, g.mode, g.runs.size(), g.runs.size() == 1 ? "" : "s",
                           baseline_mode(g.mode), base.name, base.runs_per_mode);
  TextTable t;
  t.header = {"phase",   "baseline",   "candidate",
              "change",  "95% CI",     "p (Holm)",
              "verdict", "detectable", "runs for " + fmt::format("{:g}%", 100 * threshold)};
  t.right_aligned = {false, true, true, true, true, true, false, true, true};
  for (const auto& c : rows)
    t.rows.push_back({c.phase, c.n_base ? human_seconds(c.base_median) : "-",
                      c.n_candidate ? human_seconds(c.candidate_median) : "-",
                      c.n_base && c.n_candidate ? fmt::format("{:+.1f}%", 100 * c.change) : "-",
                      ci_text(c), fmt::format("{:.3g}", c.p_adjusted), verdict_text(c),
                      std::isnan(c.min_detectable_change)
                          ? "-"
                          : fmt::format("{:.1f}%", 100 * c.min_detectable_change),
                      c.runs_needed > 0 ? std::to_string(c.runs_needed) : "-"});
  std::cout << t.render() << "\n";
}

} // namespace

int command_compare(const CompareCommand& c) {
  Store store = open_existing_store(c.store);
  auto groups = collect_candidates(store, candidate_filter(store, c));
  if (groups.empty())
    throw UsageError("no stored runs match the candidate selection");
  std::string name = c.baseline;
  if (name.empty()) {
    const std::string& pipeline = groups.begin()->second.pipeline;
    auto newest = store.newest_baseline_for(pipeline);
    if (!newest)
      throw UsageError("no baseline has pipeline '" + pipeline +
                       "': make one with ciperf baseline, or pass --baseline");
    name = *newest;
  }
  auto base = store.load_baseline(name);
  if (!base)
    throw UsageError("no baseline named '" + name + "' in " + store.path());
  CompareOptions options;
  options.threshold = c.threshold / 100;
  bool regressed = false;
  json out = json::array();
  for (auto& [key, g] : groups) {
    attach_baseline(g, *base);
    auto rows = compare_phases(g.phases, options);
    regressed = regressed || any_regressed(rows);
    if (c.json)
      out.push_back(comparison_json(g, rows));
    else
      print_group(g, rows, *base, options.threshold);
  }
  if (c.json)
    std::cout << json{{"baseline", base->name},
                      {"threshold", options.threshold},
                      {"regressed", regressed},
                      {"groups", out}}
                     .dump(2)
              << "\n";
  else
    std::cout << (regressed ? "verdict: regressed\n" : "verdict: no regression\n");
  return regressed ? kExitFailed : kExitPassed;
}

} // namespace ciperf
