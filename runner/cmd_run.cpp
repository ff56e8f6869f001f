#include "analysis/store.hpp"
#include "common/errors.hpp"
#include "reports/phase_table.hpp"
#include "runner/commands.hpp"
#include "runner/orchestrator.hpp"
#include "runner/pipeline_loader.hpp"
#include "runner/status_printer.hpp"

#include <fmt/format.h>
#include <iostream>

namespace ciperf {

std::map<std::string, std::string> parse_labels(const std::vector<std::string>& labels) {
  std::map<std::string, std::string> out;
  for (const auto& label : labels) {
    auto eq = label.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("label '" + label + "' is not of the form key=value");
    out[label.substr(0, eq)] = label.substr(eq + 1);
  }
  return out;
}

int command_check(const std::string& file) {
  Pipeline p = load_pipeline(file);
  size_t background = 0, always = 0;
  for (const auto& phase : p.phases) {
    background += phase.background;
    always += phase.always;
  }
  std::cout << fmt::format("{}: ok: pipeline '{}', {} phases ({} background, {} always)\n", file,
                           p.name, p.phases.size(), background, always);
  return kExitPassed;
}

int command_run(const RunCommand& c) {
  Pipeline pipeline = load_pipeline(c.file);
  if (c.mode == "cold" && !pipeline.cold_prepare)
    throw UsageError("--mode cold needs a 'cold: prepare:' command in " + c.file);
  RunOptions options;
  options.mode = c.mode;
  options.out_dir = c.out;
  options.labels = parse_labels(c.labels);
  options.verbose = c.verbose;
  Store store(resolve_store_path(c.store)); // opened first: a bad store path fails before any phase
  RunOutcome outcome = run_pipeline(pipeline, options, store);
  auto style = ConsoleStyle::detect(c.verbose);
  std::cout << "\n" << phase_table(outcome.record, TableStyle{style.color});
  std::cout << run_summary_line(outcome.record) << "\n";
  std::cout << "results: " << outcome.record.run_dir << "/results.json\n";
  return outcome.exit_code;
}

} // namespace ciperf
