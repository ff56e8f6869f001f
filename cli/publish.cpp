// `ciperf publish`: a stored run, judged as `compare RUN` would judge it, posted to a forge as a
// commit status and one PR comment kept in place. It reads the store and writes nothing to it.
#include "analysis/candidates.hpp"
#include "cli/commands.hpp"
#include "cli/history_baseline.hpp"
#include "cli/run_selection.hpp"
#include "common/duration.hpp"
#include "common/errors.hpp"
#include "common/redactor.hpp"
#include "common/text_escape.hpp"
#include "reports/forge_status.hpp"
#include "reports/report_loader.hpp"
#include "runner/forge_env.hpp"
#include "runner/gitea_client.hpp"
#include "store/store.hpp"

#include <fmt/format.h>
#include <iostream>

namespace ciperf {
namespace {

struct Target {
  ForgeRepo repo;
  std::string sha, target_url;
  int pr = 0;
};

std::string pick(const std::string& flag, const std::string& fallback) {
  return flag.empty() ? fallback : flag;
}

Target target_of(const PublishCommand& c) {
  EnvLookup env = process_env();
  PublishDefaults d = publish_defaults(env);
  Target t;
  t.repo.url = pick(c.url, d.url);
  std::string repo = pick(c.repo, d.repo);
  t.sha = pick(c.sha, d.sha);
  t.pr = c.pr > 0 ? c.pr : d.pr.value_or(0);
  t.target_url = pick(c.target_url, d.target_url);
  if (t.repo.url.empty())
    throw UsageError("publish needs --url (or DRONE_REPO_LINK under Drone, GITHUB_SERVER_URL "
                     "under Gitea Actions)");
  if (repo.empty())
    throw UsageError("publish needs --repo OWNER/NAME (or DRONE_REPO, GITHUB_REPOSITORY)");
  if (t.sha.empty())
    throw UsageError("publish needs --sha (or DRONE_COMMIT_SHA, GITHUB_SHA)");
  split_repo(repo, t.repo);
  auto token = publish_token(env);
  if (!token)
    throw UsageError("publish needs a token in CIPERF_PUBLISH_TOKEN, GITEA_TOKEN or FORGEJO_TOKEN");
  // A line break would end the Authorization header and start another: refused, not quoted.
  if (token->value.find_first_of("\r\n") != std::string::npos)
    throw UsageError(token->name + " holds a line break: a token is one line");
  t.repo.token = token->value;
  auto timeout = parse_duration(c.timeout);
  if (!timeout || timeout->count() <= 0)
    throw UsageError("--timeout must be a duration such as 10s or 2m, got '" + c.timeout + "'");
  t.repo.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  return t;
}

struct Judged {
  Baseline base;
  std::string against; // "baseline nightly", "its history (30 runs)"
  std::vector<PhaseComparison> verdicts;
  Outcome outcome = Outcome::Inconclusive;
};

// The run (and, with --label, its pipeline's other runs with those labels) as candidates.
std::map<std::pair<std::string, RunMode>, CandidateGroup>
candidates(Store& store, const RunRecord& run, const PublishCommand& c) {
  CandidateBuilder builder;
  RunFilter one;
  one.run_id = run.run_id;
  store.for_each_phase_sample(one, [&](const PhaseSample& s) { builder.add(s); });
  if (!c.labels.empty()) {
    RunFilter more;
    more.pipeline = run.pipeline;
    more.mode = run.mode;
    more.complete_only = true;
    for (const auto& kv : parse_labels(c.labels))
      more.labels.emplace_back(kv);
    store.for_each_phase_sample(more, [&](const PhaseSample& s) {
      if (s.run_id != run.run_id)
        builder.add(s);
    });
  }
  return builder.finish();
}

Judged judge(Store& store, const RunRecord& run, const PublishCommand& c) {
  Judged j;
  auto groups = candidates(store, run, c);
  std::optional<std::string> name;
  if (!c.baseline.empty())
    name = c.baseline;
  else if (!c.history)
    name = store.newest_baseline_for(run.pipeline);
  if (name) {
    auto base = store.load_baseline(*name);
    if (!base)
      throw UsageError("no baseline named '" + *name + "' in " + store.path());
    j.base = *base;
    j.against = "baseline " + *name;
  } else {
    j.base = history_baseline(store, groups);
    j.against = fmt::format("its history ({} run{})", j.base.runs_per_mode,
                            j.base.runs_per_mode == 1 ? "" : "s");
  }
  for (auto& [key, g] : groups) {
    attach_baseline(g, j.base);
    auto rows = compare_phases(g.phases);
    j.verdicts.insert(j.verdicts.end(), rows.begin(), rows.end());
  }
  if (!j.verdicts.empty())
    j.outcome = overall_outcome(j.verdicts);
  return j;
}

// The comment's link as the server gave it, which a careless proxy may have put the token in.
std::string shown_url(const std::string& url, const Target& target) {
  return Redactor(std::vector<std::string>{target.repo.token}).apply(url);
}

RunRecord the_run(Store& store, const std::string& id) {
  if (!id.empty()) {
    auto run = store.load_run(id);
    if (!run)
      throw UsageError("no run '" + id + "' in " + store.path());
    return *run;
  }
  RunFilter newest;
  newest.limit = 1;
  auto runs = store.list_runs(newest);
  if (runs.empty())
    throw UsageError("no stored runs in " + store.path());
  return *store.load_run(runs.front().run_id);
}

} // namespace

int command_publish(const PublishCommand& c) {
  Target target = target_of(c);
  Store store = open_existing_store(c.store);
  RunRecord run = the_run(store, c.run);
  Judged j = judge(store, run, c);

  CommitStatusPost status;
  status.sha = target.sha;
  status.state = commit_state_name(commit_state(run.status, j.outcome));
  status.context = pick(c.context, "ciperf/" + run.pipeline);
  status.description = status_description(run, j.verdicts, j.against);
  status.target_url = target.target_url;
  GiteaClient client(target.repo);
  client.post_status(status);
  std::cout << fmt::format("status {} {} on {}: {}\n", status.state,
                           terminal_escape(status.context), terminal_escape(status.sha),
                           terminal_escape(status.description));
  if (target.pr == 0 || c.no_comment)
    return kExitPassed;

  ReportRequest request;
  request.run = run.run_id;
  Report report = load_report(store, request);
  report.baseline = j.base;
  report.baseline_named = true;
  report.verdicts = j.verdicts;
  auto comment = client.upsert_comment(target.pr, comment_marker(run.pipeline),
                                       comment_body(report, run.pipeline));
  std::cout << fmt::format(
      "comment {} {} on #{}{}{}\n", comment.id, comment.created ? "created" : "updated", target.pr,
      comment.duplicates ? fmt::format(" ({} duplicate{} deleted)", comment.duplicates,
                                       comment.duplicates == 1 ? "" : "s")
                         : "",
      comment.html_url.empty() ? "" : ": " + terminal_escape(shown_url(comment.html_url, target)));
  return kExitPassed;
}

} // namespace ciperf
