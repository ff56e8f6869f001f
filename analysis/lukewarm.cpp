#include "analysis/lukewarm.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <map>

namespace ciperf {
namespace {

struct Walls {
  std::vector<double> cold, warm;
};

bool significantly_slower(const Walls& w, double p) {
  if (p < kLukewarmAlpha)
    return true;
  bool test_can_tell =
      stats::smallest_attainable_p(static_cast<int>(w.cold.size()),
                                   static_cast<int>(w.warm.size())) < kLukewarmAlpha;
  return !test_can_tell && stats::minimum(w.cold) > stats::maximum(w.warm);
}

LukewarmPhase check_phase(const std::string& phase, const Walls& w) {
  LukewarmPhase c;
  c.phase = phase;
  c.cold_runs = static_cast<int>(w.cold.size());
  c.warm_runs = static_cast<int>(w.warm.size());
  c.cold_median = stats::median(w.cold);
  c.warm_median = stats::median(w.warm);
  c.p = stats::mann_whitney(w.cold, w.warm).p;
  bool large = c.cold_median >= c.warm_median * (1 + kLukewarmThreshold) &&
               c.cold_median - c.warm_median >= kLukewarmFloorS;
  c.slower_cold = large && significantly_slower(w, c.p);
  return c;
}

} // namespace

bool LukewarmCheck::lukewarm() const {
  return !phases.empty() && std::none_of(phases.begin(), phases.end(),
                                         [](const LukewarmPhase& p) { return p.slower_cold; });
}

LukewarmCheck check_lukewarm(const std::vector<RunRecord>& runs) {
  LukewarmCheck check;
  std::vector<std::string> order;
  std::map<std::string, Walls> walls;
  for (const auto& run : runs) {
    if (run.mode != RunMode::Cold && run.mode != RunMode::Warm)
      continue;
    check.pipeline = run.pipeline;
    for (const auto& p : run.phases) {
      if (!p.counts_toward_total())
        continue;
      auto [it, inserted] = walls.try_emplace(p.name);
      if (inserted)
        order.push_back(p.name);
      (run.mode == RunMode::Cold ? it->second.cold : it->second.warm).push_back(p.wall_s);
    }
  }
  for (const auto& phase : order) {
    const Walls& w = walls[phase];
    if (w.cold.size() >= 2 && w.warm.size() >= 2)
      check.phases.push_back(check_phase(phase, w));
  }
  return check;
}

std::optional<LukewarmCheck> find_lukewarm(const std::vector<RunRecord>& runs) {
  LukewarmCheck check = check_lukewarm(runs);
  if (!check.lukewarm())
    return std::nullopt;
  return check;
}

} // namespace ciperf
