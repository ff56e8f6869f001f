#include "reports/report_text.hpp"

#include "reports/human_units.hpp"

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

} // namespace ciperf
