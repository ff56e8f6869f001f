#include "runner/cli.hpp"

#include "common/errors.hpp"
#include "runner/commands.hpp"
#include "runner/pipeline_loader.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>

namespace ciperf {
namespace {

void add_run(CLI::App& app, RunCommand& c) {
  auto* run = app.add_subcommand("run", "Run a pipeline, time every phase, record the run");
  run->add_option("file", c.file, "Pipeline file (YAML)")->required();
  run->add_option("--mode", c.mode, "normal, cold (runs cold.prepare first) or warm")
      ->check(CLI::IsMember({"normal", "cold", "warm"}));
  run->add_option("--store", c.store, "SQLite store (default $CIPERF_STORE or .ciperf/ciperf.db)");
  run->add_option("--out", c.out, "Run directory (default .ciperf/runs/<run-id>)");
  run->add_option("--label", c.labels, "Label k=v (repeatable)");
  run->add_flag("-v,--verbose", c.verbose, "Stream phase output to the console too");
}

void add_runs(CLI::App& app, RunsCommand& c) {
  auto* runs = app.add_subcommand("runs", "List stored runs, newest first");
  runs->add_option("--store", c.store, "SQLite store");
  runs->add_option("--pipeline", c.pipeline, "Only runs of this pipeline");
  runs->add_option("--mode", c.mode, "Only runs in this mode");
  runs->add_option("--label", c.labels, "Only runs with label k=v (repeatable)");
  runs->add_option("--limit", c.limit, "At most this many runs")->check(CLI::PositiveNumber);
  runs->add_flag("--json", c.json, "Machine-readable output");
}

void add_show(CLI::App& app, ShowCommand& c) {
  auto* show = app.add_subcommand("show", "Show one stored run's phase table");
  show->add_option("run", c.run, "Run id or a unique prefix of it")->required();
  show->add_option("--store", c.store, "SQLite store");
  show->add_flag("--json", c.json, "The run as results.json v1");
}

int dispatch(CLI::App& app, const RunCommand& run, const std::string& check_file,
             const RunsCommand& runs, const ShowCommand& show) {
  if (app.got_subcommand("run"))
    return command_run(run);
  if (app.got_subcommand("check"))
    return command_check(check_file);
  if (app.got_subcommand("runs"))
    return command_runs(runs);
  if (app.got_subcommand("show"))
    return command_show(show);
  std::cerr << app.help();
  return kExitUsage;
}

} // namespace

int cli_main(int argc, char** argv) {
  CLI::App app{"ciperf: a CI orchestrator built around per-phase timing"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "ciperf 0.1.0");
  RunCommand run;
  RunsCommand runs;
  ShowCommand show;
  std::string check_file;
  add_run(app, run);
  app.add_subcommand("check", "Validate a pipeline without running it")
      ->add_option("file", check_file, "Pipeline file (YAML)")
      ->required();
  add_runs(app, runs);
  add_show(app, show);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    return dispatch(app, run, check_file, runs, show);
  } catch (const PipelineError& e) {
    for (const auto& problem : e.problems())
      std::cerr << problem << "\n";
    std::cerr << fmt::format("ciperf: error: the pipeline has {} problem{}\n", e.problems().size(),
                             e.problems().size() == 1 ? "" : "s");
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "ciperf: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "ciperf: error: " << e.what() << "\n";
    return kExitUsage;
  }
}

} // namespace ciperf
