#pragma once
// Turning the command line's run selection into a store filter, and opening a store that must
// already exist (reading never creates one as a side effect of a typo in --store).
#include "cli/commands.hpp"
#include "store/store.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

// `k=v` strings into a map; throws UsageError on a malformed one.
std::map<std::string, std::string> parse_labels(const std::vector<std::string>& labels);
RunFilter to_filter(const RunSelection& selection);
Store open_existing_store(const std::string& flag);

// The `tags` label of the newest run `filter` selects ("" when it has none); nullopt when it
// selects no run.
std::optional<std::string> newest_tag_set(Store& store, RunFilter filter);
// Narrows `filter` to the runs that ran the opt-in phases of `tag_set` (phase_tags.hpp), unless it
// names its tags already, and says on stderr how many runs that left out and why.
void keep_tag_set(Store& store, RunFilter& filter, const std::string& tag_set,
                  const std::string& command, const std::string& whose);

} // namespace ciperf
