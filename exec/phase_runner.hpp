#pragma once
// Runs one command the way every phase runs: its own process group, output into a log, a
// deadline with SIGTERM, a grace period and SIGKILL, nothing left behind, and its resource usage.
#include "common/duration.hpp"
#include "common/redactor.hpp"
#include "exec/command.hpp"
#include "exec/phase_cgroup.hpp"
#include "exec/phase_env.hpp"
#include "exec/supervisor.hpp"
#include "model/run_record.hpp"

#include <filesystem>
#include <functional>

namespace ciperf {

struct Execution {
  PhaseStatus status = PhaseStatus::Passed;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string message;
  double wall_s = 0;
  Usage usage;
  std::optional<Pressure> pressure;
  std::optional<TreeUsage> tree;            // from the phase's own cgroup, when it had one
  std::optional<Supervisor::Handle> handle; // the phase's process, once started
  // When its command began, in its cgroups (exec/child_process.hpp): where wall_s starts.
  std::optional<std::chrono::steady_clock::time_point> started;

  // A phase that never started: exit code 127, as a shell says of a command it could not run.
  static Execution not_started(std::string why) {
    Execution e;
    e.status = PhaseStatus::Failed;
    e.exit_code = 127;
    e.message = std::move(why);
    return e;
  }
};

struct ExecRequest {
  const Command* command = nullptr;
  std::filesystem::path workdir;
  std::vector<std::string> env;
  std::filesystem::path log;
  Duration timeout{};
  Duration grace{};
  std::string cgroup_name;      // the phase's own cgroup, under the run's (empty: none)
  std::string next_cgroup_name; // the next phase's, made while this one runs (empty: none)
  // What it leaves running outlives the run: it writes its log itself and does not die with
  // ciperf (PhaseSpec::keep).
  bool keep = false;
};

class PhaseRunner {
public:
  PhaseRunner(Supervisor& supervisor, const Redactor& redactor, bool echo_output)
      : supervisor_(supervisor), redactor_(redactor), echo_(echo_output) {}

  // Runs to completion (or timeout, or interrupt). `tick` drives the live status line.
  Execution run(const ExecRequest& request, const std::function<void()>& tick);

  // Starts a background service; nullopt (and `failure` set) if it could not start.
  std::optional<Supervisor::Handle> start_background(const ExecRequest& request,
                                                     std::string& failure);
  // Ends a background service at the end of the run.
  Execution stop_background(Supervisor::Handle h, Duration grace);
  // A kept service at the end of the run: its figures so far, and it goes on running.
  Execution leave_running(Supervisor::Handle h);

private:
  Supervisor::Handle launch(const ExecRequest& request);
  Execution collect(Supervisor::Handle h, PhaseStatus status, Clock::time_point t0);
  std::optional<TreeUsage> tree_usage(Supervisor::Handle h);

  Supervisor& supervisor_;
  const Redactor& redactor_;
  bool echo_;
};

} // namespace ciperf
