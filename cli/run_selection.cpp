#include "cli/run_selection.hpp"

#include "common/errors.hpp"

#include <filesystem>

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
  for (const auto& [key, value] : parse_labels(s.labels))
    f.labels.emplace_back(key, value);
  return f;
}

Store open_existing_store(const std::string& flag) {
  return Store(resolve_store_path(flag), StoreAccess::ReadOnly);
}

} // namespace ciperf
