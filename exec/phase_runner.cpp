#include "exec/phase_runner.hpp"

#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sys/wait.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

std::string path_of(const std::vector<std::string>& env) {
  for (const auto& entry : env)
    if (entry.rfind("PATH=", 0) == 0)
      return entry.substr(5);
  return "/usr/local/bin:/usr/bin:/bin";
}

LaunchSpec launch_spec(const ExecRequest& request) {
  if (!fs::is_directory(request.workdir))
    throw LaunchError("working directory " + request.workdir.string() + " does not exist");
  LaunchSpec spec;
  spec.workdir = request.workdir;
  spec.env = request.env;
  const Command& c = *request.command;
  if (c.shell) {
    spec.executable = "/bin/sh";
    spec.args = {"-c", c.script};
  } else {
    spec.executable = resolve_executable(c.argv[0], path_of(request.env), request.workdir);
    spec.args.assign(c.argv.begin() + 1, c.argv.end());
  }
  return spec;
}

void append_to_log(const fs::path& log, const std::string& line) {
  std::ofstream(log, std::ios::app) << "ciperf: " << line << "\n";
}

} // namespace

Supervisor::Handle PhaseRunner::launch(const ExecRequest& request) {
  LaunchSpec spec = launch_spec(request); // resolve first: a missing command makes no empty log
  spec.dies_with_ciperf = !request.keep;
  auto output =
      request.keep
          ? std::make_unique<OutputStream>(OutputStream::Direct{}, request.log.string(), redactor_)
          : std::make_unique<OutputStream>(request.log.string(), redactor_, echo_);
  return supervisor_.start(std::move(spec), std::move(output), request.cgroup_name, request.keep);
}

// The phase's whole tree from its cgroup, which began empty (new, or recycled: see origin()). A
// cgroup nothing runs in any more is released; one that holds a daemon stays, for the services'
// cost of later phases.
std::optional<TreeUsage> PhaseRunner::tree_usage(Supervisor::Handle h) {
  PhaseCgroup* group = supervisor_.group(h);
  if (!group)
    return std::nullopt;
  std::optional<TreeUsage> usage;
  if (supervisor_.per_phase_cgroups()) // else the cgroup is only there to keep a service
    usage = usage_between(group->origin(), group->read());
  if (!group->populated())
    supervisor_.release_group(h);
  return usage;
}

Execution PhaseRunner::collect(Supervisor::Handle h, PhaseStatus status, Clock::time_point t0) {
  const ProcessState& state = supervisor_.state(h);
  Execution e;
  e.status = status;
  e.handle = h;
  e.started = state.started;
  e.usage = state.usage;
  auto end = state.exited ? state.ended : Clock::now();
  e.wall_s = std::chrono::duration<double>(end - t0).count();
  if (state.exited && WIFEXITED(state.wait_status))
    e.exit_code = WEXITSTATUS(state.wait_status);
  else if (state.exited && WIFSIGNALED(state.wait_status))
    e.signal = WTERMSIG(state.wait_status);
  return e;
}

Execution PhaseRunner::run(const ExecRequest& request, const std::function<void()>& tick) {
  auto pressure_before = read_pressure();
  Supervisor::Handle h;
  try {
    h = launch(request);
  } catch (const std::exception& error) {
    std::string message = redactor_.apply(error.what());
    append_to_log(request.log, message);
    return Execution::not_started(message);
  }
  // The phase's time, and its timeout, count from its command's start: making or recycling its
  // cgroup and moving into it are ciperf's, and cost a phase after a pause up to 25 ms.
  auto t0 = supervisor_.state(h).started;
  supervisor_.prepare_group(request.next_cgroup_name);
  auto outcome = supervisor_.wait(h, t0 + request.timeout, tick);
  PhaseStatus status = PhaseStatus::Passed;
  std::optional<Clock::time_point> group_gone;
  if (outcome == Supervisor::Outcome::Exited) {
    supervisor_.kill_leftovers(h);
  } else {
    supervisor_.terminate(h, request.grace);
    group_gone = Clock::now();
    status =
        outcome == Supervisor::Outcome::TimedOut ? PhaseStatus::Timeout : PhaseStatus::Interrupted;
  }
  supervisor_.settle_output(h);
  Execution e = collect(h, status, t0);
  e.tree = tree_usage(h);
  if (group_gone) // a stopped phase lasts until its whole group is gone, grace period included
    e.wall_s = std::chrono::duration<double>(*group_gone - t0).count();
  if (status == PhaseStatus::Passed && e.exit_code != 0) {
    e.status = PhaseStatus::Failed;
    e.message = e.exit_code ? fmt::format("exit code {}", *e.exit_code)
                            : fmt::format("killed by signal {}", e.signal.value_or(0));
  }
  if (status == PhaseStatus::Timeout)
    e.message = "timed out after " + format_duration(request.timeout);
  e.pressure = pressure_between(pressure_before, read_pressure());
  return e;
}

std::optional<Supervisor::Handle> PhaseRunner::start_background(const ExecRequest& request,
                                                                std::string& failure) {
  try {
    return launch(request);
  } catch (const std::exception& error) {
    failure = redactor_.apply(error.what());
    append_to_log(request.log, failure);
    return std::nullopt;
  }
}

Execution PhaseRunner::leave_running(Supervisor::Handle h) {
  Execution e = collect(h, PhaseStatus::Passed, supervisor_.state(h).started);
  e.tree = tree_usage(h);
  if (supervisor_.state(h).exited && e.exit_code != 0) {
    e.status = PhaseStatus::Failed;
    e.message = e.exit_code ? fmt::format("service exited early with code {}", *e.exit_code)
                            : fmt::format("service killed by signal {}", e.signal.value_or(0));
  }
  supervisor_.keep(h);
  return e;
}

Execution PhaseRunner::stop_background(Supervisor::Handle h, Duration grace) {
  const ProcessState& state = supervisor_.state(h);
  bool died_early = state.exited;
  supervisor_.terminate(h, grace);
  supervisor_.settle_output(h);
  Execution e = collect(h, PhaseStatus::Passed, state.started);
  e.tree = tree_usage(h);
  if (died_early && e.exit_code != 0) {
    e.status = PhaseStatus::Failed;
    e.message = e.exit_code ? fmt::format("service exited early with code {}", *e.exit_code)
                            : fmt::format("service killed by signal {}", e.signal.value_or(0));
  } else if (!died_early) {
    e.exit_code.reset(); // ended by ciperf at the end of the run, as intended
    e.signal.reset();
  }
  return e;
}

} // namespace ciperf
