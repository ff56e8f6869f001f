#pragma once
// The wait itself: every target probed on its own schedule in one event loop, composed with
// all/any, fail-fast targets, consecutive successes, per-attempt and overall timeouts, and
// history-informed polling.
#include "probes/attempt_marks.hpp"
#include "probes/probe_spec.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

// The interval for a kind when the user gives none: fast where an attempt is cheap.
Duration default_interval(ProbeKind kind);

// What earlier successful waits of the same pipeline phase (or `ciperf wait --history KEY`)
// took until ready. Empty when there is no history.
struct WaitHistory {
  std::optional<double> earliest_ready_s;
};

// Until `relaxed_until_s` the waiter polls every `relaxed_interval`; then at the normal
// intervals. Same detection latency as long as readiness comes no earlier than history says.
struct RelaxedSchedule {
  double relaxed_until_s = 0;
  Duration relaxed_interval{};
};
std::optional<RelaxedSchedule> relaxed_schedule(const WaitHistory& history, Duration interval);

struct TargetReport {
  std::string target;
  std::string kind;
  bool fail_if = false;
  bool ready = false; // reached its consecutive successes
  int attempts = 0;
  std::optional<double> first_success_s;
  std::string last_failure;
  AttemptMarks marks;
};

struct WaitReport {
  enum class Outcome { Ready, TimedOut, FailFast, Interrupted };
  Outcome outcome = Outcome::TimedOut;
  double elapsed_s = 0;
  std::optional<double> ready_s;
  int attempts = 0;
  int http_requests = 0;
  int attempts_saved = 0; // estimated: what the normal schedule would have made in addition
  std::optional<double> relaxed_until_s;
  std::vector<TargetReport> targets; // the targets, then the fail_if targets
  std::string fail_fast_target;      // the fail_if target that fired
};

const char* outcome_name(WaitReport::Outcome outcome);

struct WaitHooks {
  int wake_fd = -1;                  // watched with the probes (ciperf's signal pipe)
  std::function<bool()> should_stop; // asked when wake_fd is readable
};

// Throws UsageError when a target is invalid (bad regex, bad stack name).
WaitReport run_wait(const WaitSpec& spec, const WaitHistory& history = {},
                    const WaitHooks& hooks = {});

} // namespace ciperf
