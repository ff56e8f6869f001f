#pragma once
// One interface for every output format: a reporter writes a whole Report to a stream. Each
// format lives in its own file; `make_reporter` is the only place that knows them all.
#include "reports/report.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace ciperf {

// Exports are written run by run, so that 10,000 runs need the memory of one: begin, then
// run() for each run, then end. The overviews write their whole page in begin and use only
// report.runs.front(). A reporter may keep state between the calls; use one per output.
class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void begin(const Report& report, std::ostream& out) const = 0;
  virtual void run(const ReportRun&, std::ostream&) const {}
  virtual void end(const Report&, std::ostream&) const {}
  // begin, run() for each of report.runs, end.
  void write(const Report& report, std::ostream& out) const;
  // True for the exports, which write every selected run in full; the overviews need only the
  // newest run besides the analyses.
  virtual bool exports_every_run() const { return false; }
  // True for the formats that describe a baseline rather than runs (hyperfine's layout).
  virtual bool needs_baseline() const { return false; }
};

// md | html | junit | trace | otlp | csv | hyperfine; throws UsageError naming the formats
// for anything else.
std::unique_ptr<Reporter> make_reporter(const std::string& format);
const std::vector<std::string>& report_formats();

} // namespace ciperf
