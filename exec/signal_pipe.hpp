#pragma once
// The self-pipe trick: signal handlers write the signal number into a pipe that the supervisor
// polls with the phases' output, so signals are handled in the main loop, never in a handler.
#include <csignal>
#include <vector>

namespace ciperf {

// The signals that stop a run: Ctrl-C, a kill, and SIGHUP (a CI runner closing the session
// must get a torn-down, recorded run, not a process dead on the spot).
bool is_interrupt(int sig);

class SignalPipe {
public:
  // Installs handlers for SIGCHLD and the interrupts below, and ignores SIGPIPE. One per process.
  SignalPipe();
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  int fd() const { return read_fd_; }
  // The signals that arrived since the last call, in order.
  std::vector<int> drain();

private:
  int read_fd_ = -1;
  struct sigaction previous_[4]{}; // restored at the end: a session's latch, or the default
};

// A session of many runs (ab, baseline, compare --confirm) must stop at an interrupt that arrives
// between two runs, or in the last instant of one, instead of dying on the spot (no report, a
// scratch directory left behind) or running on. While a latch exists, an interrupt outside a run
// is noted instead of taking its default action, and one during a run is noted as well as
// stopping it; the session checks `interrupted()` after every run.
class InterruptLatch {
public:
  InterruptLatch();
  ~InterruptLatch();
  InterruptLatch(const InterruptLatch&) = delete;
  InterruptLatch& operator=(const InterruptLatch&) = delete;

  // The first interrupt since the latch was made; 0 if none.
  int interrupted() const;
};

} // namespace ciperf
