// `ciperf compare`: candidate runs against a baseline, phase by phase; with --confirm K, a
// regression is judged again after K more runs of the candidates' pipeline.
#include "analysis/baseline.hpp"
#include "analysis/candidates.hpp"
#include "analysis/confirmation.hpp"
#include "analysis/host_evidence.hpp"
#include "cli/commands.hpp"
#include "cli/history_baseline.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "model/test_item.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/comparison_view.hpp"
#include "runner/confirmation_runs.hpp"
#include "runner/github_actions.hpp"
#include "runner/orchestrator.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <iostream>
#include <set>

namespace ciperf {
namespace {

using GroupKey = std::pair<std::string, RunMode>;
using Groups = std::map<GroupKey, CandidateGroup>;

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
Groups candidate_groups(Store& store, const RunFilter& filter, const std::set<std::string>& skip) {
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

// The phases of exactly these runs. After reruns a selection would no longer pick the same runs
// (--last is now a rerun, --since takes the reruns in too), so a second judgement names them.
void for_each_sample_of(Store& store, const std::set<std::string>& runs,
                        const std::function<void(const PhaseSample&)>& visit) {
  for (const auto& id : runs) {
    RunFilter one;
    one.run_id = id;
    store.for_each_phase_sample(one, visit);
  }
}

Groups groups_of(Store& store, const std::set<std::string>& runs) {
  CandidateBuilder builder;
  for_each_sample_of(store, runs, [&](const PhaseSample& s) { builder.add(s); });
  return builder.finish();
}

// Across groups: a regression anywhere wins, then any blind spot.
Outcome worse(Outcome a, Outcome b) {
  if (a == Outcome::Regressed || b == Outcome::Regressed)
    return Outcome::Regressed;
  if (a == Outcome::Inconclusive || b == Outcome::Inconclusive)
    return Outcome::Inconclusive;
  return Outcome::NoRegression;
}

// The candidate groups and, under the same keys, their verdicts. Views point into `groups`: a
// map's nodes stay put when the Judgement moves.
struct Judgement {
  Groups groups;
  std::map<GroupKey, std::vector<PhaseComparison>> rows;
  Outcome outcome = Outcome::NoRegression;
};

Judgement judge(Groups groups, const Baseline& base, const CompareOptions& options) {
  Judgement j{std::move(groups), {}, Outcome::NoRegression};
  for (auto& [key, g] : j.groups) {
    attach_baseline(g, base);
    j.rows[key] = compare_phases(g.phases, options);
    j.outcome = worse(j.outcome, overall_outcome(j.rows[key]));
  }
  return j;
}

// The runs a comparison reads: the candidates and the baseline's own session.
struct Selection {
  RunFilter candidates;
  std::set<std::string> skip; // the baseline session's runs, when a time selection reached them
};

// Host-wide stalls and host fields of the baseline session's runs of the group's pipeline and
// mode, against the group's candidate runs.
HostEvidence host_evidence(Store& store, const Baseline& base, const CandidateGroup& g) {
  HostEvidenceBuilder builder;
  RunFilter session;
  session.labels = {{"session", base.session}};
  session.pipeline = g.pipeline;
  session.mode = baseline_mode(g.mode);
  for (const auto& r : store.list_runs(session))
    builder.add_host(Side::Base, r.host);
  store.for_each_phase_sample(session,
                              [&](const PhaseSample& s) { builder.add_phase(Side::Base, s); });
  for (const auto& id : g.runs)
    if (auto r = store.load_run(id))
      builder.add_host(Side::Candidate, r->host);
  for_each_sample_of(store, g.runs,
                     [&](const PhaseSample& s) { builder.add_phase(Side::Candidate, s); });
  return builder.finish();
}

// What --confirm reruns: the candidates' one pipeline, with the labels they all share.
struct Rerun {
  Pipeline pipeline;
  std::map<std::string, std::string> labels;
};

std::string common_pipeline_file(const std::vector<RunRecord>& runs, const std::string& name) {
  std::set<std::string> files;
  for (const auto& r : runs)
    files.insert(r.pipeline_file);
  if (files.size() > 1)
    throw UsageError(fmt::format("--confirm: the candidate runs of '{}' come from {} different "
                                 "pipeline files: pass --pipeline-file FILE",
                                 name, files.size()));
  return *files.begin();
}

Rerun plan_rerun(Store& store, const Selection& sel, const CompareCommand& c) {
  std::vector<RunRecord> runs = store.list_runs(sel.candidates);
  std::erase_if(runs, [&](const RunRecord& r) { return sel.skip.count(r.run_id) > 0; });
  if (runs.empty())
    throw UsageError("--confirm: no complete candidate run to take the pipeline from");
  std::set<std::string> names;
  for (const auto& r : runs) {
    if (r.labels.count("source") || (r.pipeline_file.empty() && c.pipeline_file.empty()))
      throw UsageError(
          fmt::format("--confirm: run {} was imported{}: ciperf has no pipeline to "
                      "run again",
                      r.run_id, r.labels.count("source") ? " from " + r.labels.at("source") : ""));
    names.insert(r.pipeline);
  }
  if (names.size() > 1)
    throw UsageError(fmt::format("--confirm: the candidate runs come from {} pipelines ({}): "
                                 "select the runs of one with --pipeline NAME",
                                 names.size(), fmt::join(names, ", ")));
  std::string file =
      c.pipeline_file.empty() ? common_pipeline_file(runs, *names.begin()) : c.pipeline_file;
  if (!std::filesystem::is_regular_file(file))
    throw UsageError(fmt::format("--confirm: the pipeline file {} is missing: pass "
                                 "--pipeline-file FILE",
                                 file));
  Rerun rerun{load_pipeline(file), runs.front().labels};
  // Stored names are redacted: compare like with like, and quote no secret.
  std::string loaded = Redactor(secret_values(rerun.pipeline)).apply(rerun.pipeline.name);
  if (loaded != *names.begin())
    throw UsageError(fmt::format("--confirm: {} is pipeline '{}', the candidates ran '{}'", file,
                                 loaded, *names.begin()));
  for (const auto& r : runs) // only the labels every candidate has, with the same value
    std::erase_if(rerun.labels, [&](const auto& kv) {
      auto it = r.labels.find(kv.first);
      return it == r.labels.end() || it->second != kv.second;
    });
  // A rerun belongs to no baseline session and to no A/B pair.
  for (const char* key : {"session", "baseline", "ab.session", "ab.side", "ab.pair"})
    rerun.labels.erase(key);
  if (rerun.labels.count("tags") && rerun.labels.at("tags").find("***") != std::string::npos)
    throw UsageError("--confirm: the candidates' tag set is masked (a tag equals a secret's "
                     "value): ciperf cannot tell which opt-in phases to rerun");
  // The reruns run the phases the candidates ran: their opt-in tags, no others.
  auto tags = rerun.labels.count("tags") ? selected_tags({rerun.labels.at("tags")})
                                         : std::set<std::string>{};
  rerun.pipeline = select_phases(rerun.pipeline, tags).pipeline;
  rerun.labels["ciperf.confirms"] = runs.front().run_id; // the newest candidate
  return rerun;
}

void refuse_cold_without_prepare(const Rerun& rerun, const Groups& groups) {
  for (const auto& [key, g] : groups)
    if (g.mode == RunMode::Cold && !rerun.pipeline.cold_prepare)
      throw UsageError("--confirm: the candidates ran cold, and " + rerun.pipeline.file.string() +
                       " has no 'cold: prepare:' command to run them cold again");
}

// Reruns each group that has a regressed phase K times in its mode, then judges again with the
// original candidates plus the reruns. When a rerun fails, the first judgement stands.
Confirmation confirm(Store& store, const Rerun& rerun, const CompareCommand& c,
                     Judgement& judgement, const Baseline& base, const CompareOptions& options) {
  Confirmation out;
  out.requested = c.confirm;
  if (judgement.outcome != Outcome::Regressed)
    return out;
  for (const auto& [key, g] : judgement.groups) {
    if (!any_regressed(judgement.rows[key]))
      continue;
    std::cerr << fmt::format("confirm: {} ({}) looked regressed: {} more run{}\n",
                             terminal_escape(g.pipeline), to_string(g.mode), c.confirm,
                             c.confirm == 1 ? "" : "s");
    auto runs = run_confirmations(rerun.pipeline, g.mode, rerun.labels, c.confirm, store);
    out.run_ids.insert(out.run_ids.end(), runs.run_ids.begin(), runs.run_ids.end());
    if (runs.exit_code != kExitPassed) {
      out.completed = false;
      out.failed_exit_code = runs.exit_code;
      return out;
    }
  }
  std::set<std::string> runs(out.run_ids.begin(), out.run_ids.end());
  for (const auto& [key, g] : judgement.groups)
    runs.insert(g.runs.begin(), g.runs.end());
  Judgement second = judge(groups_of(store, runs), base, options);
  for (const auto& [key, g] : judgement.groups)
    if (second.rows.count(key)) {
      auto phases = confirm_phases(g.pipeline, g.mode, judgement.rows[key], second.rows[key]);
      out.phases.insert(out.phases.end(), phases.begin(), phases.end());
    }
  judgement = std::move(second);
  return out;
}

// Reads or, with --confirm, also writes (the reruns) a store that must already exist.
Store open_store(const CompareCommand& c) {
  Store existing = open_existing_store(c.store);
  if (c.confirm == 0)
    return existing;
  return Store(existing.location());
}

// A stored baseline holds its session's phases; with --tests its session's stored runs give the
// test cases' statistics too, computed as the baseline's own were.
void add_session_tests(Store& store, Baseline& base) {
  RunFilter session;
  session.labels = {{"session", base.session}};
  std::vector<RunRecord> runs;
  store.for_each_run(session, [&](RunRecord& r) {
    RunRecord items = r;
    items.phases.clear();
    for (const auto& p : r.phases)
      for (const auto& t : p.tests)
        items.phases.push_back(test_item(p, t));
    if (!items.phases.empty())
      runs.push_back(std::move(items));
  });
  for (auto& phase : summarize_session(runs))
    base.phases.push_back(std::move(phase));
}

// The stored baseline the candidates are judged against, with the session and tag-set care a
// stored baseline needs: leaves out candidates of other tag sets and of its own session.
Baseline stored_baseline(Store& store, const CompareCommand& c, Selection& sel, Groups& groups) {
  std::string name = baseline_name(store, c, groups.begin()->second.pipeline);
  auto base = store.load_baseline(name);
  if (!base)
    throw UsageError("no baseline named '" + name + "' in " + store.path());
  if (store.sample_tests())
    add_session_tests(store, *base);
  // Runs that ran other opt-in phases are not the baseline's kind of run.
  RunFilter session; // the baseline's runs of the candidates' pipeline
  session.labels = {{"session", base->session}};
  session.pipeline = groups.begin()->second.pipeline;
  if (auto tags = newest_tag_set(store, session); tags && c.run.empty()) {
    keep_tag_set(store, sel.candidates, *tags, "compare", "baseline " + name + "'s");
    groups = candidate_groups(store, sel.candidates, {});
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
      sel.skip = own;
      groups = candidate_groups(store, sel.candidates, sel.skip);
    }
  }
  return *base;
}

// Without --baseline and without a stored baseline of the pipeline, or with --history: the
// candidates' own recent history.
bool judge_against_history(Store& store, const CompareCommand& c, const Groups& groups) {
  if (c.history)
    return true;
  return c.baseline.empty() && !store.newest_baseline_for(groups.begin()->second.pipeline);
}

std::set<std::string> host_classes_of(Store& store, const RunFilter& filter,
                                      const std::set<std::string>& skip) {
  std::set<std::string> classes;
  for (const auto& r : store.list_runs(filter))
    if (!skip.count(r.run_id) && !r.host.cpu_model.empty()) // older runs: class unknown
      classes.insert(host_class(r.host));
  return classes;
}

// Candidates of several host classes have no one history: refused unless --any-host, which
// takes the history of every class.
Baseline history_of(Store& store, const CompareCommand& c, const Selection& sel,
                    const Groups& groups) {
  auto classes = host_classes_of(store, sel.candidates, {});
  if (classes.size() > 1 && !c.any_host)
    throw UsageError(fmt::format("the candidates ran on {} host classes ({}): a history is of one "
                                 "class. Select the runs of one (--label, --since), or pass "
                                 "--any-host to judge them against every class's history",
                                 classes.size(), fmt::join(classes, "; ")));
  Baseline base = history_baseline(store, groups, c.any_host);
  bool any_sample = std::any_of(base.phases.begin(), base.phases.end(),
                                [](const BaselinePhase& p) { return !p.samples.empty(); });
  if (!any_sample)
    throw UsageError(fmt::format(
        "no baseline has pipeline '{}', and it has no earlier passed runs on this host class to "
        "judge against: make one with ciperf baseline, or record more runs",
        groups.begin()->second.pipeline));
  return base;
}

// A stored baseline was made on one host class; candidates from another would measure the hosts.
// Refused unless --any-host, and then said.
void check_host_classes(Store& store, const CompareCommand& c, const Selection& sel,
                        const Baseline& base) {
  RunFilter session;
  session.labels = {{"session", base.session}};
  auto baseline_classes = host_classes_of(store, session, {});
  auto candidate_classes = host_classes_of(store, sel.candidates, sel.skip);
  if (baseline_classes.empty() || candidate_classes == baseline_classes)
    return;
  std::string text = fmt::format("the candidates ran on host class {}, baseline {}'s runs on {}",
                                 fmt::join(candidate_classes, " and "), base.name,
                                 fmt::join(baseline_classes, " and "));
  if (!c.any_host)
    throw UsageError(text + ": a comparison across host classes measures the hosts. Pass "
                            "--any-host to judge anyway, or make a baseline on this host class");
  std::cerr << "compare: " << terminal_escape(text) << ": judged anyway (--any-host)\n";
}

// The flaky tests of the candidates' pipelines, over their newest stored runs.
std::vector<FlakyTest> flaky_tests(Store& store, const Judgement& judgement) {
  constexpr int kFlakyWindow = 50;
  std::set<std::string> pipelines;
  for (const auto& [key, g] : judgement.groups)
    pipelines.insert(g.pipeline);
  FlakyTestFinder finder;
  for (const auto& pipeline : pipelines) {
    RunFilter filter;
    filter.pipeline = pipeline;
    filter.limit = kFlakyWindow;
    filter.complete_only = true;
    std::vector<RunRecord> runs; // newest first
    store.for_each_run(filter, [&](RunRecord& r) { runs.push_back(std::move(r)); });
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
      finder.add_run(*it);
  }
  return finder.finish();
}

} // namespace

int command_compare(const CompareCommand& c) {
  Store store = open_store(c);
  store.set_sample_tests(c.tests);
  Selection sel{candidate_filter(store, c), {}};
  auto groups = candidate_groups(store, sel.candidates, {});
  std::optional<Baseline> base;
  if (judge_against_history(store, c, groups))
    base = history_of(store, c, sel, groups);
  else
    base = stored_baseline(store, c, sel, groups);
  CompareOptions options;
  options.threshold = c.threshold / 100;
  // A --confirm that could never rerun is refused before anything is judged, so a CI setup that
  // cannot confirm finds out on its first run, not on its first regression.
  std::optional<Rerun> rerun;
  if (c.confirm > 0) {
    rerun = plan_rerun(store, sel, c);
    refuse_cold_without_prepare(*rerun, groups);
  }
  if (!base->session.empty())
    check_host_classes(store, c, sel, *base);
  Judgement judgement = judge(std::move(groups), *base, options);
  std::optional<Confirmation> confirmation;
  if (rerun)
    confirmation = confirm(store, *rerun, c, judgement, *base, options);
  std::vector<ComparedGroup> compared;
  for (const auto& [key, g] : judgement.groups) {
    const auto& rows = judgement.rows[key];
    compared.push_back({&g, rows, std::nullopt});
    if (host_changed(rows) && !base->session.empty()) // a history has no session to cite
      compared.back().host = host_evidence(store, *base, g);
  }
  std::optional<std::vector<FlakyTest>> flaky;
  if (c.tests)
    flaky = flaky_tests(store, judgement);
  write_comparison(compared, *base, options.threshold, judgement.outcome,
                   c.json ? ViewFormat::Json : ViewFormat::Text, std::cout, confirmation,
                   flaky ? &*flaky : nullptr);
  if (running_in_github_actions()) { // on stderr: stdout may be --json
    std::cout.flush();
    for (const auto& group : compared)
      for (const auto& row : group.rows)
        if (auto a = verdict_annotation(group.group->pipeline, group.group->mode, row))
          std::cerr << annotation_line(*a, Redactor());
  }
  if (confirmation && confirmation->failed_exit_code == kExitInterrupted)
    return kExitInterrupted; // Ctrl-C during the reruns: the user stopped it, as for ciperf run
  return exit_code_for(judgement.outcome);
}

} // namespace ciperf
