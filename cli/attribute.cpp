// `ciperf attribute`: where the time of the selected runs goes.
#include "analysis/attribution.hpp"
#include "analysis/fleet.hpp"
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "reports/attribution_view.hpp"
#include "reports/fleet_view.hpp"
#include "store/store.hpp"

#include <iostream>

#include <algorithm>
#include <optional>

namespace ciperf {
namespace {

AttributeBy attribute_by(const std::string& by) {
  return by == "kind" ? AttributeBy::Kind : by == "tier" ? AttributeBy::Tier : AttributeBy::Phase;
}

// Streams the selected phases through `builder`; a selection without runs is a usage error.
template <typename Builder>
auto analyse(Store& store, const RunSelection& selection, Builder builder) {
  size_t seen = 0;
  RunFilter filter = to_filter(selection);
  if (auto tags = newest_tag_set(store, filter)) // one tag set: the same phases in every run
    keep_tag_set(store, filter, *tags, "attribute", "the newest selected run's");
  // With --tests a phase's test cases follow it (same run, same index): the phase is split into
  // them and "phase/(outside tests)", its time the tests did not account for, so the Pareto
  // still adds up to the runs' time.
  std::optional<PhaseSample> held;
  double tests_wall = 0;
  auto flush = [&] {
    if (!held)
      return;
    if (tests_wall > 0) {
      held->name += "/(outside tests)";
      held->wall_s = std::max(0.0, held->wall_s - tests_wall);
    }
    builder.add(*held);
    held.reset();
  };
  store.for_each_phase_sample(filter, [&](const PhaseSample& s) {
    ++seen;
    if (!store.sample_tests())
      return builder.add(s);
    if (held && s.run_id == held->run_id && s.index == held->index) {
      tests_wall += s.wall_s;
      return builder.add(s);
    }
    flush();
    held = s;
    tests_wall = 0;
  });
  flush();
  if (seen == 0)
    throw UsageError("no stored runs match the selection");
  return builder.finish();
}

FleetFormat fleet_format(const AttributeCommand& c) {
  if (c.json || c.format == "json")
    return FleetFormat::Json;
  return c.format == "markdown" || c.format == "md" ? FleetFormat::Markdown : FleetFormat::Text;
}

// The flags that mean something to one mode only are refused elsewhere rather than ignored.
void check_flags(const AttributeCommand& c) {
  bool hosts = c.by == "host";
  if (hosts && c.cold_vs_warm)
    throw UsageError("--by host and --cold-vs-warm: choose one (--by host compares like with "
                     "like, cold runs with cold ones)");
  if (hosts && c.tests)
    throw UsageError("--tests does not apply to --by host: it compares runs and their phases");
  if (!hosts && c.threshold)
    throw UsageError("--threshold applies to --by host only");
  if (!hosts && (c.format == "markdown" || c.format == "md"))
    throw UsageError("--format markdown: only --by host writes Markdown (the others: text or "
                     "--json)");
}

// Each runner against the fleet: the selected runs' hosts first (one row each, not their
// phases), then their phases streamed.
int attribute_hosts(Store& store, const AttributeCommand& c) {
  RunFilter filter = to_filter(c.selection);
  if (auto tags = newest_tag_set(store, filter))
    keep_tag_set(store, filter, *tags, "attribute", "the newest selected run's");
  FleetOptions options;
  options.threshold = c.threshold.value_or(100 * options.threshold) / 100;
  FleetBuilder builder(options);
  {
    auto runs = store.list_runs(filter);
    if (runs.empty())
      throw UsageError("no stored runs match the selection");
    for (const auto& run : runs)
      builder.add_run(run);
  }
  store.for_each_phase_sample(filter, [&](const PhaseSample& s) { builder.add_phase(s); });
  write_fleet(builder.finish(), fleet_format(c), std::cout);
  return kExitPassed;
}

} // namespace

int command_attribute(const AttributeCommand& c) {
  check_flags(c);
  Store store = open_existing_store(c.store);
  if (c.by == "host")
    return attribute_hosts(store, c);
  store.set_sample_tests(c.tests);
  ViewFormat format = c.json || c.format == "json" ? ViewFormat::Json : ViewFormat::Text;
  if (c.cold_vs_warm)
    write_gap(analyse(store, c.selection, ColdWarmBuilder{}), format, std::cout);
  else if (c.by == "resource")
    write_resources(analyse(store, c.selection, ResourceBuilder{}), format, std::cout);
  else
    write_pareto(analyse(store, c.selection, ParetoBuilder{attribute_by(c.by)}), c.by, format,
                 std::cout);
  return kExitPassed;
}

} // namespace ciperf
