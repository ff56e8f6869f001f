#pragma once
// Turning the command line's run selection into a store filter, and opening a store that must
// already exist (reading never creates one as a side effect of a typo in --store).
#include "analysis/store.hpp"
#include "runner/commands.hpp"

namespace ciperf {

RunFilter to_filter(const RunSelection& selection);
Store open_existing_store(const std::string& flag);

} // namespace ciperf
