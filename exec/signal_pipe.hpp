#pragma once
// The self-pipe trick: signal handlers write the signal number into a pipe that the supervisor
// polls with the phases' output, so signals are handled in the main loop, never in a handler.
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
};

} // namespace ciperf
