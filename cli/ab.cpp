// `ciperf ab`: two pipelines in interleaved pairs, judged pair by pair.
#include "analysis/paired_comparison.hpp"
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/ab_view.hpp"
#include "runner/ab_session.hpp"
#include "runner/orchestrator.hpp"
#include "runner/run_store.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <iostream>
#include <random>

namespace ciperf {
namespace {

// The side's pipeline with the selected opt-in phases; `tag_set` gets what it ran.
Pipeline load_side(const std::string& file, RunMode mode, const std::set<std::string>& tags,
                   std::string& tag_set) {
  TagSelection selection = select_phases(load_pipeline(file), tags);
  explain_selection(selection, Redactor(secret_values(selection.pipeline)));
  tag_set = selection.tag_set;
  Pipeline p = std::move(selection.pipeline);
  if (mode == RunMode::Cold && !p.cold_prepare)
    throw UsageError("--mode cold needs a 'cold: prepare:' command in " + file);
  return p;
}

} // namespace

int command_ab(const AbCommand& c) {
  auto labels = parse_labels(c.labels);
  auto tags = selected_tags(c.tags);
  AbOptions options;
  Pipeline a = load_side(c.a, c.mode, tags, options.tag_set_a);
  Pipeline b = load_side(c.b, c.mode, tags, options.tag_set_b);
  labels.erase("tags"); // each side's own tag set, below
  // An unreachable store server: the pairs record into the spool (runner/run_store.hpp).
  RunStore target = open_run_store(resolve_store_path(c.store));
  Store& store = target.store;
  options.pairs = c.runs;
  options.seed = c.seed ? *c.seed : std::random_device{}() % 1'000'000'000; // --seed takes it back
  options.mode = c.mode;
  options.labels = labels;
  AbOutcome session = run_ab_session(a, b, options, store);
  if (session.exit_code != kExitPassed)
    return session.exit_code;
  CompareOptions compare;
  compare.threshold = c.threshold / 100;
  AbReport report;
  report.session = session.session;
  // The recorded names: redacted, as the pipeline's own may hold a secret's value.
  report.a = {session.pairs.front().a.pipeline, c.a};
  report.b = {session.pairs.front().b.pipeline, c.b};
  report.mode = c.mode;
  report.pairs = static_cast<int>(session.pairs.size());
  report.b_first = static_cast<int>(std::count_if(session.pairs.begin(), session.pairs.end(),
                                                  [](const AbPair& p) { return p.b_first; }));
  report.seed = options.seed;
  report.threshold = compare.threshold;
  std::vector<RunPair> pairs;
  for (const auto& p : session.pairs)
    pairs.push_back({&p.a, &p.b});
  auto phases = paired_phases(pairs);
  // When A and B do not run the same phases (renamed, split, added), the phase verdicts cannot
  // cover the change: the whole run is judged with them.
  if (std::any_of(phases.begin(), phases.end(),
                  [](const PairedSamples& p) { return p.a.empty() || p.b.empty(); }))
    phases.push_back(paired_walls(pairs));
  report.phases = compare_pairs(phases, compare);
  report.run_wall = compare_pairs({paired_walls(pairs)}, compare).front();
  report.outcome = overall_outcome(report.phases);
  std::cout << "\n";
  write_ab(report, c.json ? ViewFormat::Json : ViewFormat::Text, std::cout);
  return exit_code_for(report.outcome);
}

} // namespace ciperf
