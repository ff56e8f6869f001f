// `ciperf changes`: change points over the stored history, with their cause; --accept marks one
// as expected.
#include "analysis/change_history.hpp"
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "reports/changes_view.hpp"
#include "runner/run_context.hpp"
#include "store/store.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <set>

namespace ciperf {
namespace {

// A phase that the run does not have would accept nothing: refused, with the names it has.
void check_phases(const RunRecord& run, const std::vector<std::string>& phases) {
  std::set<std::string> names;
  for (const auto& p : run.phases)
    names.insert(p.name);
  for (const auto& phase : phases)
    if (!names.count(phase))
      throw UsageError(fmt::format("--phase {}: run {} has no such phase (it has {})", phase,
                                   run.run_id, fmt::join(names, ", ")));
}

int accept(const ChangesCommand& c) {
  Store store(open_existing_store(c.store).location()); // writable, and only a store that exists
  auto run = store.load_run(c.accept);
  if (!run)
    throw UsageError("no run '" + c.accept + "' in " + store.path());
  check_phases(*run, c.phases);
  std::vector<std::string> phases = c.phases;
  if (phases.empty())
    phases.push_back("*");
  for (const auto& phase : phases)
    store.accept_change(
        {run->pipeline, phase, run->run_id, rfc3339(std::chrono::system_clock::now()), c.note});
  std::cout << terminal_escape(fmt::format(
                   "accepted the change at run {} of {} ({}): it no longer alerts", run->run_id,
                   run->pipeline,
                   c.phases.empty() ? "every series" : fmt::format("{}", fmt::join(phases, ", "))))
            << "\n";
  return kExitPassed;
}

HistoryOptions history_options(const ChangesCommand& c, Store& store) {
  HistoryOptions o;
  o.detector.min_change = c.threshold / 100;
  o.detector.alpha = c.alpha;
  o.mix_host_classes = c.any_host;
  o.phases.insert(c.phases.begin(), c.phases.end());
  for (const auto& a : store.accepted_changes())
    o.accepted.insert({a.pipeline, a.phase, a.run_id});
  return o;
}

// 1 when a code change slowed a phase or the run and nobody accepted it; 4 when only the
// environment did (the host changed: nothing in the pipeline to fix, but worth knowing).
int exit_code_for(const HistoryResult& result) {
  bool environment = false;
  for (const auto& c : result.changes) {
    if (c.accepted || c.metric != ChangeMetric::Wall || !(c.point.relative_change > 0))
      continue;
    if (c.cause == ChangeCause::Code)
      return kExitFailed;
    environment = true;
  }
  return environment ? kExitInconclusive : kExitPassed;
}

} // namespace

int command_changes(const ChangesCommand& c) {
  if (!c.accept.empty())
    return accept(c);
  Store store = open_existing_store(c.store);
  store.set_sample_tests(c.tests);
  RunFilter filter = to_filter(c.selection);
  HistoryBuilder builder(history_options(c, store));
  auto runs = store.list_runs(filter); // newest first
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)
    builder.add_run(std::move(*it));
  if (runs.empty())
    throw UsageError("no stored runs match the selection");
  runs.clear();
  runs.shrink_to_fit();
  store.for_each_phase_sample(
      filter, [&](const PhaseSample& s) { builder.add_phase(s); }, SampleFields::History);
  auto result = builder.finish();
  write_changes(result, c.json ? ViewFormat::Json : ViewFormat::Text, std::cout);
  return exit_code_for(result);
}

} // namespace ciperf
