// `ciperf runs`: the stored runs, newest first.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "reports/run_list.hpp"
#include "store/store.hpp"

#include <iostream>

namespace ciperf {

int command_runs(const RunsCommand& c) {
  Store store = open_existing_store(c.store);
  RunFilter filter;
  filter.pipeline = c.pipeline;
  filter.mode = c.mode;
  for (const auto& [key, value] : parse_labels(c.labels))
    filter.labels.emplace_back(key, value);
  filter.limit = c.limit;
  auto runs = store.list_runs(filter);
  write_run_list(runs, c.json ? ViewFormat::Json : ViewFormat::Text, std::cout);
  return kExitPassed;
}

} // namespace ciperf
