#include "reports/phase_table.hpp"

#include "analysis/flaky_tests.hpp"
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/test_rows.hpp"
#include "reports/text_table.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <vector>

namespace ciperf {
namespace {

using Row = std::vector<std::string>;

std::string colored(const std::string& status, bool color) {
  if (!color)
    return status;
  const char* code = status == "passed"    ? "32"
                     : status == "skipped" ? "2"
                     : status == "timeout" ? "33"
                                           : "31";
  return fmt::format("\033[{}m{}\033[0m", code, status);
}

// The phase's own stalls where its cgroup gave them, else the host's: the header says which,
// and a phase of a cgroup run without its own (a wait, which runs inside ciperf) says "host".
std::string stall(const PhaseRecord& p, bool own_header) {
  const auto& pressure = p.own_pressure ? p.own_pressure : p.pressure;
  if (!pressure)
    return "n/a";
  if (p.wall_s <= 0)
    return "-";
  auto pct = [&](double s) { return static_cast<int>(std::lround(100.0 * s / p.wall_s)); };
  return fmt::format("{}/{}/{}%{}", pct(pressure->cpu_some_s), pct(pressure->io_some_s),
                     pct(pressure->memory_some_s), own_header && !p.own_pressure ? " host" : "");
}

// The tree's memory peak where a memory controller measured it, else the largest process's.
std::string memory(const PhaseRecord& p) {
  if (p.tree_memory_peak_bytes)
    return human_bytes(*p.tree_memory_peak_bytes);
  return p.kind == PhaseKind::Wait && p.max_rss_bytes == 0 ? "-" : human_bytes(p.max_rss_bytes);
}

std::string budget(const PhaseRecord& p) {
  if (!p.budget_s)
    return "";
  return fmt::format("{} {}", p.over_budget ? "OVER" : "ok", human_seconds(*p.budget_s));
}

Row phase_row(const PhaseRecord& p, double run_wall, bool own_header) {
  bool ran = p.ran();
  std::string share = ran && !p.background && run_wall > 0
                          ? fmt::format("{:.1f}%", 100.0 * p.wall_s / run_wall)
                          : "-";
  std::string name = p.background ? p.name + " (bg)" : p.name;
  if (!ran)
    return {name, to_string(p.status), "-", "-", "-", "-", "-", budget(p)};
  return {name,
          to_string(p.status),
          human_seconds(p.wall_s),
          share,
          human_seconds(p.cpu_s()),
          memory(p),
          stall(p, own_header),
          budget(p)};
}

// A test case under its phase: its share is of the phase's wall; the runner measured nothing
// else of it.
Row test_row(const TestCaseRecord& t, double phase_wall) {
  std::string share = phase_wall > 0 ? fmt::format("{:.1f}%", 100.0 * t.wall_s / phase_wall) : "-";
  return {test_label(t), to_string(t.status), human_seconds(t.wall_s), share, "", "", "", ""};
}

// Test cases that failed and then passed on a retry in this run.
std::string flaky_lines(const RunRecord& run) {
  FlakyTestFinder finder;
  finder.add_run(run);
  std::string out;
  for (const auto& f : finder.finish())
    out += terminal_escape("flaky test " + f.item + ": " + f.why) + "\n";
  return out;
}

} // namespace

std::string phase_table(const RunRecord& run, const TableStyle& style) {
  TextTable table;
  bool own = run.accounting == Accounting::Cgroup;
  table.header = {"phase",
                  "status",
                  "wall",
                  "share",
                  "cpu",
                  own ? "peak mem" : "peak rss",
                  own ? "own stall c/io/m" : "stall c/io/m",
                  "budget"};
  table.right_aligned = {false, false, true, true, true, true, true, false};
  for (const auto& p : run.phases) {
    table.rows.push_back(phase_row(p, run.wall_s, own));
    ShownTests shown = tests_to_show(p);
    for (const TestCaseRecord* t : shown.tests)
      table.rows.push_back(test_row(*t, p.wall_s));
    if (shown.hidden)
      table.rows.push_back(
          {fmt::format("  ... {} more", shown.hidden),
           shown.hidden_failed ? fmt::format("{} failed", shown.hidden_failed) : "none failed",
           human_seconds(shown.hidden_wall_s)});
  }
  return table.render([](size_t column, const std::string& cell,
                         bool color) { return column == 1 ? colored(cell, color) : cell; },
                      style.color) +
         service_totals(run) + flaky_lines(run);
}

std::string service_totals(const RunRecord& run) {
  struct Total {
    double cpu_s = 0;
    int phases = 0;
  };
  std::map<int, std::pair<std::string, Total>> totals; // by the index of the starting phase
  for (const auto& p : run.phases)
    for (const auto& c : p.services) {
      auto& [name, total] = totals[c.service];
      name = c.name;
      total.cpu_s += c.user_s + c.sys_s;
      ++total.phases;
    }
  std::string text;
  for (const auto& [index, entry] : totals) {
    const auto& [name, total] = entry;
    text += fmt::format("service {}: {} CPU while {} later phase{} ran\n", terminal_escape(name),
                        human_seconds(total.cpu_s), total.phases, total.phases == 1 ? "" : "s");
  }
  return text;
}

std::string run_summary_line(const RunRecord& run) {
  std::string deploys = run.expected_deploys
                            ? fmt::format("{} (expected {})", run.deploys, *run.expected_deploys)
                            : std::to_string(run.deploys);
  return fmt::format("run {} {} in {} · pipeline {} · mode {} · deploys {}",
                     terminal_escape(run.run_id), to_string(run.status), human_seconds(run.wall_s),
                     terminal_escape(run.pipeline), to_string(run.mode), deploys);
}

} // namespace ciperf
