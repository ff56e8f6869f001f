#include "runner/baseline_session.hpp"

#include "analysis/baseline.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "runner/orchestrator.hpp"
#include "runner/run_context.hpp"
#include "runner/session_plan.hpp"
#include "runner/warm_up.hpp"
#include "store/store.hpp"

#include <chrono>
#include <fmt/format.h>
#include <iostream>

namespace ciperf {
namespace {

using SteadyClock = std::chrono::steady_clock;

void warn_if_lukewarm(const std::vector<RunRecord>& runs, const std::string& pipeline) {
  auto l = find_lukewarm(runs, pipeline);
  if (!l)
    return;
  std::cerr << fmt::format("ciperf: warning: lukewarm: {} cold runs take {} vs warm {} ({:+.1f}%, "
                           "Mann-Whitney p = {:.2f}); cold.prepare does not seem to clear what "
                           "the pipeline depends on\n",
                           terminal_escape(pipeline), human_seconds(l->cold_median),
                           human_seconds(l->warm_median),
                           100 * (l->cold_median / l->warm_median - 1), l->p);
}

int session_exit_code(int run_exit_code) {
  return run_exit_code == kExitInterrupted ? kExitInterrupted : kExitFailed;
}

} // namespace

SessionOutcome run_baseline_session(const std::vector<Pipeline>& pipelines, const SessionOptions& o,
                                    Store& store) {
  SessionOutcome out;
  out.session = "session-" + new_run_id(std::chrono::system_clock::now());
  std::string name = o.name.empty() ? out.session : o.name;
  auto labels = o.labels;
  labels["session"] = out.session;
  labels["baseline"] = name;
  for (const auto& p : pipelines) {
    std::cerr << "ciperf: warm-up run of " << terminal_escape(p.name) << " (not recorded)\n";
    if (int code = warm_up(p); code != kExitPassed) {
      std::cerr << "ciperf: the warm-up run of " << terminal_escape(p.name)
                << " did not pass; no session\n";
      out.exit_code = session_exit_code(code);
      return out;
    }
  }
  auto plan = plan_session(pipelines.size(), o.runs_per_mode);
  auto started = SteadyClock::now();
  for (size_t k = 0; k < plan.size(); ++k) {
    const Pipeline& p = pipelines[plan[k].pipeline];
    RunOptions options;
    options.mode = plan[k].mode;
    options.labels = labels;
    if (plan[k].pipeline < o.tag_sets.size() && !o.tag_sets[plan[k].pipeline].empty())
      options.labels["tags"] = o.tag_sets[plan[k].pipeline];
    options.quiet = true;
    RunOutcome outcome = run_pipeline(p, options, store);
    out.runs.push_back(outcome.record);
    double elapsed = std::chrono::duration<double>(SteadyClock::now() - started).count();
    double eta = elapsed / static_cast<double>(k + 1) * static_cast<double>(plan.size() - k - 1);
    std::cerr << fmt::format("[{}/{}] {} {} {} in {} · ETA {}\n", k + 1, plan.size(),
                             terminal_escape(outcome.record.pipeline), to_string(options.mode),
                             to_string(outcome.record.status), human_seconds(outcome.record.wall_s),
                             human_seconds(eta));
    if (outcome.exit_code != kExitPassed) {
      bool prepare_failed =
          outcome.record.prepare && outcome.record.prepare->status != PhaseStatus::Passed;
      std::cerr << fmt::format("ciperf: session stopped: {} ({} run{} kept in the store; baseline "
                               "'{}' not written)\n",
                               prepare_failed ? "cold.prepare failed" : "a run did not pass",
                               out.runs.size(), out.runs.size() == 1 ? "" : "s",
                               terminal_escape(name));
      out.exit_code = session_exit_code(outcome.exit_code);
      return out;
    }
  }
  for (const auto& p : pipelines)
    warn_if_lukewarm(out.runs, p.name);
  out.baseline = Baseline{name, out.session, rfc3339(std::chrono::system_clock::now()),
                          o.runs_per_mode, summarize_session(out.runs)};
  store.save_baseline(*out.baseline);
  return out;
}

} // namespace ciperf
