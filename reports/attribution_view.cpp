#include "reports/attribution_view.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

std::string pct(double share) {
  return std::isnan(share) ? "-" : fmt::format("{:.1f}%", 100 * share);
}

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

} // namespace

void write_pareto(const Pareto& p, const std::string& what, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Json) {
    json rows = json::array();
    for (const auto& r : p.rows)
      rows.push_back({{"item", r.item},
                      {"median_s", r.median_s},
                      {"share", r.share},
                      {"cumulative", r.cumulative},
                      {"vital", r.vital}});
    out << json{{"by", what}, {"runs", p.runs}, {"total_s", p.total_s}, {"rows", rows}}.dump(2)
        << "\n";
    return;
  }
  TextTable t;
  t.header = {what, "median/run", "share", "cumulative", "vital few"};
  t.right_aligned = {false, true, true, true, false};
  std::string vital;
  for (const auto& r : p.rows) {
    t.rows.push_back(
        {r.item, human_seconds(r.median_s), pct(r.share), pct(r.cumulative), r.vital ? "*" : ""});
    if (r.vital)
      vital += (vital.empty() ? "" : ", ") + terminal_escape(r.item);
  }
  out << fmt::format("{} runs, {} per run in total\n\n", p.runs, human_seconds(p.total_s))
      << t.render() << "\nthe vital few (80% of the time): " << vital << "\n";
}

void write_gap(const ColdWarmGap& g, ViewFormat format, std::ostream& out) {
  if (g.cold_runs == 0 || g.warm_runs == 0)
    throw UsageError(fmt::format("--cold-vs-warm needs cold and warm runs; the selection has {} "
                                 "cold and {} warm (a baseline session makes both)",
                                 g.cold_runs, g.warm_runs));
  if (format == ViewFormat::Json) {
    json rows = json::array();
    for (const auto& r : g.rows)
      rows.push_back({{"phase", r.phase},
                      {"cold_median_s", r.cold_median},
                      {"warm_median_s", r.warm_median},
                      {"difference_s", r.difference},
                      {"share_of_gap", number_or_null(r.share_of_gap)}});
    out << json{{"cold_runs", g.cold_runs},
                {"warm_runs", g.warm_runs},
                {"cold_total_s", g.cold_total},
                {"warm_total_s", g.warm_total},
                {"gap_s", g.gap},
                {"rows", rows}}
               .dump(2)
        << "\n";
    return;
  }
  TextTable t;
  t.header = {"phase", "cold", "warm", "cold-warm", "share of gap"};
  t.right_aligned = {false, true, true, true, true};
  for (const auto& r : g.rows)
    t.rows.push_back({r.phase, human_seconds(r.cold_median), human_seconds(r.warm_median),
                      fmt::format("{:+.2f}s", r.difference), pct(r.share_of_gap)});
  out << fmt::format("cold {} vs warm {} per run (medians of {} and {} runs): the gap is "
                     "{:+.2f}s\n\n",
                     human_seconds(g.cold_total), human_seconds(g.warm_total), g.cold_runs,
                     g.warm_runs, g.gap)
      << t.render();
}

std::string service_loads(const std::vector<ServiceLoad>& services) {
  std::string text;
  for (const auto& s : services)
    text += fmt::format("{}{} {:.2f}", text.empty() ? "" : ", ", s.service, s.cores);
  return text.empty() ? "-" : text;
}

void write_resources(const std::vector<ResourceRow>& rows, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Json) {
    json list = json::array();
    for (const auto& r : rows) {
      json services = json::array();
      for (const auto& s : r.services)
        services.push_back({{"service", s.service}, {"cores", s.cores}});
      list.push_back({{"phase", r.phase},
                      {"bound", r.bound},
                      {"wall_median_s", r.wall_median},
                      {"cores", r.cores},
                      {"stalls", r.own_stalls ? "own" : "host"},
                      {"cpu_stall", number_or_null(r.cpu_stall)},
                      {"io_stall", number_or_null(r.io_stall)},
                      {"memory_stall", number_or_null(r.memory_stall)},
                      {"host_cpu_stall", number_or_null(r.host_cpu_stall)},
                      {"io_mib_per_s", r.io_mib_per_s},
                      {"services", services},
                      {"because", r.because}});
    }
    out << list.dump(2) << "\n";
    return;
  }
  TextTable t;
  t.header = {"phase",  "bound", "wall", "cores", "stall c/io/m", "I/O", "services (cores)",
              "because"};
  t.right_aligned = {false, false, true, true, true, true, false, false};
  for (const auto& r : rows)
    t.rows.push_back(
        {r.phase, r.bound, human_seconds(r.wall_median), fmt::format("{:.2f}", r.cores),
         std::isnan(r.cpu_stall)
             ? "n/a"
             : fmt::format("{:.0f}/{:.0f}/{:.0f}% {}", 100 * r.cpu_stall, 100 * r.io_stall,
                           100 * r.memory_stall, r.own_stalls ? "own" : "host"),
         fmt::format("{:.1f}MiB/s", r.io_mib_per_s), service_loads(r.services), r.because});
  out << t.render();
}

} // namespace ciperf
