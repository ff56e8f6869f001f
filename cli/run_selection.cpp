#include "cli/run_selection.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

namespace ciperf {

std::map<std::string, std::string> parse_labels(const std::vector<std::string>& labels) {
  std::map<std::string, std::string> out;
  for (const auto& label : labels) {
    auto eq = label.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("label '" + label + "' is not of the form key=value");
    out[label.substr(0, eq)] = label.substr(eq + 1);
  }
  return out;
}

RunFilter to_filter(const RunSelection& s) {
  RunFilter f;
  f.pipeline = s.pipeline;
  f.mode = s.mode;
  f.since = s.since;
  f.limit = s.last;
  f.complete_only = true;
  for (const auto& [key, value] : parse_labels(s.labels)) {
    if (key == "tags" && value.empty())
      f.tag_set = ""; // --label tags= : the runs without opt-in phases
    else
      f.labels.emplace_back(key, value);
  }
  return f;
}

Store open_existing_store(const std::string& flag) {
  return Store(resolve_store_path(flag), StoreAccess::ReadOnly);
}

std::optional<std::string> newest_tag_set(Store& store, RunFilter filter) {
  filter.limit = 1;
  auto runs = store.list_runs(filter);
  if (runs.empty())
    return std::nullopt;
  auto it = runs.front().labels.find("tags");
  return it == runs.front().labels.end() ? "" : it->second;
}

void keep_tag_set(Store& store, RunFilter& filter, const std::string& tag_set,
                  const std::string& command, const std::string& whose) {
  bool named = std::any_of(filter.labels.begin(), filter.labels.end(),
                           [](const auto& label) { return label.first == "tags"; });
  if (named || filter.tag_set)
    return;
  if (filter.limit) { // the newest N runs are what was asked for: judged as they are
    std::set<std::string> sets;
    for (const auto& r : store.list_runs(filter))
      sets.insert(r.labels.count("tags") ? r.labels.at("tags") : "");
    if (sets.size() > 1)
      std::cerr << command << ": warning: the selected runs ran different opt-in phases ("
                << sets.size() << " tag sets): --label tags=… keeps one\n";
    return;
  }
  size_t all = store.count_runs(filter); // counted, not read: attribute may select 10,000 runs
  filter.tag_set = tag_set;
  size_t kept = store.count_runs(filter);
  if (kept < all)
    std::cerr << command << ": left out " << all - kept << " run(s) whose tags differ from "
              << whose << " (" << (tag_set.empty() ? "none" : terminal_escape(tag_set))
              << "); --label tags=… chooses the runs of another tag set\n";
}

} // namespace ciperf
