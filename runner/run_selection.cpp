#include "runner/run_selection.hpp"

#include "common/errors.hpp"

#include <filesystem>

namespace ciperf {

RunFilter to_filter(const RunSelection& s) {
  RunFilter f;
  f.pipeline = s.pipeline;
  f.mode = s.mode;
  f.since = s.since;
  f.limit = s.last;
  f.complete_only = true;
  for (const auto& [key, value] : parse_labels(s.labels))
    f.labels.emplace_back(key, value);
  return f;
}

Store open_existing_store(const std::string& flag) {
  std::string path = resolve_store_path(flag);
  if (!std::filesystem::exists(path))
    throw UsageError("no store at " + path + " (run a pipeline first, or pass --store)");
  return Store(path);
}

} // namespace ciperf
