#include "runner/baseline_session.hpp"

#include "analysis/baseline.hpp"
#include "analysis/lukewarm.hpp"
#include "common/errors.hpp"
#include "common/redactor.hpp"
#include "common/text_escape.hpp"
#include "exec/signal_pipe.hpp"
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

// "initdb 0.61s vs 0.60s (p = 0.42)", for the first few phases checked.
std::string phases_checked(const LukewarmCheck& l) {
  constexpr size_t kNamed = 8;
  std::string text;
  for (size_t i = 0; i < l.phases.size() && i < kNamed; ++i) {
    const LukewarmPhase& p = l.phases[i];
    text += fmt::format("{}{} {} vs {} (p = {:.2f})", i ? ", " : "", terminal_escape(p.phase),
                        human_seconds(p.cold_median), human_seconds(p.warm_median), p.p);
  }
  if (l.phases.size() > kNamed)
    text += fmt::format(" and {} more", l.phases.size() - kNamed);
  return text;
}

// `runs` are one pipeline's runs: grouped by the session's plan, not by name, since the stored
// name is redacted and the pipeline's own may hold a secret.
void warn_if_lukewarm(const std::vector<RunRecord>& runs) {
  auto l = find_lukewarm(runs);
  if (!l)
    return;
  std::cerr << fmt::format("ciperf: warning: lukewarm: no phase of {} is slower cold than warm "
                           "by {:.0f}% and significantly (checked {} phase{}, cold vs warm "
                           "medians: {}); cold.prepare does not seem to clear what the pipeline "
                           "depends on\n",
                           terminal_escape(l->pipeline), 100 * kLukewarmThreshold, l->phases.size(),
                           l->phases.size() == 1 ? "" : "s", phases_checked(*l));
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
  InterruptLatch latch; // Ctrl-C between two runs stops the session, as one during a run does
  for (const auto& p : pipelines) {
    std::cerr << "ciperf: warm-up run of " << shown_name(p) << " (not recorded)\n";
    if (int code = warm_up(p); code != kExitPassed) {
      std::cerr << "ciperf: the warm-up run of " << shown_name(p) << " did not pass; no session\n";
      out.exit_code = session_exit_code(code);
      return out;
    }
  }
  if (latch.interrupted()) {
    out.exit_code = kExitInterrupted;
    return out;
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
    if (outcome.exit_code == kExitPassed && latch.interrupted())
      outcome.exit_code = kExitInterrupted; // the interrupt came between runs: stop here
    if (outcome.exit_code != kExitPassed) {
      bool prepare_failed =
          outcome.record.prepare && outcome.record.prepare->status != PhaseStatus::Passed;
      std::cerr << fmt::format("ciperf: session stopped: {} ({} run{} kept in the store; baseline "
                               "'{}' not written)\n",
                               prepare_failed                          ? "cold.prepare failed"
                               : outcome.exit_code == kExitInterrupted ? "interrupted"
                                                                       : "a run did not pass",
                               out.runs.size(), out.runs.size() == 1 ? "" : "s",
                               terminal_escape(name));
      out.exit_code = session_exit_code(outcome.exit_code);
      return out;
    }
  }
  std::vector<std::vector<RunRecord>> runs_of(pipelines.size());
  for (size_t k = 0; k < plan.size(); ++k)
    runs_of[plan[k].pipeline].push_back(out.runs[k]);
  for (const auto& runs : runs_of)
    warn_if_lukewarm(runs);
  out.baseline = Baseline{name,
                          out.session,
                          rfc3339(std::chrono::system_clock::now()),
                          o.runs_per_mode,
                          summarize_session(out.runs),
                          "",
                          false};
  store.save_baseline(*out.baseline);
  return out;
}

} // namespace ciperf
