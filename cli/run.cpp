// `ciperf run`: one pipeline, timed phase by phase, recorded in the store.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/phase_table.hpp"
#include "runner/github_actions.hpp"
#include "runner/orchestrator.hpp"
#include "runner/otlp_live.hpp"
#include "runner/run_store.hpp"
#include "runner/status_printer.hpp"
#include "store/store.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <string_view>

namespace ciperf {
namespace {

bool sync_requested() {
  const char* env = std::getenv("CIPERF_SYNC");
  return env && std::string_view(env) == "1";
}

} // namespace

int command_run(const RunCommand& c) {
  TagSelection selection = select_phases(load_pipeline(c.file), selected_tags(c.tags));
  const Pipeline& pipeline = selection.pipeline;
  if (c.mode == RunMode::Cold && !pipeline.cold_prepare)
    throw UsageError("--mode cold needs a 'cold: prepare:' command in " + c.file);
  RunOptions options;
  options.mode = c.mode;
  options.out_dir = c.out;
  options.labels = parse_labels(c.labels);
  if (!selection.tag_set.empty())
    options.labels["tags"] = selection.tag_set;
  explain_selection(selection, Redactor(secret_values(pipeline)));
  options.verbose = c.verbose;
  options.caller_keeps_lost_run = true; // into the spool, below
  options.accounting = c.accounting;
  options.github_actions = running_in_github_actions() && !std::getenv("CIPERF_SWEEP");
  // Opened first: a bad store path fails before any phase. An unreachable store server is no
  // failure of the run: it records into the spool instead.
  RunStore target = open_run_store(resolve_store_path(c.store));
  std::vector<std::string> otlp_warnings;
  std::optional<OtlpSettings> otlp = otlp_settings(process_environment(), otlp_warnings);
  for (const auto& warning : otlp_warnings)
    std::cerr << "ciperf: warning: " << warning << "\n";
  if (otlp)
    options.trace = RunOptions::Trace{otlp->context.trace_id, otlp->context.trace_state};
  RunOutcome outcome = run_pipeline(pipeline, options, target.store);
  if (outcome.store_lost)
    keep_in_spool(target, outcome.record, *outcome.store_lost);
  Store& store = target.store;
  auto style = ConsoleStyle::detect(c.verbose);
  std::cout << "\n" << phase_table(outcome.record, TableStyle{style.color});
  std::cout << run_summary_line(outcome.record) << "\n";
  if (outcome.results_written)
    std::cout << "results: " << terminal_escape(outcome.record.run_dir) << "/results.json\n";
  if (options.github_actions)
    if (auto problem = append_run_summary(store, outcome.record.run_id)) {
      std::cout.flush();
      std::cerr << "ciperf: warning: no step summary: " << terminal_escape(*problem) << "\n";
    }
  if (otlp) // after the run is recorded: a slow collector delays ciperf's exit, not the run
    if (auto problem = export_run(outcome.record, *otlp)) {
      std::cout.flush();
      std::cerr << "ciperf: warning: " << *problem << "\n";
    }
  if (c.sync || sync_requested())
    push_spool(target);
  return outcome.exit_code;
}

} // namespace ciperf
