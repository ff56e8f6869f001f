// `ciperf sweep`: pipelines at rising concurrency, the knee and the concurrency to run at.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/duration.hpp"
#include "common/errors.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "reports/sweep_view.hpp"
#include "runner/run_store.hpp"
#include "runner/sweep_session.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

namespace ciperf {
namespace {

constexpr int kMaxConcurrency = 256;

// "1,2,4" as ascending distinct levels; anything else is a usage error that quotes the item.
std::vector<int> parse_levels(const std::string& text) {
  std::vector<int> levels;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = std::min(text.find(',', at), text.size());
    std::string item = text.substr(at, comma - at);
    int value = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || value < 1 ||
        value > kMaxConcurrency)
      throw UsageError(fmt::format("--concurrency: '{}' is not a whole number from 1 to {}", item,
                                   kMaxConcurrency));
    levels.push_back(value);
    at = comma + 1;
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

SweepFormat format_of(const SweepCommand& c) {
  if (c.json || c.format == "json")
    return SweepFormat::Json;
  if (c.format == "markdown" || c.format == "md")
    return SweepFormat::Markdown;
  if (c.format == "html")
    return SweepFormat::Html;
  return SweepFormat::Text;
}

SweepOptions session_options(const SweepCommand& c) {
  SweepOptions o;
  if (c.files.empty())
    throw UsageError("sweep needs at least one pipeline file (or --list)");
  for (const auto& file : c.files) {
    load_pipeline(file); // every problem of every file before any run
    o.files.push_back(std::filesystem::absolute(file).string());
  }
  o.levels = parse_levels(c.concurrency);
  if (!c.duration.empty()) {
    auto d = parse_duration(c.duration);
    if (!d || to_seconds(*d) <= 0)
      throw UsageError("--duration: '" + c.duration + "' is not a duration such as 30s or 2m");
    o.duration_s = to_seconds(*d);
  }
  o.runs_per_instance = c.runs;
  if (!o.duration_s && o.levels.front() * o.runs_per_instance < static_cast<int>(o.files.size()))
    throw UsageError(fmt::format("--runs {} at concurrency {} runs fewer runs than there are "
                                 "pipelines ({}): each must run at the first level, the reference",
                                 c.runs, o.levels.front(), o.files.size()));
  o.labels = parse_labels(c.labels);
  for (const auto& [key, value] : o.labels)
    if (key == "sweep" || key.rfind("sweep.", 0) == 0)
      throw UsageError("--label " + key + "=…: sweep labels are the sweep's own");
  o.warm_up = !c.no_warm_up;
  return o;
}

int64_t host_memory_bytes() {
  return static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
}

std::string joined(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ","));
}

void save(const SweepReport& r, Store& store) {
  Store::StoredSweep s;
  s.id = r.id;
  s.started_at = r.started_at;
  s.finished_at = r.finished_at;
  s.status = r.interrupted ? "interrupted" : "completed";
  s.pipelines = joined(r.pipelines);
  std::vector<std::string> levels;
  for (const auto& l : r.levels)
    levels.push_back(std::to_string(l.level));
  s.levels = joined(levels);
  s.knee_level = r.knee.level;
  s.knee_rule = knee_rule_name(r.knee.rule);
  s.recommended = r.knee.recommended;
  s.summary = sweep_json(r);
  store.save_sweep(s);
}

} // namespace

int command_sweep(const SweepCommand& c) {
  if (c.list) {
    Store store(resolve_store_path(c.store), StoreAccess::ReadOnly);
    write_sweep_list(store.list_sweeps(), c.json ? ViewFormat::Json : ViewFormat::Text, std::cout);
    return kExitPassed;
  }
  SweepOptions options = session_options(c);
  // Opened first: a bad store path fails before any run; an unreachable store server gives the
  // spool, which the instances then record into.
  RunStore target = open_run_store(resolve_store_path(c.store));
  Store& store = target.store;
  SweepOutcome outcome = run_sweep(options, store);
  if (outcome.levels.empty())
    return outcome.exit_code;
  SweepReport r;
  r.id = outcome.id;
  r.started_at = outcome.started_at;
  r.finished_at = outcome.finished_at;
  r.interrupted = outcome.exit_code == kExitInterrupted;
  r.pipelines = outcome.pipelines;
  r.files = options.files;
  r.runs_per_instance = options.duration_s ? 0 : options.runs_per_instance;
  r.duration_s = options.duration_s;
  r.rules.margin = c.margin / 100;
  r.rules.p95_limit = c.p95_limit;
  r.rules.memory_floor_bytes =
      static_cast<int64_t>(static_cast<double>(host_memory_bytes()) * c.memory_floor / 100);
  r.mem_available_at_start = outcome.mem_available_at_start;
  r.levels = summarize_sweep(outcome.levels);
  r.knee = find_knee(r.levels, r.rules);
  r.demands = pipeline_demands(outcome.levels.front(), outcome.pipelines.size(),
                               outcome.mem_available_at_start, std::max(1, r.knee.recommended));
  r.dir = outcome.dir.string();
  save(r, store);
  std::cout << "\n";
  write_sweep(r, format_of(c), std::cout);
  if (outcome.exit_code != kExitPassed)
    return outcome.exit_code;
  return r.knee.recommended == 0 ? kExitFailed : kExitPassed;
}

} // namespace ciperf
