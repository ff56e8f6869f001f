#pragma once
// The store of runs: an embedded SQLite file, or a shared PostgreSQL database. A run row is written
// when the run starts (status `incomplete`), each phase when it ends, and the run is finalised when
// it ends: a ciperf killed at any instant leaves complete rows and a run still marked `incomplete`,
// never a torn row.
#include "model/phase_sample.hpp"
#include "model/run_record.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ciperf {

// A PostgreSQL store whose server does not answer (down, unreachable, or not answering within
// connect_timeout, or gone mid-run): `ciperf run` then records into the local spool, to be
// synced later. A store that answers and refuses (no such database, a bad password) is a
// StoreError turned UsageError.
class StoreUnavailable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Database;
class Statement;

struct RunFilter {
  std::optional<std::string> pipeline;
  std::optional<RunMode> mode;
  std::vector<std::pair<std::string, std::string>> labels; // all must match
  // Runs whose `tags` label is this ("": runs without one): those that ran the same opt-in phases.
  std::optional<std::string> tag_set;
  std::optional<std::string> since;  // an RFC 3339 time, or a run id: the runs started after it
  std::optional<std::string> until;  // an RFC 3339 time: the runs started at or before it
  std::optional<int> limit;          // the newest N runs
  bool complete_only = false;        // leave out runs still marked incomplete
  std::optional<std::string> run_id; // exactly this run
  // Runs of this host's class (model/host_class), and runs recorded before hosts had one.
  std::optional<HostInfo> host_class_of;
};

struct Baseline;

// Which phase fields a streamed sample carries: what the Pareto, resource, verdict and trend
// builders read (with the services' costs), or what change points follow (each figure they
// detect changes in and the host-wide CPU stall; no services, kind or tier).
enum class SampleFields { Analysis, History };

// Read-only commands (runs, show, report, attribute, compare) open the store ReadOnly, so they
// work on a store they cannot write: a read-only file or folder, a full disk, a CI cache.
enum class StoreAccess { ReadWrite, ReadOnly };

class Store {
public:
  // ReadWrite opens or creates the store at `path` and migrates it. Throws UsageError with a
  // message that names the path when the directory is missing or not writable, or when the path
  // is not a regular file. ReadOnly opens an existing store without writing to it (migrating
  // first, only when the store is old and writable). A PostgreSQL store (a connection string)
  // is opened and migrated either way, under an advisory lock; StoreUnavailable when its server
  // does not answer.
  explicit Store(const std::string& path, StoreAccess access = StoreAccess::ReadWrite);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  void begin_run(const RunRecord& run);
  void record_phase(const std::string& run_id, const PhaseRecord& phase);
  // Several phases of one run in one transaction: a run of many quick phases pays one commit
  // (its page writes and locks) per batch instead of per phase.
  void record_phases(const std::string& run_id, const std::vector<const PhaseRecord*>& phases);
  void finish_run(const RunRecord& run);

  // Newest first; phases are not loaded.
  std::vector<RunRecord> list_runs(const RunFilter& filter);
  // How many runs list_runs would return, without reading them.
  size_t count_runs(const RunFilter& filter);
  // By full id or unique prefix; nullopt when nothing matches. Throws UsageError when a prefix
  // is ambiguous.
  std::optional<RunRecord> load_run(const std::string& id_or_prefix);

  // A wait's outcome under `key` ("pipeline/phase" for wait phases, with their run and phase;
  // the --history key for ciperf wait).
  void record_wait(const std::string& key, const WaitRecord& wait, const std::string& recorded_at,
                   const std::string& run_id = {}, int phase_index = -1);
  // The runs `filter` selects, newest first, each loaded in full and handed over one at a time
  // (an export of 10,000 runs holds one).
  void for_each_run(const RunFilter& filter, const std::function<void(RunRecord&)>& visit);
  // The phases of the runs `filter` selects, oldest run first. Throws UsageError when `since`
  // names a run that is not in the store.
  std::vector<PhaseSample> phase_samples(const RunFilter& filter);
  // The same, one at a time, without holding them: for a million phases, memory stays flat.
  // The sample passed is reused between calls.
  void for_each_phase_sample(const RunFilter& filter,
                             const std::function<void(const PhaseSample&)>& visit,
                             SampleFields fields = SampleFields::Analysis);
  // Whether a run with exactly this id is stored.
  bool has_run(const std::string& run_id);
  // The ids of the runs labelled key=value (a baseline session's runs).
  std::set<std::string> runs_labelled(const std::string& key, const std::string& value);
  // Complete runs, with their waits, in one transaction (imports, benchmarks): far faster than
  // run by run. A run whose id is already stored is skipped, so an import is idempotent.
  // Returns how many were inserted.
  size_t insert_runs(const std::vector<RunRecord>& runs);
  // The same for runs copied from another store (ciperf sync), in one transaction: a run not
  // stored is inserted; a run stored `incomplete` that `runs` has finished is replaced in
  // place, keeping its row (its position in the list); any other is left as it is.
  struct MergeCounts {
    size_t inserted = 0, updated = 0, present = 0;
  };
  MergeCounts merge_runs(const std::vector<RunRecord>& runs);
  // Every stored run's id and status, in the order recorded (oldest first).
  std::vector<std::pair<std::string, RunStatus>> run_statuses();

  // Baselines: written whole in one transaction, replacing one of the same name.
  void save_baseline(const Baseline& baseline);
  std::optional<Baseline> load_baseline(const std::string& name);
  // The newest baseline that has phases of `pipeline`.
  std::optional<std::string> newest_baseline_for(const std::string& pipeline);
  // Every baseline's name, oldest first.
  std::vector<std::string> baseline_names();

  // Change points a user accepted as expected (ciperf changes --accept): `phase` is a phase's
  // name, "" for the run total or "*" for every series of the pipeline. Accepting twice is
  // harmless.
  struct AcceptedChange {
    std::string pipeline, phase, run_id, accepted_at, note;
  };
  void accept_change(const AcceptedChange& change);
  std::vector<AcceptedChange> accepted_changes();

  // Concurrency sweeps (ciperf sweep): one row each, written once at the sweep's end.
  struct StoredSweep {
    std::string id, started_at, finished_at, status, pipelines, levels;
    std::optional<int> knee_level;
    std::string knee_rule;
    int recommended = 0;
    std::string summary; // JSON
  };
  void save_sweep(const StoredSweep& sweep);
  // Newest first.
  std::vector<StoredSweep> list_sweeps(std::optional<int> limit = std::nullopt);

  // The earliest time to ready among the last `window` successful waits under `key`.
  std::optional<double> earliest_ready(const std::string& key, int window = 20);

  // Where the store is, as messages show it: a connection string's password is masked.
  const std::string& path() const { return display_; }
  // Where the store is, to open it again (a PostgreSQL connection string keeps its password).
  const std::string& location() const { return path_; }
  bool is_postgres() const;
  // How many connections stream phase samples at once: 0 chooses (two over a selection of at
  // least kParallelSampleRuns runs on a host with two cores or more); tests and benchmarks set it.
  void set_sample_readers(int readers) { sample_readers_ = readers; }
  static constexpr int kParallelSampleRuns = 1000;
  // Whether phase samples are followed by their test cases, as items named "phase/test"
  // (model/test_item.hpp): what --tests asks of compare, attribute and changes.
  void set_sample_tests(bool tests) { sample_tests_ = tests; }
  bool sample_tests() const { return sample_tests_; }

private:
  int64_t row_id(const std::string& run_id);
  // The run's row (labels included) with the given status; returns its row id.
  int64_t insert_run_row(const RunRecord& run, RunStatus status);
  // The same; with `skip_stored`, nullopt (and nothing written) when the id is stored already.
  std::optional<int64_t> insert_run_row_once(const RunRecord& run, RunStatus status,
                                             bool skip_stored);
  void insert_labels(int64_t run, const std::map<std::string, std::string>& labels);
  // A complete run's phases, waits and prepare under its new row `run`.
  void insert_run_contents(int64_t run, const RunRecord& record);
  // The stored run at row `run` becomes `record`, row id kept.
  void replace_run(int64_t run, const RunRecord& record);
  void insert_prepare(int64_t run, const PrepareRecord& prepare);
  // The phase's row and its metrics, replacing what the run had at that index. A run inserted
  // just now (`fresh`) has nothing to replace: its children's stale rows are not looked for.
  void insert_phase_row(int64_t run, const PhaseRecord& phase, bool fresh = false);
  // Rows for the runs not stored yet (the first of a run given twice), labels not included:
  // their row ids, nullopt for a run stored already.
  std::vector<std::optional<int64_t>> insert_new_run_rows(std::span<const RunRecord> runs);
  // The phases of runs inserted just now (their row ids, nullopt to skip one) through a row
  // writer, then the phases' children, the waits and the prepare.
  void insert_runs_contents(std::span<const RunRecord> runs,
                            const std::vector<std::optional<int64_t>>& ids);
  // A phase's metrics, services' costs and test cases.
  void insert_phase_children(int64_t run, const PhaseRecord& phase, bool fresh);
  void insert_service_costs(int64_t run, const PhaseRecord& phase, bool fresh);
  static void load_service_costs(Statement& query, int64_t id, RunRecord& run);
  void insert_tests(int64_t run, const PhaseRecord& phase, bool fresh);
  static void load_tests(Statement& query, int64_t id, RunRecord& run);
  struct DetailQueries;
  // Labels, phases, waits, metrics and prepare of the run with row id `id`.
  void load_run_details(int64_t id, RunRecord& run, DetailQueries& queries);
  // " WHERE …" for `filter` over the `runs` table, and the values to bind, in order.
  std::string where_clause(const RunFilter& filter, std::vector<std::string>& values);
  // The runs `filter` selects, newest first, with kRunColumns (the row id first).
  std::string runs_query(const RunFilter& filter, std::vector<std::string>& values);
  void insert_wait(const std::string& key, const WaitRecord& wait, const std::string& recorded_at,
                   std::optional<int64_t> run, int phase_index);
  std::optional<WaitRecord> load_wait(DetailQueries& queries, int64_t run, int phase_index);
  int sample_readers(const std::string& runs, const std::vector<std::string>& values);
  // Another read-only connection to the same store, for a reader thread.
  std::unique_ptr<Database> open_reader() const;
  std::string path_;
  std::string display_;
  std::unique_ptr<Database> db_;
  int sample_readers_ = 0;
  bool sample_tests_ = false;
};

// The store from --store, else $CIPERF_STORE, else `.ciperf/ciperf.db`: a SQLite path or a
// PostgreSQL connection string (store_location.hpp).
std::string resolve_store_path(const std::string& flag_value);

} // namespace ciperf
