#pragma once
// The store a run records into: the one asked for or, when that is a store server that cannot
// be reached (at the start, or by a write during the run), the local spool, from which
// `ciperf sync` (or `ciperf run --sync` later) pushes the run. A local store is used as before:
// a bad path fails before any phase, and no spool is involved.
#include "model/run_record.hpp"
#include "store/store.hpp"

#include <string>

namespace ciperf {

// $CIPERF_SPOOL, else `.ciperf/spool.db`.
std::string resolve_spool_path();

struct RunStore {
  std::string location; // the store asked for (a path or a URL)
  std::string spool;    // the spool's path
  bool spooled = false; // recording into the spool, not into `location`
  Store store;          // what the run records into
};

// Opens `location`; for a store URL whose server is unavailable, the spool instead, saying so
// once on stderr.
RunStore open_run_store(const std::string& location);

// After a run whose store became unavailable mid-run (RunOutcome::store_lost): the whole record
// goes into the spool, which the store becomes, with the one warning.
void keep_in_spool(RunStore& target, const RunRecord& record, const std::string& why);

// `ciperf run --sync`: pushes the spool (this run's, and those of earlier offline runs) to the
// store, and prints what it did. Never throws: a failure is a warning, the run's exit code stays.
void push_spool(RunStore& target);

} // namespace ciperf
