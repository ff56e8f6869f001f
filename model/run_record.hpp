#pragma once
// The record of one run and its phases: what the runner and the probes fill in, the store keeps,
// results.json carries and the reports read. Plain data with a few predicates; model/fields.hpp
// names each stored field once.
#include "model/enums.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

// Stall seconds over a phase: host-wide from /proc/pressure, or a cgroup's own from its
// *.pressure files. Absent when the kernel has no PSI.
struct Pressure {
  double cpu_some_s = 0, cpu_full_s = 0;
  double io_some_s = 0, io_full_s = 0;
  double memory_some_s = 0, memory_full_s = 0;

  // The six figures in the order above, for code that treats them alike (a store row).
  static constexpr int kFigures = 6;
  double& figure(int i) { return this->*kMembers[i]; }
  double figure(int i) const { return this->*kMembers[i]; }

private:
  static constexpr double Pressure::*kMembers[kFigures] = {
      &Pressure::cpu_some_s, &Pressure::cpu_full_s,    &Pressure::io_some_s,
      &Pressure::io_full_s,  &Pressure::memory_some_s, &Pressure::memory_full_s};
};

struct Metric {
  std::string name;
  double value = 0;
  std::string unit;
};

// One probe attempt's end, for the waterfall and the trace: when (from the wait's start) and
// whether it succeeded.
struct AttemptMark {
  double at_s = 0;
  bool ok = false;
};

// A readiness wait: a `wait:` phase, or `ciperf wait`.
struct WaitTargetRecord {
  std::string target;
  ProbeKind kind = ProbeKind::Tcp;
  bool fail_if = false;
  int attempts = 0;
  std::optional<double> first_success_s;
  std::string last_failure;
  // A bounded sample of the attempts (see probes/attempt_marks.hpp); successes always kept.
  std::vector<AttemptMark> marks;
};

struct WaitRecord {
  WaitOutcome outcome = WaitOutcome::Timeout;
  double elapsed_s = 0;
  std::optional<double> ready_s;
  int attempts = 0;
  int http_requests = 0;
  int attempts_saved = 0; // by history-informed polling (an estimate)
  std::optional<double> relaxed_until_s;
  std::vector<WaitTargetRecord> targets;
};

// What a service (a background phase, or a daemon an earlier phase left running) spent while a
// later phase ran: read from the service's own cgroup at the phase's start and end.
struct ServiceCost {
  int service = 0;  // index of the phase that started it
  std::string name; // that phase's name
  double user_s = 0, sys_s = 0;
  std::optional<Pressure> pressure; // the service's own stalls
};

// One test case a phase's `junit:` files reported: a child of the phase, timed by the test
// runner (its start is the running sum of the cases before it in the file, from the phase's
// start: JUnit files carry no per-case start).
struct TestCaseRecord {
  std::string name; // classname + "::" + name (the name alone without a classname, or when both
                    // are the same, as ctest writes them)
  PhaseStatus status = PhaseStatus::Passed;
  double start_s = 0; // from the phase's start
  double wall_s = 0;
  std::string message; // the failure's or skip's useful line
};

struct PhaseRecord {
  int index = 0; // position in the pipeline, from 0
  std::string name;
  PhaseKind kind = PhaseKind::Other;
  std::string tier;
  PhaseStatus status = PhaseStatus::Skipped;
  std::optional<int> exit_code; // absent when skipped or killed by a signal
  std::optional<int> signal;    // the signal that ended the phase's main process
  bool background = false;
  bool always = false;
  double start_s = 0; // offset from the run's start
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  int64_t max_rss_bytes = 0;
  int64_t read_bytes = 0;
  int64_t write_bytes = 0;
  std::optional<Pressure> pressure; // host-wide: every process on the host, co-tenants included
  // From the phase's own cgroup (cgroup accounting only; null otherwise): CPU of every process of
  // the phase, daemons that left its process group included; the stalls of those processes
  // alone; and, where the memory and io controllers are there, the tree's memory peak (page
  // cache included) and block I/O.
  std::optional<double> tree_user_s, tree_sys_s;
  std::optional<Pressure> own_pressure;
  std::optional<int64_t> tree_memory_peak_bytes, tree_read_bytes, tree_write_bytes;
  std::vector<ServiceCost> services; // what the live services spent while this phase ran
  std::string log;                   // relative to the run directory
  std::vector<Metric> metrics;
  std::optional<double> budget_s;
  bool over_budget = false;
  std::string message; // why it failed, in one line, when ciperf knows (e.g. command not found)
  // What an imported test case printed (JUnit <system-out>, <system-err>), each cut to a few KiB
  // with a marker, and its <properties> as `name=value` lines. Empty for ciperf's own phases,
  // whose output is their log.
  std::string system_out, system_err, properties;
  std::optional<WaitRecord> probe;   // wait phases
  std::vector<TestCaseRecord> tests; // from the phase's `junit:` files, in their order

  bool ran() const { return ciperf::ran(status); }
  bool failed() const { return ciperf::failed(status); }
  // Took time of its own in the run: ran, and is not a background service.
  bool counts_toward_total() const { return ran() && !background; }
  // CPU seconds of the phase: its whole tree where a cgroup counted it, else what wait4 saw.
  double cpu_s() const {
    return tree_user_s ? *tree_user_s + tree_sys_s.value_or(0) : user_s + sys_s;
  }
};

// The machine a run ran on. Everything but the hostname and the kernel makes its class (see
// host_class): runs of one class are comparable, whatever runner of a fleet ran them.
struct HostInfo {
  std::string hostname;
  int cpus = 0; // 0: unknown (an imported run), shown and written as absent, never as 0
  int64_t memory_bytes = 0;
  std::string kernel;
  std::string cpu_model;      // /proc/cpuinfo's model name; "" when unknown (older runs)
  std::string virtualization; // none, container, kvm, xen, …; "" when unknown
};

// The host's class: CPU model, CPU count, memory to the nearest GiB and virtualization, as one
// readable line ("AMD EPYC ×2, 24 GiB, container"). The kernel is left out on purpose: a kernel
// upgrade is a change in the history of one class, labelled `environment`, not a new class.
std::string host_class(const HostInfo& host);

struct PrepareRecord { // the cold-mode prepare command: recorded, outside the run's timing
  PhaseStatus status = PhaseStatus::Passed;
  std::optional<int> exit_code;
  double wall_s = 0;
  std::string log;
};

struct RunRecord {
  std::string run_id;
  std::string pipeline;
  std::string pipeline_file;
  RunMode mode = RunMode::Normal;
  RunStatus status = RunStatus::Incomplete;
  Accounting accounting = Accounting::Rusage;
  std::string started_at;  // RFC 3339 UTC
  std::string finished_at; // RFC 3339 UTC
  double wall_s = 0;
  std::map<std::string, std::string> labels;
  HostInfo host;
  int deploys = 0;
  std::optional<int> expected_deploys;
  std::optional<PrepareRecord> prepare;
  std::string run_dir;
  std::vector<PhaseRecord> phases;
};

} // namespace ciperf
