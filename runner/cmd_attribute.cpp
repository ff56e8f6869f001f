// `ciperf attribute`: where the time of the selected runs goes.
#include "analysis/attribution.hpp"
#include "common/errors.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"
#include "runner/commands.hpp"
#include "runner/run_selection.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ciperf {
namespace {

using nlohmann::json;

std::string pct(double share) {
  return std::isnan(share) ? "-" : fmt::format("{:.1f}%", 100 * share);
}

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

int print_pareto(const Pareto& p, const std::string& what, bool as_json) {
  if (as_json) {
    json rows = json::array();
    for (const auto& r : p.rows)
      rows.push_back({{"item", r.item},
                      {"median_s", r.median_s},
                      {"share", r.share},
                      {"cumulative", r.cumulative},
                      {"vital", r.vital}});
    std::cout << json{{"by", what}, {"runs", p.runs}, {"total_s", p.total_s}, {"rows", rows}}.dump(
                     2)
              << "\n";
    return kExitPassed;
  }
  TextTable t;
  t.header = {what, "median/run", "share", "cumulative", "vital few"};
  t.right_aligned = {false, true, true, true, false};
  std::string vital;
  for (const auto& r : p.rows) {
    t.rows.push_back(
        {r.item, human_seconds(r.median_s), pct(r.share), pct(r.cumulative), r.vital ? "*" : ""});
    if (r.vital)
      vital += (vital.empty() ? "" : ", ") + r.item;
  }
  std::cout << fmt::format("{} runs, {} per run in total\n\n", p.runs, human_seconds(p.total_s))
            << t.render() << "\nthe vital few (80% of the time): " << vital << "\n";
  return kExitPassed;
}

int print_gap(const ColdWarmGap& g, bool as_json) {
  if (g.cold_runs == 0 || g.warm_runs == 0)
    throw UsageError(fmt::format("--cold-vs-warm needs cold and warm runs; the selection has {} "
                                 "cold and {} warm (a baseline session makes both)",
                                 g.cold_runs, g.warm_runs));
  if (as_json) {
    json rows = json::array();
    for (const auto& r : g.rows)
      rows.push_back({{"phase", r.phase},
                      {"cold_median_s", r.cold_median},
                      {"warm_median_s", r.warm_median},
                      {"difference_s", r.difference},
                      {"share_of_gap", number_or_null(r.share_of_gap)}});
    std::cout << json{{"cold_runs", g.cold_runs},
                      {"warm_runs", g.warm_runs},
                      {"cold_total_s", g.cold_total},
                      {"warm_total_s", g.warm_total},
                      {"gap_s", g.gap},
                      {"rows", rows}}
                     .dump(2)
              << "\n";
    return kExitPassed;
  }
  TextTable t;
  t.header = {"phase", "cold", "warm", "cold-warm", "share of gap"};
  t.right_aligned = {false, true, true, true, true};
  for (const auto& r : g.rows)
    t.rows.push_back({r.phase, human_seconds(r.cold_median), human_seconds(r.warm_median),
                      fmt::format("{:+.2f}s", r.difference), pct(r.share_of_gap)});
  std::cout << fmt::format("cold {} vs warm {} per run (medians of {} and {} runs): the gap is "
                           "{:+.2f}s\n\n",
                           human_seconds(g.cold_total), human_seconds(g.warm_total), g.cold_runs,
                           g.warm_runs, g.gap)
            << t.render();
  return kExitPassed;
}

int print_resources(const std::vector<ResourceRow>& rows, bool as_json) {
  if (as_json) {
    json out = json::array();
    for (const auto& r : rows)
      out.push_back({{"phase", r.phase},
                     {"bound", r.bound},
                     {"wall_median_s", r.wall_median},
                     {"cores", r.cores},
                     {"cpu_stall", number_or_null(r.cpu_stall)},
                     {"io_stall", number_or_null(r.io_stall)},
                     {"memory_stall", number_or_null(r.memory_stall)},
                     {"io_mib_per_s", r.io_mib_per_s},
                     {"because", r.because}});
    std::cout << out.dump(2) << "\n";
    return kExitPassed;
  }
  TextTable t;
  t.header = {"phase", "bound", "wall", "cores", "stall c/io/m", "I/O", "because"};
  t.right_aligned = {false, false, true, true, true, true, false};
  for (const auto& r : rows)
    t.rows.push_back(
        {r.phase, r.bound, human_seconds(r.wall_median), fmt::format("{:.2f}", r.cores),
         std::isnan(r.cpu_stall) ? "n/a"
                                 : fmt::format("{:.0f}/{:.0f}/{:.0f}%", 100 * r.cpu_stall,
                                               100 * r.io_stall, 100 * r.memory_stall),
         fmt::format("{:.1f}MiB/s", r.io_mib_per_s), r.because});
  std::cout << t.render();
  return kExitPassed;
}

// Streams the selected phases through `builder`; a selection without runs is a usage error.
template <typename Builder>
auto analyse(Store& store, const RunSelection& selection, Builder builder) {
  size_t seen = 0;
  store.for_each_phase_sample(to_filter(selection), [&](const PhaseSample& s) {
    ++seen;
    builder.add(s);
  });
  if (seen == 0)
    throw UsageError("no stored runs match the selection");
  return builder.finish();
}

} // namespace

int command_attribute(const AttributeCommand& c) {
  Store store = open_existing_store(c.store);
  if (c.cold_vs_warm)
    return print_gap(analyse(store, c.selection, ColdWarmBuilder{}), c.json);
  if (c.by == "resource")
    return print_resources(analyse(store, c.selection, ResourceBuilder{}), c.json);
  AttributeBy by = c.by == "kind"   ? AttributeBy::Kind
                   : c.by == "tier" ? AttributeBy::Tier
                                    : AttributeBy::Phase;
  return print_pareto(analyse(store, c.selection, ParetoBuilder{by}), c.by, c.json);
}

} // namespace ciperf
