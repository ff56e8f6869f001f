#include "runner/sweep_session.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "exec/resource_usage.hpp"
#include "exec/signal_pipe.hpp"
#include "reports/human_units.hpp"
#include "runner/child_run.hpp"
#include "runner/run_context.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <iostream>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>

namespace ciperf {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Where a level's instances write and what they are told: the same for the recorded levels and
// the unrecorded warm-up, which has a scratch store of its own.
struct LevelPlan {
  std::vector<std::string> files;
  std::string store_path;
  fs::path out_root; // each run's --out and console log go under it
  int level = 1;
  int runs_per_instance = 1;
  std::optional<double> duration_s;
  std::vector<std::string> labels; // --label arguments, `sweep=<id>` included
  bool quiet = false;              // no line per run (the warm-up)
};

struct Slot {
  int pid = -1;
  int started = 0;
  std::string key; // `sweep.run` of its current run: <slot>.<n>
  size_t pipeline = 0;
  Clock::time_point since;
};

struct FinishedRun {
  size_t pipeline = 0;
  int exit_code = 0;
};

// One level's instances: started, restarted while runs are due, reaped, and stopped together.
// The loop wakes on a signal (SIGCHLD or an interrupt) or every 100 ms to sample MemAvailable.
class LevelRun {
public:
  LevelRun(const LevelPlan& plan, SignalPipe& signals, int& interrupt)
      : plan_(plan), signals_(signals), interrupt_(interrupt),
        slots_(static_cast<size_t>(plan.level)) {}

  void run() {
    start_ = Clock::now();
    sample_memory();
    for (size_t s = 0; s < slots_.size() && !interrupt_; ++s)
      start(s);
    while (std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.pid >= 0; })) {
      pollfd p{signals_.fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
      for (int sig : signals_.drain())
        if (is_interrupt(sig))
          stop(sig);
      reap();
      sample_memory();
    }
    elapsed_s_ = seconds_since(start_);
    if (!error_.empty())
      throw std::runtime_error(error_);
  }

  double elapsed_s() const { return elapsed_s_; }
  const std::map<std::string, FinishedRun>& finished() const { return finished_; }
  std::optional<int64_t> min_mem_available() const { return min_mem_; }

private:
  bool more_due(const Slot& s) const {
    if (interrupt_)
      return false;
    if (plan_.duration_s)
      return seconds_since(start_) < *plan_.duration_s;
    return s.started < plan_.runs_per_instance;
  }

  void start(size_t slot) {
    Slot& s = slots_[slot];
    s.pipeline = static_cast<size_t>(started_total_++) % plan_.files.size();
    s.key = fmt::format("{}.{}", slot, s.started);
    fs::path out = plan_.out_root / s.key;
    // The store goes in the environment, not the command line: a connection string's password
    // would show in every process listing.
    std::vector<std::string> args{"run", plan_.files[s.pipeline], "--out", out.string()};
    for (const auto& label : plan_.labels)
      args.insert(args.end(), {"--label", label});
    args.insert(args.end(),
                {"--label", "sweep.level=" + std::to_string(plan_.level), "--label",
                 "sweep.slot=" + std::to_string(slot), "--label", "sweep.run=" + s.key});
    try {
      fs::create_directories(plan_.out_root);
      // CIPERF_SWEEP: the instance is one of many, so it writes no GitHub step summary or
      // annotations of its own (N copies of them); the sweep's report is the one to read.
      s.pid = start_child_run(args,
                              {"CIPERF_SLOT=" + std::to_string(slot), "CIPERF_SWEEP=1",
                               "CIPERF_STORE=" + plan_.store_path},
                              plan_.out_root / (s.key + ".log"));
      s.since = Clock::now();
      ++s.started;
    } catch (const std::exception& e) { // stop the others and report it once they are gone
      error_ = e.what();
      stop(SIGTERM);
    }
  }

  // Each instance handles the interrupt itself (its phases get it, its always phases run, its
  // run is recorded); a second Ctrl-C is forwarded too and cuts their grace short.
  void stop(int sig) {
    if (!interrupt_)
      interrupt_ = sig;
    for (const auto& s : slots_)
      if (s.pid >= 0)
        ::kill(s.pid, sig);
  }

  void reap() {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      int status = 0;
      if (s.pid < 0 || ::waitpid(s.pid, &status, WNOHANG) != s.pid)
        continue;
      s.pid = -1;
      int code = child_exit_code(status);
      finished_[s.key] = {s.pipeline, code};
      if (!plan_.quiet)
        std::cerr << fmt::format("[{}x] slot {} run {}: {} in {}\n", plan_.level, i, s.started,
                                 code == kExitPassed ? "passed" : fmt::format("exit {}", code),
                                 human_seconds(seconds_since(s.since)));
      // Someone stopped an instance: the sweep stops with it. Not when the sweep stopped them:
      // a second SIGINT to the others would cut their always phases short.
      if (code == kExitInterrupted && !interrupt_)
        stop(SIGINT);
      if (more_due(s))
        start(i);
    }
  }

  void sample_memory() {
    if (auto m = mem_available_bytes())
      min_mem_ = std::min(min_mem_.value_or(*m), *m);
  }

  const LevelPlan& plan_;
  SignalPipe& signals_;
  int& interrupt_;
  std::vector<Slot> slots_;
  int started_total_ = 0;
  Clock::time_point start_;
  double elapsed_s_ = 0;
  std::map<std::string, FinishedRun> finished_;
  std::optional<int64_t> min_mem_;
  std::string error_;
};

// What the analysis reads of a stored run.
SweepRunSample sample_of(const RunRecord& r) {
  SweepRunSample s;
  s.run_id = r.run_id;
  s.passed = r.status == RunStatus::Passed;
  s.wall_s = r.wall_s;
  for (const auto& p : r.phases) {
    if (!p.ran())
      continue;
    s.cpu_s += p.cpu_s();
    const auto& stalls = p.own_pressure ? p.own_pressure : p.pressure;
    s.io_stall_s += stalls ? stalls->io_some_s : 0;
    s.io_bytes += p.tree_read_bytes ? *p.tree_read_bytes + p.tree_write_bytes.value_or(0)
                                    : p.read_bytes + p.write_bytes;
    int64_t peak = p.tree_memory_peak_bytes.value_or(p.max_rss_bytes);
    if (peak > 0)
      s.peak_memory_bytes = std::max(s.peak_memory_bytes.value_or(0), peak);
    if (p.counts_toward_total())
      s.phase_walls.emplace_back(p.name, p.wall_s);
  }
  return s;
}

std::optional<double> share(const std::optional<Pressure>& p, double Pressure::*figure,
                            double elapsed_s) {
  if (!p || elapsed_s <= 0)
    return std::nullopt;
  return (*p).*figure / elapsed_s;
}

// The level's runs from the store, matched to the instances' exit codes by their `sweep.run`
// label: a run that never reached the store (a crash before its start) counts as failed.
SweepLevelInput collect_level(const LevelRun& run, int level, const std::string& id, Store& store,
                              std::vector<std::string>& names) {
  SweepLevelInput in;
  in.level = level;
  in.elapsed_s = run.elapsed_s();
  in.min_mem_available_bytes = run.min_mem_available();
  std::map<std::string, RunRecord> records;
  RunFilter filter;
  filter.labels = {{"sweep", id}, {"sweep.level", std::to_string(level)}};
  store.for_each_run(filter, [&](RunRecord& r) { records[r.labels["sweep.run"]] = std::move(r); });
  for (const auto& [key, finished] : run.finished()) {
    SweepRunSample s;
    if (auto r = records.find(key); r != records.end()) {
      s = sample_of(r->second);
      if (names[finished.pipeline].empty())
        names[finished.pipeline] = r->second.pipeline;
    }
    s.pipeline = finished.pipeline;
    s.passed = s.passed && finished.exit_code == kExitPassed;
    in.runs.push_back(std::move(s));
  }
  return in;
}

// One level, run and collected; nullopt when an interrupt cut it short (a level cut short says
// nothing about its concurrency).
std::optional<SweepLevelInput> measure_level(const LevelPlan& plan, const std::string& id,
                                             SignalPipe& signals, int& interrupt, Store& store,
                                             std::vector<std::string>& names) {
  auto before = read_pressure();
  LevelRun run(plan, signals, interrupt);
  run.run();
  auto pressure = pressure_between(before, read_pressure());
  if (interrupt)
    return std::nullopt;
  SweepLevelInput in = collect_level(run, plan.level, id, store, names);
  in.cpu_pressure = share(pressure, &Pressure::cpu_some_s, in.elapsed_s);
  in.io_pressure = share(pressure, &Pressure::io_some_s, in.elapsed_s);
  in.memory_pressure = share(pressure, &Pressure::memory_some_s, in.elapsed_s);
  return in;
}

// One unrecorded run of each pipeline, with a scratch store, so that the first level does not
// pay for cold caches that the later ones would not.
bool warm_up_all(const SweepOptions& o, const fs::path& dir, SignalPipe& signals, int& interrupt) {
  LevelPlan plan;
  plan.files = o.files;
  plan.store_path = (dir / "warm-up" / "scratch.db").string();
  plan.out_root = dir / "warm-up";
  plan.runs_per_instance = static_cast<int>(o.files.size());
  plan.quiet = true;
  fs::create_directories(plan.out_root);
  std::cerr << "ciperf: warm-up run of each pipeline (not recorded)\n";
  LevelRun run(plan, signals, interrupt);
  run.run();
  bool passed = !interrupt;
  for (const auto& [key, finished] : run.finished())
    if (finished.exit_code != kExitPassed) {
      std::cerr << fmt::format("ciperf: the warm-up run of {} did not pass (exit {}, see {}); no "
                               "sweep\n",
                               terminal_escape(o.files[finished.pipeline]), finished.exit_code,
                               terminal_escape((plan.out_root / (key + ".log")).string()));
      passed = false;
    }
  std::error_code ec;
  if (passed)
    fs::remove_all(plan.out_root, ec);
  return passed;
}

} // namespace

SweepOutcome run_sweep(const SweepOptions& o, Store& store) {
  SweepOutcome out;
  auto now = std::chrono::system_clock::now();
  out.id = "sweep-" + new_run_id(now);
  out.started_at = rfc3339(now);
  out.dir = fs::absolute(fs::path(".ciperf") / "sweeps" / out.id);
  out.pipelines.resize(o.files.size());
  fs::create_directories(out.dir);
  std::cerr << fmt::format("ciperf: sweep {}: concurrency {}, instances' logs in {}\n", out.id,
                           fmt::join(o.levels, ","), terminal_escape(out.dir.string()));
  SignalPipe signals;
  int interrupt = 0;
  auto finish = [&](int code) {
    out.exit_code = code;
    out.finished_at = rfc3339(std::chrono::system_clock::now());
    return out;
  };
  if (o.warm_up && !warm_up_all(o, out.dir, signals, interrupt))
    return finish(interrupt ? kExitInterrupted : kExitFailed);
  out.mem_available_at_start = mem_available_bytes();
  LevelPlan plan;
  plan.files = o.files;
  plan.store_path =
      store.is_postgres() ? store.location() : fs::absolute(store.location()).string();
  plan.runs_per_instance = o.runs_per_instance;
  plan.duration_s = o.duration_s;
  for (const auto& [k, v] : o.labels)
    plan.labels.push_back(k + "=" + v);
  plan.labels.push_back("sweep=" + out.id);
  for (int level : o.levels) {
    for (int sig : signals.drain()) // an interrupt between two levels
      if (is_interrupt(sig) && !interrupt)
        interrupt = sig;
    if (interrupt)
      break;
    plan.level = level;
    plan.out_root = out.dir / fmt::format("c{}", level);
    auto measured = measure_level(plan, out.id, signals, interrupt, store, out.pipelines);
    if (!measured)
      break;
    out.levels.push_back(std::move(*measured));
  }
  for (size_t i = 0; i < out.pipelines.size(); ++i)
    if (out.pipelines[i].empty())
      out.pipelines[i] = fs::path(o.files[i]).stem().string();
  return finish(interrupt ? kExitInterrupted : kExitPassed);
}

} // namespace ciperf
