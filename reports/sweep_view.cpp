#include "reports/sweep_view.hpp"

#include "common/text_escape.hpp"
#include "reports/html_charts.hpp"
#include "reports/human_units.hpp"
#include "reports/markdown_table.hpp"
#include "reports/text_table.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

template <typename T> json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string ratio(const std::optional<double>& r) {
  return r ? fmt::format("{:.2f}x", *r) : "-";
}

std::string bytes_or_dash(const std::optional<int64_t>& b) {
  return b ? human_bytes(*b) : "-";
}

std::string stall(const std::optional<double>& s) {
  return s ? fmt::format("{:.0f}", 100 * *s) : "-";
}

// The cells every format shows for a level, in the order of kLevelHeader.
const std::vector<std::string> kLevelHeader = {
    "concurrency",        "runs",         "throughput/h", "median wall", "p95 wall",
    "slowdown",           "p95 slowdown", "failures",     "peak mem",    "min MemAvailable",
    "host stall c/io/m %"};

std::vector<std::string> level_cells(const SweepLevel& l) {
  return {std::to_string(l.level),
          std::to_string(l.runs),
          fmt::format("{:.0f}", l.throughput_per_h),
          l.runs > l.failures ? human_seconds(l.median_wall_s) : "-",
          l.runs > l.failures ? human_seconds(l.p95_wall_s) : "-",
          ratio(l.slowdown),
          ratio(l.p95_slowdown),
          std::to_string(l.failures),
          bytes_or_dash(l.peak_memory_bytes),
          bytes_or_dash(l.min_mem_available_bytes),
          fmt::format("{}/{}/{}", stall(l.cpu_pressure), stall(l.io_pressure),
                      stall(l.memory_pressure))};
}

// One row per (pipeline, phase), a column per level: the phase's slowdown there.
std::vector<std::vector<std::string>> phase_rows(const SweepReport& r) {
  std::vector<std::pair<size_t, std::string>> keys;
  for (const auto& p : r.levels.empty() ? std::vector<PhaseSlowdown>{} : r.levels.front().phases)
    keys.emplace_back(p.pipeline, p.phase);
  std::vector<std::vector<std::string>> rows;
  for (const auto& [pipeline, phase] : keys) {
    std::vector<std::string> row{r.pipelines.at(pipeline), phase};
    for (const auto& l : r.levels) {
      std::optional<double> s;
      for (const auto& p : l.phases)
        if (p.pipeline == pipeline && p.phase == phase)
          s = p.slowdown;
      row.push_back(ratio(s));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> phase_header(const SweepReport& r) {
  std::vector<std::string> h{"pipeline", "phase"};
  for (const auto& l : r.levels)
    h.push_back(fmt::format("{}x", l.level));
  return h;
}

const std::vector<std::string> kDemandHeader = {"pipeline",       "runs alone", "cpu cores",
                                                "io stall share", "mem / slot", "weight"};

std::vector<std::vector<std::string>> demand_rows(const SweepReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : r.demands)
    rows.push_back({r.pipelines.at(d.pipeline), std::to_string(d.runs),
                    fmt::format("{:.2f}", d.cpu), fmt::format("{:.2f}", d.io),
                    d.memory ? fmt::format("{:.2f}", *d.memory) : "-",
                    fmt::format("{:.2f}", d.weight)});
  return rows;
}

std::string knee_line(const SweepReport& r) {
  if (r.levels.empty())
    return "no level was measured";
  if (!r.knee.level)
    return "no knee up to concurrency " + std::to_string(r.levels.back().level) + ": " +
           r.knee.reason;
  return fmt::format("knee at concurrency {} ({}): {}", *r.knee.level, knee_rule_name(r.knee.rule),
                     r.knee.reason);
}

std::string recommendation_line(const SweepReport& r) {
  if (r.knee.recommended == 0)
    return "no concurrency to recommend: the first level already broke a rule";
  return fmt::format("recommended concurrency: {}", r.knee.recommended);
}

std::string plan_line(const SweepReport& r) {
  std::string per = r.duration_s
                        ? fmt::format("runs started for {} per level", human_seconds(*r.duration_s))
                        : fmt::format("{} run{} per instance and level", r.runs_per_instance,
                                      r.runs_per_instance == 1 ? "" : "s");
  return fmt::format("sweep {} of {}: {}; knee rules: throughput +{:.0f}%, p95 slowdown ≤ "
                     "{:.2f}x, no failure, MemAvailable ≥ {}",
                     r.id, fmt::join(r.pipelines, ", "), per, 100 * r.rules.margin,
                     r.rules.p95_limit, human_bytes(r.rules.memory_floor_bytes));
}

void write_text(const SweepReport& r, std::ostream& out) {
  out << terminal_escape(plan_line(r)) << "\n\n";
  TextTable levels{kLevelHeader, {}, std::vector<bool>(kLevelHeader.size(), true)};
  for (const auto& l : r.levels)
    levels.rows.push_back(level_cells(l));
  out << levels.render() << "\n";
  if (auto rows = phase_rows(r); !rows.empty()) {
    TextTable phases{phase_header(r), rows, {false, false}};
    phases.right_aligned.resize(phases.header.size(), true);
    out << "phase slowdown (median wall against concurrency " << r.levels.front().level << ")\n"
        << phases.render() << "\n";
  }
  if (!r.demands.empty()) {
    TextTable demands{kDemandHeader, demand_rows(r), {false, true, true, true, true, true}};
    out << "demand at concurrency " << r.levels.front().level << " (weight: the largest)\n"
        << demands.render() << "\n";
  }
  out << terminal_escape(knee_line(r)) << "\n" << recommendation_line(r) << "\n";
  if (r.interrupted)
    out << "interrupted: the levels above were measured in full, the rest not at all\n";
}

json level_json(const SweepLevel& l, const SweepReport& r) {
  json runs = json::array();
  for (const auto& s : l.samples)
    runs.push_back({{"run_id", s.run_id.empty() ? json(nullptr) : json(s.run_id)},
                    {"pipeline", r.pipelines.at(s.pipeline)},
                    {"passed", s.passed},
                    {"wall_s", s.wall_s},
                    {"cpu_s", s.cpu_s},
                    {"io_bytes", s.io_bytes},
                    {"peak_memory_bytes", or_null(s.peak_memory_bytes)}});
  json phases = json::array();
  for (const auto& p : l.phases)
    phases.push_back(
        {{"pipeline", r.pipelines.at(p.pipeline)}, {"phase", p.phase}, {"slowdown", p.slowdown}});
  return {{"concurrency", l.level},
          {"runs", l.runs},
          {"failures", l.failures},
          {"elapsed_s", l.elapsed_s},
          {"throughput_per_h", l.throughput_per_h},
          {"median_wall_s", l.runs > l.failures ? json(l.median_wall_s) : json(nullptr)},
          {"p95_wall_s", l.runs > l.failures ? json(l.p95_wall_s) : json(nullptr)},
          {"slowdown", or_null(l.slowdown)},
          {"p95_slowdown", or_null(l.p95_slowdown)},
          {"peak_memory_bytes", or_null(l.peak_memory_bytes)},
          {"min_mem_available_bytes", or_null(l.min_mem_available_bytes)},
          {"host_pressure",
           {{"cpu", or_null(l.cpu_pressure)},
            {"io", or_null(l.io_pressure)},
            {"memory", or_null(l.memory_pressure)}}},
          {"phases", phases},
          {"runs_measured", runs}};
}

json report_json(const SweepReport& r) {
  json levels = json::array(), demands = json::array();
  for (const auto& l : r.levels)
    levels.push_back(level_json(l, r));
  for (const auto& d : r.demands)
    demands.push_back({{"pipeline", r.pipelines.at(d.pipeline)},
                       {"runs", d.runs},
                       {"cpu", d.cpu},
                       {"io", d.io},
                       {"memory", or_null(d.memory)},
                       {"weight", d.weight}});
  return {{"sweep", r.id},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at},
          {"status", r.interrupted ? "interrupted" : "completed"},
          {"pipelines", r.pipelines},
          {"files", r.files},
          {"runs_per_instance", r.duration_s ? json(nullptr) : json(r.runs_per_instance)},
          {"duration_s", or_null(r.duration_s)},
          {"rules",
           {{"throughput_margin", r.rules.margin},
            {"p95_limit", r.rules.p95_limit},
            {"memory_floor_bytes", r.rules.memory_floor_bytes}}},
          {"mem_available_at_start_bytes", or_null(r.mem_available_at_start)},
          {"levels", levels},
          {"knee",
           {{"concurrency", or_null(r.knee.level)},
            {"rule", knee_rule_name(r.knee.rule)},
            {"reason", r.knee.reason}}},
          {"recommended_concurrency", r.knee.recommended},
          {"demands", demands},
          {"dir", r.dir}};
}

std::string md_cell(const std::string& s) {
  return markdown_escape(s);
}

void write_markdown(const SweepReport& r, std::ostream& out) {
  out << "# Concurrency sweep " << md_cell(r.id) << "\n\n" << md_cell(plan_line(r)) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : r.levels)
    rows.push_back(level_cells(l));
  write_markdown_table(kLevelHeader, rows, out);
  out << "**" << md_cell(knee_line(r)) << "**; " << md_cell(recommendation_line(r)) << "\n\n";
  if (auto phases = phase_rows(r); !phases.empty()) {
    out << "## Phase slowdown\n\n";
    write_markdown_table(phase_header(r), phases, out);
  }
  if (!r.demands.empty()) {
    out << "## Demand and weight\n\n";
    write_markdown_table(kDemandHeader, demand_rows(r), out);
  }
}

void html_table(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::string& out) {
  out += "<table><tr>";
  for (const auto& h : header)
    out += "<th>" + xml_escape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& c : row)
      out += "<td>" + xml_escape(c) + "</td>";
    out += "</tr>\n";
  }
  out += "</table>\n";
}

std::string curves(const SweepReport& r) {
  std::vector<CurvePoint> throughput, slowdown;
  for (const auto& l : r.levels) {
    throughput.push_back({static_cast<double>(l.level), l.throughput_per_h,
                          fmt::format("{:.0f}/h", l.throughput_per_h)});
    if (l.slowdown)
      slowdown.push_back({static_cast<double>(l.level), *l.slowdown, ratio(l.slowdown)});
  }
  std::optional<double> knee;
  if (r.knee.level)
    knee = *r.knee.level;
  return curve_svg("throughput, runs per hour", throughput, knee) +
         curve_svg("slowdown against the first level", slowdown, knee);
}

constexpr const char* kHtmlStyle =
    "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px}"
    "table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 8px;border-bottom:1px solid "
    "#eaeef2;text-align:right}th{background:#f6f8fa}svg text{font:11px system-ui,sans-serif}"
    "svg .tick{fill:#59636e}svg .grid{stroke:#8c959f}.cumulative{fill:none;stroke:#0969da;"
    "stroke-width:2}circle{fill:#0969da}.cut{stroke:#cf222e;stroke-dasharray:4 3}"
    ".knee{font-weight:600}:root{color-scheme:light dark}svg text{fill:#1f2328}"
    // The dark scheme covers the curves too: unset, svg text stays black on a dark page.
    "@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}"
    "th,td{border-color:#21262d}th{background:#161b22}svg text{fill:#e6edf3}"
    "svg .tick{fill:#9198a1}svg .grid{stroke:#30363d}.cumulative{stroke:#4493f8}"
    "circle{fill:#4493f8}.cut{stroke:#ff7b72}}";

void write_html(const SweepReport& r, std::ostream& out) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:; script-src 'none'\">\n<title>Concurrency sweep " +
      xml_escape(r.id) + "</title>\n<style>" + kHtmlStyle + "</style></head>\n<body>\n<h1>" +
      "Concurrency sweep " + xml_escape(r.id) + "</h1>\n<p>" + xml_escape(plan_line(r)) +
      "</p>\n<p class=\"knee\">" + xml_escape(knee_line(r)) + "; " +
      xml_escape(recommendation_line(r)) + "</p>\n" + curves(r) + "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : r.levels)
    rows.push_back(level_cells(l));
  html_table(kLevelHeader, rows, page);
  if (auto phases = phase_rows(r); !phases.empty()) {
    page += "<h2>Phase slowdown</h2>\n";
    html_table(phase_header(r), phases, page);
  }
  if (!r.demands.empty()) {
    page += "<h2>Demand and weight</h2>\n";
    html_table(kDemandHeader, demand_rows(r), page);
  }
  out << page << "</body></html>\n";
}

} // namespace

std::string sweep_json(const SweepReport& report) {
  return report_json(report).dump();
}

void write_sweep(const SweepReport& report, SweepFormat format, std::ostream& out) {
  switch (format) {
  case SweepFormat::Text:
    return write_text(report, out);
  case SweepFormat::Json:
    out << report_json(report).dump(2) << "\n";
    return;
  case SweepFormat::Markdown:
    return write_markdown(report, out);
  case SweepFormat::Html:
    return write_html(report, out);
  }
}

void write_sweep_list(const std::vector<Store::StoredSweep>& sweeps, ViewFormat format,
                      std::ostream& out) {
  if (format == ViewFormat::Json) {
    json list = json::array();
    for (const auto& s : sweeps)
      list.push_back(json::parse(s.summary));
    out << list.dump(2) << "\n";
    return;
  }
  TextTable t{{"sweep", "started", "status", "pipelines", "concurrency", "knee", "recommended"},
              {},
              {false, false, false, false, false, false, true}};
  for (const auto& s : sweeps)
    t.rows.push_back({s.id, s.started_at, s.status, s.pipelines, s.levels,
                      s.knee_level ? fmt::format("{} ({})", *s.knee_level, s.knee_rule) : "none",
                      std::to_string(s.recommended)});
  out << t.render();
}

} // namespace ciperf
