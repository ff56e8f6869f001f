#include "runner/confirmation_runs.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "exec/signal_pipe.hpp"
#include "reports/human_units.hpp"
#include "runner/orchestrator.hpp"

#include <fmt/format.h>
#include <iostream>

namespace ciperf {

ConfirmationRuns run_confirmations(const Pipeline& pipeline, RunMode mode,
                                   const std::map<std::string, std::string>& labels, int count,
                                   Store& store) {
  ConfirmationRuns out;
  InterruptLatch latch; // Ctrl-C between two reruns stops them, as one during a rerun does
  for (int k = 1; k <= count; ++k) {
    if (latch.interrupted()) {
      out.exit_code = kExitInterrupted;
      break;
    }
    RunOptions options;
    options.mode = mode;
    options.labels = labels;
    options.quiet = true;
    RunOutcome outcome = run_pipeline(pipeline, options, store);
    out.run_ids.push_back(outcome.record.run_id);
    std::cerr << fmt::format(
        "[confirm {}/{}] {} {} {} in {}\n", k, count, terminal_escape(outcome.record.pipeline),
        to_string(mode), to_string(outcome.record.status), human_seconds(outcome.record.wall_s));
    if (outcome.exit_code != kExitPassed || latch.interrupted()) {
      out.exit_code = outcome.exit_code != kExitPassed ? outcome.exit_code : kExitInterrupted;
      break;
    }
  }
  return out;
}

} // namespace ciperf
