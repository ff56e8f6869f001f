// `ciperf report`: one run, a baseline or a selection of runs, in the format asked for.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/atomic_file.hpp"
#include "common/errors.hpp"
#include "reports/report_format.hpp"
#include "reports/report_loader.hpp"

#include <iostream>

namespace ciperf {
namespace {

bool says_something(const RunSelection& s) {
  return s.pipeline || s.mode || s.since || s.last || !s.labels.empty();
}

} // namespace

int command_report(const ReportCommand& c) {
  const ReportFormat& format = report_format(c.format);
  if (!c.run.empty() && says_something(c.selection))
    throw UsageError("report takes RUN or filters (--pipeline, --mode, --label, --since, "
                     "--last), not both");
  Store store = open_existing_store(c.store);
  ReportRequest request;
  if (!c.run.empty())
    request.run = c.run;
  if (!c.baseline.empty())
    request.baseline = c.baseline;
  request.filter = to_filter(c.selection);
  request.filtered = says_something(c.selection);
  request.trend_runs = c.trend_runs;
  auto write = [&](std::ostream& out) { write_report(store, request, format, out); };
  if (c.out.empty() || c.out == "-") {
    write(std::cout);
    std::cout.flush();
  } else {
    write_file_atomically(c.out, write);
  }
  return kExitPassed;
}

} // namespace ciperf
