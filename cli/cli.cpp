#include "cli/cli.hpp"

#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/report_format.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <optional>
#include <type_traits>
#include <vector>

namespace ciperf {
namespace {

// An option whose value is one of an enum's names (the command line is an edge of the model:
// the name is parsed once, here). Anything else is refused with the names listed.
template <typename Target>
CLI::Option* add_enum_option(CLI::App* app, const std::string& name, Target& target,
                             const std::string& description) {
  using E = std::remove_reference_t<decltype(*std::optional(target))>;
  std::vector<std::string> names(EnumNames<E>::names.begin(), EnumNames<E>::names.end());
  return app
      ->add_option_function<std::string>(
          name, [&target](const std::string& text) { target = *parse_enum<E>(text); }, description)
      ->check(CLI::IsMember(names));
}

// A number from `low` to `high`. CLI11's own range check lets NaN through (every comparison with
// it is false) and prints its bounds as 300-digit numbers: both are refused here in plain words.
CLI::Validator number_from(double low, double high) {
  return CLI::Validator(
      [low, high](const std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc{} && end == text.data() + text.size() && std::isfinite(value) &&
            value >= low && value <= high)
          return {};
        return fmt::format("'{}' is not a number from {:g} to {:g}", text, low, high);
      },
      fmt::format("NUMBER in [{:g}, {:g}]", low, high));
}

// A whole number from `low` to `high` (counts, limits): no fractions, signs or exponents.
CLI::Validator whole_number_from(long low, long high) {
  return CLI::Validator(
      [low, high](const std::string& text) -> std::string {
        long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc{} && end == text.data() + text.size() && value >= low && value <= high)
          return {};
        return fmt::format("'{}' is not a whole number from {} to {}", text, low, high);
      },
      fmt::format("INT in [{}, {}]", low, high));
}

constexpr long kMaxCount = 1'000'000'000;

void add_run(CLI::App& app, RunCommand& c) {
  auto* run = app.add_subcommand("run", "Run a pipeline, time every phase, record the run");
  run->add_option("file", c.file, "Pipeline file (YAML)")->required();
  add_enum_option(run, "--mode", c.mode, "normal, cold (runs cold.prepare first) or warm");
  run->add_option("--store", c.store,
                  "Store: a SQLite file or a PostgreSQL connection string (default $CIPERF_STORE "
                  "or .ciperf/ciperf.db)");
  run->add_option("--out", c.out, "Run directory (default .ciperf/runs/<run-id>)");
  run->add_option("--label", c.labels, "Label k=v (repeatable)");
  run->add_flag("-v,--verbose", c.verbose, "Stream phase output to the console too");
  run->add_option("--tags", c.tags,
                  "Run the phases tagged so too (comma-separated; default $CIPERF_TAGS)");
  add_enum_option(run, "--accounting", c.accounting,
                  "cgroup (a cgroup per phase, where the host allows; the default) or rusage "
                  "(wait4 only); default $CIPERF_ACCOUNTING");
  run->add_flag("--sync", c.sync,
                "At the end, push the spool (runs kept while the store was unavailable) to the "
                "store; default $CIPERF_SYNC=1");
}

void add_sync(CLI::App& app, SyncCommand& c) {
  auto* sync = app.add_subcommand(
      "sync", "Copy the runs (and baselines, sweeps, accepted changes) another store lacks, "
              "oldest first: a spool to the shared store, a local store to another");
  sync->add_option("--to", c.to, "The destination store (a path or a URL)")->required();
  sync->add_option("--from", c.from,
                   "The source store (default $CIPERF_STORE or .ciperf/ciperf.db; when that is a "
                   "URL, the spool: $CIPERF_SPOOL or .ciperf/spool.db)");
  sync->add_flag("--include-incomplete", c.include_incomplete,
                 "Also copy runs still marked incomplete (running, or killed)");
}

void add_runs(CLI::App& app, RunsCommand& c) {
  auto* runs = app.add_subcommand("runs", "List stored runs, newest first");
  runs->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  runs->add_option("--pipeline", c.pipeline, "Only runs of this pipeline");
  add_enum_option(runs, "--mode", c.mode, "Only runs in this mode");
  runs->add_option("--label", c.labels, "Only runs with label k=v (repeatable)");
  runs->add_option("--limit", c.limit, "At most this many runs")
      ->check(whole_number_from(1, kMaxCount));
  runs->add_flag("--json", c.json, "Machine-readable output");
}

void add_show(CLI::App& app, ShowCommand& c) {
  auto* show = app.add_subcommand("show", "Show one stored run's phase table");
  show->add_option("run", c.run, "Run id or a unique prefix of it")->required();
  show->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  show->add_flag("--json", c.json, "The run as results.json v1");
}

void add_wait(CLI::App& app, WaitCommand& c) {
  auto* wait = app.add_subcommand(
      "wait", "Wait until services are ready: exit 0 ready, 1 fail-fast, 124 timed out");
  wait->add_option("targets", c.targets,
                   "http://…, https://…, tcp://HOST:PORT, exec:CMD, log:PATH:REGEX, swarm:STACK")
      ->required();
  wait->add_flag("--any", c.any, "Ready when any target is (default: all)");
  wait->add_option("--fail-if", c.fail_if, "A target whose success ends the wait as failed");
  wait->add_option("--interval", c.interval,
                   "Time between attempts once a service answers "
                   "(default 20ms; exec/log 100ms; swarm 500ms)");
  wait->add_option("--timeout", c.timeout, "Give up after this long (default 2m)");
  wait->add_option("--attempt-timeout", c.attempt_timeout, "Longest single attempt (default 2s)");
  wait->add_option("--connect-interval", c.connect_interval,
                   "Time between connects while nothing listens (default 2ms)");
  wait->add_option("--successes", c.successes, "Consecutive successes needed (default 1)")
      ->check(whole_number_from(1, kMaxCount));
  wait->add_option("--backoff", c.backoff, "Interval multiplier after a failure (default 1)")
      ->check(number_from(1, 10));
  wait->add_option("--max-interval", c.max_interval, "Cap for --backoff (default 1s)");
  wait->add_option("--status", c.status, "HTTP statuses that count as ready (default 200-399)");
  wait->add_option("--body", c.body, "Regex the HTTP body must match (first 1 MiB)");
  wait->add_option("--header", c.headers, "HTTP request header 'Name: value' (repeatable)");
  wait->add_option("--method", c.method, "GET or HEAD")->check(CLI::IsMember({"GET", "HEAD"}));
  wait->add_flag("--insecure", c.insecure, "Do not verify TLS certificates");
  wait->add_option("--ca-file", c.ca_file, "CA certificates to verify TLS with");
  wait->add_option("--redirects", c.redirects, "Redirects to follow (default 5)")
      ->check(whole_number_from(0, 100));
  wait->add_option("--history", c.history,
                   "Key under which waits are recorded; earlier ones inform the polling");
  wait->add_option("--store", c.store,
                   "Store (SQLite file or PostgreSQL connection string) for --history");
  wait->add_flag("--json", c.json, "Print the outcome and per-target timings as JSON");
  wait->add_flag("-q,--quiet", c.quiet, "Say nothing when ready");
}

void add_selection(CLI::App* app, RunSelection& s, bool with_last = true) {
  app->add_option("--pipeline", s.pipeline, "Only runs of this pipeline");
  add_enum_option(app, "--mode", s.mode, "Only runs in this mode (normal, cold, warm)");
  app->add_option("--label", s.labels, "Only runs with label k=v (repeatable)");
  app->add_option("--since", s.since, "Only runs started after this RFC 3339 time or run id");
  if (with_last)
    app->add_option("--last", s.last, "Only the newest N runs")
        ->check(whole_number_from(1, kMaxCount));
}

void add_attribute(CLI::App& app, AttributeCommand& c) {
  auto* a = app.add_subcommand("attribute", "Where the time of the selected runs goes");
  add_selection(a, c.selection);
  a->add_option("--by", c.by,
                "phase, kind, tier, resource, or host (each runner against the fleet)")
      ->check(CLI::IsMember({"phase", "kind", "tier", "resource", "host"}));
  a->add_option("--threshold", c.threshold,
                "--by host: the smallest difference from the fleet in percent that counts "
                "(default 10)")
      ->check(number_from(0, 1000));
  a->add_flag("--cold-vs-warm", c.cold_vs_warm, "Which phases explain the cold-warm gap");
  a->add_flag("--tests", c.tests,
              "Also each phase's test cases (its junit: files), as items named phase/test");
  a->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  a->add_flag("--json", c.json, "Machine-readable output");
  a->add_option("--format", c.format, "text (default), json, or markdown (--by host only)")
      ->check(CLI::IsMember({"text", "json", "markdown", "md"}));
}

void add_changes(CLI::App& app, ChangesCommand& c) {
  auto* ch = app.add_subcommand(
      "changes", "Change points over the stored history, per phase and for the run total, "
                 "labelled code or environment: exit 1 when a code change slowed something "
                 "and is not accepted, 4 when only the environment did");
  add_selection(ch, c.selection);
  ch->add_option("--phase", c.phases,
                 "Only this phase (repeatable; the run total is always shown)");
  ch->add_option("--threshold", c.threshold,
                 "Smallest change of the median in percent that counts (default 5)")
      ->check(number_from(0.1, 1000));
  ch->add_option("--alpha", c.alpha, "Permutation p a change must reach (default 0.01)")
      ->check(number_from(0.001, 0.5));
  ch->add_flag("--any-host", c.any_host,
               "Mix runs of different host classes (CPU, count, memory, virtualization) in one "
               "history");
  ch->add_option("--accept", c.accept,
                 "Mark the change at this run (id or prefix) as expected, for --phase or every "
                 "series of its pipeline: it stops alerting")
      ->check(CLI::Validator(
          [](const std::string& v) { return v.empty() ? std::string("a run id or prefix") : ""; },
          "RUN"));
  ch->add_option("--note", c.note, "Why the change is expected (stored with --accept)");
  ch->add_flag("--tests", c.tests,
               "Also each phase's test cases (its junit: files), as series named phase/test");
  ch->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  ch->add_flag("--json", c.json, "Machine-readable output");
}

void add_compare(CLI::App& app, CompareCommand& c) {
  auto* cmp = app.add_subcommand("compare", "Judge runs against a baseline, phase by phase: "
                                            "exit 1 regressed, 4 inconclusive");
  cmp->add_option("run", c.run, "The candidate run (id or unique prefix)");
  cmp->add_flag("--last", c.last, "The newest run (of --pipeline) is the candidate");
  add_selection(cmp, c.selection, false);
  auto* baseline = cmp->add_option(
      "--baseline", c.baseline,
      "Baseline name (default: the newest with the pipeline; without one, --history)");
  cmp->add_flag("--history", c.history,
                "Judge against the candidates' own history: the last 30 passed runs before them "
                "on the same host class, back to the newest accepted change")
      ->excludes(baseline);
  cmp->add_flag("--any-host", c.any_host,
                "Judge candidates that ran on another host class (CPU model, count, memory, "
                "virtualization) than the baseline's runs");
  cmp->add_option("--threshold", c.threshold, "Smallest change in percent that counts (default 5)")
      ->check(number_from(0, 1000));
  auto* confirm =
      cmp->add_option(
             "--confirm", c.confirm,
             "When a phase looks regressed, run the candidates' pipeline this many more times "
             "(recorded, in their mode and with their labels) and judge again: exit 1 only "
             "if it is still regressed")
          ->check(whole_number_from(1, 100));
  cmp->add_option("--pipeline-file", c.pipeline_file,
                  "The pipeline --confirm reruns (default: the candidate runs' own file)")
      ->needs(confirm);
  cmp->add_flag("--tests", c.tests,
                "Also judge each phase's test cases (its junit: files), as items named "
                "phase/test; flaky tests are listed");
  cmp->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  cmp->add_flag("--json", c.json, "Machine-readable output");
}

void add_baseline(CLI::App& app, BaselineCommand& c) {
  auto* b = app.add_subcommand("baseline", "Cold and warm benchmark runs, stored as a baseline");
  b->add_option("files", c.files, "Pipeline files")->required();
  b->add_option("--runs", c.runs, "Runs per mode and pipeline (default 5)")
      ->check(whole_number_from(2, 1000));
  b->add_option("--name", c.name, "Baseline name (default: the session id)");
  b->add_flag("--replace", c.replace, "Overwrite the baseline of that name if there is one");
  b->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  b->add_option("--label", c.labels, "Label k=v for every run (repeatable)");
  b->add_option("--tags", c.tags,
                "Run the phases tagged so too (comma-separated; default $CIPERF_TAGS)");
}

void add_ab(CLI::App& app, AbCommand& c) {
  auto* ab = app.add_subcommand(
      "ab", "Run two pipelines in interleaved pairs, in random order, and judge B against A "
            "pair by pair: exit 1 when B regressed, 4 when the pairs could not tell");
  ab->add_option("a", c.a, "Pipeline A, the reference (YAML)")->required();
  ab->add_option("b", c.b, "Pipeline B, the candidate (YAML; may be A's file in another tree)")
      ->required();
  ab->add_option("--runs", c.runs, "Pairs to run (default 10)")->check(whole_number_from(3, 1000));
  ab->add_option("--seed", c.seed, "Seed of the order within pairs (default: drawn, and printed)")
      ->check(whole_number_from(0, kMaxCount));
  add_enum_option(ab, "--mode", c.mode, "normal (default), cold or warm, for both sides");
  ab->add_option("--threshold", c.threshold, "Smallest change in percent that counts (default 5)")
      ->check(number_from(0, 1000));
  ab->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  ab->add_option("--label", c.labels, "Label k=v for every run (repeatable)");
  ab->add_option("--tags", c.tags,
                 "Run the phases tagged so too (comma-separated; default $CIPERF_TAGS)");
  ab->add_flag("--json", c.json, "Machine-readable output");
}

void add_sweep(CLI::App& app, SweepCommand& c) {
  auto* sw = app.add_subcommand(
      "sweep", "Run pipelines at rising concurrency: throughput, slowdown, failures and memory "
               "per level, the knee, and the concurrency to run at");
  sw->add_option("files", c.files, "Pipeline files (YAML), mixed round-robin");
  sw->add_option("--concurrency", c.concurrency,
                 "Levels, comma-separated (default 1,2,4); $CIPERF_SLOT tells each instance "
                 "its slot, 0 to level-1");
  auto* runs = sw->add_option("--runs", c.runs, "Runs per instance at each level (default 2)")
                   ->check(whole_number_from(1, 1000));
  sw->add_option("--duration", c.duration,
                 "Keep starting runs at each level for this long (30s, 2m) instead of --runs")
      ->excludes(runs);
  sw->add_option("--margin", c.margin,
                 "Percent throughput must gain over the best lower level (default 10)")
      ->check(number_from(0, 1000));
  sw->add_option("--p95-limit", c.p95_limit,
                 "Largest p95 run wall over the first level's median (default 2)")
      ->check(number_from(1, 1000));
  sw->add_option("--memory-floor", c.memory_floor,
                 "Percent of the host's memory MemAvailable must keep (default 10)")
      ->check(number_from(0, 100));
  sw->add_flag("--no-warm-up", c.no_warm_up, "No unrecorded run of each pipeline first");
  sw->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  sw->add_option("--label", c.labels, "Label k=v for every run (repeatable)");
  sw->add_flag("--json", c.json, "Machine-readable output (the same as --format json)");
  sw->add_option("--format", c.format, "text (default), json, markdown or html")
      ->check(CLI::IsMember({"text", "json", "markdown", "md", "html"}));
  sw->add_flag("--list", c.list, "List the stored sweeps, newest first");
}

void add_report(CLI::App& app, ReportCommand& c) {
  auto* r = app.add_subcommand("report", "Reports and exports: " + report_format_names());
  r->add_option("run", c.run, "The run (id or unique prefix; default: the newest)");
  r->add_option("--baseline", c.baseline,
                "A baseline: its sessions' runs, or the verdicts of RUN against it");
  add_selection(r, c.selection);
  std::vector<std::string> formats;
  std::string help;
  for (const auto& f : report_formats()) {
    formats.emplace_back(f.name);
    help += fmt::format("\n  {:10} {}", f.name, f.audience);
  }
  r->add_option("--format", c.format, "The format (default md):" + help)
      ->check(CLI::IsMember(formats));
  r->add_option("-o,--output", c.out, "Write here (atomically) instead of to stdout");
  r->add_option("--trend-runs", c.trend_runs, "Runs in the HTML trends (default 30)")
      ->check(whole_number_from(2, 10000));
  r->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
}

void add_publish(CLI::App& app, PublishCommand& c) {
  auto* p = app.add_subcommand("publish", "Post a run's commit status and PR comment to a forge "
                                          "(Gitea, Forgejo; Drone and Gitea Actions defaults)");
  p->add_option("run", c.run, "The run (id or unique prefix; default: the newest)");
  p->add_option("--to", c.to, "The forge's API: gitea (Gitea and Forgejo)")
      ->check(CLI::IsMember({"gitea", "forgejo"}));
  p->add_option("--url", c.url, "The forge, https://HOST (default: from Drone or Gitea Actions)");
  p->add_option("--repo", c.repo, "OWNER/NAME (default: DRONE_REPO, GITHUB_REPOSITORY)");
  p->add_option("--sha", c.sha, "The commit (default: DRONE_COMMIT_SHA, GITHUB_SHA)");
  p->add_option("--pr", c.pr,
                "The pull request to comment on (default: DRONE_PULL_REQUEST, "
                "refs/pull/N of GITHUB_REF)")
      ->check(whole_number_from(1, 999999999));
  p->add_option("--context", c.context, "The status's context (default ciperf/<pipeline>)");
  p->add_option("--target-url", c.target_url, "The status's link (default: the CI build's page)");
  p->add_option("--baseline", c.baseline,
                "Judge against this baseline (default: the pipeline's "
                "newest, else the run's history)");
  p->add_flag("--history", c.history, "Judge against the run's own history");
  p->add_option("--label", c.labels,
                "Judge RUN with the stored runs of its pipeline and mode "
                "that have label k=v (repeatable)");
  p->add_flag("--no-comment", c.no_comment, "Post the commit status only");
  p->add_option("--timeout", c.timeout,
                "Longest wait for any one request to the forge (default 30s)");
  p->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
}

void add_import(CLI::App& app, ImportCommand& c) {
  auto* i = app.add_subcommand("import", "Store runs recorded elsewhere: ciperf results.json, "
                                         "JUnit XML, cc-ci results.json");
  i->add_option("files", c.files, "Files to import")->required();
  i->add_option("--format", c.format, "auto (default), ciperf, junit or cc-ci")
      ->check(CLI::IsMember({"auto", "ciperf", "junit", "cc-ci"}));
  i->add_option("--label", c.labels, "Label k=v for every imported run (repeatable)");
  i->add_option("--pipeline", c.pipeline,
                "Pipeline name for every imported run, over the file's own (datestamped suites)");
  i->add_option("--tz", c.tz,
                "Time zone of JUnit timestamps written without one (default: the host's; UTC "
                "for jest-junit and mocha-junit-reporter)");
  i->add_option("--store", c.store, "Store: SQLite file or PostgreSQL connection string");
  i->add_flag("--json", c.json, "Machine-readable output");
}

// Every subcommand's options, filled in by the parser.
struct Commands {
  RunCommand run;
  SyncCommand sync;
  std::string check_file;
  RunsCommand runs;
  ShowCommand show;
  WaitCommand wait;
  AttributeCommand attribute;
  CompareCommand compare;
  ChangesCommand changes;
  BaselineCommand baseline;
  AbCommand ab;
  SweepCommand sweep;
  ReportCommand report;
  ImportCommand import;
  PublishCommand publish;
};

int dispatch(CLI::App& app, const Commands& c) {
  if (app.got_subcommand("wait"))
    return command_wait(c.wait);
  if (app.got_subcommand("attribute"))
    return command_attribute(c.attribute);
  if (app.got_subcommand("compare"))
    return command_compare(c.compare);
  if (app.got_subcommand("changes"))
    return command_changes(c.changes);
  if (app.got_subcommand("baseline"))
    return command_baseline(c.baseline);
  if (app.got_subcommand("ab"))
    return command_ab(c.ab);
  if (app.got_subcommand("sweep"))
    return command_sweep(c.sweep);
  if (app.got_subcommand("report"))
    return command_report(c.report);
  if (app.got_subcommand("import"))
    return command_import(c.import);
  if (app.got_subcommand("publish"))
    return command_publish(c.publish);
  if (app.got_subcommand("run"))
    return command_run(c.run);
  if (app.got_subcommand("sync"))
    return command_sync(c.sync);
  if (app.got_subcommand("check"))
    return command_check(c.check_file);
  if (app.got_subcommand("runs"))
    return command_runs(c.runs);
  if (app.got_subcommand("show"))
    return command_show(c.show);
  std::cerr << app.help();
  return kExitUsage;
}

} // namespace

int cli_main(int argc, char** argv) {
  CLI::App app{"ciperf: a CI orchestrator built around per-phase timing"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "ciperf 0.1.0");
  Commands c;
  add_run(app, c.run);
  app.add_subcommand("check", "Validate a pipeline without running it")
      ->add_option("file", c.check_file, "Pipeline file (YAML)")
      ->required();
  add_runs(app, c.runs);
  add_show(app, c.show);
  add_wait(app, c.wait);
  add_attribute(app, c.attribute);
  add_compare(app, c.compare);
  add_changes(app, c.changes);
  add_baseline(app, c.baseline);
  add_ab(app, c.ab);
  add_sweep(app, c.sweep);
  add_report(app, c.report);
  add_import(app, c.import);
  add_publish(app, c.publish);
  add_sync(app, c.sync);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    return dispatch(app, c);
  } catch (const PipelineError& e) {
    for (const auto& problem : e.problems())
      std::cerr << terminal_escape(problem) << "\n";
    std::cerr << fmt::format("ciperf: error: the pipeline has {} problem{}\n", e.problems().size(),
                             e.problems().size() == 1 ? "" : "s");
    return kExitUsage;
  } catch (const UsageError& e) { // messages quote user text: names, paths, patterns
    std::cerr << "ciperf: error: " << terminal_escape(e.what()) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) { // not the user's doing: its own exit code
    std::cerr << "ciperf: error: " << terminal_escape(e.what()) << "\n";
    return kExitInternal;
  }
}

} // namespace ciperf
