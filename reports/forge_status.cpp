#include "reports/forge_status.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/report_format.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>

namespace ciperf {

const char* commit_state_name(CommitState s) {
  switch (s) {
  case CommitState::Pending:
    return "pending";
  case CommitState::Failure:
    return "failure";
  case CommitState::Error:
    return "error";
  case CommitState::Success:
    break;
  }
  return "success";
}

CommitState commit_state(RunStatus status, Outcome outcome) {
  switch (status) {
  case RunStatus::Incomplete:
    return CommitState::Pending;
  case RunStatus::Interrupted:
    return CommitState::Error;
  case RunStatus::Failed:
  case RunStatus::Timeout:
    return CommitState::Failure;
  case RunStatus::Passed:
    break;
  }
  return outcome == Outcome::Regressed ? CommitState::Failure : CommitState::Success;
}

std::string status_description(const RunRecord& run, const std::vector<PhaseComparison>& verdicts,
                               const std::string& against) {
  bool judged = std::any_of(verdicts.begin(), verdicts.end(), [](const PhaseComparison& v) {
    return v.n_base > 0 && v.n_candidate > 0;
  });
  std::string text =
      judged
          ? fmt::format("{} in {} · {} against {}", to_string(run.status),
                        human_seconds(run.wall_s), outcome_name(overall_outcome(verdicts)), against)
          : fmt::format("{} in {} · not judged: no phase has runs in {}", to_string(run.status),
                        human_seconds(run.wall_s), against);
  return truncate_utf8(text, kDescriptionBytes - 3); // room for the "…" it may add
}

std::string comment_marker(const std::string& pipeline) {
  std::string name;
  for (char c : pipeline) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '/' ||
                 (c == '-' && (name.empty() || name.back() != '-'));
    name += plain ? std::string(1, c)
                  : fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
  }
  return "<!-- ciperf:" + name + " -->";
}

std::string comment_body(const Report& report, const std::string& pipeline) {
  std::ostringstream page;
  make_markdown_page()->render(report, page);
  return comment_marker(pipeline) + "\n" + page.str();
}

} // namespace ciperf
