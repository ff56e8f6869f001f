#include "exec/supervisor.hpp"

#include "exec/phase_cgroup.hpp"
#include "exec/run_cgroup.hpp"
#include "exec/signal_pipe.hpp"
#include "exec/watchdog.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ciperf {
namespace {

// Bounds the wait for a SIGKILLed group to disappear; only a process stuck in the kernel
// (uninterruptible I/O) can hold it that long.
constexpr auto kReapLimit = std::chrono::seconds(10);
// A daemon (nginx, pg_ctl's postmaster) forks, its parent exits, and only then does the child
// call setsid() to leave the group: killing the group at once would kill the daemon in that
// window. Leftovers get this long to leave before they are killed.
constexpr auto kLeftoverSettle = std::chrono::milliseconds(100);

timespec to_timespec(Clock::duration d) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  if (ns < 0)
    ns = 0;
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

// The children of ciperf's main task (the only one that starts processes, and the one orphans
// are reparented to), read with plain syscalls: an ifstream cost more than the scan, per phase.
std::vector<pid_t> own_children() {
  const std::string file = "/proc/self/task/" + std::to_string(::getpid()) + "/children";
  std::vector<pid_t> pids;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return pids;
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  ::close(fd);
  for (const char* at = text.c_str(); *at != '\0';) {
    char* end = nullptr;
    long pid = std::strtol(at, &end, 10);
    if (end == at)
      break;
    pids.push_back(static_cast<pid_t>(pid));
    at = end;
  }
  return pids;
}

} // namespace

Supervisor::Supervisor(SignalPipe& signals) : signals_(signals) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Supervisor::~Supervisor() {
  close_all();
}

void Supervisor::contain(RunCgroup* cgroup, Watchdog* watchdog, bool per_phase) {
  cgroup_ = cgroup;
  watchdog_ = watchdog;
  per_phase_ = per_phase;
  if (cgroup_ && watchdog_) {
    watchdog_->watch_cgroup(cgroup_->path());
    if (cgroup_->memory_v1())
      watchdog_->watch_memory_cgroup(*cgroup_->memory_v1());
  }
}

Supervisor::Handle Supervisor::start(LaunchSpec spec, std::unique_ptr<OutputStream> output,
                                     const std::string& group_name, bool kept) {
  spec.output_fd = output->child_fd();
  spec.cgroup_procs_fd = cgroup_ ? cgroup_->procs_fd() : -1;
  spec.cgroup_dir_fd = cgroup_ ? cgroup_->dir_fd() : -1;
  Entry entry;
  if (cgroup_ && (per_phase_ || kept) && !group_name.empty()) {
    try {
      entry.group = cgroup_->create_phase(group_name);
      spec.cgroup_procs_fd = entry.group->procs_fd();
      spec.cgroup_dir_fd = entry.group->dir_fd();
      spec.fallback_procs_fd = cgroup_->procs_fd();
      spec.memory_procs_fd = entry.group->memory_procs_fd();
    } catch (const std::exception&) {
      // The phase runs in the run's cgroup and its own figures stay null: never made up.
    }
  }
  Launched launched = launch_in_new_group(spec);
  entry.state.started = launched.command_start;
  entry.state.pid = launched.pid;
  if (entry.group) {
    entry.group->entered(launched.entered_cgroup, launched.entered_memory);
    if (!launched.entered_cgroup) // in the run's cgroup instead: its figures would be a blank
      entry.group.reset();
  }
  if (watchdog_ && !cgroup_)
    watchdog_->watch_group(entry.state.pid);
  output->close_child_fd();
  entry.output = std::move(output);
  entries_.push_back(std::move(entry));
  Handle h = entries_.size() - 1;
  running_.emplace(entries_[h].state.pid, h);
  reading_.push_back(h);
  return h;
}

const std::vector<Supervisor::Handle>& Supervisor::reading() {
  std::erase_if(reading_, [&](Handle h) {
    const auto& output = entries_[h].output;
    return !output || !output->open();
  });
  return reading_;
}

void Supervisor::step(Clock::duration timeout) {
  std::vector<pollfd> fds{{signals_.fd(), POLLIN, 0}};
  std::vector<OutputStream*> streams;
  for (Handle h : reading()) {
    fds.push_back({entries_[h].output->fd(), POLLIN, 0});
    streams.push_back(entries_[h].output.get());
  }
  timespec ts = to_timespec(timeout);
  if (::ppoll(fds.data(), fds.size(), &ts, nullptr) <= 0)
    return; // timeout or EINTR: the caller re-checks its conditions
  for (size_t i = 1; i < fds.size(); ++i)
    if (fds[i].revents != 0)
      streams[i - 1]->pump();
  if (fds[0].revents != 0)
    count_signals();
  reap(); // cheap (one WNOHANG wait4) and immune to a coalesced SIGCHLD
}

void Supervisor::reap() {
  int status = 0;
  rusage ru{};
  pid_t pid;
  while ((pid = ::wait4(-1, &status, WNOHANG, &ru)) > 0) {
    auto now = Clock::now();
    Entry* owner = nullptr;
    if (auto it = running_.find(pid); it != running_.end()) {
      owner = &entries_[it->second];
      running_.erase(it);
    }
    if (owner) {
      owner->state.exited = true;
      owner->state.wait_status = status;
      owner->state.ended = now;
      owner->state.usage.add(ru);
    } else if (auto it = detached_.find(pid); it != detached_.end()) {
      forget_group(it->second);
      detached_.erase(it);
    } else if (accounting_for_) {
      entries_[*accounting_for_].state.usage.add(ru);
    }
  }
}

Supervisor::Outcome Supervisor::wait(Handle h, Clock::time_point deadline,
                                     const std::function<void()>& tick,
                                     std::chrono::milliseconds tick_every) {
  accounting_for_ = h;
  int interrupts_before = interrupts_;
  reap();
  while (!entries_[h].state.exited) {
    if (interrupts_ > interrupts_before)
      return Outcome::Interrupted;
    auto now = Clock::now();
    if (now >= deadline)
      return Outcome::TimedOut;
    auto timeout = deadline - now;
    if (tick) {
      tick();
      timeout = std::min<Clock::duration>(timeout, tick_every);
    }
    step(timeout);
  }
  return Outcome::Exited;
}

bool Supervisor::group_alive(Handle h) const {
  return ::kill(-entries_[h].state.pid, 0) == 0 || errno == EPERM;
}

void Supervisor::terminate(Handle h, Clock::duration grace) {
  accounting_for_ = h;
  ::kill(-entries_[h].state.pid, SIGTERM);
  auto deadline = Clock::now() + grace;
  int interrupts_before = interrupts_;
  reap();
  // A signal that arrives during the grace period ends it: whoever pressed Ctrl-C again does not
  // want to sit out a phase that ignores SIGTERM.
  while (group_alive(h) && Clock::now() < deadline && interrupts_ == interrupts_before)
    step(std::min<Clock::duration>(deadline - Clock::now(), std::chrono::milliseconds(20)));
  kill_leftovers(h);
}

void Supervisor::kill_leftovers(Handle h) {
  accounting_for_ = h;
  pid_t group = entries_[h].state.pid;
  reap();
  // One probe of the group in the common case (it ended with its main process), not three.
  bool alive = group_alive(h);
  auto settle = Clock::now() + kLeftoverSettle;
  while (alive && Clock::now() < settle) {
    step(std::chrono::milliseconds(1));
    alive = group_alive(h);
  }
  auto limit = Clock::now() + kReapLimit;
  while (alive && Clock::now() < limit) {
    ::kill(-group, SIGKILL);
    step(std::chrono::milliseconds(5));
    alive = group_alive(h);
  }
  if (!alive)
    forget_group(group);
  note_detached();
}

void Supervisor::keep(Handle h) {
  if (PhaseCgroup* group = entries_[h].group.get(); group && cgroup_)
    cgroup_->adopt_out(*group);
  forget_group(entries_[h].state.pid);
  running_.erase(entries_[h].state.pid); // reaped by nobody now: it outlives ciperf
}

void Supervisor::release_group(Handle h) {
  if (cgroup_)
    cgroup_->retire_phase(std::move(entries_[h].group));
  entries_[h].group.reset();
}

void Supervisor::prepare_group(const std::string& group_name) {
  if (per_phase_cgroups() && !group_name.empty())
    cgroup_->prepare_phase(group_name);
}

void Supervisor::forget_group(pid_t pgid) {
  if (watchdog_ && !cgroup_)
    watchdog_->forget_group(pgid);
}

void Supervisor::kill_remaining() {
  if (cgroup_) {
    cgroup_->kill_all();
    auto limit = Clock::now() + kReapLimit;
    while (cgroup_->populated() && Clock::now() < limit)
      step(std::chrono::milliseconds(5));
    reap();
    cgroup_->remove();
    return;
  }
  for (const auto& [pid, pgid] : detached_)
    ::kill(-pgid, SIGKILL);
  auto limit = Clock::now() + kReapLimit;
  while (!detached_.empty() && Clock::now() < limit)
    step(std::chrono::milliseconds(5));
}

void Supervisor::note_detached() {
  for (pid_t pid : own_children()) {
    bool supervised = running_.count(pid) > 0 || (watchdog_ && pid == watchdog_->pid());
    if (supervised || detached_.count(pid) > 0)
      continue;
    pid_t pgid = ::getpgid(pid);
    if (pgid <= 0 || !detached_.emplace(pid, pgid).second)
      continue;
    if (watchdog_ && !cgroup_)
      watchdog_->watch_group(pgid); // its own session's group, out of reach of the phase's
  }
}

int Supervisor::signal_fd() const {
  return signals_.fd();
}

void Supervisor::count_signals() {
  for (int sig : signals_.drain())
    if (is_interrupt(sig))
      ++interrupts_;
}

std::vector<int> Supervisor::output_fds() {
  std::vector<int> fds;
  for (Handle h : reading())
    fds.push_back(entries_[h].output->fd());
  return fds;
}

void Supervisor::pump_outputs() {
  std::vector<pollfd> fds;
  std::vector<OutputStream*> streams;
  for (Handle h : reading()) {
    fds.push_back({entries_[h].output->fd(), POLLIN, 0});
    streams.push_back(entries_[h].output.get());
  }
  if (fds.empty() || ::poll(fds.data(), fds.size(), 0) <= 0)
    return;
  for (size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents != 0)
      streams[i]->pump();
}

void Supervisor::settle_output(Handle h) {
  auto& output = entries_[h].output;
  while (output && output->open() && output->pump() == OutputStream::Pump::More) {
  }
}

void Supervisor::close_all() {
  for (Handle h : reading()) {
    entries_[h].output->pump();
    entries_[h].output->close();
  }
}

} // namespace ciperf
