// `ciperf baseline`: a cold/warm benchmark session whose statistics become a named baseline.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"
#include "runner/baseline_session.hpp"
#include "runner/orchestrator.hpp"
#include "runner/run_store.hpp"
#include "store/store.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iostream>

namespace ciperf {
namespace {

void print_summary(const Baseline& b) {
  TextTable t;
  t.header = {"pipeline", "mode", "phase", "runs", "median", "95% CI", "CV", "MAD"};
  t.right_aligned = {false, false, false, true, true, true, true, true};
  for (const auto& p : b.phases)
    t.rows.push_back({p.pipeline, std::string(to_string(p.mode)), p.phase, std::to_string(p.n),
                      human_seconds(p.median),
                      p.median_ci
                          ? human_seconds(p.median_ci->low) + "-" + human_seconds(p.median_ci->high)
                          : "-",
                      std::isnan(p.cv) ? "-" : fmt::format("{:.1f}%", 100 * p.cv),
                      std::isnan(p.mad) ? "-" : human_seconds(p.mad)});
  std::cout << "\n" << t.render();
}

} // namespace

int command_baseline(const BaselineCommand& c) {
  std::vector<Pipeline> pipelines;
  auto labels = parse_labels(c.labels);
  auto tags = selected_tags(c.tags);
  std::vector<std::string> tag_sets;
  for (const auto& file : c.files) {
    TagSelection selection = select_phases(load_pipeline(file), tags);
    explain_selection(selection, Redactor(secret_values(selection.pipeline)));
    tag_sets.push_back(selection.tag_set);
    pipelines.push_back(std::move(selection.pipeline));
    if (!pipelines.back().cold_prepare)
      throw UsageError(file +
                       ": a baseline session needs 'cold: prepare:' to make its cold runs cold");
  }
  // An unreachable store server: the session records into the spool (runner/run_store.hpp).
  RunStore target = open_run_store(resolve_store_path(c.store));
  Store& store = target.store;
  if (!c.name.empty() && !c.replace && store.load_baseline(c.name)) // refused before any run
    throw UsageError("a baseline named '" + c.name + "' exists already in " + store.path() +
                     " (pass --replace to overwrite it, or another --name)");
  SessionOutcome outcome =
      run_baseline_session(pipelines, {c.runs, c.name, labels, tag_sets}, store);
  if (!outcome.baseline)
    return outcome.exit_code;
  print_summary(*outcome.baseline);
  std::cout << fmt::format("\nbaseline '{}' written: {} runs ({} cold and {} warm per pipeline), "
                           "session {}\n",
                           terminal_escape(outcome.baseline->name), outcome.runs.size(), c.runs,
                           c.runs, outcome.session);
  return kExitPassed;
}

} // namespace ciperf
