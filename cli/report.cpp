// `ciperf report`: one run, a baseline or a selection of runs, in the format asked for.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/atomic_file.hpp"
#include "common/errors.hpp"
#include "reports/report_loader.hpp"
#include "reports/reporter.hpp"

#include <iostream>

namespace ciperf {
namespace {

bool says_something(const RunSelection& s) {
  return s.pipeline || s.mode || s.since || s.last || !s.labels.empty();
}

} // namespace

int command_report(const ReportCommand& c) {
  auto reporter = make_reporter(c.format);
  if (!c.run.empty() && says_something(c.selection))
    throw UsageError("report takes RUN or filters (--pipeline, --mode, --label, --since, "
                     "--last), not both");
  if (reporter->needs_baseline() && c.baseline.empty())
    throw UsageError("--format " + c.format + " describes a baseline: pass --baseline NAME");
  Store store = open_existing_store(c.store);
  ReportRequest request;
  if (!c.run.empty())
    request.run = c.run;
  if (!c.baseline.empty())
    request.baseline = c.baseline;
  request.filter = to_filter(c.selection);
  request.filtered = says_something(c.selection);
  request.trend_runs = c.trend_runs;
  // An export writes the runs as they are: it needs none of the analyses.
  bool exports = reporter->exports_every_run();
  Report report = exports ? Report{} : load_report(store, request);
  auto write = [&](std::ostream& out) {
    if (!exports)
      return reporter->write(report, out);
    reporter->begin(report, out);
    for_each_report_run(store, request, [&](const ReportRun& run) { reporter->run(run, out); });
    reporter->end(report, out);
  };
  if (c.out.empty() || c.out == "-") {
    write(std::cout);
    std::cout.flush();
  } else {
    write_file_atomically(c.out, write);
  }
  return kExitPassed;
}

} // namespace ciperf
