#include "probes/waiter.hpp"

#include "common/errors.hpp"
#include "probes/attempt_marks.hpp"
#include "probes/http_client.hpp"
#include "probes/probe_kinds.hpp"
#include "probes/swarm_status.hpp"
#include "probes/target_parser.hpp"

#include <algorithm>
#include <memory>

namespace ciperf {
namespace {

using Clock = ProbeClock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// One target's probe and its schedule.
struct Tracked {
  const ProbeTarget* spec;
  bool fail_if;
  std::unique_ptr<Probe> probe;
  Duration interval;
  WaitTargetRecord report; // its marks are filled from `marks` at the end
  AttemptMarks marks;
  int consecutive = 0;
  bool satisfied = false;
  bool in_flight = false;
  Clock::time_point next_at;
  Clock::time_point deadline;
};

class Waiter {
public:
  Waiter(const WaitSpec& spec, const WaitHistory& history, const WaitHooks& hooks)
      : spec_(spec), hooks_(hooks) {
    add(spec.targets, false);
    add(spec.fail_if, true);
    Duration fastest = Duration::max();
    for (const auto& t : tracked_)
      fastest = std::min(fastest, t.interval);
    relaxed_ = relaxed_schedule(history, fastest);
  }

  WaitReport run();

private:
  void add(const std::vector<ProbeTarget>& targets, bool fail_if) {
    for (const auto& target : targets) {
      validate_target(target);
      if (target.kind == ProbeKind::Swarm && !valid_stack_name(target.stack))
        throw UsageError("target '" + target.text + "': not a valid stack name");
      Tracked t{&target,
                fail_if,
                make_probe(target, spec_, http_),
                spec_.interval.value_or(default_interval(target.kind)),
                {},
                {},
                0,
                false,
                false,
                {},
                {}};
      t.report = {target.text, target.kind, fail_if, 0, std::nullopt, "not tried yet", {}};
      tracked_.push_back(std::move(t));
    }
  }

  void start_due(Clock::time_point now);
  void settle(Tracked& t, const Attempt& a, Clock::time_point now);
  Duration retry_delay(Tracked& t, const Attempt& a, Clock::time_point now);
  std::optional<WaitOutcome> verdict() const;
  Clock::duration poll_timeout(Clock::time_point now) const;
  void poll_once(Clock::time_point now);
  WaitReport finish(WaitOutcome outcome);

  const WaitSpec& spec_;
  const WaitHooks& hooks_;
  HttpClient http_;
  std::vector<Tracked> tracked_;
  std::optional<RelaxedSchedule> relaxed_;
  Clock::time_point start_;
  Clock::time_point end_;
  int saved_ = 0;
  bool stop_requested_ = false;
  std::string fired_;
};

void Waiter::start_due(Clock::time_point now) {
  for (auto& t : tracked_) {
    if (t.satisfied || t.in_flight || now < t.next_at)
      continue;
    t.in_flight = true;
    t.deadline = now + spec_.attempt_timeout;
    ++t.report.attempts;
    t.probe->begin();
    if (auto a = t.probe->advance({})) // some attempts are over at once (a refused connect)
      settle(t, *a, now);
  }
}

Duration Waiter::retry_delay(Tracked& t, const Attempt& a, Clock::time_point now) {
  // While nothing listens, an attempt is a bare connect: cheap enough to repeat every
  // connect_interval, which is what makes a late `listen` visible within milliseconds.
  Duration normal = a.refused ? std::min(spec_.connect_interval, t.interval) : t.interval;
  if (!a.ok && spec_.backoff > 1.0)
    t.interval = std::min(
        spec_.max_interval,
        Duration(static_cast<int64_t>(static_cast<double>(t.interval.count()) * spec_.backoff)));
  if (!relaxed_ || normal >= relaxed_->relaxed_interval)
    return normal;
  auto fast_from = start_ + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(relaxed_->relaxed_until_s));
  if (now + normal >= fast_from)
    return normal;
  // History says readiness is still far off: ask less often, but never past the moment the
  // fast schedule resumes; count what the normal schedule would have asked meanwhile.
  auto gap = std::min<Clock::duration>(relaxed_->relaxed_interval, fast_from - now);
  saved_ += static_cast<int>(gap / normal) - 1;
  return std::chrono::duration_cast<Duration>(gap);
}

void Waiter::settle(Tracked& t, const Attempt& a, Clock::time_point now) {
  t.in_flight = false;
  t.marks.add(seconds(now - start_), a.ok);
  if (a.ok) {
    if (!t.report.first_success_s)
      t.report.first_success_s = seconds(now - start_);
    if (++t.consecutive >= spec_.successes)
      t.satisfied = true;
  } else {
    t.consecutive = 0;
    t.report.last_failure = a.reason;
  }
  if (t.satisfied && t.fail_if)
    fired_ = t.report.target;
  t.next_at = now + retry_delay(t, a, now);
}

std::optional<WaitOutcome> Waiter::verdict() const {
  if (!fired_.empty())
    return WaitOutcome::Failed;
  if (stop_requested_)
    return WaitOutcome::Interrupted;
  bool any = false, all = true;
  for (const auto& t : tracked_)
    if (!t.fail_if) {
      any |= t.satisfied;
      all &= t.satisfied;
    }
  if (spec_.any ? any : all)
    return WaitOutcome::Ready;
  if (Clock::now() >= end_)
    return WaitOutcome::Timeout;
  return std::nullopt;
}

Clock::duration Waiter::poll_timeout(Clock::time_point now) const {
  Clock::time_point wake = end_;
  for (const auto& t : tracked_) {
    if (t.satisfied)
      continue;
    wake = std::min(wake, t.in_flight ? t.deadline : t.next_at);
  }
  return std::max<Clock::duration>(Clock::duration::zero(), wake - now);
}

void Waiter::poll_once(Clock::time_point now) {
  std::vector<pollfd> fds;
  for (const auto& t : tracked_) {
    if (t.in_flight)
      t.probe->watch(fds);
    if (!t.satisfied && t.probe->wake_fd() >= 0)
      fds.push_back({t.probe->wake_fd(), POLLIN, 0});
  }
  if (hooks_.wake_fd >= 0)
    fds.push_back({hooks_.wake_fd, POLLIN, 0});
  std::vector<int> busy = hooks_.busy_fds ? hooks_.busy_fds() : std::vector<int>{};
  for (int fd : busy)
    fds.push_back({fd, POLLIN, 0});
  http_.poll(fds, std::chrono::duration_cast<Duration>(poll_timeout(now)));
  now = Clock::now();
  for (int fd : busy)
    if (fd_ready(fds, fd)) {
      hooks_.service();
      break; // one call reads every pipe that has something
    }
  if (hooks_.wake_fd >= 0 && fd_ready(fds, hooks_.wake_fd) && hooks_.should_stop &&
      hooks_.should_stop())
    stop_requested_ = true;
  for (auto& t : tracked_) {
    if (!t.satisfied && t.probe->wake_fd() >= 0 && fd_ready(fds, t.probe->wake_fd())) {
      t.probe->on_wake();
      if (!t.in_flight)
        t.next_at = now; // the file changed: look now, not at the next interval
    }
    if (!t.in_flight)
      continue;
    if (auto a = t.probe->advance(fds)) {
      settle(t, *a, now);
    } else if (now >= t.deadline) {
      t.probe->abandon();
      settle(t, Attempt{false, false, "no answer within " + format_duration(spec_.attempt_timeout)},
             now);
    }
  }
}

WaitReport Waiter::finish(WaitOutcome outcome) {
  WaitReport out;
  WaitRecord& r = out.record;
  r.outcome = outcome;
  r.elapsed_s = seconds(Clock::now() - start_);
  if (outcome == WaitOutcome::Ready)
    r.ready_s = r.elapsed_s;
  for (auto& t : tracked_) {
    if (t.in_flight)
      t.probe->abandon();
    r.attempts += t.report.attempts;
    t.report.marks = t.marks.marks();
    r.targets.push_back(t.report);
    out.ready.push_back(t.satisfied);
  }
  r.http_requests = http_.requests();
  r.attempts_saved = saved_;
  if (relaxed_)
    r.relaxed_until_s = relaxed_->relaxed_until_s;
  out.fail_fast_target = fired_;
  return out;
}

WaitReport Waiter::run() {
  start_ = Clock::now();
  end_ = start_ + spec_.timeout;
  for (auto& t : tracked_)
    t.next_at = start_;
  while (true) {
    start_due(Clock::now());
    if (auto v = verdict())
      return finish(*v);
    poll_once(Clock::now());
    if (auto v = verdict())
      return finish(*v);
  }
}

} // namespace

Duration default_interval(ProbeKind kind) {
  using std::chrono::milliseconds;
  switch (kind) {
  case ProbeKind::Http:
  case ProbeKind::Tcp:
    return milliseconds(20); // 50 requests/s at most once the service answers
  case ProbeKind::Exec:
  case ProbeKind::Log:
    return milliseconds(100); // a process per attempt; a log wakes us through inotify anyway
  case ProbeKind::Swarm:
    return milliseconds(500); // two docker CLI calls per attempt
  }
  return milliseconds(100);
}

std::optional<RelaxedSchedule> relaxed_schedule(const WaitHistory& history, Duration interval) {
  if (!history.earliest_ready_s || *history.earliest_ready_s <= 0)
    return std::nullopt;
  double earliest = *history.earliest_ready_s;
  // Switch to the fast schedule a little before the earliest readiness seen recently. Before
  // that, a quarter of that time between attempts: 4 or 5 attempts instead of hundreds. A
  // service that is ready sooner than ever before is seen at most that much later.
  double margin = std::max(0.05, 0.05 * earliest);
  double until = earliest - margin;
  Duration relaxed = std::clamp(Duration(static_cast<int64_t>(earliest / 4 * 1e9)), interval,
                                Duration(std::chrono::seconds(1)));
  if (until <= 0 || relaxed <= interval)
    return std::nullopt;
  return RelaxedSchedule{until, relaxed};
}

WaitReport run_wait(const WaitSpec& spec, const WaitHistory& history, const WaitHooks& hooks) {
  return Waiter(spec, history, hooks).run();
}

} // namespace ciperf
