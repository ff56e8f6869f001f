#include "cli/history_baseline.hpp"

#include "store/store.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace ciperf {
namespace {

// The runs that start a level the user accepted, for the whole pipeline or its run total.
std::set<std::string> accepted_runs(Store& store, const std::string& pipeline) {
  std::set<std::string> runs;
  for (const auto& a : store.accepted_changes())
    if (a.pipeline == pipeline && (a.phase == "*" || a.phase.empty()))
      runs.insert(a.run_id);
  return runs;
}

struct Reference {
  std::vector<std::string> runs; // newest first
  std::string host_class;
  std::string accepted_at; // the accepted run the history stops at, if it reached one
};

// The group's reference runs, walking the store from the newest run back.
Reference reference_runs(Store& store, const CandidateGroup& g, bool any_host) {
  auto newest = store.load_run(*g.runs.rbegin());
  RunFilter filter;
  filter.pipeline = g.pipeline;
  filter.mode = g.mode;
  filter.complete_only = true;
  if (newest)
    filter.tag_set = newest->labels.count("tags") ? newest->labels.at("tags") : "";
  Reference ref;
  ref.host_class = newest ? host_class(newest->host) : "";
  auto accepted = accepted_runs(store, g.pipeline);
  auto runs = store.list_runs(filter); // newest first, by insertion
  size_t candidates_left = 0;
  for (const auto& r : runs)
    candidates_left += g.runs.count(r.run_id);
  for (const auto& r : runs) {
    if (candidates_left > 0) { // still newer than the oldest candidate
      candidates_left -= g.runs.count(r.run_id);
      continue;
    }
    // A run recorded before ciperf knew the host's class is taken as this one's: an upgrade
    // must not leave the history empty.
    bool same_class = any_host || r.host.cpu_model.empty() || host_class(r.host) == ref.host_class;
    if (r.status != RunStatus::Passed || !same_class)
      continue;
    ref.runs.push_back(r.run_id);
    if (accepted.count(r.run_id)) {
      ref.accepted_at = r.run_id;
      break;
    }
    if (static_cast<int>(ref.runs.size()) == kHistoryRuns)
      break;
  }
  return ref;
}

std::string note_for(const CandidateGroup& g, const Reference& ref) {
  return fmt::format("its history: the {} run{} of {} ({}) before them on host class {}{}",
                     ref.runs.size(), ref.runs.size() == 1 ? "" : "s", g.pipeline,
                     to_string(g.mode), ref.host_class,
                     ref.accepted_at.empty()
                         ? ""
                         : fmt::format(", back to the change accepted at run {}", ref.accepted_at));
}

} // namespace

Baseline history_baseline(Store& store,
                          const std::map<std::pair<std::string, RunMode>, CandidateGroup>& groups,
                          bool any_host) {
  Baseline base;
  base.name = "history";
  base.per_mode = true;
  for (const auto& [key, g] : groups) {
    Reference ref = reference_runs(store, g, any_host);
    if (any_host)
      ref.host_class = "any";
    std::map<std::string, BaselinePhase> phases;
    // A phase the history lacks (no earlier run) is there with no samples: "not enough data".
    for (const auto& candidate : g.phases) {
      BaselinePhase& empty = phases[candidate.phase];
      empty.pipeline = g.pipeline;
      empty.phase = candidate.phase;
      empty.mode = g.mode;
    }
    RunMode mode = g.mode;
    for (const auto& id : ref.runs) {
      RunFilter one;
      one.run_id = id;
      store.for_each_phase_sample(one, [&](const PhaseSample& s) {
        if (!s.counts_toward_total())
          return;
        auto& p = phases[s.name];
        p.pipeline = s.pipeline;
        p.phase = s.name;
        p.mode = mode;
        p.samples.push_back(s.wall_s);
      });
    }
    for (auto& [name, p] : phases) {
      p.n = static_cast<int>(p.samples.size());
      base.phases.push_back(std::move(p));
    }
    base.runs_per_mode = std::max(base.runs_per_mode, static_cast<int>(ref.runs.size()));
    if (!base.history_note.empty())
      base.history_note += "; ";
    base.history_note += note_for(g, ref);
  }
  return base;
}

} // namespace ciperf
