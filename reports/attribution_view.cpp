#include "reports/attribution_view.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"
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

json interval_or_null(const std::optional<Interval>& ci) {
  return ci ? json{ci->low, ci->high} : json(nullptr);
}

std::string plural(int n) {
  return n == 1 ? "" : "s";
}

} // namespace

void write_pareto(const Pareto& p, const std::string& what, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Json) {
    json rows = json::array();
    for (const auto& r : p.rows)
      rows.push_back({{"item", r.item},
                      {"mean_s", r.mean_s},
                      {"median_s", r.median_s},
                      {"ci_s", interval_or_null(r.ci)},
                      {"share", r.share},
                      {"cumulative", r.cumulative},
                      {"vital", r.vital}});
    out << json{{"by", what},
                {"method", kParetoMethod},
                {"runs", p.runs},
                {"total_s", p.total_s},
                {"total_ci_s", interval_or_null(p.total_ci)},
                {"median_run_s", p.median_run_s},
                {"rows", rows}}
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    return;
  }
  TextTable t;
  t.header = {what, "mean/run", "95% CI", "share", "cumulative", "vital few"};
  t.right_aligned = {false, true, true, true, true, false};
  std::string vital;
  for (const auto& r : p.rows) {
    t.rows.push_back({r.item, human_seconds(r.mean_s), seconds_ci(r.ci), pct(r.share),
                      pct(r.cumulative), r.vital ? "*" : ""});
    if (r.vital)
      vital += (vital.empty() ? "" : ", ") + terminal_escape(r.item);
  }
  t.rows.push_back({"total", human_seconds(p.total_s), seconds_ci(p.total_ci),
                    pct(p.total_s > 0 ? 1 : 0), "", ""});
  out << fmt::format("{} run{}: the mean run takes {}, the median run {}\nmethod: {}\n\n", p.runs,
                     plural(p.runs), human_seconds(p.total_s), human_seconds(p.median_run_s),
                     kParetoMethod)
      << t.render() << "\nthe vital few (80% of the mean run): " << vital << "\n";
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
                      {"cold_mean_s", r.cold_mean},
                      {"warm_mean_s", r.warm_mean},
                      {"cold_median_s", r.cold_median},
                      {"warm_median_s", r.warm_median},
                      {"difference_s", r.difference},
                      {"difference_ci_s", interval_or_null(r.ci)},
                      {"within_noise", r.within_noise},
                      {"share_of_gap", number_or_null(r.share_of_gap)}});
    out << json{{"method", kGapMethod},
                {"cold_runs", g.cold_runs},
                {"warm_runs", g.warm_runs},
                {"cold_mean_s", g.cold_mean},
                {"warm_mean_s", g.warm_mean},
                {"cold_total_s", g.cold_total},
                {"warm_total_s", g.warm_total},
                {"gap_s", g.gap},
                {"gap_ci_s", interval_or_null(g.gap_ci)},
                {"rows", rows}}
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    return;
  }
  TextTable t;
  t.header = {"phase", "cold", "warm", "cold-warm", "95% CI", "share of gap", ""};
  t.right_aligned = {false, true, true, true, true, true, false};
  for (const auto& r : g.rows)
    t.rows.push_back({r.phase, human_seconds(r.cold_mean), human_seconds(r.warm_mean),
                      fmt::format("{:+.2f}s", r.difference), difference_ci(r.ci),
                      pct(r.share_of_gap), cold_cost_note(r)});
  t.rows.push_back({"total", human_seconds(g.cold_mean), human_seconds(g.warm_mean),
                    fmt::format("{:+.2f}s", g.gap), difference_ci(g.gap_ci),
                    pct(g.gap > 0 ? 1 : std::nan("")), ""});
  out << fmt::format("cold {} vs warm {} per run (means of {} and {} runs; the median runs {} "
                     "and {}): the gap is {:+.2f}s\nmethod: {}\n",
                     human_seconds(g.cold_mean), human_seconds(g.warm_mean), g.cold_runs,
                     g.warm_runs, human_seconds(g.cold_total), human_seconds(g.warm_total), g.gap,
                     kGapMethod);
  if (std::string note = gap_noise_note(g); !note.empty())
    out << note << "\n";
  out << "\n" << t.render();
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
    out << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
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
