#include "reports/reporter.hpp"

#include "common/errors.hpp"
#include "reports/format_reporters.hpp"

namespace ciperf {

void Reporter::write(const Report& report, std::ostream& out) const {
  begin(report, out);
  if (exports_every_run())
    for (const auto& r : report.runs)
      run(r, out);
  end(report, out);
}

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = {"md",   "html", "junit",    "trace",
                                                   "otlp", "csv",  "hyperfine"};
  return formats;
}

std::unique_ptr<Reporter> make_reporter(const std::string& format) {
  if (format == "md")
    return make_markdown_reporter();
  if (format == "html")
    return make_html_reporter();
  if (format == "junit")
    return make_junit_reporter();
  if (format == "trace")
    return make_trace_reporter();
  if (format == "otlp")
    return make_otlp_reporter();
  if (format == "csv")
    return make_csv_reporter();
  if (format == "hyperfine")
    return make_hyperfine_reporter();
  std::string known;
  for (const auto& f : report_formats())
    known += (known.empty() ? "" : ", ") + f;
  throw UsageError("unknown report format '" + format + "' (known: " + known + ")");
}

} // namespace ciperf
