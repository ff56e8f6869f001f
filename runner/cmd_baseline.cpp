// `ciperf baseline`: a cold/warm benchmark session whose statistics become a named baseline.
#include "analysis/baseline.hpp"
#include "analysis/store.hpp"
#include "common/errors.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"
#include "runner/commands.hpp"
#include "runner/orchestrator.hpp"
#include "runner/pipeline_loader.hpp"
#include "runner/run_context.hpp"
#include "runner/session_plan.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <tuple>

namespace ciperf {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// An unrecorded warm run first, so that the first recorded warm run is not the one that fills
// the caches. It goes to a throwaway store and directory.
int warm_up(const Pipeline& pipeline) {
  fs::path dir =
      fs::temp_directory_path() / ("ciperf-warmup-" + new_run_id(std::chrono::system_clock::now()));
  fs::create_directories(dir);
  Store scratch((dir / "scratch.db").string());
  RunOptions options;
  options.mode = "warm";
  options.out_dir = dir / "run";
  options.quiet = true;
  int code = run_pipeline(pipeline, options, scratch).exit_code;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return code;
}

// Per (pipeline, phase, mode) the wall times of the session's runs.
std::vector<BaselinePhase> summarize_runs(const std::vector<RunRecord>& runs) {
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<int, std::vector<double>>>
      samples;
  for (const auto& run : runs)
    for (const auto& p : run.phases)
      if (!p.background && p.status != "skipped") {
        auto& entry = samples[{run.pipeline, p.name, run.mode}];
        entry.first = p.index;
        entry.second.push_back(p.wall_s);
      }
  std::vector<BaselinePhase> out;
  for (auto& [key, entry] : samples)
    out.push_back(summarize(std::get<0>(key), std::get<1>(key), std::get<2>(key), entry.first,
                            std::move(entry.second)));
  std::sort(out.begin(), out.end(), [](const BaselinePhase& a, const BaselinePhase& b) {
    return std::tie(a.pipeline, a.position, a.mode) < std::tie(b.pipeline, b.position, b.mode);
  });
  return out;
}

// Cold runs that are not measurably slower than warm ones mean the prepare command did not
// clear what matters.
void warn_if_lukewarm(const std::vector<RunRecord>& runs, const std::string& pipeline) {
  std::vector<double> cold, warm;
  for (const auto& r : runs)
    if (r.pipeline == pipeline)
      (r.mode == "cold" ? cold : warm).push_back(r.wall_s);
  if (cold.size() < 2 || warm.size() < 2)
    return;
  double mc = stats::median(cold), mw = stats::median(warm);
  double p = stats::mann_whitney(cold, warm).p;
  if (mc > mw && p < 0.05)
    return;
  std::cerr << fmt::format("ciperf: warning: lukewarm: {} cold runs take {} vs warm {} ({:+.1f}%, "
                           "Mann-Whitney p = {:.2f}); cold.prepare does not seem to clear what "
                           "the pipeline depends on\n",
                           pipeline, human_seconds(mc), human_seconds(mw), 100 * (mc / mw - 1), p);
}

void print_summary(const Baseline& b) {
  TextTable t;
  t.header = {"pipeline", "mode", "phase", "runs", "median", "95% CI", "CV", "MAD"};
  t.right_aligned = {false, false, false, true, true, true, true, true};
  for (const auto& p : b.phases)
    t.rows.push_back({p.pipeline, p.mode, p.phase, std::to_string(p.n), human_seconds(p.median),
                      p.median_ci
                          ? human_seconds(p.median_ci->low) + "-" + human_seconds(p.median_ci->high)
                          : "-",
                      std::isnan(p.cv) ? "-" : fmt::format("{:.1f}%", 100 * p.cv),
                      std::isnan(p.mad) ? "-" : human_seconds(p.mad)});
  std::cout << "\n" << t.render();
}

} // namespace

int command_baseline(const BaselineCommand& c) {
  std::vector<Pipeline> pipelines;
  for (const auto& file : c.files) {
    pipelines.push_back(load_pipeline(file));
    if (!pipelines.back().cold_prepare)
      throw UsageError(file +
                       ": a baseline session needs 'cold: prepare:' to make its cold runs cold");
  }
  Store store(resolve_store_path(c.store));
  std::string session = "session-" + new_run_id(std::chrono::system_clock::now());
  std::string name = c.name.empty() ? session : c.name;
  auto labels = parse_labels(c.labels);
  labels["session"] = session;
  labels["baseline"] = name;

  for (const auto& p : pipelines) {
    std::cerr << "ciperf: warm-up run of " << p.name << " (not recorded)\n";
    if (int code = warm_up(p); code != kExitPassed) {
      std::cerr << "ciperf: the warm-up run of " << p.name << " did not pass; no session\n";
      return code == kExitInterrupted ? kExitInterrupted : kExitFailed;
    }
  }
  auto plan = plan_session(pipelines.size(), c.runs);
  std::vector<RunRecord> done;
  auto started = SteadyClock::now();
  for (size_t k = 0; k < plan.size(); ++k) {
    const Pipeline& p = pipelines[plan[k].pipeline];
    RunOptions options;
    options.mode = plan[k].mode;
    options.labels = labels;
    options.quiet = true;
    RunOutcome outcome = run_pipeline(p, options, store);
    done.push_back(outcome.record);
    double elapsed = std::chrono::duration<double>(SteadyClock::now() - started).count();
    double eta = elapsed / static_cast<double>(k + 1) * static_cast<double>(plan.size() - k - 1);
    std::cerr << fmt::format("[{}/{}] {} {} {} in {} · ETA {}\n", k + 1, plan.size(), p.name,
                             options.mode, outcome.record.status,
                             human_seconds(outcome.record.wall_s), human_seconds(eta));
    if (outcome.exit_code != kExitPassed) {
      bool prepare_failed = outcome.record.prepare && outcome.record.prepare->status != "passed";
      std::cerr << fmt::format("ciperf: session stopped: {} ({} run{} kept in the store; baseline "
                               "'{}' not written)\n",
                               prepare_failed ? "cold.prepare failed" : "a run did not pass",
                               done.size(), done.size() == 1 ? "" : "s", name);
      return outcome.exit_code == kExitInterrupted ? kExitInterrupted : kExitFailed;
    }
  }
  for (const auto& p : pipelines)
    warn_if_lukewarm(done, p.name);
  Baseline b{name, session, rfc3339(std::chrono::system_clock::now()), c.runs,
             summarize_runs(done)};
  store.save_baseline(b);
  print_summary(b);
  std::cout << fmt::format("\nbaseline '{}' written: {} runs ({} cold and {} warm per pipeline), "
                           "session {}\n",
                           name, done.size(), c.runs, c.runs, session);
  return kExitPassed;
}

} // namespace ciperf
