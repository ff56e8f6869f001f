#include "runner/confirmation_runs.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "runner/orchestrator.hpp"

#include <fmt/format.h>
#include <iostream>

namespace ciperf {

ConfirmationRuns run_confirmations(const Pipeline& pipeline, RunMode mode,
                                   const std::map<std::string, std::string>& labels, int count,
                                   Store& store) {
  ConfirmationRuns out;
  for (int k = 1; k <= count; ++k) {
    RunOptions options;
    options.mode = mode;
    options.labels = labels;
    options.quiet = true;
    RunOutcome outcome = run_pipeline(pipeline, options, store);
    out.run_ids.push_back(outcome.record.run_id);
    std::cerr << fmt::format(
        "[confirm {}/{}] {} {} {} in {}\n", k, count, terminal_escape(outcome.record.pipeline),
        to_string(mode), to_string(outcome.record.status), human_seconds(outcome.record.wall_s));
    if (outcome.exit_code != kExitPassed) {
      out.exit_code = outcome.exit_code;
      break;
    }
  }
  return out;
}

} // namespace ciperf
