#include "analysis/change_cause.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <set>

namespace ciperf {
namespace {

constexpr double kStallStep = 0.10; // of the phase's time: a host that got this much busier

double sign_of(const SeriesChange& c) {
  return c.point.relative_change >= 0 ? 1 : -1;
}

std::string percent(double relative) {
  return std::isfinite(relative) ? fmt::format("{:+.0f}%", relative * 100) : "from 0";
}

// The most common value of `field` over runs [from, to).
template <typename Field>
std::string most_common(const std::vector<HistoryRun>& runs, uint32_t from, uint32_t to,
                        Field field) {
  std::map<std::string, int> counts;
  for (uint32_t i = from; i < to && i < runs.size(); ++i)
    ++counts[runs[i].*field];
  auto top = std::max_element(counts.begin(), counts.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; });
  return top == counts.end() ? std::string() : top->first;
}

double median_or_nan(std::vector<double>& v) {
  return v.empty() ? std::nan("") : stats::median(v);
}

} // namespace

CauseJudge::CauseJudge(const History& history, std::span<const SeriesChange> changes,
                       int tolerance_runs)
    : history_(history), changes_(changes),
      tolerance_(static_cast<uint32_t>(std::max(tolerance_runs, 1))) {
  for (const auto& [name, points] : history.phases)
    if (points.size() >= 2 * tolerance_)
      ++phases_with_history_;
}

std::vector<const SeriesChange*> CauseJudge::near(const std::string& phase, ChangeMetric metric,
                                                  uint32_t run, double sign) const {
  std::vector<const SeriesChange*> out;
  for (const auto& c : changes_) {
    bool phase_matches = phase == "*" ? !c.phase.empty() : c.phase == phase;
    uint32_t distance = c.first_run > run ? c.first_run - run : run - c.first_run;
    if (phase_matches && c.metric == metric && distance <= tolerance_ &&
        (sign == 0 || sign_of(c) == sign))
      out.push_back(&c);
  }
  return out;
}

// At this run, not somewhere in the neighbourhood: the runs just before it against the runs
// just after (a kernel upgraded 20 runs before a code change does not explain it).
std::string CauseJudge::host_changed(const SeriesChange& c) const {
  const auto& runs = history_.runs;
  uint32_t from = std::max(c.window_start, c.first_run > tolerance_ ? c.first_run - tolerance_ : 0);
  uint32_t to = std::min(c.window_end, c.first_run + tolerance_);
  auto kernel_before = most_common(runs, from, c.first_run, &HistoryRun::kernel);
  auto kernel_after = most_common(runs, c.first_run, to, &HistoryRun::kernel);
  if (kernel_before != kernel_after)
    return fmt::format("kernel {} → {}", kernel_before, kernel_after);
  auto class_before = most_common(runs, from, c.first_run, &HistoryRun::host_class);
  auto class_after = most_common(runs, c.first_run, to, &HistoryRun::host_class);
  if (class_before != class_after)
    return fmt::format("host class {} → {}", class_before, class_after);
  return {};
}

std::string CauseJudge::most_phases_moved(const SeriesChange& c) const {
  if (c.metric != ChangeMetric::Wall || phases_with_history_ < 3)
    return {};
  std::set<std::string> moved;
  for (const auto* other : near("*", ChangeMetric::Wall, c.first_run, sign_of(c)))
    moved.insert(other->phase);
  size_t needed = std::max<size_t>(3, phases_with_history_ / 2 + 1); // most: more than half
  if (moved.size() < needed)
    return {};
  return fmt::format("{} of {} phases moved the same way at this run", moved.size(),
                     phases_with_history_);
}

std::string CauseJudge::host_stalls_stepped(const SeriesChange& c) const {
  std::vector<double> before, after;
  auto add = [&](uint32_t run, double share) {
    if (!std::isnan(share) && run >= c.window_start && run < c.window_end)
      (run < c.first_run ? before : after).push_back(share);
  };
  if (c.phase.empty()) {
    for (uint32_t i = c.window_start; i < c.window_end && i < history_.runs.size(); ++i) {
      const auto& r = history_.runs[i];
      add(i, r.pressured_wall_s > 0 ? r.host_stall_s / r.pressured_wall_s : std::nan(""));
    }
  } else if (auto it = history_.phases.find(c.phase); it != history_.phases.end()) {
    for (const auto& p : it->second)
      add(p.run, p.host_share);
  }
  double b = median_or_nan(before), a = median_or_nan(after);
  if (!(std::abs(a - b) >= kStallStep) || (a > b) != (sign_of(c) > 0))
    return {};
  return fmt::format("host CPU stalls {:.0f}% → {:.0f}% of its time", b * 100, a * 100);
}

std::string CauseJudge::own_profile_moved(const SeriesChange& c) const {
  std::vector<std::string> parts;
  if (c.phase.empty()) {
    for (const auto* p : near("*", ChangeMetric::Wall, c.first_run, sign_of(c)))
      parts.push_back(fmt::format("{} {}", p->phase, percent(p->point.relative_change)));
    return parts.empty() ? "no single phase moved past the threshold"
                         : fmt::format("phases: {}", fmt::join(parts, ", "));
  }
  if (c.metric != ChangeMetric::Wall)
    return fmt::format("the phase's own {} moved", metric_name(c.metric));
  for (ChangeMetric m : {ChangeMetric::Cpu, ChangeMetric::Memory, ChangeMetric::Io})
    for (const auto* p : near(c.phase, m, c.first_run, m == ChangeMetric::Cpu ? sign_of(c) : 0))
      parts.push_back(fmt::format("{} {}", metric_name(m), percent(p->point.relative_change)));
  if (parts.empty())
    return "the host did not change and its stalls did not step";
  return fmt::format("its own {} moved with it", fmt::join(parts, ", "));
}

std::pair<ChangeCause, std::string> CauseJudge::cause_of(const SeriesChange& c) const {
  for (auto evidence : {&CauseJudge::host_changed, &CauseJudge::most_phases_moved,
                        &CauseJudge::host_stalls_stepped})
    if (auto why = (this->*evidence)(c); !why.empty())
      return {ChangeCause::Environment, why};
  return {ChangeCause::Code, own_profile_moved(c)};
}

} // namespace ciperf
