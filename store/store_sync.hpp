#pragma once
// Copying what one store has and another lacks (ciperf sync): runs, oldest first, with all
// they carry, then baselines, sweeps and accepted change points. Over the Store API only, so
// any pair of backends works.
#include <cstddef>
#include <string>

namespace ciperf {

class Store;

struct SyncOptions {
  // Runs still `incomplete` in the source (still running, or killed) are held back unless set.
  bool include_incomplete = false;
  // Runs per destination transaction: each run is whole in one transaction, and a batch of
  // them pays one commit.
  size_t batch_runs = 50;
};

struct SyncSummary {
  size_t copied = 0;    // runs the destination lacked
  size_t updated = 0;   // runs it had `incomplete` that the source has finished
  size_t present = 0;   // runs it already had
  size_t held_back = 0; // runs still incomplete in the source
  size_t baselines = 0; // baselines, sweeps and accepted changes it lacked
  size_t sweeps = 0;
  size_t accepted = 0;
};

// "copied 3, already there 12, skipped incomplete 1", with updates and the rest when there are.
std::string describe(const SyncSummary& summary);

SyncSummary sync_stores(Store& from, Store& to, const SyncOptions& options = {});

} // namespace ciperf
