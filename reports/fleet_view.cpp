#include "reports/fleet_view.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"
#include "reports/markdown_table.hpp"
#include "reports/text_table.hpp"
#include "reports/verdict_cells.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

const char* source_name(StallSource s) {
  return s == StallSource::Own ? "own" : s == StallSource::Host ? "host" : "none";
}

std::string pct(double share) {
  return std::isnan(share) ? "-" : fmt::format("{:.0f}%", 100 * share);
}

// "62% vs 3% higher": the host's stall share against the fleet's.
std::string stall_cell(double host, double fleet, bool higher) {
  if (std::isnan(host) || std::isnan(fleet))
    return "-";
  return fmt::format("{} vs {}{}", pct(host), pct(fleet), higher ? " higher" : "");
}

std::string stall_header(const char* what, StallSource s) {
  return fmt::format("{} stall{}", what,
                     s == StallSource::Own    ? " (own)"
                     : s == StallSource::Host ? " (host-wide)"
                                              : "");
}

// The stall source a table's header names: the first host's that has one.
template <typename Rows> StallSource source_of(const Rows& rows) {
  for (const auto& r : rows)
    if (r.stalls.source != StallSource::None)
      return r.stalls.source;
  return StallSource::None;
}

json stalls_json(const StallComparison& s) {
  return {{"source", source_name(s.source)},
          {"cpu", number_or_null(s.cpu)},
          {"fleet_cpu", number_or_null(s.fleet_cpu)},
          {"io", number_or_null(s.io)},
          {"fleet_io", number_or_null(s.fleet_io)},
          {"cpu_higher", s.cpu_higher},
          {"io_higher", s.io_higher}};
}

json gap_json(const PhaseGap& g) {
  return {{"phase", g.phase},
          {"runs", g.runs},
          {"fleet_runs", g.fleet_runs},
          {"median_s", g.median_s},
          {"fleet_median_s", g.fleet_median_s},
          {"difference_s", g.difference_s},
          {"share_of_gap", number_or_null(g.share_of_gap)},
          {"vital", g.vital},
          {"stalls", stalls_json(g.stalls)}};
}

json host_json(const HostRow& h) {
  json gaps = json::array();
  for (const auto& g : h.gaps)
    gaps.push_back(gap_json(g));
  return {{"hostname", h.hostname},
          {"host_class", h.host_class},
          {"runs", h.runs},
          {"median_s", h.median_s},
          {"median_ci_s", h.ci ? json{h.ci->low, h.ci->high} : json(nullptr)},
          {"fleet",
           {{"hosts", h.fleet_hosts},
            {"runs", h.fleet_runs},
            {"median_s", number_or_null(h.fleet_median_s)}}},
          {"ratio", number_or_null(h.ratio)},
          {"p", number_or_null(h.p)},
          {"verdict", to_string(h.verdict)},
          {"why", h.why},
          {"stalls", stalls_json(h.stalls)},
          {"gaps", gaps}};
}

void write_json(const FleetResult& r, std::ostream& out) {
  json groups = json::array();
  for (const auto& g : r.groups) {
    json hosts = json::array();
    for (const auto& h : g.hosts)
      hosts.push_back(host_json(h));
    groups.push_back({{"pipeline", g.pipeline},
                      {"mode", to_string(g.mode)},
                      {"runs", g.runs},
                      {"median_s", g.median_s},
                      {"hosts", hosts}});
  }
  bool one = r.hostnames.size() < 2;
  out << json{{"by", "host"},
              {"method", kFleetMethod},
              {"threshold", r.options.threshold},
              {"alpha", r.options.alpha},
              {"hostnames", r.hostnames},
              {"runs", r.runs},
              {"left_out", r.left_out},
              {"message", one ? json(one_host_message(r)) : json(nullptr)},
              {"groups", one ? json::array() : groups}}
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

std::vector<std::string> host_header(const FleetGroup& g) {
  StallSource s = source_of(g.hosts);
  return {"host",
          "class",
          "runs",
          "median",
          "95% CI",
          "fleet median",
          "vs fleet",
          "p (Holm)",
          "verdict",
          stall_header("CPU", s),
          stall_header("I/O", s)};
}

std::vector<std::string> host_cells(const HostRow& h) {
  return {h.hostname,
          h.host_class,
          std::to_string(h.runs),
          human_seconds(h.median_s),
          seconds_ci(h.ci),
          std::isnan(h.fleet_median_s)
              ? "-"
              : fmt::format("{} ({} run{})", human_seconds(h.fleet_median_s), h.fleet_runs,
                            h.fleet_runs == 1 ? "" : "s"),
          std::isnan(h.ratio) ? "-" : relative_text(h.ratio - 1),
          std::isnan(h.p) ? "-" : p_text(h.p),
          to_string(h.verdict),
          stall_cell(h.stalls.cpu, h.stalls.fleet_cpu, h.stalls.cpu_higher),
          stall_cell(h.stalls.io, h.stalls.fleet_io, h.stalls.io_higher)};
}

std::vector<std::string> gap_header(const HostRow& h) {
  StallSource s = source_of(h.gaps);
  return {"phase",
          h.hostname,
          "fleet",
          "difference",
          "share of gap",
          "vital few",
          stall_header("CPU", s),
          stall_header("I/O", s)};
}

std::vector<std::string> gap_cells(const PhaseGap& g) {
  return {g.phase,
          human_seconds(g.median_s),
          human_seconds(g.fleet_median_s),
          fmt::format("{:+.2f}s", g.difference_s),
          pct(g.share_of_gap),
          g.vital ? "*" : "",
          stall_cell(g.stalls.cpu, g.stalls.fleet_cpu, g.stalls.cpu_higher),
          stall_cell(g.stalls.io, g.stalls.fleet_io, g.stalls.io_higher)};
}

std::string gap_line(const FleetGroup& g, const HostRow& h) {
  return fmt::format(
      "{} is slower than the fleet on {} ({}): {:+.2f}s per run ({}), by phase:", h.hostname,
      g.pipeline, to_string(g.mode), h.median_s - h.fleet_median_s, relative_text(h.ratio - 1));
}

// What the stalls say about a slow host: it waited for a CPU or the disk more than the fleet
// did (infrastructure), or it did not (a slower CPU, or different work: worth a look at both).
std::string evidence_line(const HostRow& h) {
  const StallComparison& s = h.stalls;
  if (s.source == StallSource::None)
    return "no stall figures on both sides (a kernel without PSI): the runs cannot tell "
           "infrastructure from code";
  std::string whose = s.source == StallSource::Own ? "its phases' own" : "its host-wide";
  std::string figures = fmt::format("CPU stall {} against the fleet's {}, I/O stall {} against {}",
                                    pct(s.cpu), pct(s.fleet_cpu), pct(s.io), pct(s.fleet_io));
  if (s.cpu_higher || s.io_higher)
    return fmt::format("infrastructure: {} {}: its phases waited for {} more than the fleet's did",
                       whose, figures,
                       s.cpu_higher && s.io_higher ? "the CPU and the disk"
                       : s.cpu_higher              ? "a CPU"
                                                   : "the disk");
  return fmt::format("{} {}: not higher, so the gap is not waiting (a slower CPU, or other "
                     "work on this host)",
                     whose, figures);
}

std::string group_line(const FleetGroup& g) {
  return fmt::format("{} · {} · {} runs on {} hosts, median {}", g.pipeline, to_string(g.mode),
                     g.runs, g.hosts.size(), human_seconds(g.median_s));
}

std::string summary_line(const FleetResult& r) {
  std::string line = fmt::format("{} hosts, {} runs compared", r.hostnames.size(), r.runs);
  if (r.left_out > 0)
    line += fmt::format(" ({} selected run{} that did not pass left out)", r.left_out,
                        r.left_out == 1 ? "" : "s");
  return line + fmt::format("; threshold {:g}%", 100 * r.options.threshold);
}

void write_text(const FleetResult& r, std::ostream& out) {
  out << terminal_escape(summary_line(r)) << "\nmethod: " << kFleetMethod << "\n";
  for (const auto& g : r.groups) {
    TextTable t;
    t.header = host_header(g);
    t.right_aligned = {false, false, true, true, true, true, true, true, false, true, true};
    for (const auto& h : g.hosts)
      t.rows.push_back(host_cells(h));
    out << "\n" << terminal_escape(group_line(g)) << "\n" << t.render();
    for (const auto& h : g.hosts) {
      if (h.verdict != FleetVerdict::Slower)
        continue;
      TextTable gaps;
      gaps.header = gap_header(h);
      gaps.right_aligned = {false, true, true, true, true, false, true, true};
      for (const auto& p : h.gaps)
        gaps.rows.push_back(gap_cells(p));
      out << "\n"
          << terminal_escape(gap_line(g, h)) << "\n"
          << gaps.render() << terminal_escape(evidence_line(h)) << "\n";
    }
  }
}

void write_markdown(const FleetResult& r, std::ostream& out) {
  out << "# Hosts against the fleet\n\n"
      << markdown_escape(summary_line(r)) << ".\n\nMethod: " << markdown_escape(kFleetMethod)
      << ".\n\n";
  for (const auto& g : r.groups) {
    out << "## " << markdown_escape(group_line(g)) << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : g.hosts)
      rows.push_back(host_cells(h));
    write_markdown_table(host_header(g), rows, out);
    for (const auto& h : g.hosts) {
      if (h.verdict != FleetVerdict::Slower)
        continue;
      out << "**" << markdown_escape(gap_line(g, h)) << "**\n\n";
      std::vector<std::vector<std::string>> gaps;
      for (const auto& p : h.gaps)
        gaps.push_back(gap_cells(p));
      write_markdown_table(gap_header(h), gaps, out);
      out << markdown_escape(evidence_line(h)) << "\n\n";
    }
  }
}

} // namespace

std::string one_host_message(const FleetResult& r) {
  if (r.hostnames.empty())
    return "nothing to compare: no selected run passed";
  return fmt::format("nothing to compare: every compared run ran on one host ({}); --by host "
                     "compares the runners of a fleet (where containers get random hostnames, "
                     "set CIPERF_HOST_NAME to name each runner)",
                     r.hostnames.front());
}

void write_fleet(const FleetResult& result, FleetFormat format, std::ostream& out) {
  if (format == FleetFormat::Json)
    return write_json(result, out);
  if (result.hostnames.size() < 2) {
    std::string message = one_host_message(result);
    out << (format == FleetFormat::Markdown ? markdown_escape(message) : terminal_escape(message))
        << "\n";
    return;
  }
  if (format == FleetFormat::Markdown)
    return write_markdown(result, out);
  write_text(result, out);
}

} // namespace ciperf
