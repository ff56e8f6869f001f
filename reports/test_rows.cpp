#include "reports/test_rows.hpp"

#include "reports/human_units.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>

namespace ciperf {
namespace {

bool failed_case(const TestCaseRecord& t) {
  return failed(t.status);
}

} // namespace

ShownTests tests_to_show(const PhaseRecord& phase, size_t limit) {
  const auto& tests = phase.tests;
  std::vector<size_t> order(tests.size());
  std::iota(order.begin(), order.end(), 0);
  // Failed cases first, then the slowest: what a reader of a bounded view looks for.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    bool fa = failed_case(tests[a]);
    bool fb = failed_case(tests[b]);
    if (fa != fb)
      return fa;
    return tests[a].wall_s > tests[b].wall_s;
  });
  ShownTests out;
  if (order.size() > limit) {
    for (size_t i = limit; i < order.size(); ++i) {
      out.hidden_wall_s += tests[order[i]].wall_s;
      out.hidden_failed += failed_case(tests[order[i]]) ? 1 : 0;
    }
    out.hidden = order.size() - limit;
    order.resize(limit);
  }
  std::sort(order.begin(), order.end());
  for (size_t i : order)
    out.tests.push_back(&tests[i]);
  return out;
}

std::string hidden_tests_line(const ShownTests& shown) {
  if (shown.hidden == 0)
    return {};
  return fmt::format("… {} more test{} ({}), {}", shown.hidden, shown.hidden == 1 ? "" : "s",
                     human_seconds(shown.hidden_wall_s),
                     shown.hidden_failed ? fmt::format("{} failed", shown.hidden_failed)
                                         : std::string("none failed"));
}

TestSlice test_slice(const TestCaseRecord& test, double phase_wall_s) {
  double wall = std::max(0.0, phase_wall_s);
  double start = std::clamp(test.start_s, 0.0, wall);
  return {start, std::clamp(test.wall_s, 0.0, wall - start)};
}

std::string test_label(const TestCaseRecord& test) {
  return "  - " + test.name;
}

} // namespace ciperf
