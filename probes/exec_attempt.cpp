#include "probes/exec_attempt.hpp"

#include "probes/probe.hpp"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ciperf {
namespace {

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

} // namespace

void ExecAttempt::start(const std::string& command, size_t output_limit,
                        const std::vector<std::string>& env, const std::string& workdir) {
  abandon();
  output_.clear();
  limit_ = output_limit;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  std::vector<const char*> envp;
  for (const auto& e : env)
    envp.push_back(e.c_str());
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD})
      ::signal(sig, SIG_DFL);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    if (!workdir.empty() && ::chdir(workdir.c_str()) != 0)
      ::_exit(126);
    if (env.empty())
      ::execv("/bin/sh", const_cast<char* const*>(argv));
    else
      ::execve("/bin/sh", const_cast<char* const*>(argv), const_cast<char* const*>(envp.data()));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(fds[1]);
  out_fd_ = fds[0];
  ::fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  pid_ = pid;
  pidfd_ = pidfd_open(pid);
}

void ExecAttempt::watch(std::vector<pollfd>& fds) const {
  if (pidfd_ >= 0)
    fds.push_back({pidfd_, POLLIN, 0});
  if (out_fd_ >= 0)
    fds.push_back({out_fd_, POLLIN, 0});
}

void ExecAttempt::read_output() {
  char buf[4096];
  ssize_t n;
  while (out_fd_ >= 0 && (n = ::read(out_fd_, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return; // EAGAIN
    }
    output_.append(buf,
                   std::min(static_cast<size_t>(n), limit_ - std::min(limit_, output_.size())));
  }
  if (out_fd_ >= 0) { // end of output: every writer is gone
    ::close(out_fd_);
    out_fd_ = -1;
  }
}

std::optional<ExecAttempt::Result> ExecAttempt::advance(const std::vector<pollfd>& fds) {
  if (pid_ <= 0)
    return std::nullopt;
  read_output();
  int status = 0;
  // The pidfd says when to look; without one (old kernels) every loop turn looks.
  if (pidfd_ >= 0 && !fd_ready(fds, pidfd_))
    return std::nullopt;
  if (::waitpid(pid_, &status, WNOHANG) != pid_)
    return std::nullopt;
  ::kill(-pid_, SIGKILL); // whatever it left in its group, as phases do
  pid_ = -1;
  read_output();
  close_fds();
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.output = std::move(output_);
  return r;
}

void ExecAttempt::abandon() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  close_fds();
}

void ExecAttempt::close_fds() {
  if (pidfd_ >= 0)
    ::close(pidfd_);
  if (out_fd_ >= 0)
    ::close(out_fd_);
  pidfd_ = out_fd_ = -1;
}

} // namespace ciperf
