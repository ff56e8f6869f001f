#include "reports/report_format.hpp"

#include "common/errors.hpp"

namespace ciperf {
namespace {

const ReportFormat kFormats[] = {
    {"md", "a PR comment, $GITHUB_STEP_SUMMARY, a Drone card", nullptr, make_markdown_page},
    {"html", "a browser, offline", nullptr, make_html_page},
    {"junit", "Jenkins, GitLab test views", make_junit_export, nullptr},
    {"trace", "Perfetto, chrome://tracing", make_trace_export, nullptr},
    {"otlp", "an OpenTelemetry collector's file receiver", make_otlp_export, nullptr},
    {"csv", "spreadsheets, pandas", make_csv_export, nullptr},
    {"json", "scripts: each run as its results.json", make_json_export, nullptr},
    {"hyperfine", "hyperfine's plotting scripts (a baseline, or a run's phases)", nullptr,
     make_hyperfine_page},
};

} // namespace

void ReportFormat::write(const Report& report, std::ostream& out) const {
  if (!exports()) {
    render()->render(report, out);
    return;
  }
  auto exporter = export_runs();
  exporter->begin(out);
  for (const auto& r : report.runs)
    exporter->run(r, out);
  exporter->end(out);
}

std::span<const ReportFormat> report_formats() {
  return kFormats;
}

std::string report_format_names() {
  std::string names;
  for (const auto& f : kFormats)
    names.append(names.empty() ? "" : ", ").append(f.name);
  return names;
}

const ReportFormat& report_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name)
      return f;
  throw UsageError("unknown report format '" + std::string(name) +
                   "' (known: " + report_format_names() + ")");
}

} // namespace ciperf
