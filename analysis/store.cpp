#include "analysis/store.hpp"

#include "analysis/sqlite_db.hpp"
#include "analysis/store_schema.hpp"
#include "common/errors.hpp"

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
    } catch (const SqliteError&) {
      if (attempt == 200)
        throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(5 + attempt));
    }
  }
}

constexpr const char* kRunColumns =
    "id, run_id, pipeline, pipeline_file, mode, status, started_at, coalesce(finished_at, ''), "
    "coalesce(wall_s, 0), coalesce(deploys, 0), expected_deploys, coalesce(hostname, ''), "
    "coalesce(cpus, 0), coalesce(memory_bytes, 0), coalesce(kernel, ''), run_dir";

RunRecord read_run_row(const Statement& s) {
  RunRecord run;
  run.run_id = s.text(1);
  run.pipeline = s.text(2);
  run.pipeline_file = s.text(3);
  run.mode = s.text(4);
  run.status = s.text(5);
  run.started_at = s.text(6);
  run.finished_at = s.text(7);
  run.wall_s = s.real(8);
  run.deploys = static_cast<int>(s.integer(9));
  if (!s.is_null(10))
    run.expected_deploys = static_cast<int>(s.integer(10));
  run.host = {s.text(11), static_cast<int>(s.integer(12)), s.integer(13), s.text(14)};
  run.run_dir = s.text(15);
  return run;
}

void bind_all(Statement& stmt, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
}

std::optional<int> optional_int(const Statement& s, int column) {
  if (s.is_null(column))
    return std::nullopt;
  return static_cast<int>(s.integer(column));
}

PhaseRecord read_phase_row(const Statement& s) {
  PhaseRecord p;
  p.index = static_cast<int>(s.integer(0));
  p.name = s.text(1);
  p.kind = s.text(2);
  p.tier = s.text(3);
  p.status = s.text(4);
  p.exit_code = optional_int(s, 5);
  p.signal = optional_int(s, 6);
  p.background = s.integer(7) != 0;
  p.always = s.integer(8) != 0;
  p.start_s = s.real(9);
  p.wall_s = s.real(10);
  p.user_s = s.real(11);
  p.sys_s = s.real(12);
  p.max_rss_bytes = s.integer(13);
  p.read_bytes = s.integer(14);
  p.write_bytes = s.integer(15);
  if (!s.is_null(16))
    p.pressure = Pressure{s.real(16), s.real(17), s.real(18), s.real(19), s.real(20), s.real(21)};
  if (!s.is_null(22))
    p.budget_s = s.real(22);
  p.over_budget = s.integer(23) != 0;
  p.log = s.text(24);
  p.message = s.text(25);
  return p;
}

} // namespace

void bind_pressure(Statement& stmt, int first, const std::optional<Pressure>& p) {
  auto bind = [&](int offset, double Pressure::*field) {
    p ? stmt.bind(first + offset, (*p).*field) : stmt.bind_null(first + offset);
  };
  bind(0, &Pressure::cpu_some_s);
  bind(1, &Pressure::cpu_full_s);
  bind(2, &Pressure::io_some_s);
  bind(3, &Pressure::io_full_s);
  bind(4, &Pressure::memory_some_s);
  bind(5, &Pressure::memory_full_s);
}

std::string resolve_store_path(const std::string& flag_value) {
  if (!flag_value.empty())
    return flag_value;
  if (const char* env = std::getenv("CIPERF_STORE"); env && *env)
    return env;
  return kDefaultStore;
}

Store::Store(const std::string& path) : path_(path) {
  check_directory(path, path == kDefaultStore);
  try {
    db_ = std::make_unique<Database>(path, true);
    enable_wal(*db_);
    db_->exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    migrate(*db_);
  } catch (const SqliteError& e) {
    throw UsageError("store " + path + ": " + e.what());
  }
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

void Store::begin_run(const RunRecord& run) {
  WriteTransaction tx(*db_);
  auto insert =
      db_->prepare("INSERT INTO runs (run_id, pipeline, pipeline_file, mode, status, started_at, "
                   "expected_deploys, hostname, cpus, memory_bytes, kernel, run_dir) "
                   "VALUES (?, ?, ?, ?, 'incomplete', ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, run.run_id).bind(2, run.pipeline).bind(3, run.pipeline_file).bind(4, run.mode);
  insert.bind(5, run.started_at).bind(6, run.expected_deploys).bind(7, run.host.hostname);
  insert.bind(8, run.host.cpus).bind(9, run.host.memory_bytes).bind(10, run.host.kernel);
  insert.bind(11, run.run_dir).run();
  int64_t id = db_->last_insert_rowid();
  auto label = db_->prepare("INSERT INTO labels (run, key, value) VALUES (?, ?, ?)");
  for (const auto& [key, value] : run.labels) {
    label.bind(1, id).bind(2, key).bind(3, value).run();
    label.reset();
  }
  tx.commit();
}

int64_t Store::row_id(const std::string& run_id) {
  auto stmt = db_->prepare("SELECT id FROM runs WHERE run_id = ?");
  stmt.bind(1, run_id);
  if (!stmt.step())
    throw SqliteError("run " + run_id + " is not in the store");
  return stmt.integer(0);
}

void Store::record_phase(const std::string& run_id, const PhaseRecord& p) {
  WriteTransaction tx(*db_);
  int64_t run = row_id(run_id);
  auto insert = db_->prepare(
      "INSERT OR REPLACE INTO phases (run, idx, name, kind, tier, status, exit_code, signal, "
      "background, always, start_s, wall_s, user_s, sys_s, max_rss_bytes, read_bytes, "
      "write_bytes, cpu_some_s, cpu_full_s, io_some_s, io_full_s, memory_some_s, memory_full_s, "
      "budget_s, over_budget, log, message) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, run).bind(2, p.index).bind(3, p.name).bind(4, p.kind).bind(5, p.tier);
  insert.bind(6, p.status).bind(7, p.exit_code).bind(8, p.signal);
  insert.bind(9, p.background ? 1 : 0).bind(10, p.always ? 1 : 0);
  insert.bind(11, p.start_s).bind(12, p.wall_s).bind(13, p.user_s).bind(14, p.sys_s);
  insert.bind(15, p.max_rss_bytes).bind(16, p.read_bytes).bind(17, p.write_bytes);
  bind_pressure(insert, 18, p.pressure);
  insert.bind(24, p.budget_s).bind(25, p.over_budget ? 1 : 0).bind(26, p.log);
  insert.bind(27, p.message).run();
  auto metric = db_->prepare(
      "INSERT OR REPLACE INTO metrics (run, phase_idx, name, value, unit) VALUES (?,?,?,?,?)");
  for (const auto& m : p.metrics) {
    metric.bind(1, run).bind(2, p.index).bind(3, m.name).bind(4, m.value).bind(5, m.unit).run();
    metric.reset();
  }
  tx.commit();
}

void Store::finish_run(const RunRecord& run) {
  WriteTransaction tx(*db_);
  auto update = db_->prepare("UPDATE runs SET status = ?, finished_at = ?, wall_s = ?, "
                             "deploys = ? WHERE run_id = ?");
  update.bind(1, run.status).bind(2, run.finished_at).bind(3, run.wall_s).bind(4, run.deploys);
  update.bind(5, run.run_id).run();
  if (run.prepare) {
    auto prepare = db_->prepare(
        "INSERT OR REPLACE INTO prepares (run, status, exit_code, wall_s, log) VALUES (?,?,?,?,?)");
    prepare.bind(1, row_id(run.run_id)).bind(2, run.prepare->status);
    prepare.bind(3, run.prepare->exit_code).bind(4, run.prepare->wall_s);
    prepare.bind(5, run.prepare->log).run();
  }
  tx.commit();
}

std::string Store::where_clause(const RunFilter& filter, std::vector<std::string>& values) {
  std::string sql = " WHERE 1";
  if (filter.pipeline) {
    sql += " AND runs.pipeline = ?";
    values.push_back(*filter.pipeline);
  }
  if (filter.mode) {
    sql += " AND runs.mode = ?";
    values.push_back(*filter.mode);
  }
  if (filter.complete_only)
    sql += " AND runs.status <> 'incomplete'";
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
  if (filter.since) {
    std::string stamp = *filter.since;
    bool is_time =
        stamp.size() >= 10 && std::isdigit(static_cast<unsigned char>(stamp[0])) && stamp[4] == '-';
    if (!is_time) { // a run id: the runs that started after it
      auto run = load_run(stamp);
      if (!run)
        throw UsageError("--since: no run '" + stamp + "' in " + path_);
      stamp = run->started_at;
    }
    sql += " AND runs.started_at > ?";
    values.push_back(stamp);
  }
  if (filter.until) {
    sql += " AND runs.started_at <= ?";
    values.push_back(*filter.until);
  }
  return sql;
}

std::string Store::runs_query(const RunFilter& filter, std::vector<std::string>& values) {
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs" +
                    where_clause(filter, values) + " ORDER BY started_at DESC, id DESC";
  if (filter.limit)
    sql += " LIMIT " + std::to_string(*filter.limit);
  return sql;
}

std::vector<RunRecord> Store::list_runs(const RunFilter& filter) {
  std::vector<std::string> values;
  auto stmt = db_->prepare(runs_query(filter, values));
  bind_all(stmt, values);
  std::vector<RunRecord> runs;
  auto labels = db_->prepare("SELECT key, value FROM labels WHERE run = ? ORDER BY key");
  while (stmt.step()) {
    runs.push_back(read_run_row(stmt));
    labels.bind(1, stmt.integer(0));
    while (labels.step())
      runs.back().labels[labels.text(0)] = labels.text(1);
    labels.reset();
  }
  return runs;
}

// The statements that load one run's details, prepared once for a whole export.
struct Store::DetailQueries {
  explicit DetailQueries(Database& db)
      : labels(db.prepare("SELECT key, value FROM labels WHERE run = ?")),
        phases(db.prepare(
            "SELECT idx, name, kind, tier, status, exit_code, signal, background, always, "
            "start_s, wall_s, user_s, sys_s, max_rss_bytes, read_bytes, write_bytes, cpu_some_s, "
            "cpu_full_s, io_some_s, io_full_s, memory_some_s, memory_full_s, budget_s, "
            "over_budget, log, message FROM phases WHERE run = ? ORDER BY idx")),
        metrics(db.prepare("SELECT phase_idx, name, value, unit FROM metrics WHERE run = ? "
                           "ORDER BY phase_idx, name")),
        prepare(db.prepare("SELECT status, exit_code, wall_s, log FROM prepares WHERE run = ?")),
        wait(db.prepare("SELECT id, outcome, elapsed_s, ready_s, attempts, http_requests, "
                        "attempts_saved, relaxed_until_s FROM waits WHERE run = ? AND "
                        "phase_idx = ? ORDER BY id DESC LIMIT 1")),
        targets(db.prepare("SELECT target, kind, fail_if, attempts, first_success_s, "
                           "last_failure, marks FROM wait_targets WHERE wait = ? ORDER BY idx")) {}
  Statement labels, phases, metrics, prepare, wait, targets;
};

std::optional<RunRecord> Store::load_run(const std::string& id_or_prefix) {
  auto stmt = db_->prepare(std::string("SELECT ") + kRunColumns +
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

void Store::load_run_details(int64_t id, RunRecord& run, DetailQueries& q) {
  q.labels.reset();
  q.labels.bind(1, id);
  while (q.labels.step())
    run.labels[q.labels.text(0)] = q.labels.text(1);
  q.phases.reset();
  q.phases.bind(1, id);
  while (q.phases.step())
    run.phases.push_back(read_phase_row(q.phases));
  for (auto& p : run.phases)
    if (p.kind == "wait")
      p.probe = load_wait(q, id, p.index);
  q.metrics.reset();
  q.metrics.bind(1, id);
  while (q.metrics.step())
    for (auto& p : run.phases)
      if (p.index == q.metrics.integer(0))
        p.metrics.push_back({q.metrics.text(1), q.metrics.real(2), q.metrics.text(3)});
  q.prepare.reset();
  q.prepare.bind(1, id);
  if (q.prepare.step())
    run.prepare = PrepareRecord{q.prepare.text(0), optional_int(q.prepare, 1), q.prepare.real(2),
                                q.prepare.text(3)};
}

} // namespace ciperf

namespace ciperf {
namespace {

std::string encode_marks(const std::vector<AttemptMark>& marks) {
  std::string out;
  for (const auto& m : marks)
    out += fmt::format("{}{}{:.6f}", out.empty() ? "" : " ", m.ok ? "+" : "", m.at_s);
  return out;
}

std::vector<AttemptMark> decode_marks(const std::string& text) {
  std::vector<AttemptMark> marks;
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    bool ok = *p == '+';
    double at = std::strtod(p + (ok ? 1 : 0), &end);
    if (end == p)
      break;
    marks.push_back({at, ok});
    p = end;
    while (*p == ' ')
      ++p;
  }
  return marks;
}

} // namespace

void Store::insert_wait(const std::string& key, const WaitRecord& w, const std::string& recorded_at,
                        std::optional<int64_t> run, int phase_index) {
  auto insert = db_->prepare(
      "INSERT INTO waits (key, run, phase_idx, recorded_at, outcome, elapsed_s, ready_s, "
      "attempts, http_requests, attempts_saved, relaxed_until_s) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, key).bind(2, run);
  phase_index >= 0 ? insert.bind(3, phase_index) : insert.bind_null(3);
  insert.bind(4, recorded_at).bind(5, w.outcome).bind(6, w.elapsed_s).bind(7, w.ready_s);
  insert.bind(8, w.attempts).bind(9, w.http_requests).bind(10, w.attempts_saved);
  insert.bind(11, w.relaxed_until_s).run();
  int64_t id = db_->last_insert_rowid();
  auto target =
      db_->prepare("INSERT INTO wait_targets (wait, idx, target, kind, fail_if, "
                   "attempts, first_success_s, last_failure, marks) VALUES (?,?,?,?,?,?,?,?,?)");
  for (size_t i = 0; i < w.targets.size(); ++i) {
    const auto& t = w.targets[i];
    target.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, t.target).bind(4, t.kind);
    target.bind(5, t.fail_if ? 1 : 0).bind(6, t.attempts).bind(7, t.first_success_s);
    target.bind(8, t.last_failure).bind(9, encode_marks(t.marks)).run();
    target.reset();
  }
}

void Store::record_wait(const std::string& key, const WaitRecord& wait,
                        const std::string& recorded_at, const std::string& run_id,
                        int phase_index) {
  WriteTransaction tx(*db_);
  std::optional<int64_t> run;
  if (!run_id.empty())
    run = row_id(run_id);
  insert_wait(key, wait, recorded_at, run, phase_index);
  tx.commit();
}

std::optional<double> Store::earliest_ready(const std::string& key, int window) {
  auto stmt = db_->prepare("SELECT min(ready_s) FROM (SELECT ready_s FROM waits WHERE key = ? "
                           "AND outcome = 'ready' ORDER BY id DESC LIMIT ?)");
  stmt.bind(1, key).bind(2, window);
  if (!stmt.step() || stmt.is_null(0))
    return std::nullopt;
  return stmt.real(0);
}

std::optional<WaitRecord> Store::load_wait(DetailQueries& q, int64_t run, int phase_index) {
  Statement& stmt = q.wait;
  stmt.reset();
  stmt.bind(1, run).bind(2, phase_index);
  if (!stmt.step())
    return std::nullopt;
  WaitRecord w;
  w.outcome = stmt.text(1);
  w.elapsed_s = stmt.real(2);
  if (!stmt.is_null(3))
    w.ready_s = stmt.real(3);
  w.attempts = static_cast<int>(stmt.integer(4));
  w.http_requests = static_cast<int>(stmt.integer(5));
  w.attempts_saved = static_cast<int>(stmt.integer(6));
  if (!stmt.is_null(7))
    w.relaxed_until_s = stmt.real(7);
  Statement& targets = q.targets;
  targets.reset();
  targets.bind(1, stmt.integer(0));
  while (targets.step()) {
    WaitTargetRecord t{targets.text(0),
                       targets.text(1),
                       targets.integer(2) != 0,
                       static_cast<int>(targets.integer(3)),
                       std::nullopt,
                       targets.text(5),
                       decode_marks(targets.text(6))};
    if (!targets.is_null(4))
      t.first_success_s = targets.real(4);
    w.targets.push_back(t);
  }
  return w;
}

} // namespace ciperf
