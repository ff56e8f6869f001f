// `ciperf wait`: a standalone readiness wait for shell scripts, a drop-in for wait-for-it,
// wait-on and wait4x.
#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "exec/signal_pipe.hpp"
#include "pipeline/wait_instance.hpp"
#include "probes/target_parser.hpp"
#include "probes/wait_report.hpp"
#include "probes/waiter.hpp"
#include "reports/results_json.hpp"
#include "runner/run_context.hpp"
#include "store/store.hpp"

#include <csignal>
#include <iostream>

namespace ciperf {
namespace {

Duration duration_option(const std::string& text, const char* option) {
  auto d = parse_duration(text);
  if (!d || d->count() == 0)
    throw UsageError(std::string(option) + ": '" + text +
                     "' is not a duration above zero (use "
                     "250ms, 2s, 5m or 1h)");
  return *d;
}

// HTTP options given on the command line apply to every HTTP target.
void apply_http_options(const WaitCommand& c, ProbeTarget& t) {
  if (t.kind != ProbeKind::Http)
    return;
  if (!c.status.empty())
    t.status = parse_status_ranges(c.status);
  if (!c.body.empty())
    t.body_regex = c.body;
  t.headers = c.headers;
  t.method = c.method;
  t.insecure = c.insecure;
  t.ca_file = c.ca_file;
  t.max_redirects = c.redirects;
  validate_target(t);
}

WaitSpec wait_spec(const WaitCommand& c) {
  WaitSpec spec;
  spec.any = c.any;
  for (const auto& text : c.targets) {
    spec.targets.push_back(parse_target(text));
    apply_http_options(c, spec.targets.back());
  }
  for (const auto& text : c.fail_if)
    spec.fail_if.push_back(parse_target(text));
  if (!c.interval.empty())
    spec.interval = duration_option(c.interval, "--interval");
  if (!c.timeout.empty())
    spec.timeout = duration_option(c.timeout, "--timeout");
  if (!c.attempt_timeout.empty())
    spec.attempt_timeout = duration_option(c.attempt_timeout, "--attempt-timeout");
  if (!c.connect_interval.empty())
    spec.connect_interval = duration_option(c.connect_interval, "--connect-interval");
  if (!c.max_interval.empty())
    spec.max_interval = duration_option(c.max_interval, "--max-interval");
  spec.successes = c.successes;
  spec.backoff = c.backoff;
  return spec;
}

int exit_code(WaitOutcome outcome) {
  switch (outcome) {
  case WaitOutcome::Ready:
    return kExitPassed;
  case WaitOutcome::Failed:
    return kExitFailed;
  case WaitOutcome::Timeout:
    return kExitTimeout;
  case WaitOutcome::Interrupted:
    return kExitInterrupted;
  }
  return kExitFailed;
}

} // namespace

int command_wait(const WaitCommand& c) {
  WaitSpec spec = wait_spec(c);
  std::optional<Store> store;
  WaitHistory history;
  if (!c.history.empty()) {
    store.emplace(resolve_store_path(c.store));
    history.earliest_ready_s = store->earliest_ready(c.history);
  }
  SignalPipe signals; // Ctrl-C ends the wait cleanly: exec probes' process groups are killed
  int interrupts = 0;
  WaitHooks hooks;
  hooks.wake_fd = signals.fd();
  hooks.should_stop = [&] {
    for (int sig : signals.drain())
      interrupts += is_interrupt(sig);
    return interrupts > 0;
  };
  WaitReport report = run_wait(spec, history, hooks);
  const WaitRecord& record = report.record;
  if (store && record.outcome != WaitOutcome::Interrupted)
    store->record_wait(c.history, record, rfc3339(std::chrono::system_clock::now()));
  if (c.json)
    std::cout << wait_json(record);
  if (!c.quiet || record.outcome != WaitOutcome::Ready)
    std::cerr << "ciperf: " << terminal_escape(describe_wait(report, spec.timeout)) << "\n";
  return exit_code(record.outcome);
}

} // namespace ciperf
