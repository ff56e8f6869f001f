// `ciperf attribute`: where the time of the selected runs goes.
#include "analysis/attribution.hpp"
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "reports/attribution_view.hpp"
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

} // namespace

int command_attribute(const AttributeCommand& c) {
  Store store = open_existing_store(c.store);
  store.set_sample_tests(c.tests);
  ViewFormat format = c.json ? ViewFormat::Json : ViewFormat::Text;
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
