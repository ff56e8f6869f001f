// `ciperf sync`: what one store has and another lacks, copied across (a spool to the shared
// store, a laptop's store to a team's).
#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "runner/run_store.hpp"
#include "store/store.hpp"
#include "store/store_location.hpp"
#include "store/store_sync.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>

namespace ciperf {
namespace {

// The local runs: the store runs record into, or, when that is a server, the spool they fall
// back to.
std::string default_source() {
  std::string store = resolve_store_path("");
  return is_postgres_location(store) ? resolve_spool_path() : store;
}

// A store server that cannot be reached is ciperf's failure to do its work (exit 3), said
// without the URL's password.
Store open_store(const std::string& location, StoreAccess access, const char* role) {
  try {
    return Store(location, access);
  } catch (const StoreUnavailable& e) {
    throw std::runtime_error(fmt::format("{} store {} is unavailable: {}", role,
                                         redact_location(location),
                                         redact_location_in(e.what(), location)));
  }
}

} // namespace

int command_sync(const SyncCommand& c) {
  std::string from = c.from.empty() ? default_source() : c.from;
  if (c.to.empty())
    throw UsageError("--to: name the destination store");
  if (!is_postgres_location(from) && !std::filesystem::exists(from))
    throw UsageError(fmt::format("--from: no store at {}{}", from,
                                 c.from.empty() ? " (pass --from, or record a run first)" : ""));
  if (same_store(from, c.to))
    throw UsageError(fmt::format("--from and --to are the same store ({})", redact_location(from)));
  Store source = open_store(from, StoreAccess::ReadOnly, "source");
  Store destination = open_store(c.to, StoreAccess::ReadWrite, "destination");
  SyncOptions options;
  options.include_incomplete = c.include_incomplete;
  SyncSummary summary = sync_stores(source, destination, options);
  std::cout << terminal_escape(fmt::format("sync: {} → {}: {}", redact_location(from),
                                           redact_location(c.to), describe(summary)))
            << "\n";
  return kExitPassed;
}

} // namespace ciperf
