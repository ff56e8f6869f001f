#include "store/store_schema.hpp"

#include <array>
#include <string>
#include <string_view>

namespace ciperf {
namespace {

// Append-only: a released migration is never edited. Written in SQLite's spelling and applied to
// PostgreSQL through store/sql_dialect (INTEGER → BIGINT, REAL → DOUBLE PRECISION, …). Later issues
// add baselines, probe results and import provenance as new entries.
constexpr std::array<std::string_view, 10> kMigrations = {
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  pipeline TEXT NOT NULL,
  pipeline_file TEXT NOT NULL DEFAULT '',
  mode TEXT NOT NULL,
  status TEXT NOT NULL,              -- 'incomplete' until the run is finalised
  started_at TEXT NOT NULL,          -- RFC 3339 UTC, sorts as text
  finished_at TEXT,
  wall_s REAL,
  deploys INTEGER,
  expected_deploys INTEGER,
  hostname TEXT, cpus INTEGER, memory_bytes INTEGER, kernel TEXT,
  run_dir TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_pipeline ON runs (pipeline, mode, started_at);
CREATE INDEX runs_by_start ON runs (started_at);

CREATE TABLE labels (
  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run, key)
);
CREATE INDEX labels_by_key ON labels (key, value);

CREATE TABLE phases (
  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  tier TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  exit_code INTEGER,
  signal INTEGER,
  background INTEGER NOT NULL DEFAULT 0,
  always INTEGER NOT NULL DEFAULT 0,
  start_s REAL NOT NULL, wall_s REAL NOT NULL,
  user_s REAL NOT NULL, sys_s REAL NOT NULL,
  max_rss_bytes INTEGER NOT NULL, read_bytes INTEGER NOT NULL, write_bytes INTEGER NOT NULL,
  -- NULL when the kernel has no PSI: unavailable is not zero
  cpu_some_s REAL, cpu_full_s REAL, io_some_s REAL, io_full_s REAL,
  memory_some_s REAL, memory_full_s REAL,
  budget_s REAL,
  over_budget INTEGER NOT NULL DEFAULT 0,
  log TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run, idx)
);
CREATE INDEX phases_by_name ON phases (name);

CREATE TABLE metrics (
  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run, phase_idx, name)
);

CREATE TABLE prepares (
  run INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  exit_code INTEGER,
  wall_s REAL NOT NULL,
  log TEXT NOT NULL DEFAULT ''
);
)sql",
    // 2: readiness waits, of wait phases (run, phase_idx) and of `ciperf wait --history KEY`.
    R"sql(
CREATE TABLE waits (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,                 -- 'pipeline/phase', or the --history key of ciperf wait
  run INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  phase_idx INTEGER,
  recorded_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  elapsed_s REAL NOT NULL,
  ready_s REAL,
  attempts INTEGER NOT NULL,
  http_requests INTEGER NOT NULL,
  attempts_saved INTEGER NOT NULL,
  relaxed_until_s REAL
);
CREATE INDEX waits_by_key ON waits (key, outcome, id);
CREATE INDEX waits_by_run ON waits (run, phase_idx);

CREATE TABLE wait_targets (
  wait INTEGER NOT NULL REFERENCES waits (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  target TEXT NOT NULL,
  kind TEXT NOT NULL,
  fail_if INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  first_success_s REAL,
  last_failure TEXT NOT NULL,
  PRIMARY KEY (wait, idx)
);
)sql",
    // 3: baseline sessions and the per-(pipeline, phase, mode) statistics of a baseline, with
    // its raw samples so that later runs can be tested against them.
    R"sql(
CREATE TABLE baselines (
  name TEXT PRIMARY KEY,
  session TEXT NOT NULL,
  created_at TEXT NOT NULL,
  runs_per_mode INTEGER NOT NULL
);

CREATE TABLE baseline_phases (
  baseline TEXT NOT NULL REFERENCES baselines (name) ON DELETE CASCADE,
  pipeline TEXT NOT NULL,
  phase TEXT NOT NULL,
  mode TEXT NOT NULL,
  position INTEGER NOT NULL,          -- the phase's index in its pipeline, for display order
  n INTEGER NOT NULL,
  median REAL, mean REAL, stddev REAL, mad REAL, min REAL, max REAL, p95 REAL, cv REAL,
  ci_low REAL, ci_high REAL,
  samples TEXT NOT NULL,              -- JSON array of wall seconds, one per run
  PRIMARY KEY (baseline, pipeline, phase, mode)
);
CREATE INDEX phases_by_run_status ON phases (run, status);
)sql",
    // 4: when each probe attempt ended (a bounded sample), for waterfalls and traces:
    // space-separated seconds from the wait's start, a leading + on a success.
    R"sql(
ALTER TABLE wait_targets ADD COLUMN marks TEXT NOT NULL DEFAULT '';
)sql",
    // 5: per-phase cgroups. Where each run's figures come from; each phase's own tree (CPU,
    // own stalls, memory peak, block I/O: NULL where not measured); what each live service
    // spent while a phase ran.
    R"sql(
ALTER TABLE runs ADD COLUMN accounting TEXT NOT NULL DEFAULT 'rusage';
ALTER TABLE phases ADD COLUMN tree_user_s REAL;
ALTER TABLE phases ADD COLUMN tree_sys_s REAL;
ALTER TABLE phases ADD COLUMN tree_memory_peak_bytes INTEGER;
ALTER TABLE phases ADD COLUMN tree_read_bytes INTEGER;
ALTER TABLE phases ADD COLUMN tree_write_bytes INTEGER;
ALTER TABLE phases ADD COLUMN own_cpu_some_s REAL;
ALTER TABLE phases ADD COLUMN own_cpu_full_s REAL;
ALTER TABLE phases ADD COLUMN own_io_some_s REAL;
ALTER TABLE phases ADD COLUMN own_io_full_s REAL;
ALTER TABLE phases ADD COLUMN own_memory_some_s REAL;
ALTER TABLE phases ADD COLUMN own_memory_full_s REAL;
CREATE TABLE service_costs (
  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_idx INTEGER NOT NULL,
  service_idx INTEGER NOT NULL,      -- the phase that started the service
  name TEXT NOT NULL,
  user_s REAL NOT NULL, sys_s REAL NOT NULL,
  cpu_some_s REAL, cpu_full_s REAL, io_some_s REAL, io_full_s REAL,
  memory_some_s REAL, memory_full_s REAL,
  PRIMARY KEY (run, phase_idx, service_idx)
);
)sql",
    // 6: history. The host fingerprint beyond hostname and kernel (its class: CPU model, count,
    // memory, virtualization); the change points a user accepted as expected, per pipeline and
    // phase ('' for the run total; '*' for every series of the pipeline).
    R"sql(
ALTER TABLE runs ADD COLUMN cpu_model TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN virtualization TEXT NOT NULL DEFAULT '';
CREATE TABLE accepted_changes (
  pipeline TEXT NOT NULL,
  phase TEXT NOT NULL,
  run_id TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (pipeline, phase, run_id)
);
)sql",
    // 7: concurrency sweeps. Their runs are normal runs labelled `sweep=<id>`; this row holds
    // what the sweep concluded and its whole summary as JSON (what `ciperf sweep --json` printed).
    R"sql(
CREATE TABLE sweeps (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  status TEXT NOT NULL,              -- 'completed' or 'interrupted'
  pipelines TEXT NOT NULL,           -- the recorded names, comma-separated
  levels TEXT NOT NULL,              -- the levels measured, comma-separated
  knee_level INTEGER,
  knee_rule TEXT NOT NULL,
  recommended INTEGER NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX sweeps_by_start ON sweeps (started_at);
)sql",
    // 8: what an imported test case printed and its properties (JUnit <system-out>,
    // <system-err>, <properties>), and the `error` phase status (status is plain text).
    R"sql(
ALTER TABLE phases ADD COLUMN system_out TEXT NOT NULL DEFAULT '';
ALTER TABLE phases ADD COLUMN system_err TEXT NOT NULL DEFAULT '';
ALTER TABLE phases ADD COLUMN properties TEXT NOT NULL DEFAULT '';
)sql",
    // 9: test cases inside a phase (a phase's `junit:` files), children of their phase: in the
    // order the files listed them, `idx` from 0.
    R"sql(
CREATE TABLE phase_tests (
  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase_idx INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,                -- classname::name
  status TEXT NOT NULL,
  start_s REAL NOT NULL,             -- from the phase's start
  wall_s REAL NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run, phase_idx, idx)
);
)sql",
    // 10: phases_by_run_status (3) and phases_by_name (1) go: no query reads phases by status
    // or by name, and the primary key (run, idx) serves every look-up by run. Each cost an index
    // entry per phase written, and PostgreSQL's planner chose the first over the primary key for
    // a run's phases, then sorted them.
    R"sql(
DROP INDEX IF EXISTS phases_by_run_status;
DROP INDEX IF EXISTS phases_by_name;
)sql",
};

} // namespace

int user_version(Database& db) {
  return db.schema_version();
}

int current_schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate(Database& db) {
  if (user_version(db) == current_schema_version())
    return; // the common case: no write lock taken
  WriteTransaction tx(db);
  db.lock_schema();
  int version = user_version(db); // re-read under the lock: another process may have migrated
  if (version > current_schema_version())
    throw StoreError("the store has schema version " + std::to_string(version) +
                     ", newer than this ciperf understands (" +
                     std::to_string(current_schema_version()) + "); upgrade ciperf");
  for (int v = version; v < current_schema_version(); ++v)
    db.exec(kMigrations[static_cast<size_t>(v)]);
  db.set_schema_version(current_schema_version());
  tx.commit();
}

} // namespace ciperf
