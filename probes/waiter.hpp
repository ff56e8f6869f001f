#pragma once
// The wait itself: every target probed on its own schedule in one event loop, composed with
// all/any, fail-fast targets, consecutive successes, per-attempt and overall timeouts, and
// history-informed polling.
#include "model/run_record.hpp"
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

// A wait's outcome: the record that results.json and the store keep, and what only the moment
// needs (which targets were satisfied, which fail_if target fired).
struct WaitReport {
  WaitRecord record;            // its targets: the targets, then the fail_if targets
  std::vector<bool> ready;      // per target: reached its consecutive successes
  std::string fail_fast_target; // the fail_if target that fired
};

struct WaitHooks {
  int wake_fd = -1;                  // watched with the probes (ciperf's signal pipe)
  std::function<bool()> should_stop; // asked when wake_fd is readable
  // Descriptors of others that must keep flowing while the wait runs (background services'
  // output pipes: unread, they fill and block the very service being waited for), and what
  // reads them. Asked for on every turn of the loop, since they close as services exit.
  std::function<std::vector<int>()> busy_fds;
  std::function<void()> service;
};

// Throws UsageError when a target is invalid (bad regex, bad stack name).
WaitReport run_wait(const WaitSpec& spec, const WaitHistory& history = {},
                    const WaitHooks& hooks = {});

} // namespace ciperf
