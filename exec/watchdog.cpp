#include "exec/watchdog.hpp"

#include "exec/run_cgroup.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace ciperf {
namespace {

// The watchdog runs in a child of a process that may have threads: system calls and fixed
// buffers only, no allocation, from fork to exit.
constexpr size_t kMaxGroups = 4096; // more running at once would be a fork bomb, not a pipeline

struct Watched {
  char cgroup[PATH_MAX] = {};
  char memory_cgroup[PATH_MAX] = {}; // a v1 memory hierarchy's companion of `cgroup`
  pid_t groups[kMaxGroups] = {};
  size_t group_count = 0;

  void add(pid_t pgid) {
    if (group_count < kMaxGroups)
      groups[group_count++] = pgid;
  }
  void remove(pid_t pgid) {
    for (size_t i = 0; i < group_count; ++i)
      if (groups[i] == pgid) {
        groups[i] = groups[--group_count];
        return;
      }
  }
  // One line: `c PATH`, `m PATH`, `+ PGID` or `- PGID`.
  void apply(const char* line, size_t len) {
    if (len < 2)
      return;
    if ((line[0] == 'c' || line[0] == 'm') && len - 2 < sizeof cgroup) {
      char* path = line[0] == 'c' ? cgroup : memory_cgroup;
      std::memcpy(path, line + 2, len - 2);
      path[len - 2] = '\0';
    } else if (line[0] == '+' || line[0] == '-') {
      pid_t pgid = static_cast<pid_t>(std::strtol(line + 2, nullptr, 10)); // no allocation
      if (pgid > 1)
        line[0] == '+' ? add(pgid) : remove(pgid);
    }
  }
  void kill_all() const {
    for (size_t i = 0; i < group_count; ++i)
      ::kill(-groups[i], SIGKILL);
    if (cgroup[0] != '\0')
      kill_cgroup_tree(cgroup, 5000);
    if (memory_cgroup[0] != '\0')
      remove_cgroup_dirs(memory_cgroup, 1000);
  }
};

Watched g_watched; // static storage: the child cannot allocate, and 16 KiB is a lot of stack

void detach_from_ciperf(int read_fd) {
  ::setsid(); // its own session and group: a kill of ciperf's group or session misses it
  for (int sig : {SIGINT, SIGHUP, SIGTERM, SIGQUIT, SIGPIPE})
    ::signal(sig, SIG_IGN); // only the pipe's end ends it
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Hold nothing of ciperf's: not its console (the CI runner waits for it to close), not the
  // phases' pipes or the pipe's write end (which would keep the pipe from ever reading EOF).
  ::dup2(read_fd, STDIN_FILENO);
  int devnull = ::open("/dev/null", O_RDWR);
  ::dup2(devnull, STDOUT_FILENO);
  ::dup2(devnull, STDERR_FILENO);
  ::close_range(3, ~0U, 0);
}

[[noreturn]] void watchdog_main(int read_fd) {
  detach_from_ciperf(read_fd);
  char line[PATH_MAX + 4];
  size_t len = 0;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') {
        if (len < sizeof line - 1)
          line[len++] = buf[i];
        continue;
      }
      line[len] = '\0';
      g_watched.apply(line, len);
      len = 0;
    }
  }
  g_watched.kill_all();
  ::_exit(0);
}

} // namespace

Watchdog::Watchdog() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create the watchdog's pipe: ") +
                             std::strerror(errno));
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("cannot fork the watchdog: ") + std::strerror(errno));
  }
  if (pid_ == 0)
    watchdog_main(fds[0]);
  ::close(fds[0]);
  write_fd_ = fds[1];
}

Watchdog::~Watchdog() {
  ::close(write_fd_);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void Watchdog::watch_cgroup(const std::filesystem::path& dir) {
  send('c', dir.string());
}

void Watchdog::watch_memory_cgroup(const std::filesystem::path& dir) {
  send('m', dir.string());
}

void Watchdog::watch_group(pid_t pgid) {
  send('+', std::to_string(pgid));
}

void Watchdog::forget_group(pid_t pgid) {
  send('-', std::to_string(pgid));
}

void Watchdog::send(char verb, const std::string& argument) {
  // One write under PIPE_BUF bytes is atomic; a dead watchdog (EPIPE) changes nothing for the
  // run, so failures are ignored.
  std::string line = std::string(1, verb) + " " + argument + "\n";
  [[maybe_unused]] auto n = ::write(write_fd_, line.data(), line.size());
}

} // namespace ciperf
