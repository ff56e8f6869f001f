#pragma once
// A `ciperf run` in a child process of its own (this binary, /proc/self/exe), for sessions that
// run several pipelines at once: each child has its own orchestrator, signal handling, cgroup
// and watchdog, so a crash or a hang stays in one instance and none shares the runner's state.
#include <filesystem>
#include <string>
#include <vector>

namespace ciperf {

// Starts `ciperf ARGS…` with `extra_env` (NAME=value) added to this process's environment, its
// stdout and stderr into `log`, stdin from /dev/null, in a process group of its own (Ctrl-C at
// the terminal reaches the session only, which forwards it once) and with SIGTERM as its
// parent-death signal (a session killed outright still gets every run torn down and recorded).
// Returns the child's pid; throws std::runtime_error when it cannot start.
int start_child_run(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                    const std::filesystem::path& log);

// The exit code a `ciperf run` would report for a wait status (128 + signal when killed).
int child_exit_code(int wait_status);

} // namespace ciperf
