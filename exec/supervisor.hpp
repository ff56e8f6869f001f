#pragma once
// The event loop under the orchestrator: starts process groups, reaps every child (ciperf is a
// child subreaper, so orphans of a phase come back to it), pumps phase output into the logs,
// enforces deadlines and notices interrupts (SIGINT, SIGTERM, SIGHUP). On the main thread, one
// poll() loop, in the manner of ninja's subprocess-posix (phase cgroups are made and removed
// beside it, by exec/cgroup_worker.hpp).
#include "exec/child_process.hpp"
#include "exec/output_stream.hpp"
#include "exec/resource_usage.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ciperf {

class SignalPipe;
class RunCgroup;
class PhaseCgroup;
class Watchdog;
using Clock = std::chrono::steady_clock;

struct ProcessState {
  pid_t pid = -1; // also the process group id
  bool exited = false;
  int wait_status = 0;
  Usage usage;
  Clock::time_point started;
  Clock::time_point ended;
};

class Supervisor {
public:
  using Handle = size_t;
  enum class Outcome { Exited, TimedOut, Interrupted };

  explicit Supervisor(SignalPipe& signals);
  ~Supervisor();

  // From now on, processes start in `cgroup` (may be null: the host has none to give) and the
  // watchdog hears of what it must kill should ciperf die: the cgroup, or else each process
  // group while it lives. Both must outlive the supervisor.
  // With `per_phase`, each process started with a group name gets a cgroup of its own under
  // `cgroup` (see exec/phase_cgroup.hpp).
  void contain(RunCgroup* cgroup, Watchdog* watchdog, bool per_phase);
  bool per_phase_cgroups() const { return cgroup_ && per_phase_; }
  // At the end of a run: SIGKILL whatever is still running (daemons the pipeline did not stop),
  // reap it, remove the cgroup. Nothing the run started survives it.
  void kill_remaining();

  // Starts `spec` as a new process group writing into `output`, in a cgroup of its own named
  // `group_name` when per-phase cgroups are on (else in the run's). Throws LaunchError.
  Handle start(LaunchSpec spec, std::unique_ptr<OutputStream> output,
               const std::string& group_name = {}, bool kept = false);
  // Leaves whatever `h` started (kept: it had a cgroup of its own, or at least its own process
  // group) running past the run: out of the run's cgroup, off the watchdog's list.
  void keep(Handle h);
  // The process's own cgroup, or null (none was made, or it was released).
  PhaseCgroup* group(Handle h) const { return entries_[h].group.get(); }
  // Closes the cgroup's files, and removes it if nothing runs in it any more (on the cgroup
  // worker: the next phase need not wait for it).
  void release_group(Handle h);
  // With per-phase cgroups: starts making the cgroup that the next start() will name
  // `group_name`, while the current phase runs.
  void prepare_group(const std::string& group_name);

  // Runs the loop until the main process of `h` exits, `deadline` passes, or an interrupt
  // arrives. `tick` is called about every `tick_every` while waiting (live status).
  Outcome wait(Handle h, Clock::time_point deadline, const std::function<void()>& tick = {},
               std::chrono::milliseconds tick_every = std::chrono::milliseconds(100));

  // SIGTERM to the group; after `grace`, or at once when another interrupt arrives meanwhile,
  // SIGKILL. Returns once the group is gone and reaped.
  void terminate(Handle h, Clock::duration grace);
  // SIGKILL whatever is left in the group (a forgotten `sleep 1000 &`) and reap it. Then notes
  // the daemons the phase detached (own session, reparented to ciperf): their usage is charged
  // to no phase when they exit later, since they belong to no phase's process tree.
  void kill_leftovers(Handle h);
  // Reads what the phase's pipe still holds. If a detached daemon keeps the pipe open, the
  // stream stays watched (its output keeps going to that phase's log) until close_all().
  void settle_output(Handle h);
  void close_all();
  // Serves pending signals, reaping and output without waiting (between phases).
  void poll() { step(Clock::duration::zero()); }
  // For waits that run their own event loop: the descriptor to watch, and a way to count
  // interrupts without reaping (the wait's exec probes reap their own children).
  int signal_fd() const;
  void count_signals();
  // Also for those loops: the output pipes still open, and reading whatever they hold without
  // reaping. A background service that prints while a wait runs blocks on a full pipe otherwise.
  std::vector<int> output_fds();
  void pump_outputs();

  const ProcessState& state(Handle h) const { return entries_[h].state; }
  // Interrupts (SIGINT, SIGTERM, SIGHUP) received so far.
  int interrupts() const { return interrupts_; }

private:
  struct Entry {
    ProcessState state;
    std::unique_ptr<OutputStream> output;
    std::unique_ptr<PhaseCgroup> group;
  };
  void step(Clock::duration timeout);
  void reap();
  bool group_alive(Handle h) const;
  void note_detached();
  void forget_group(pid_t pgid);

  SignalPipe& signals_;
  // Which entries are still live, so that a loop turn costs the same at the 10,000th phase as at
  // the first: main processes not yet reaped, by pid, and pipes still open.
  const std::vector<Handle>& reading();
  std::vector<Entry> entries_;
  std::unordered_map<pid_t, Handle> running_;
  std::vector<Handle> reading_;
  std::optional<Handle> accounting_for_; // orphans reaped now are charged to this phase
  std::map<pid_t, pid_t> detached_;      // daemons that outlived the phase that started them: pgid
  RunCgroup* cgroup_ = nullptr;
  Watchdog* watchdog_ = nullptr;
  bool per_phase_ = false;
  int interrupts_ = 0;
};

} // namespace ciperf
