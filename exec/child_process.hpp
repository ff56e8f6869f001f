#pragma once
// Starting a phase's process: clone(CLONE_VM | CLONE_VFORK), the way posix_spawn starts one, but
// with the steps posix_spawn cannot take (the run's cgroup, the parent-death signal). Where the
// kernel allows it (Linux 5.7, x86-64), clone3 starts the child inside its cgroup v2.
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ciperf {

struct LaunchSpec {
  std::string executable;        // absolute path
  std::vector<std::string> args; // without argv[0]
  std::filesystem::path workdir;
  std::vector<std::string> env; // NAME=value
  int output_fd = -1;           // becomes the child's stdout and stderr
  int cgroup_procs_fd = -1;     // a cgroup.procs the child enters before exec (-1: none)
  int cgroup_dir_fd = -1;       // that cgroup's directory: the child is born in it where it can
  int fallback_procs_fd = -1;   // entered instead if that fails (the run's, for a phase's)
  int memory_procs_fd = -1;     // the same in a cgroup v1 memory hierarchy (-1: none)
  bool dies_with_ciperf = true; // PR_SET_PDEATHSIG; false for a service kept after the run
};

class LaunchError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Starts the process as the leader of a new process group (pgid == pid), stdin from /dev/null,
// default signal dispositions, SIGKILL if ciperf dies first, and in the run's cgroup when there
// is one (so that whatever it starts stays there). Throws LaunchError.
struct Launched {
  pid_t pid = -1;
  bool entered_cgroup = false; // cgroup_procs_fd (false when there was none or the write failed)
  bool entered_memory = false; // memory_procs_fd
  // When the command began: after the child entered its cgroups, just before exec. A phase's
  // wall starts here, so that the cost of a cgroup move stays out of the phase's figures.
  std::chrono::steady_clock::time_point command_start;
};
Launched launch_in_new_group(const LaunchSpec& spec);

// To be called after ciperf changes a signal's disposition (exec/signal_pipe.cpp does): the
// launcher keeps the list of signals its children must reset, and looks again after a change.
void signal_dispositions_changed();

// Resolves a command name on `path_value` the way execvp would; a name with a slash is taken as
// a path (relative to `workdir`). Throws LaunchError naming the command when nothing is found.
std::string resolve_executable(const std::string& name, const std::string& path_value,
                               const std::filesystem::path& workdir);

} // namespace ciperf
