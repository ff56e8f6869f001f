#pragma once
// The embedded SQLite store of runs. A run row is written when the run starts (status
// `incomplete`), each phase when it ends, and the run is finalised when it ends: a ciperf killed
// at any instant leaves complete rows and a run still marked `incomplete`, never a torn row.
#include "analysis/run_record.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

class Database;

struct RunFilter {
  std::optional<std::string> pipeline;
  std::optional<std::string> mode;
  std::vector<std::pair<std::string, std::string>> labels; // all must match
  std::optional<int> limit;
};

class Store {
public:
  // Opens or creates the store at `path` and migrates it. Throws UsageError with a message that
  // names the path when the directory is missing or not writable.
  explicit Store(const std::string& path);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  void begin_run(const RunRecord& run);
  void record_phase(const std::string& run_id, const PhaseRecord& phase);
  void finish_run(const RunRecord& run);

  // Newest first; phases are not loaded.
  std::vector<RunRecord> list_runs(const RunFilter& filter);
  // By full id or unique prefix; nullopt when nothing matches. Throws UsageError when a prefix
  // is ambiguous.
  std::optional<RunRecord> load_run(const std::string& id_or_prefix);

  // A wait's outcome under `key` ("pipeline/phase" for wait phases, with their run and phase;
  // the --history key for ciperf wait).
  void record_wait(const std::string& key, const WaitRecord& wait, const std::string& recorded_at,
                   const std::string& run_id = {}, int phase_index = -1);
  // The earliest time to ready among the last `window` successful waits under `key`.
  std::optional<double> earliest_ready(const std::string& key, int window = 20);

  const std::string& path() const { return path_; }

private:
  int64_t row_id(const std::string& run_id);
  void insert_wait(const std::string& key, const WaitRecord& wait, const std::string& recorded_at,
                   std::optional<int64_t> run, int phase_index);
  std::optional<WaitRecord> load_wait(int64_t run, int phase_index);
  std::string path_;
  std::unique_ptr<Database> db_;
};

// The store path from --store, else $CIPERF_STORE, else `.ciperf/ciperf.db`.
std::string resolve_store_path(const std::string& flag_value);

} // namespace ciperf
