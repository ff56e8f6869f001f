#pragma once
// Assembling a Report from the store: which runs it shows, and the analyses over the runs it
// was chosen from. One pass over the selected phases feeds every analysis.
#include "reports/report.hpp"
#include "store/store.hpp"

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace ciperf {

struct ReportRequest {
  std::optional<std::string> run;      // a run id or unique prefix
  std::optional<std::string> baseline; // a baseline's name
  RunFilter filter;                    // the selection, when no run is named
  bool filtered = false;               // the filter says something (else: the newest run)
  int trend_runs = 30;
  size_t log_tail_bytes = 4096;
};

// For the overviews. Throws UsageError when the selection is empty or names what the store
// does not have. report.runs holds the newest selected run only.
Report load_report(Store& store, const ReportRequest& request);
// For the exports: every selected run in full, with its log tails, newest first, one at a time.
void for_each_report_run(Store& store, const ReportRequest& request,
                         const std::function<void(const ReportRun&)>& visit);

// The whole report in `format`: the page of load_report's analyses, or every selected run
// streamed through the format's exporter (which needs none of the analyses).
struct ReportFormat;
void write_report(Store& store, const ReportRequest& request, const ReportFormat& format,
                  std::ostream& out);

// The end of a log file, from a line start, at most `bytes` long; empty when unreadable.
std::string log_tail(const std::string& path, size_t bytes);

} // namespace ciperf
