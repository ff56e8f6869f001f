#include "store/store.hpp"

#include "common/errors.hpp"
#include "common/rfc3339.hpp"
#include "store/database.hpp"
#include "store/detail_queries.hpp"
#include "store/row_codec.hpp"
#include "store/store_location.hpp"
#include "store/store_schema.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <thread>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDefaultStore = ".ciperf/ciperf.db";

// A store is a regular file: SQLite would happily "open" /dev/null and leave a world-writable
// /dev/null-journal behind, or block on a FIFO.
void check_regular(const std::string& path) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (!ec && fs::exists(status) && !fs::is_regular_file(status))
    throw UsageError("store " + path + " is not a regular file");
}

// Fails early, with the path in the message, rather than with SQLite's "unable to open".
void check_directory(const std::string& path, bool is_default) {
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty())
    dir = ".";
  std::error_code ec;
  if (is_default)
    fs::create_directories(dir, ec);
  if (!fs::is_directory(dir))
    throw UsageError("store directory " + dir.string() + " does not exist (store: " + path + ")");
  bool exists = fs::exists(path, ec);
  if (::access(dir.c_str(), W_OK) != 0 && !exists)
    throw UsageError("store directory " + dir.string() + " is not writable (store: " + path + ")");
  if (exists && ::access(path.c_str(), W_OK) != 0)
    throw UsageError("store " + path + " is not writable");
}

// Switching to WAL needs a moment of exclusive access; with several ciperf processes opening a
// fresh store at once one of them may be refused without the busy handler, so retry briefly.
void enable_wal(Database& db) {
  for (int attempt = 0;; ++attempt) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (const StoreError&) {
      if (attempt == 200)
        throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(5 + attempt));
    }
  }
}

void bind_all(Statement& stmt, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
}

// The columns of a run row as every runs query selects them: the row id, then the run's fields.
std::string run_columns() {
  return "id, " + column_list(run_fields());
}

// Stored stamps are in one normal form (UTC, milliseconds), which sorts as text; a filter's time
// is brought to that form, so `+02:00` and `Z` select by instant, not by spelling.
std::string normal_time(const std::string& text, const char* what) {
  auto ns = parse_rfc3339_ns(text);
  if (!ns)
    throw UsageError(
        fmt::format("{}: '{}' is not an RFC 3339 time (2026-11-28T09:30:00Z)", what, text));
  return format_rfc3339_ms(*ns);
}

RunRecord read_run_row(const Statement& s) {
  RunRecord run;
  read_fields(s, 1, run_fields(), run);
  return run;
}

} // namespace

std::string resolve_store_path(const std::string& flag_value) {
  if (!flag_value.empty())
    return flag_value;
  if (const char* env = std::getenv("CIPERF_STORE"); env && *env)
    return env;
  return kDefaultStore;
}

namespace {

std::unique_ptr<Database> open_writable(const std::string& path) {
  auto db = open_database(path, Database::Mode::Create);
  if (!db->is_postgres())
    enable_wal(*db);
  db->exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  migrate(*db);
  return db;
}

// Reading a WAL store needs its -shm file; where that cannot be created (a read-only folder)
// the store is opened immutable, which needs none.
std::unique_ptr<Database> open_read_only(const std::string& path) {
  if (!fs::exists(path))
    throw UsageError("no store at " + path + " (run a pipeline first, or pass --store)");
  std::unique_ptr<Database> db;
  int version = 0;
  try {
    db = open_database(path, Database::Mode::ReadOnly);
    version = user_version(*db);
  } catch (const StoreError&) {
    db = open_database(path, Database::Mode::Immutable);
    version = user_version(*db);
  }
  if (version == current_schema_version())
    return db;
  if (version < current_schema_version() && ::access(path.c_str(), W_OK) == 0) {
    db.reset();
    open_writable(path); // an older store: migrated once, by whichever command comes first
    return open_database(path, Database::Mode::ReadOnly);
  }
  throw StoreError(fmt::format(
      "the store has schema version {}, this ciperf reads {}{}", version, current_schema_version(),
      version > current_schema_version() ? "; upgrade ciperf"
                                         : " (open it once where it is writable to migrate it)"));
}

} // namespace

Store::Store(const std::string& path, StoreAccess access)
    : path_(path), display_(redact_location(path)) {
  try {
    if (is_postgres_location(path)) { // no file to check; one server, migrated by its first user
      db_ = open_writable(path);
      return;
    }
    check_regular(path);
    if (access == StoreAccess::ReadOnly) {
      db_ = open_read_only(path);
      return;
    }
    check_directory(path, path == kDefaultStore);
    db_ = open_writable(path);
  } catch (const StoreError& e) {
    throw UsageError("store " + display_ + ": " + e.what());
  }
}

Store::~Store() = default;

bool Store::is_postgres() const {
  return db_->is_postgres();
}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

int64_t Store::insert_run_row(const RunRecord& run, RunStatus status) {
  auto id = insert_run_row_once(run, status, false);
  return *id;
}

std::optional<int64_t> Store::insert_run_row_once(const RunRecord& run, RunStatus status,
                                                  bool skip_stored) {
  static const std::string insert_sql = "INSERT INTO runs (" + column_list(run_fields()) +
                                        ") VALUES (" + placeholders(run_fields().size()) + ")";
  // Another writer (another host's import of the same file) may store the id between a check
  // and the insert: the conflict itself says the run is stored.
  static const std::string sql = insert_sql + " RETURNING id";
  static const std::string skip_sql = insert_sql + " ON CONFLICT (run_id) DO NOTHING RETURNING id";
  RunRecord row = run;
  row.status = status;
  Statement& insert = db_->cached(skip_stored ? skip_sql : sql);
  bind_fields(insert, 1, run_fields(), row);
  if (!insert.step()) {
    insert.reset();
    if (!skip_stored)
      throw StoreError("run " + run.run_id + " was not stored");
    return std::nullopt;
  }
  int64_t id = insert.integer(0);
  insert.reset();
  insert_labels(id, run.labels);
  return id;
}

void Store::insert_labels(int64_t run, const std::map<std::string, std::string>& labels) {
  Statement& label = db_->cached("INSERT INTO labels (run, key, value) VALUES (?, ?, ?)");
  for (const auto& [key, value] : labels) {
    label.bind(1, run).bind(2, key).bind(3, value).run();
    label.reset();
  }
}

void Store::begin_run(const RunRecord& run) {
  WriteTransaction tx(*db_);
  insert_run_row(run, RunStatus::Incomplete);
  tx.commit();
}

int64_t Store::row_id(const std::string& run_id) {
  Statement& stmt = db_->cached("SELECT id FROM runs WHERE run_id = ?");
  stmt.bind(1, run_id);
  if (!stmt.step())
    throw StoreError("run " + run_id + " is not in the store");
  int64_t id = stmt.integer(0);
  stmt.reset(); // an open read would hold a snapshot that a later write could not upgrade
  return id;
}

void Store::insert_phase_row(int64_t run, const PhaseRecord& p, bool fresh) {
  static const std::string sql = "INSERT INTO phases (run, " + column_list(phase_fields()) +
                                 ") VALUES (?, " + placeholders(phase_fields().size()) +
                                 ") ON CONFLICT (run, idx) DO UPDATE SET " +
                                 replace_all(phase_fields());
  Statement& insert = db_->cached(sql);
  insert.bind(1, run);
  bind_fields(insert, 2, phase_fields(), p);
  insert.run();
  insert_phase_children(run, p, fresh);
}

void Store::insert_phase_children(int64_t run, const PhaseRecord& p, bool fresh) {
  Statement& metric =
      db_->cached("INSERT INTO metrics (run, phase_idx, name, value, unit) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (run, phase_idx, name) DO UPDATE SET value = excluded.value, "
                  "unit = excluded.unit");
  for (const auto& m : p.metrics) {
    metric.bind(1, run).bind(2, p.index).bind(3, m.name).bind(4, m.value).bind(5, m.unit).run();
    metric.reset();
  }
  insert_service_costs(run, p, fresh);
  insert_tests(run, p, fresh);
}

void Store::insert_tests(int64_t run, const PhaseRecord& p, bool fresh) {
  if (!fresh) {
    Statement& stale = db_->cached("DELETE FROM phase_tests WHERE run = ? AND phase_idx = ?");
    stale.bind(1, run).bind(2, p.index).run();
    stale.reset();
  }
  Statement& test =
      db_->cached("INSERT INTO phase_tests (run, phase_idx, idx, name, status, start_s, wall_s, "
                  "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (size_t i = 0; i < p.tests.size(); ++i) {
    const TestCaseRecord& t = p.tests[i];
    test.bind(1, run).bind(2, p.index).bind(3, static_cast<int64_t>(i)).bind(4, t.name);
    test.bind(5, to_string(t.status)).bind(6, t.start_s).bind(7, t.wall_s).bind(8, t.message);
    test.run();
    test.reset();
  }
}

void Store::insert_service_costs(int64_t run, const PhaseRecord& p, bool fresh) {
  Statement& cost = db_->cached(
      "INSERT INTO service_costs (run, phase_idx, service_idx, name, user_s, sys_s, cpu_some_s, "
      "cpu_full_s, io_some_s, io_full_s, memory_some_s, memory_full_s) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?) ON CONFLICT (run, phase_idx, service_idx) DO NOTHING");
  if (!fresh) {
    Statement& stale = db_->cached("DELETE FROM service_costs WHERE run = ? AND phase_idx = ?");
    stale.bind(1, run).bind(2, p.index).run();
    stale.reset();
  }
  for (const auto& c : p.services) {
    cost.bind(1, run).bind(2, p.index).bind(3, c.service).bind(4, c.name);
    cost.bind(5, c.user_s).bind(6, c.sys_s);
    for (int i = 0; i < Pressure::kFigures; ++i)
      if (c.pressure)
        cost.bind(7 + i, c.pressure->figure(i));
      else
        cost.bind_null(7 + i);
    cost.run();
    cost.reset();
  }
}

void Store::record_phase(const std::string& run_id, const PhaseRecord& p) {
  record_phases(run_id, {&p});
}

void Store::record_phases(const std::string& run_id,
                          const std::vector<const PhaseRecord*>& phases) {
  if (phases.empty())
    return;
  WriteTransaction tx(*db_);
  int64_t run = row_id(run_id);
  for (const PhaseRecord* p : phases)
    insert_phase_row(run, *p);
  tx.commit();
}

void Store::finish_run(const RunRecord& run) {
  static const std::vector<std::string_view> kFinal = {"status", "finished_at", "wall_s",
                                                       "deploys"};
  static const std::string sql = [] {
    std::string set;
    for (auto name : kFinal)
      set.append(set.empty() ? "" : ", ").append(name).append(" = ?");
    return "UPDATE runs SET " + set + " WHERE run_id = ?";
  }();
  WriteTransaction tx(*db_);
  Statement& update = db_->cached(sql);
  int index = 1;
  for (auto name : kFinal)
    bind_value(update, index++, field_named(run_fields(), name).get(run));
  update.bind(index, run.run_id).run();
  if (run.prepare)
    insert_prepare(row_id(run.run_id), *run.prepare);
  tx.commit();
}

void Store::insert_prepare(int64_t run, const PrepareRecord& p) {
  static const std::string sql = "INSERT INTO prepares (run, " + column_list(prepare_fields()) +
                                 ") VALUES (?, " + placeholders(prepare_fields().size()) +
                                 ") ON CONFLICT (run) DO UPDATE SET " +
                                 replace_all(prepare_fields());
  Statement& prepare = db_->cached(sql);
  prepare.bind(1, run);
  bind_fields(prepare, 2, prepare_fields(), p);
  prepare.run();
}

std::string Store::where_clause(const RunFilter& filter, std::vector<std::string>& values) {
  std::string sql = " WHERE 1 = 1";
  if (filter.pipeline) {
    sql += " AND runs.pipeline = ?";
    values.push_back(*filter.pipeline);
  }
  if (filter.mode) {
    sql += " AND runs.mode = ?";
    values.emplace_back(to_string(*filter.mode));
  }
  if (filter.complete_only) {
    sql += " AND runs.status <> ?";
    values.emplace_back(to_string(RunStatus::Incomplete));
  }
  if (filter.run_id) {
    sql += " AND runs.run_id = ?";
    values.push_back(*filter.run_id);
  }
  for (const auto& [key, value] : filter.labels) {
    sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.run = runs.id AND l.key = ? AND "
           "l.value = ?)";
    values.push_back(key);
    values.push_back(value);
  }
  if (filter.tag_set && filter.tag_set->empty())
    sql += " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.run = runs.id AND l.key = 'tags')";
  else if (filter.tag_set) {
    sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.run = runs.id AND l.key = 'tags' AND "
           "l.value = ?)";
    values.push_back(*filter.tag_set);
  }
  if (filter.host_class_of) { // host_class(): memory to the nearest GiB, the rest as they are
    const HostInfo& h = *filter.host_class_of;
    sql += " AND (runs.cpu_model = '' OR (runs.cpu_model = ? AND runs.cpus = CAST(? AS INTEGER) "
           "AND runs.virtualization = ? AND (runs.memory_bytes + 536870912) / 1073741824 = "
           "CAST(? AS INTEGER)))";
    values.push_back(h.cpu_model);
    values.push_back(std::to_string(h.cpus));
    values.push_back(h.virtualization);
    values.push_back(std::to_string((h.memory_bytes + (int64_t{1} << 29)) >> 30));
  }
  if (filter.since) {
    std::string stamp = *filter.since;
    bool is_time =
        stamp.size() >= 10 && std::isdigit(static_cast<unsigned char>(stamp[0])) && stamp[4] == '-';
    if (is_time) {
      stamp = normal_time(stamp, "--since");
    } else { // a run id: the runs that started after it
      auto run = load_run(stamp);
      if (!run)
        throw UsageError("--since: no run '" + stamp + "' in " + display_);
      stamp = run->started_at;
    }
    sql += " AND runs.started_at > ?";
    values.push_back(stamp);
  }
  if (filter.until) {
    sql += " AND runs.started_at <= ?";
    values.push_back(normal_time(*filter.until, "until"));
  }
  return sql;
}

std::string Store::runs_query(const RunFilter& filter, std::vector<std::string>& values) {
  std::string sql = "SELECT " + run_columns() + " FROM runs" + where_clause(filter, values) +
                    " ORDER BY id DESC"; // newest = last recorded: an imported stamp may lie
  if (filter.limit)
    sql += " LIMIT " + std::to_string(*filter.limit);
  return sql;
}

std::vector<RunRecord> Store::list_runs(const RunFilter& filter) {
  std::vector<std::string> values;
  std::string query = runs_query(filter, values);
  auto stmt = db_->prepare(query);
  bind_all(stmt, values);
  std::vector<RunRecord> runs;
  std::unordered_map<int64_t, size_t> index_of; // row id → position in runs
  while (stmt.step()) {
    index_of.emplace(stmt.integer(0), runs.size());
    runs.push_back(read_run_row(stmt));
  }
  if (runs.empty())
    return runs;
  // Every selected run's labels in one query, not one per run: `changes` lists 50,000 runs.
  auto labels = db_->prepare("SELECT labels.run, labels.key, labels.value FROM labels JOIN (" +
                             query + ") selected ON labels.run = selected.id");
  bind_all(labels, values);
  while (labels.step())
    runs[index_of.at(labels.integer(0))].labels[labels.text(1)] = labels.text(2);
  return runs;
}

size_t Store::count_runs(const RunFilter& filter) {
  std::vector<std::string> values;
  auto stmt = db_->prepare("SELECT COUNT(*) FROM (" + runs_query(filter, values) + ") selected");
  bind_all(stmt, values);
  return stmt.step() ? static_cast<size_t>(stmt.integer(0)) : 0;
}

std::optional<RunRecord> Store::load_run(const std::string& id_or_prefix) {
  auto stmt = db_->prepare("SELECT " + run_columns() +
                           " FROM runs WHERE run_id = ?1 OR substr(run_id, 1, length(?1)) = ?1 "
                           "ORDER BY run_id = ?1 DESC LIMIT 2");
  stmt.bind(1, id_or_prefix);
  if (!stmt.step())
    return std::nullopt;
  int64_t id = stmt.integer(0);
  RunRecord run = read_run_row(stmt);
  if (run.run_id != id_or_prefix && stmt.step())
    throw UsageError("run id prefix '" + id_or_prefix + "' is ambiguous");
  DetailQueries queries(*db_);
  load_run_details(id, run, queries);
  return run;
}

void Store::for_each_run(const RunFilter& filter, const std::function<void(RunRecord&)>& visit) {
  std::vector<std::string> values;
  auto stmt = db_->prepare(runs_query(filter, values));
  bind_all(stmt, values);
  DetailQueries queries(*db_);
  while (stmt.step()) {
    RunRecord run = read_run_row(stmt);
    load_run_details(stmt.integer(0), run, queries);
    visit(run);
  }
}

void Store::load_service_costs(Statement& q, int64_t id, RunRecord& run) {
  q.reset();
  q.bind(1, id);
  while (q.step()) {
    int64_t index = q.integer(0);
    auto phase = index >= 0 && index < static_cast<int64_t>(run.phases.size()) &&
                         run.phases[static_cast<size_t>(index)].index == index
                     ? run.phases.begin() + index
                     : std::find_if(run.phases.begin(), run.phases.end(),
                                    [&](const PhaseRecord& p) { return p.index == index; });
    if (phase == run.phases.end())
      continue;
    ServiceCost& c = phase->services.emplace_back();
    c.service = static_cast<int>(q.integer(1));
    c.name = q.text(2);
    c.user_s = q.real(3);
    c.sys_s = q.real(4);
    if (!q.is_null(5)) {
      c.pressure.emplace();
      for (int i = 0; i < Pressure::kFigures; ++i)
        c.pressure->figure(i) = q.real(5 + i);
    }
  }
}

void Store::load_tests(Statement& q, int64_t id, RunRecord& run) {
  q.reset();
  q.bind(1, id);
  while (q.step()) {
    int64_t index = q.integer(0);
    auto phase = std::find_if(run.phases.begin(), run.phases.end(),
                              [&](const PhaseRecord& p) { return p.index == index; });
    if (phase == run.phases.end())
      continue;
    TestCaseRecord& t = phase->tests.emplace_back();
    t.name = q.text(1);
    auto status = parse_enum<PhaseStatus>(q.text(2));
    if (!status)
      throw StoreError("phase_tests.status holds an unknown value '" + q.text(2) + "'");
    t.status = *status;
    t.start_s = q.real(3);
    t.wall_s = q.real(4);
    t.message = q.text(5);
  }
}

void Store::load_run_details(int64_t id, RunRecord& run, DetailQueries& q) {
  q.labels.reset();
  q.labels.bind(1, id);
  while (q.labels.step())
    run.labels[q.labels.text(0)] = q.labels.text(1);
  q.phases.reset();
  q.phases.bind(1, id);
  while (q.phases.step())
    read_fields(q.phases, 0, phase_fields(), run.phases.emplace_back());
  for (auto& p : run.phases)
    if (p.kind == PhaseKind::Wait)
      p.probe = load_wait(q, id, p.index);
  q.metrics.reset();
  q.metrics.bind(1, id);
  while (q.metrics.step())
    for (auto& p : run.phases)
      if (p.index == q.metrics.integer(0))
        p.metrics.push_back({q.metrics.text(1), q.metrics.real(2), q.metrics.text(3)});
  load_service_costs(q.services, id, run);
  load_tests(q.tests, id, run);
  q.prepare.reset();
  q.prepare.bind(1, id);
  if (q.prepare.step())
    read_fields(q.prepare, 0, prepare_fields(), run.prepare.emplace());
}

} // namespace ciperf
