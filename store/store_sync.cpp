#include "store/store_sync.hpp"

#include "model/baseline.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

namespace ciperf {
namespace {

// The runs to push: those the destination lacks, or has `incomplete` while the source has them
// finished. Oldest first, so the destination lists them in the source's order.
std::vector<std::string> runs_to_copy(Store& from, Store& to, const SyncOptions& options,
                                      SyncSummary& summary) {
  std::unordered_map<std::string, RunStatus> there;
  for (auto& [id, status] : to.run_statuses())
    there.emplace(std::move(id), status);
  std::vector<std::string> wanted;
  for (auto& [id, status] : from.run_statuses()) {
    bool incomplete = status == RunStatus::Incomplete;
    auto stored = there.find(id);
    bool stale = stored != there.end() && stored->second == RunStatus::Incomplete && !incomplete;
    if (stored != there.end() && !stale)
      ++summary.present;
    else if (incomplete && !options.include_incomplete)
      ++summary.held_back;
    else
      wanted.push_back(std::move(id));
  }
  return wanted;
}

void merge(Store& to, std::vector<RunRecord>& batch, SyncSummary& summary) {
  Store::MergeCounts counts = to.merge_runs(batch);
  summary.copied += counts.inserted;
  summary.updated += counts.updated;
  summary.present += counts.present; // recorded there meanwhile by someone else
  batch.clear();
}

void copy_runs(Store& from, Store& to, const std::vector<std::string>& ids,
               const SyncOptions& options, SyncSummary& summary) {
  std::vector<RunRecord> batch;
  RunFilter one;
  for (const auto& id : ids) {
    one.run_id = id;
    from.for_each_run(one, [&](RunRecord& run) { batch.push_back(std::move(run)); });
    if (batch.size() >= std::max<size_t>(options.batch_runs, 1))
      merge(to, batch, summary);
  }
  if (!batch.empty())
    merge(to, batch, summary);
}

void copy_baselines(Store& from, Store& to, SyncSummary& summary) {
  auto names = to.baseline_names();
  std::set<std::string> there(names.begin(), names.end());
  for (const auto& name : from.baseline_names())
    if (!there.contains(name))
      if (auto baseline = from.load_baseline(name)) {
        to.save_baseline(*baseline);
        ++summary.baselines;
      }
}

void copy_sweeps(Store& from, Store& to, SyncSummary& summary) {
  std::set<std::string> there;
  for (const auto& sweep : to.list_sweeps())
    there.insert(sweep.id);
  auto sweeps = from.list_sweeps();
  std::reverse(sweeps.begin(), sweeps.end()); // oldest first
  for (const auto& sweep : sweeps)
    if (!there.contains(sweep.id)) {
      to.save_sweep(sweep);
      ++summary.sweeps;
    }
}

void copy_accepted(Store& from, Store& to, SyncSummary& summary) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::set<Key> there;
  for (const auto& a : to.accepted_changes())
    there.emplace(a.pipeline, a.phase, a.run_id);
  for (const auto& a : from.accepted_changes())
    if (!there.contains(Key{a.pipeline, a.phase, a.run_id})) {
      to.accept_change(a);
      ++summary.accepted;
    }
}

} // namespace

std::string describe(const SyncSummary& s) {
  std::string line = "copied " + std::to_string(s.copied);
  if (s.updated > 0)
    line += ", updated " + std::to_string(s.updated) + " (incomplete there)";
  line += ", already there " + std::to_string(s.present);
  line += ", skipped incomplete " + std::to_string(s.held_back);
  for (auto [count, what] : {std::pair{s.baselines, "baselines"}, std::pair{s.sweeps, "sweeps"},
                             std::pair{s.accepted, "accepted changes"}})
    if (count > 0)
      line += ", " + std::string(what) + " " + std::to_string(count);
  return line;
}

SyncSummary sync_stores(Store& from, Store& to, const SyncOptions& options) {
  SyncSummary summary;
  copy_runs(from, to, runs_to_copy(from, to, options, summary), options, summary);
  copy_baselines(from, to, summary);
  copy_sweeps(from, to, summary);
  copy_accepted(from, to, summary);
  return summary;
}

} // namespace ciperf
