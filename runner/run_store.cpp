#include "runner/run_store.hpp"

#include "common/text_escape.hpp"
#include "store/store_location.hpp"
#include "store/store_sync.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <string_view>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDefaultSpool = ".ciperf/spool.db";
constexpr std::string_view kUnavailable = "is unavailable";

Store open_spool(const std::string& spool) {
  if (spool == kDefaultSpool) {
    std::error_code ec;
    fs::create_directories(fs::path(spool).parent_path(), ec);
  }
  return Store(spool);
}

// An argument of the command the warning suggests, quoted so that pasting it into a shell
// works: a keyword connection string has spaces.
std::string shell_word(const std::string& word) {
  bool plain = !word.empty() &&
               word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                      "qrstuvwxyz0123456789_./:@%+=,-*") == std::string::npos;
  if (plain)
    return word;
  std::string out = "'";
  for (char c : word)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The one warning: what is unreachable, where the runs go, and the command that pushes them.
void warn_spooled(const RunStore& target, const std::string& what, const std::string& why) {
  std::string store = redact_location(target.location);
  std::cout.flush();
  std::cerr << terminal_escape(fmt::format(
                   "ciperf: warning: store {} {} ({}): {} the spool {}; push later with: ciperf "
                   "sync --from {} --to {}",
                   store, what, redact_location_in(why, target.location),
                   what == kUnavailable ? "recording into" : "the run is kept in", target.spool,
                   shell_word(target.spool), shell_word(store)))
            << "\n";
}

void warn_not_pushed(const RunStore& target, const std::string& why) {
  std::cout.flush();
  std::cerr << terminal_escape(fmt::format(
                   "ciperf: warning: --sync: the spool {} was not pushed to {}: {}", target.spool,
                   redact_location(target.location), redact_location_in(why, target.location)))
            << "\n";
}

} // namespace

std::string resolve_spool_path() {
  if (const char* env = std::getenv("CIPERF_SPOOL"); env && *env)
    return env;
  return kDefaultSpool;
}

RunStore open_run_store(const std::string& location) {
  if (!is_postgres_location(location))
    return {location, resolve_spool_path(), false, Store(location)};
  try {
    return {location, resolve_spool_path(), false, Store(location)};
  } catch (const StoreUnavailable& e) {
    RunStore target{location, resolve_spool_path(), true, open_spool(resolve_spool_path())};
    warn_spooled(target, std::string(kUnavailable), e.what());
    return target;
  }
}

void keep_in_spool(RunStore& target, const RunRecord& record, const std::string& why) {
  try {
    target.store = open_spool(target.spool);
    target.store.insert_runs({record});
    target.spooled = true;
    warn_spooled(target, "became unavailable during the run", why);
  } catch (const std::exception& e) { // the run's exit code is its own even so
    std::cout.flush();
    std::cerr << terminal_escape(fmt::format(
                     "ciperf: warning: store {} became unavailable during the run ({}), and the "
                     "spool {} could not take the run ({}): it is in its results.json only",
                     redact_location(target.location), redact_location_in(why, target.location),
                     target.spool, e.what()))
              << "\n";
  }
}

void push_spool(RunStore& target) {
  try {
    if (!fs::exists(target.spool) || same_store(target.spool, target.location))
      return;
    Store spool(target.spool, StoreAccess::ReadOnly);
    std::optional<Store> reopened;
    if (target.spooled)
      reopened.emplace(target.location);
    Store& destination = reopened ? *reopened : target.store;
    SyncSummary summary = sync_stores(spool, destination);
    std::cout << terminal_escape(fmt::format("sync: {} → {}: {}", target.spool,
                                             redact_location(target.location), describe(summary)))
              << "\n";
  } catch (const StoreUnavailable& e) {
    if (target.spooled)
      return; // still down: the one warning said where the run is and how to push it
    warn_not_pushed(target, e.what());
  } catch (const std::exception& e) {
    warn_not_pushed(target, e.what());
  }
}

} // namespace ciperf
