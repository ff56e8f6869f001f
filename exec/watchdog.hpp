#pragma once
// What survives a SIGKILL of ciperf to clean up after it. A small process, forked when a run
// starts, in a session of its own (a kill of ciperf's process group or session misses it), that
// reads a pipe whose only write end ciperf holds. When ciperf ends, however it ends, the pipe
// reads end-of-file and the watchdog kills what it was told about: the run's cgroup (removed
// too), or, where there is none, the process groups of the phases still running and of the
// daemons they detached. Then it exits.
#include <filesystem>
#include <sys/types.h>

namespace ciperf {

class Watchdog {
public:
  // Forks the watchdog. Throws std::runtime_error when it cannot.
  Watchdog();
  // Closes the pipe (ciperf has done its own teardown, so the watchdog finds nothing left to
  // kill) and reaps the watchdog.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  pid_t pid() const { return pid_; }
  void watch_cgroup(const std::filesystem::path& dir);
  // Its v1 memory companion, whose directories go once the cgroup's processes are killed.
  void watch_memory_cgroup(const std::filesystem::path& dir);
  void watch_group(pid_t pgid);
  void forget_group(pid_t pgid); // the group is gone: its id may be reused by someone else

private:
  void send(char verb, const std::string& argument);
  pid_t pid_ = -1;
  int write_fd_ = -1;
};

} // namespace ciperf
