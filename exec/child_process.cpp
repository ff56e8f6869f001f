#include "exec/child_process.hpp"

#include <boost/process/v2/process.hpp>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace ciperf {
namespace bp = boost::process::v2;
namespace fs = std::filesystem;
namespace {

// Runs in the parent before fork (environment) and in the child between fork and exec (the
// rest). Only async-signal-safe calls after fork.
struct PhaseInit {
  const char* const* envp;
  const char* workdir;
  int output_fd;
  int devnull;
  int cgroup_procs_fd;

  // Boost.Process 1.81 names paths with boost::filesystem (its std::filesystem switch does not
  // compile); the hooks are only found when their signature matches exactly.
  bp::error_code on_setup(bp::posix::default_launcher& launcher, const bp::filesystem::path&,
                          const char* const*) {
    launcher.env = envp;
    return {};
  }

  bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&,
                               const char* const*) {
    // Into the run's cgroup first, before anything it starts can escape it. A failure leaves
    // the phase outside the cgroup but still in its own group: not worth failing the phase.
    if (cgroup_procs_fd >= 0) {
      [[maybe_unused]] auto n = ::write(cgroup_procs_fd, "0", 1);
    }
    // Our own group, so that a timeout or an interrupt reaches everything the phase started.
    if (::setpgid(0, 0) != 0 || ::chdir(workdir) != 0)
      return {errno, bp::system_category()};
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD, SIGQUIT, SIGHUP})
      ::signal(sig, SIG_DFL);
    if (::dup2(devnull, STDIN_FILENO) < 0 || ::dup2(output_fd, STDOUT_FILENO) < 0 ||
        ::dup2(output_fd, STDERR_FILENO) < 0)
      return {errno, bp::system_category()};
    return {};
  }
};

boost::asio::io_context& launch_context() {
  static boost::asio::io_context context; // Boost.Process needs an executor; nothing runs on it
  return context;
}

std::vector<const char*> pointers(const std::vector<std::string>& strings) {
  std::vector<const char*> out;
  for (const auto& s : strings)
    out.push_back(s.c_str());
  out.push_back(nullptr);
  return out;
}

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

} // namespace

std::string resolve_executable(const std::string& name, const std::string& path_value,
                               const fs::path& workdir) {
  if (name.find('/') != std::string::npos) {
    fs::path p = fs::path(name).is_absolute() ? fs::path(name) : workdir / name;
    if (!is_executable_file(p))
      throw LaunchError("command '" + name + "' not found or not executable (" + p.string() + ")");
    return p.string();
  }
  size_t start = 0;
  while (start <= path_value.size()) {
    size_t end = path_value.find(':', start);
    if (end == std::string::npos)
      end = path_value.size();
    fs::path dir = path_value.substr(start, end - start);
    fs::path candidate = (dir.empty() ? workdir : dir.is_relative() ? workdir / dir : dir) / name;
    if (is_executable_file(candidate))
      return candidate.string();
    start = end + 1;
  }
  throw LaunchError("command '" + name + "' not found on PATH");
}

pid_t launch_in_new_group(const LaunchSpec& spec) {
  auto envp = pointers(spec.env);
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0)
    throw LaunchError(std::string("cannot open /dev/null: ") + std::strerror(errno));
  PhaseInit init{envp.data(), spec.workdir.c_str(), spec.output_fd, devnull, spec.cgroup_procs_fd};
  bp::error_code ec;
  bp::posix::default_launcher launcher;
  auto process = launcher(launch_context().get_executor(), ec,
                          bp::filesystem::path(spec.executable), spec.args, init);
  ::close(devnull);
  if (ec)
    throw LaunchError("cannot start " + spec.executable + ": " + ec.message());
  pid_t pid = process.id();
  // Also from the parent: whichever of the two runs first, the group exists before we signal it.
  ::setpgid(pid, pid);
  process.detach(); // ciperf reaps it itself, with wait4, to get its resource usage
  return pid;
}

} // namespace ciperf
