// `ciperf compare`: candidate runs against a baseline, phase by phase.
#include "analysis/candidates.hpp"
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "reports/comparison_view.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace ciperf {
namespace {

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

std::string baseline_name(Store& store, const CompareCommand& c, const std::string& pipeline) {
  if (!c.baseline.empty())
    return c.baseline;
  auto newest = store.newest_baseline_for(pipeline);
  if (!newest)
    throw UsageError("no baseline has pipeline '" + pipeline +
                     "': make one with ciperf baseline, or pass --baseline");
  return *newest;
}

// The candidates' phases by (pipeline, mode), leaving out the runs in `skip`.
std::map<std::pair<std::string, RunMode>, CandidateGroup>
candidate_groups(Store& store, const RunFilter& filter, const std::set<std::string>& skip) {
  CandidateBuilder builder;
  store.for_each_phase_sample(filter, [&](const PhaseSample& s) {
    if (!skip.count(s.run_id))
      builder.add(s);
  });
  auto groups = builder.finish();
  if (groups.empty())
    throw UsageError(skip.empty() ? "no stored runs match the candidate selection"
                                  : "every selected run belongs to the baseline's own session");
  return groups;
}

// Across groups: a regression anywhere wins, then any blind spot.
Outcome worse(Outcome a, Outcome b) {
  if (a == Outcome::Regressed || b == Outcome::Regressed)
    return Outcome::Regressed;
  if (a == Outcome::Inconclusive || b == Outcome::Inconclusive)
    return Outcome::Inconclusive;
  return Outcome::NoRegression;
}

} // namespace

int command_compare(const CompareCommand& c) {
  Store store = open_existing_store(c.store);
  RunFilter candidates = candidate_filter(store, c);
  auto groups = candidate_groups(store, candidates, {});
  std::string name = baseline_name(store, c, groups.begin()->second.pipeline);
  auto base = store.load_baseline(name);
  if (!base)
    throw UsageError("no baseline named '" + name + "' in " + store.path());
  // Runs that ran other opt-in phases are not the baseline's kind of run.
  RunFilter session;
  session.labels = {{"session", base->session}};
  if (auto tags = newest_tag_set(store, session); tags && c.run.empty()) {
    keep_tag_set(store, candidates, *tags, "compare", "baseline " + name + "'s");
    groups = candidate_groups(store, candidates, {});
  }
  // A selection by time can reach back into the baseline's own session: those runs are the
  // baseline, not candidates to judge against it.
  if (c.run.empty()) {
    auto own = store.runs_labelled("session", base->session);
    size_t left_out = 0;
    for (const auto& [key, g] : groups)
      left_out += std::count_if(g.runs.begin(), g.runs.end(),
                                [&](const std::string& id) { return own.count(id) > 0; });
    if (left_out > 0) {
      std::cerr << "compare: left out " << left_out << " run(s) of baseline " << name
                << "'s own session\n";
      groups = candidate_groups(store, candidates, own);
    }
  }
  CompareOptions options;
  options.threshold = c.threshold / 100;
  Outcome outcome = Outcome::NoRegression;
  std::vector<ComparedGroup> compared;
  for (auto& [key, g] : groups) {
    attach_baseline(g, *base);
    compared.push_back({&g, compare_phases(g.phases, options)});
    outcome = worse(outcome, overall_outcome(compared.back().rows));
  }
  write_comparison(compared, *base, options.threshold, outcome,
                   c.json ? ViewFormat::Json : ViewFormat::Text, std::cout);
  switch (outcome) {
  case Outcome::Regressed:
    return kExitFailed;
  case Outcome::Inconclusive:
    return kExitInconclusive;
  case Outcome::NoRegression:
    break;
  }
  return kExitPassed;
}

} // namespace ciperf
