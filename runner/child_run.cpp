#include "runner/child_run.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ciperf {
namespace {

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Between fork and exec: system calls only (the parent may hold locks a library call would take).
[[noreturn]] void exec_child(char** argv, char** envp, int log_fd, int null_fd, pid_t parent) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) // the session died before the line above
    ::_exit(128 + SIGTERM);
  // The session's handlers write to its signal pipe, which this process still shares until
  // exec: a forwarded Ctrl-C that lands now must end this process, not wake the session.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE}) // SIGPIPE: ignored survives exec
    ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(null_fd, 0);
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  ::execve("/proc/self/exe", argv, envp);
  ::_exit(127);
}

} // namespace

int start_child_run(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                    const std::filesystem::path& log) {
  std::vector<std::string> argv_strings{"ciperf"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    bool replaced = false;
    for (const auto& extra : extra_env)
      replaced |= entry.compare(0, extra.find('=') + 1, extra, 0, extra.find('=') + 1) == 0;
    if (!replaced)
      env_strings.push_back(std::move(entry));
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    std::string why = std::strerror(errno);
    if (log_fd >= 0)
      ::close(log_fd);
    throw std::runtime_error("cannot open " + log.string() + ": " + why);
  }
  pid_t parent = ::getpid();
  sigset_t all, previous;
  sigfillset(&all);
  ::sigprocmask(SIG_BLOCK, &all, &previous); // no handler runs in the child before it resets them
  pid_t pid = ::fork();
  if (pid == 0)
    exec_child(argv.data(), envp.data(), log_fd, null_fd, parent);
  int fork_errno = errno;
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0)
    throw std::runtime_error(std::string("cannot start a run: fork: ") + std::strerror(fork_errno));
  ::setpgid(pid, pid); // also here, so a signal forwarded at once reaches the group
  return pid;
}

int child_exit_code(int wait_status) {
  if (WIFEXITED(wait_status))
    return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status))
    return 128 + WTERMSIG(wait_status);
  return 1;
}

} // namespace ciperf
