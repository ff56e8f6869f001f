#pragma once
// Turning the command line's run selection into a store filter, and opening a store that must
// already exist (reading never creates one as a side effect of a typo in --store).
#include "cli/commands.hpp"
#include "store/store.hpp"

#include <map>
#include <string>
#include <vector>

namespace ciperf {

// `k=v` strings into a map; throws UsageError on a malformed one.
std::map<std::string, std::string> parse_labels(const std::vector<std::string>& labels);
RunFilter to_filter(const RunSelection& selection);
Store open_existing_store(const std::string& flag);

} // namespace ciperf
