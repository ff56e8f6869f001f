#include "reports/report_text.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ciperf {

std::string failure_summary(const PhaseRecord& p) {
  if (!p.message.empty())
    return p.message;
  if (p.status == PhaseStatus::Timeout)
    return "timed out after " + human_seconds(p.wall_s);
  if (p.status == PhaseStatus::Interrupted)
    return "interrupted";
  if (p.signal)
    return fmt::format("killed by signal {}", *p.signal);
  if (p.exit_code)
    return fmt::format("exit code {}", *p.exit_code);
  return to_string(p.status);
}

bool counts_toward_total(const PhaseRecord& p) {
  return p.counts_toward_total();
}

double share_of_run(const PhaseRecord& p, const RunRecord& run) {
  return counts_toward_total(p) && run.wall_s > 0 ? p.wall_s / run.wall_s : 0;
}

std::string junit_classname(const RunRecord& run, const PhaseRecord& p) {
  return p.tier.empty() ? run.pipeline : run.pipeline + "." + p.tier;
}

namespace {

constexpr size_t kNamesShown = 3;
constexpr size_t kNameLength = 60;

// "a, b, c and 2 more": a reason stays one line however many phases it names.
std::string some_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i)
    out += (i ? ", " : "") + truncate_utf8(names[i], kNameLength);
  if (names.size() > kNamesShown)
    out += fmt::format(" and {} more", names.size() - kNamesShown);
  return out;
}

std::vector<std::string> phases_where(const std::vector<PhaseComparison>& verdicts,
                                      bool (*pick)(const PhaseComparison&)) {
  std::vector<std::string> out;
  for (const auto& v : verdicts)
    if (v.n_base > 0 && v.n_candidate > 0 && pick(v))
      out.push_back(v.phase);
  return out;
}

std::string regressed_reason(const std::vector<PhaseComparison>& verdicts) {
  std::vector<std::string> names;
  for (const auto& v : verdicts)
    if (v.verdict == Verdict::Regressed)
      names.push_back(
          fmt::format("{} {:+.1f}%", truncate_utf8(v.phase, kNameLength), 100 * v.change));
  return fmt::format("{} phase{} slower past the threshold and significant: {}", names.size(),
                     names.size() == 1 ? "" : "s", some_names(names));
}

bool blind(const PhaseComparison& v) {
  return v.verdict == Verdict::Unchanged && v.detectability.blind;
}

// The pages show no planning figures: the reason carries the runs a side the blind phases need.
std::string blind_reason(const std::vector<PhaseComparison>& verdicts, double threshold) {
  int needed = 0;
  for (const auto& v : verdicts)
    if (blind(v))
      needed = std::max(needed, v.runs_needed);
  return fmt::format("no regression found, but {} could not have shown a {:g}% change{}",
                     some_names(phases_where(verdicts, blind)), 100 * threshold,
                     needed > 0 ? fmt::format(" ({} runs a side needed)", needed) : "");
}

} // namespace

std::string outcome_reason(const std::vector<PhaseComparison>& verdicts, double threshold) {
  switch (overall_outcome(verdicts)) {
  case Outcome::Regressed:
    return regressed_reason(verdicts);
  case Outcome::Inconclusive:
    if (host_changed(verdicts))
      return "most phases moved together: the host changed, so their moves are not called "
             "code regressions";
    if (auto few = phases_where(
            verdicts, [](const PhaseComparison& v) { return v.verdict == Verdict::NotEnoughData; });
        !few.empty())
      return "too few runs to judge " + some_names(few) +
             " (a verdict needs at least 3 runs on each side)";
    return blind_reason(verdicts, threshold);
  case Outcome::NoRegression:
    break;
  }
  return fmt::format("no phase slower by more than {:g}% with significance, and every phase "
                     "could have shown such a change",
                     100 * threshold);
}

} // namespace ciperf
