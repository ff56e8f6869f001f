#include "runner/orchestrator.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "exec/phase_runner.hpp"
#include "exec/run_cgroup.hpp"
#include "exec/signal_pipe.hpp"
#include "exec/watchdog.hpp"
#include "pipeline/wait_instance.hpp"
#include "probes/wait_report.hpp"
#include "reports/otlp_request.hpp"
#include "reports/phase_table.hpp"
#include "reports/results_json.hpp"
#include "runner/github_actions.hpp"
#include "runner/host_info.hpp"
#include "runner/metrics_file.hpp"
#include "runner/otlp_live.hpp"
#include "runner/phase_tests.hpp"
#include "runner/run_context.hpp"
#include "runner/status_printer.hpp"
#include "store/store.hpp"
#include "store/store_location.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr auto kCheckpointEvery = std::chrono::seconds(1);
// A checkpoint writes every phase so far, so a fixed interval made a long pipeline quadratic
// (10,000 phases: most of the time went to rewriting results.json). The interval grows with the
// cost of the last write, keeping checkpoints under 1/kCheckpointShare of the run's time.
constexpr int kCheckpointShare = 20;
// Finished phases reach the store in batches at most this far apart (and at once after a phase
// that took longer): a commit per phase was a fifth of ciperf's own time in a pipeline of quick
// phases. A ciperf killed with SIGKILL loses at most the phases of this last window from the
// store (results.json's checkpoint lags more); every other end writes them all.
constexpr auto kStoreBatchWindow = std::chrono::milliseconds(200);

// Log and metrics files are named after the phase; keep the name safe as a file name.
std::string file_stem(size_t index, size_t count, const std::string& name) {
  std::string safe;
  for (char c : name)
    safe +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  int width = count >= 100 ? 3 : 2;
  return fmt::format("{:0{}}-{}", index + 1, width, safe.substr(0, 64));
}

Accounting requested_accounting(const RunOptions& options) {
  if (options.accounting)
    return *options.accounting;
  const char* env = std::getenv("CIPERF_ACCOUNTING");
  if (!env || !*env)
    return Accounting::Cgroup;
  if (auto parsed = parse_enum<Accounting>(env))
    return *parsed;
  throw UsageError(
      fmt::format("CIPERF_ACCOUNTING is '{}': use cgroup or rusage", terminal_escape(env)));
}

void redact(PhaseRecord& p, const Redactor& r) {
  p.name = r.apply(p.name);
  p.log = r.apply(p.log);
  p.tier = r.apply(p.tier);
  p.message = r.apply(p.message);
  for (auto& m : p.metrics) {
    m.name = r.apply(m.name);
    m.unit = r.apply(m.unit);
  }
  for (auto& t : p.tests) {
    t.name = r.apply(t.name);
    t.message = r.apply(t.message);
  }
}

class PipelineRun {
public:
  PipelineRun(const Pipeline& pipeline, const RunOptions& options, Store& store)
      : p_(pipeline), options_(options), store_(store), redactor_(secret_values(pipeline)),
        supervisor_(signals_), runner_(supervisor_, redactor_, options.verbose),
        status_(ConsoleStyle::detect(options.verbose, options.quiet), pipeline.phases.size()),
        base_env_(process_environment()) {}

  RunOutcome execute();

private:
  void set_up_run_dir();
  void contain();
  void init_record();
  bool cold_prepare();
  bool interrupted();
  void run_phase(size_t i);
  void run_wait_phase(size_t i);
  EnvMap ciperf_vars(const PhaseSpec& phase, const fs::path& metrics, int index) const;
  void start_background(size_t i);
  void stop_backgrounds();
  void keep_services();
  std::vector<CgroupReading> read_services() const;
  std::vector<ServiceCost> service_costs(const std::vector<CgroupReading>& before, double wall_s);
  void track_services(size_t i, const Execution& e);
  void fill(PhaseRecord& record, const Execution& e);
  void finish_phase(PhaseRecord& record);
  void read_tests(size_t i, PhaseRecord& record);
  ExecRequest request(const PhaseSpec& phase, const std::string& log, const fs::path& metrics,
                      int index);
  std::string phase_stem(size_t i) const;
  fs::path metrics_path(size_t i) const;
  void note_failure(PhaseStatus status);
  void checkpoint(bool force);
  void store_phase(const PhaseRecord& record);
  void flush_phases(bool force);
  void finalise();
  RunStatus run_status() const;
  template <typename F> void with_store(F&& action);

  const Pipeline& p_;
  const RunOptions& options_;
  Store& store_;
  SignalPipe signals_;
  // Outlives the supervisor: the output streams it still holds redact their last line with it.
  Redactor redactor_;
  // Declared before the supervisor, so they outlive it: the supervisor starts processes in the
  // cgroup and tells the watchdog about them until it is gone.
  std::optional<Watchdog> watchdog_;
  std::unique_ptr<RunCgroup> cgroup_;
  Supervisor supervisor_;
  PhaseRunner runner_;
  StatusPrinter status_;
  std::optional<GithubActionsLog> actions_; // under GitHub Actions, for the run's phases
  EnvMap base_env_;
  RunRecord record_;
  fs::path run_dir_;
  Clock::time_point t0_;
  Clock::time_point next_checkpoint_;
  Clock::time_point next_store_flush_;       // see kStoreBatchWindow
  std::vector<const PhaseRecord*> unstored_; // finished phases not yet written to the store
  std::optional<PhaseStatus> first_failure_; // failed or timeout: what stopped the run
  bool other_failure_ = false; // an always phase, a service, or the deploy count failed
  bool stopped_ = false;
  std::optional<std::string> store_lost_; // why the store became unavailable: no more writes
  std::string results_error_;             // why the last results.json checkpoint failed, if it did
  struct Background {
    size_t index;
    Supervisor::Handle handle;
    std::optional<PressureSnapshot> pressure;
  };
  std::vector<Background> backgrounds_;
  // What keeps running after its phase, read around every later phase: background phases and
  // daemons left in a foreground phase's cgroup.
  struct LiveService {
    size_t index;
    Supervisor::Handle handle;
  };
  std::vector<LiveService> services_;
};

template <typename F> void PipelineRun::with_store(F&& action) {
  if (store_lost_)
    return;
  try {
    action();
  } catch (const StoreUnavailable& e) { // no more writes to it: the record is the whole run
    store_lost_ = e.what();
    if (!options_.caller_keeps_lost_run)
      status_.note(fmt::format("warning: store {} became unavailable ({}): the run is in its "
                               "results.json only",
                               store_.path(), redact_location_in(e.what(), store_.location())));
  } catch (const std::exception& e) { // the run goes on; results.json still has everything
    status_.note(fmt::format("warning: store {}: {}", store_.path(),
                             redact_location_in(e.what(), store_.location())));
  }
}

void PipelineRun::set_up_run_dir() {
  run_dir_ =
      options_.out_dir.empty() ? fs::path(".ciperf/runs") / record_.run_id : options_.out_dir;
  std::error_code ec;
  fs::create_directories(run_dir_ / "logs", ec);
  fs::create_directories(run_dir_ / "metrics", ec);
  if (ec)
    throw UsageError("cannot create run directory " + run_dir_.string() + ": " + ec.message());
  run_dir_ = fs::absolute(run_dir_);
}

// Nothing the run starts may outlive it, even when ciperf is SIGKILLed: a cgroup holds every
// process of the run where the host gives one, and the watchdog kills it (or, without one, the
// process groups it was told about) as soon as ciperf is gone.
void PipelineRun::contain() {
  std::string why;
  cgroup_ = RunCgroup::create(fmt::format("ciperf-{}-{}", ::getpid(), record_.run_id), why);
  if (!cgroup_ && options_.verbose)
    status_.note(fmt::format("note: no cgroup for the run ({}): falling back to process groups; "
                             "a process that leaves its group may outlive a killed ciperf",
                             why));
  try {
    watchdog_.emplace();
  } catch (const std::exception& e) {
    status_.note(fmt::format("warning: {}; processes may outlive a killed ciperf", e.what()));
  }
  Accounting wanted = requested_accounting(options_);
  bool per_phase = cgroup_ && wanted == Accounting::Cgroup;
  record_.accounting = per_phase ? Accounting::Cgroup : Accounting::Rusage;
  if (!per_phase && wanted == Accounting::Cgroup)
    status_.note(fmt::format("note: no cgroup per phase ({}): figures from wait4 of the reaped "
                             "processes; own pressure and detached daemons are not measured",
                             why));
  supervisor_.contain(cgroup_.get(), watchdog_ ? &*watchdog_ : nullptr, per_phase);
  for (const auto& phase : p_.phases)
    if (phase.keep && !phase.background && !cgroup_)
      status_.note(fmt::format("warning: no cgroup for the run: what phase {} leaves running "
                               "cannot be told from the rest and is killed at the end; only a "
                               "kept background phase outlives the run",
                               redactor_.apply(phase.name)));
}

// Each live service's counters now, to be subtracted from at the end of a phase.
std::vector<CgroupReading> PipelineRun::read_services() const {
  std::vector<CgroupReading> readings;
  if (!supervisor_.per_phase_cgroups()) // a kept service's cgroup alone is no accounting
    return readings;
  for (const auto& s : services_) {
    const PhaseCgroup* group = supervisor_.group(s.handle);
    readings.push_back(group ? group->read() : CgroupReading{});
  }
  return readings;
}

// What each service that was live at the phase's start spent since: `before` holds their
// readings then (services_ may have grown since; those started during the phase are left out).
std::vector<ServiceCost> PipelineRun::service_costs(const std::vector<CgroupReading>& before,
                                                    double wall_s) {
  std::vector<ServiceCost> costs;
  for (size_t k = 0; k < before.size(); ++k) {
    const PhaseCgroup* group = supervisor_.group(services_[k].handle);
    if (!group)
      continue;
    TreeUsage u = usage_between(before[k], group->read());
    size_t phase = services_[k].index;
    // Read a little before and after the phase itself: no figure may exceed its wall time.
    if (u.pressure)
      for (int f = 0; f < Pressure::kFigures; ++f)
        u.pressure->figure(f) = std::clamp(u.pressure->figure(f), 0.0, std::max(0.0, wall_s));
    costs.push_back({static_cast<int>(phase), record_.phases[phase].name, std::max(0.0, u.user_s),
                     std::max(0.0, u.sys_s), u.pressure});
  }
  return costs;
}

// After a foreground phase: a daemon it left running in its cgroup is a service from now on.
// Services whose processes have all gone stop being read.
void PipelineRun::track_services(size_t i, const Execution& e) {
  if (e.handle && supervisor_.group(*e.handle))
    services_.push_back({i, *e.handle});
  std::erase_if(services_, [&](const LiveService& s) {
    const PhaseCgroup* group = supervisor_.group(s.handle);
    bool gone = !group || (!p_.phases[s.index].background && !group->populated());
    if (gone && group)
      supervisor_.release_group(s.handle);
    return gone;
  });
}

void PipelineRun::init_record() {
  record_.pipeline = redactor_.apply(p_.name);
  record_.pipeline_file = p_.file.string();
  record_.mode = options_.mode;
  record_.status = RunStatus::Interrupted; // what a checkpoint says until the run ends
  for (const auto& [key, value] : options_.labels)
    record_.labels[redactor_.apply(key)] = redactor_.apply(value);
  record_.host = read_host_info();
  record_.expected_deploys = p_.expected_deploys;
  record_.run_dir = run_dir_.string();
  for (size_t i = 0; i < p_.phases.size(); ++i) {
    const PhaseSpec& spec = p_.phases[i];
    PhaseRecord phase;
    phase.index = static_cast<int>(i);
    phase.name = spec.name;
    phase.kind = spec.kind;
    phase.tier = spec.tier;
    phase.status = PhaseStatus::Skipped;
    phase.background = spec.background;
    phase.always = spec.always;
    phase.log = "logs/" + phase_stem(i) + ".log";
    if (spec.budget)
      phase.budget_s = to_seconds(*spec.budget);
    redact(phase, redactor_);
    record_.phases.push_back(std::move(phase));
  }
}

// The stem of a phase's log and metrics file names, which reach results.json, the store and the
// run directory: made from the redacted name, and redacted again once made file-safe (a secret
// holding '_' could appear where other characters became '_'). Masks become '_' too.
std::string PipelineRun::phase_stem(size_t i) const {
  std::string name = redactor_.apply(p_.phases[i].name);
  std::string stem = redactor_.apply(file_stem(i, p_.phases.size(), name));
  std::replace(stem.begin(), stem.end(), '*', '_');
  return stem;
}

fs::path PipelineRun::metrics_path(size_t i) const {
  return run_dir_ / "metrics" / (phase_stem(i) + ".txt");
}

// `index` is the phase's, or -1 for the cold prepare (no span of the run's trace).
EnvMap PipelineRun::ciperf_vars(const PhaseSpec& phase, const fs::path& metrics, int index) const {
  EnvMap vars = {{"CIPERF_RUN_ID", record_.run_id},
                 {"CIPERF_RUN_DIR", run_dir_.string()},
                 {"CIPERF_PHASE", phase.name},
                 {"CIPERF_METRICS", metrics.string()},
                 {"PWD", phase.workdir.string()}};
  if (options_.trace && index >= 0) { // the phase's own spans nest under its span
    const auto& t = *options_.trace;
    vars["TRACEPARENT"] =
        traceparent(t.trace_id.empty() ? otlp_trace_id(record_.run_id) : t.trace_id,
                    otlp_span_id(record_.run_id, index));
    if (!t.trace_state.empty())
      vars["TRACESTATE"] = t.trace_state;
  }
  return vars;
}

ExecRequest PipelineRun::request(const PhaseSpec& phase, const std::string& log,
                                 const fs::path& metrics, int index) {
  ExecRequest r;
  r.command = &phase.run;
  r.workdir = phase.workdir;
  EnvMap vars = ciperf_vars(phase, metrics, index);
  r.env = build_env(base_env_, {&p_.env, &phase.env, &vars}); // one copy of the environment
  r.log = run_dir_ / log;
  r.timeout = phase.timeout;
  r.grace = phase.grace;
  r.cgroup_name = fs::path(log).stem().string(); // unique in the run, file-safe and redacted
  r.keep = phase.keep;
  return r;
}

bool PipelineRun::cold_prepare() {
  PhaseSpec spec;
  spec.name = "cold-prepare";
  spec.run = *p_.cold_prepare;
  spec.workdir = p_.workdir;
  spec.timeout = p_.default_timeout;
  spec.grace = p_.default_grace;
  ExecRequest r =
      request(spec, "logs/00-cold-prepare.log", run_dir_ / "metrics/00-cold-prepare", -1);
  status_.note("cold mode: running cold.prepare (not timed as part of the run)");
  Execution e = runner_.run(r, [] {});
  record_.prepare = PrepareRecord{e.status, e.exit_code, e.wall_s, "logs/00-cold-prepare.log"};
  if (e.status == PhaseStatus::Passed)
    return true;
  status_.note(fmt::format("cold.prepare {} ({}); see {}", e.status, e.message,
                           (run_dir_ / "logs/00-cold-prepare.log").string()));
  note_failure(e.status == PhaseStatus::Interrupted ? PhaseStatus::Interrupted
                                                    : PhaseStatus::Failed);
  return false;
}

// Counts signals that arrived between phases, so that one Ctrl-C stops the run without also
// terminating the always phase that starts next.
bool PipelineRun::interrupted() {
  supervisor_.poll();
  return supervisor_.interrupts() > 0;
}

void PipelineRun::note_failure(PhaseStatus status) {
  if (!stopped_ && status != PhaseStatus::Interrupted)
    first_failure_ = status;
  stopped_ = true;
}

void PipelineRun::fill(PhaseRecord& record, const Execution& e) {
  if (e.started) // the command's own start, past ciperf's set-up for it
    record.start_s = std::chrono::duration<double>(*e.started - t0_).count();
  record.status = e.status;
  record.exit_code = e.exit_code;
  record.signal = e.signal;
  record.message = e.message;
  record.wall_s = e.wall_s;
  record.user_s = e.usage.user_s;
  record.sys_s = e.usage.sys_s;
  record.max_rss_bytes = e.usage.max_rss_bytes;
  record.read_bytes = e.usage.read_bytes;
  record.write_bytes = e.usage.write_bytes;
  record.pressure = e.pressure;
  if (e.tree) {
    record.tree_user_s = e.tree->user_s;
    record.tree_sys_s = e.tree->sys_s;
    record.own_pressure = e.tree->pressure;
    record.tree_memory_peak_bytes = e.tree->memory_peak_bytes;
    record.tree_read_bytes = e.tree->read_bytes;
    record.tree_write_bytes = e.tree->write_bytes;
  }
  for (auto* pressure : {&record.pressure, &record.own_pressure})
    if (*pressure) // stall time over an interval cannot exceed it (snapshots are not atomic)
      for (int f = 0; f < Pressure::kFigures; ++f)
        (*pressure)->figure(f) = std::min((*pressure)->figure(f), std::max(0.0, record.wall_s));
  if (record.budget_s)
    record.over_budget = record.wall_s > *record.budget_s;
}

void PipelineRun::finish_phase(PhaseRecord& record) {
  std::error_code ec;
  if (!fs::exists(run_dir_ / record.log, ec))
    record.log.clear(); // the phase printed nothing, so no log file was made
  auto parsed = parse_metrics_file(metrics_path(static_cast<size_t>(record.index)).string());
  record.metrics = std::move(parsed.metrics);
  for (const auto& error : parsed.errors)
    status_.note("warning: " + redactor_.apply(error));
  redact(record, redactor_);
  status_.phase_finished(record);
  if (actions_)
    actions_->phase_finished(record, p_.phases[static_cast<size_t>(record.index)].line,
                             record.log.empty() ? "" : (run_dir_ / record.log).string(),
                             !backgrounds_.empty());
  store_phase(record);
  checkpoint(false);
}

// After the phase, whatever its status: a failing test run is when the cases matter most.
void PipelineRun::read_tests(size_t i, PhaseRecord& record) {
  const PhaseSpec& spec = p_.phases[i];
  if (spec.junit.empty() || record.status == PhaseStatus::Skipped)
    return;
  EnvMap vars = ciperf_vars(spec, metrics_path(i), static_cast<int>(i));
  EnvMap env = merge_env(base_env_, {&p_.env, &spec.env, &vars});
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  PhaseTests read = read_phase_tests(spec.junit, spec.workdir, lookup);
  record.tests = std::move(read.tests);
  // A test's name and message come from a file the phase wrote: redacted as its output is.
  for (auto& t : record.tests) {
    t.name = redactor_.apply(t.name);
    t.message = redactor_.apply(t.message);
  }
  for (const auto& warning : read.warnings)
    status_.note(
        fmt::format("warning: phase {}: {}", redactor_.apply(spec.name), redactor_.apply(warning)));
}

void PipelineRun::run_phase(size_t i) {
  const PhaseSpec& spec = p_.phases[i];
  PhaseRecord& record = record_.phases[i];
  fs::path metrics = metrics_path(i); // created by the phase if it has metrics to give
  record.start_s = std::chrono::duration<double>(Clock::now() - t0_).count();
  status_.phase_started(record);
  if (actions_)
    actions_->phase_started(record.name);
  auto services_before = read_services();
  ExecRequest r = request(spec, record.log, metrics, static_cast<int>(i));
  if (i + 1 < p_.phases.size() && !p_.phases[i + 1].wait) // a wait phase runs in no cgroup
    r.next_cgroup_name = fs::path(record_.phases[i + 1].log).stem().string();
  Execution e = runner_.run(r, [this] {
    status_.tick();
    flush_phases(false); // a long phase does not hold back the quick ones before it
  });
  fill(record, e);
  read_tests(i, record);
  record.services = service_costs(services_before, record.wall_s);
  track_services(i, e);
  if (e.status != PhaseStatus::Passed) {
    if (stopped_ && e.status != PhaseStatus::Interrupted)
      other_failure_ = true; // an always phase failing after the run already stopped
    note_failure(e.status);
  }
  finish_phase(record);
}

// A readiness wait runs in ciperf's own event loop (probes/waiter), not as a subprocess. Its
// CPU is ciperf's own plus that of the exec probes it ran; history from the store (earlier
// successful waits of this pipeline phase) lets it poll gently until readiness is near.
void PipelineRun::run_wait_phase(size_t i) {
  const PhaseSpec& spec = p_.phases[i];
  PhaseRecord& record = record_.phases[i];
  record.start_s = std::chrono::duration<double>(Clock::now() - t0_).count();
  status_.phase_started(record);
  if (actions_)
    actions_->phase_started(record.name);
  // The history key is stored, so it is redacted like every name (and stays stable run to run).
  std::string key = redactor_.apply(p_.name + "/" + spec.name);
  WaitHistory history;
  with_store([&] { history.earliest_ready_s = store_.earliest_ready(key); });
  WaitHooks hooks{supervisor_.signal_fd(),
                  [this, before = supervisor_.interrupts()] {
                    supervisor_.count_signals();
                    return supervisor_.interrupts() > before;
                  },
                  [this] { return supervisor_.output_fds(); },
                  [this] { supervisor_.pump_outputs(); }};
  auto services_before = read_services();
  auto pressure_before = read_pressure();
  rusage self_before{}, children_before{};
  ::getrusage(RUSAGE_SELF, &self_before);
  ::getrusage(RUSAGE_CHILDREN, &children_before);
  Execution e;
  try {
    EnvMap vars = ciperf_vars(spec, metrics_path(i), static_cast<int>(i));
    WaitSpec wait = instantiate_wait(*spec.wait, merge_env(base_env_, {&p_.env, &spec.env, &vars}),
                                     spec.workdir.string());
    WaitReport report = run_wait(wait, history, hooks);
    record.probe = report.record;
    e.wall_s = report.record.elapsed_s;
    e.status = phase_status_of(report.record.outcome);
    if (e.status != PhaseStatus::Passed)
      e.message = describe_wait(report, wait.timeout);
  } catch (const std::exception& error) {
    e.status = PhaseStatus::Failed;
    e.message = error.what();
  }
  e.usage = usage_since(self_before, children_before);
  e.pressure = pressure_between(pressure_before, read_pressure());
  fill(record, e);
  record.services = service_costs(services_before, record.wall_s);
  if (record.probe)
    for (auto& t : record.probe->targets) {
      t.target = redactor_.apply(t.target);
      t.last_failure = redactor_.apply(t.last_failure);
    }
  if (e.status != PhaseStatus::Passed) {
    if (stopped_ && e.status != PhaseStatus::Interrupted)
      other_failure_ = true;
    note_failure(e.status);
  }
  if (record.probe)
    with_store([&] {
      store_.record_wait(key, *record.probe, rfc3339(std::chrono::system_clock::now()),
                         record_.run_id, record.index);
    });
  finish_phase(record);
}

void PipelineRun::start_background(size_t i) {
  const PhaseSpec& spec = p_.phases[i];
  PhaseRecord& record = record_.phases[i];
  fs::path metrics = metrics_path(i);
  record.start_s = std::chrono::duration<double>(Clock::now() - t0_).count();
  auto pressure = read_pressure();
  std::string failure;
  auto handle =
      runner_.start_background(request(spec, record.log, metrics, static_cast<int>(i)), failure);
  if (handle) {
    backgrounds_.push_back({i, *handle, pressure});
    services_.push_back({i, *handle});
    if (actions_)
      actions_->output_may_follow();
    status_.note(
        fmt::format("[{}/{}] {} started in the background", i + 1, p_.phases.size(), record.name));
    return;
  }
  fill(record, Execution::not_started(failure));
  note_failure(PhaseStatus::Failed);
  finish_phase(record);
}

void PipelineRun::stop_backgrounds() {
  for (auto it = backgrounds_.rbegin(); it != backgrounds_.rend(); ++it) {
    const PhaseSpec& spec = p_.phases[it->index];
    PhaseRecord& record = record_.phases[it->index];
    Execution e = spec.keep ? runner_.leave_running(it->handle)
                            : runner_.stop_background(it->handle, spec.grace);
    bool ended_by_itself = e.exit_code || e.signal;
    if (!ended_by_itself) // else its end is not an instant the host's counters were read at
      e.pressure = pressure_between(it->pressure, read_pressure());
    fill(record, e);
    read_tests(it->index, record);
    if (e.status != PhaseStatus::Passed)
      other_failure_ = true;
    finish_phase(record);
  }
}

// Daemons that kept foreground phases left running outlive the run (background ones were left
// running by stop_backgrounds).
void PipelineRun::keep_services() {
  for (const auto& s : services_)
    if (p_.phases[s.index].keep && !p_.phases[s.index].background)
      supervisor_.keep(s.handle);
}

void PipelineRun::store_phase(const PhaseRecord& record) {
  unstored_.push_back(&record);
  flush_phases(false);
}

void PipelineRun::flush_phases(bool force) {
  auto now = Clock::now();
  if (unstored_.empty() || (!force && now < next_store_flush_))
    return;
  with_store([&] { store_.record_phases(record_.run_id, unstored_); });
  unstored_.clear();
  next_store_flush_ = now + kStoreBatchWindow;
}

void PipelineRun::checkpoint(bool force) {
  auto start = Clock::now();
  if (!force && start < next_checkpoint_)
    return;
  try {
    write_results_json(record_, run_dir_);
    results_error_.clear();
  } catch (const std::exception& e) { // a later checkpoint may succeed; the last one decides
    results_error_ = e.what();
    status_.note(std::string("warning: ") + e.what());
  }
  auto now = Clock::now();
  next_checkpoint_ =
      now + std::max<Clock::duration>(kCheckpointEvery, (now - start) * kCheckpointShare);
}

RunStatus PipelineRun::run_status() const {
  if (supervisor_.interrupts() > 0)
    return RunStatus::Interrupted;
  if (first_failure_)
    return run_status_of(*first_failure_);
  return other_failure_ ? RunStatus::Failed : RunStatus::Passed;
}

void PipelineRun::finalise() {
  record_.deploys = 0;
  for (const auto& phase : record_.phases)
    if (phase.kind == PhaseKind::Deploy && phase.ran())
      ++record_.deploys;
  if (record_.expected_deploys && record_.deploys != *record_.expected_deploys &&
      supervisor_.interrupts() == 0) {
    status_.note(fmt::format("expectation failed: {} deploys ran, expected {}", record_.deploys,
                             *record_.expected_deploys));
    other_failure_ = true;
  }
  record_.status = run_status();
  record_.wall_s = std::chrono::duration<double>(Clock::now() - t0_).count();
  record_.finished_at = rfc3339(std::chrono::system_clock::now());
  flush_phases(true);
  with_store([&] { store_.finish_run(record_); });
  checkpoint(true);
}

RunOutcome PipelineRun::execute() {
  record_.run_id = new_run_id(std::chrono::system_clock::now());
  contain();
  set_up_run_dir();
  init_record();
  t0_ = Clock::now();
  bool prepared = options_.mode != RunMode::Cold || !p_.cold_prepare || cold_prepare();
  t0_ = Clock::now(); // the run's timing starts after the cold prepare
  record_.started_at = rfc3339(std::chrono::system_clock::now());
  with_store([&] { store_.begin_run(record_); });
  checkpoint(true);
  if (options_.github_actions)
    actions_.emplace(redactor_, p_.file, options_.verbose);
  for (size_t i = 0; prepared && i < p_.phases.size(); ++i) {
    if (interrupted())
      stopped_ = true;
    if (stopped_ && !p_.phases[i].always) {
      store_phase(record_.phases[i]);
      continue;
    }
    if (p_.phases[i].wait)
      run_wait_phase(i);
    else if (p_.phases[i].background)
      start_background(i);
    else
      run_phase(i);
  }
  if (!prepared)
    for (const auto& phase : record_.phases)
      store_phase(phase);
  stop_backgrounds();
  keep_services();
  supervisor_.kill_remaining();
  supervisor_.close_all();
  actions_.reset(); // no phase output follows: commands run again
  finalise();
  status_.clear();
  int code = exit_code_for(record_.status);
  if (!results_error_.empty()) {
    status_.note("error: the run's results.json could not be written: " + results_error_);
    if (code == kExitPassed) // a pass that left no results.json is not a pass
      code = kExitInternal;
  }
  return {record_, code, results_error_.empty(), store_lost_};
}

} // namespace

std::vector<std::string> secret_values(const Pipeline& p) {
  std::vector<std::string> values;
  for (const auto& name : p.secrets) {
    if (auto it = p.env.find(name); it != p.env.end())
      values.push_back(it->second);
    for (const auto& phase : p.phases)
      if (auto it = phase.env.find(name); it != phase.env.end())
        values.push_back(it->second);
    if (const char* value = std::getenv(name.c_str()))
      values.push_back(value);
  }
  for (auto& value : otlp_header_secrets(process_environment()))
    values.push_back(std::move(value));
  return values;
}

int exit_code_for(RunStatus status) {
  switch (status) {
  case RunStatus::Passed:
    return kExitPassed;
  case RunStatus::Timeout:
    return kExitTimeout;
  case RunStatus::Interrupted:
    return kExitInterrupted;
  case RunStatus::Failed:
  case RunStatus::Incomplete:
    break;
  }
  return kExitFailed;
}

RunOutcome run_pipeline(const Pipeline& pipeline, const RunOptions& options, Store& store) {
  return PipelineRun(pipeline, options, store).execute();
}

} // namespace ciperf
