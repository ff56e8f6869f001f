#include "runner/session_plan.hpp"

namespace ciperf {

std::vector<PlannedRun> plan_session(size_t pipelines, int runs_per_mode) {
  std::vector<PlannedRun> plan;
  for (int round = 0; round < runs_per_mode; ++round)
    for (size_t i = 0; i < pipelines; ++i) {
      size_t p = (i + static_cast<size_t>(round)) % pipelines;
      bool cold_first = (round + static_cast<int>(i)) % 2 == 0;
      plan.push_back({p, cold_first ? RunMode::Cold : RunMode::Warm});
      plan.push_back({p, cold_first ? RunMode::Warm : RunMode::Cold});
    }
  return plan;
}

} // namespace ciperf
