#pragma once
// One run of a command for a probe: /bin/sh -c in a process group of its own, output kept up to
// a limit, its exit seen through a pidfd. Abandoning it kills the whole group, so an exec probe
// that hangs or forks leaves nothing behind.
#include <optional>
#include <poll.h>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ciperf {

class ExecAttempt {
public:
  struct Result {
    int exit_code = -1; // -1 when killed by a signal
    std::string output; // stdout and stderr, first `output_limit` bytes
  };

  ExecAttempt() = default;
  ~ExecAttempt() { abandon(); }
  ExecAttempt(const ExecAttempt&) = delete;
  ExecAttempt& operator=(const ExecAttempt&) = delete;

  // Throws std::runtime_error if the process cannot be started.
  // `env` (NAME=value) replaces ciperf's environment when not empty; `workdir` when not empty.
  void start(const std::string& command, size_t output_limit,
             const std::vector<std::string>& env = {}, const std::string& workdir = {});
  void watch(std::vector<pollfd>& fds) const;
  std::optional<Result> advance(const std::vector<pollfd>& fds);
  void abandon(); // SIGKILL to the group and reap
  bool running() const { return pid_ > 0; }

private:
  void read_output();
  void close_fds();
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int out_fd_ = -1;
  size_t limit_ = 0;
  std::string output_;
};

} // namespace ciperf
