#pragma once
// The report formats, each in its own file, behind two small interfaces (in the manner of
// google/benchmark's reporters and hyperfine's exporters): an Exporter streams runs one at a
// time, so 10,000 runs take the memory of one; a PageRenderer writes one page from the analyses
// of a selection. report_format.cpp's table is the one place that names them all.
#include "reports/report.hpp"

#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ciperf {

class Exporter {
public:
  virtual ~Exporter() = default;
  virtual void begin(std::ostream&) {}
  virtual void run(const ReportRun& run, std::ostream& out) = 0;
  virtual void end(std::ostream&) {}
};

class PageRenderer {
public:
  virtual ~PageRenderer() = default;
  virtual void render(const Report& report, std::ostream& out) = 0;
};

struct ReportFormat {
  std::string_view name;
  std::string_view audience;                  // for --help
  std::unique_ptr<Exporter> (*export_runs)(); // set for the exports
  std::unique_ptr<PageRenderer> (*render)();  // set for the pages

  bool exports() const { return export_runs != nullptr; }
  // Every run of report.runs through a new exporter, or the page of `report`.
  void write(const Report& report, std::ostream& out) const;
};

std::span<const ReportFormat> report_formats();
// Throws UsageError naming the known formats.
const ReportFormat& report_format(std::string_view name);
// "md, html, junit, …"
std::string report_format_names();

std::unique_ptr<PageRenderer> make_markdown_page();
std::unique_ptr<PageRenderer> make_html_page();
std::unique_ptr<PageRenderer> make_hyperfine_page();
std::unique_ptr<Exporter> make_junit_export();
std::unique_ptr<Exporter> make_trace_export();
std::unique_ptr<Exporter> make_otlp_export();
std::unique_ptr<Exporter> make_csv_export();
std::unique_ptr<Exporter> make_json_export();

} // namespace ciperf
