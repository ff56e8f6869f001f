#include "store/pg_db.hpp"

#include "common/text_escape.hpp"
#include "store/pg_copy_binary.hpp"
#include "store/sql_dialect.hpp"
#include "store/store.hpp"
#include "store/store_location.hpp"

#include <charconv>
#include <cstdlib>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <map>
#include <type_traits>
#include <utility>
#include <vector>

namespace ciperf {
namespace {

// Rows per FETCH: a million-row query streams through a few thousand at a time.
constexpr int kFetchRows = 5000;
constexpr const char* kDefaultConnectTimeout = "10";
// Rows decoded between two reads of what a FETCH read ahead has sent (a few socket buffers' worth
// of phase rows arrive between two).
constexpr int kDrainEvery = 256;

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

class PgDatabase;

// libpq's messages run over lines ("failed: No such file or directory\n\tIs the server running
// …?", a server's DETAIL and HINT): one line each, or the terminal shows the escapes.
std::string one_line(std::string_view message) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] != '\n') {
      out.push_back(message[i]);
      continue;
    }
    while (i + 1 < message.size() && (message[i + 1] == '\t' || message[i + 1] == ' '))
      ++i;
    out.push_back(' ');
  }
  return out;
}

// A statement over one connection, sent in libpq's pipeline mode. A query is read through a
// server-side cursor, FETCHed kFetchRows at a time, so several queries can be stepped through at
// once on one connection (a run's details while the runs stream) and none is held whole in memory.
class PgStatement final : public StatementImpl {
public:
  PgStatement(PgDatabase& db, std::string_view sql);
  ~PgStatement() override;
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  // Values go as text, untyped: the server reads each as its place asks (a BIGINT column,
  // CAST(? AS INTEGER), a LIMIT).
  void bind_text(int index, std::string_view value) override {
    set(index, valid_utf8(value)); // the server refuses invalid UTF-8; SQLite keeps it
  }
  void bind_integer(int index, int64_t value) override { set(index, std::to_string(value)); }
  void bind_real(int index, double value) override { set(index, fmt::format("{}", value)); }
  void bind_null(int index) override {
    check_index(index);
    null_[static_cast<size_t>(index - 1)] = true;
  }
  bool step() override;
  void reset() override;
  void text_into(int column, std::string& out) const override {
    const char* v = PQgetvalue(result_.get(), row_, column);
    out.assign(v, static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }
  int64_t integer(int column) const override { return number<int64_t>(column); }
  double real(int column) const override { return number<double>(column); }
  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }

private:
  // std::from_chars (fast_float in libstdc++ 12): strtod and strtoll were a third of ciperf's
  // time decoding a million phase rows. What it refuses (out of range) reads as strtod would.
  template <typename T> T number(int column) const {
    const char* text = PQgetvalue(result_.get(), row_, column);
    const char* end = text + PQgetlength(result_.get(), row_, column);
    T value{};
    if (std::from_chars(text, end, value).ec == std::errc())
      return value;
    if constexpr (std::is_floating_point_v<T>)
      return std::strtod(text, nullptr);
    else
      return std::strtoll(text, nullptr, 10);
  }
  void check_index(int index) const;
  void set(int index, std::string value) {
    check_index(index);
    auto i = static_cast<size_t>(index - 1);
    values_[i] = std::move(value);
    null_[i] = false;
  }
  std::vector<const char*> values() const;
  void fetch();
  void close_cursor();
  friend class PgDatabase; // hands a FETCH read ahead to the statement it belongs to

  PgDatabase& db_;
  PostgresSql sql_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  Result result_;
  int row_ = -1;
  bool started_ = false;
  bool exhausted_ = false; // the cursor gave its last rows
  std::string cursor_;     // open while not empty
  // The next batch, read ahead while this one was decoded (see PgDatabase::read_ahead).
  Result ahead_;
  std::string ahead_error_;
  bool ahead_ready_ = false;
  unsigned generation_ = 0;
  std::string prepared_; // the server-side statement of a write, once parsed
  unsigned prepared_at_ = 0;
};

class PgDatabase final : public Database {
public:
  PgDatabase(PGconn* conn, std::vector<std::string> secrets)
      : conn_(conn), secrets_(std::move(secrets)) {}
  ~PgDatabase() override {
    closing_ = true;
    drop_cached();
    PQfinish(conn_);
  }

  void exec(std::string_view sql) override {
    PostgresSql pg = to_postgres(sql);
    if (pg.text.empty())
      return;
    settle();
    sync();
    check(Result(PQexec(conn_, pg.text.c_str())), "executing statement");
  }
  Statement prepare(std::string_view sql) override {
    return Statement(std::make_unique<PgStatement>(*this, sql));
  }
  Statement row_writer(const std::string& table, const std::vector<std::string>& columns) override;
  void begin_write() override {
    if (read_open_) // a cursor's read transaction becomes the write transaction
      read_open_ = false;
    else
      send("BEGIN"); // with the transaction's first statement: no round trip of its own
    in_write_ = true;
  }
  void commit() override {
    end_transaction();
    send("COMMIT");
    sync();
  }
  void rollback() override {
    end_transaction();
    try {
      sync(); // a failed statement's error is already on its way; the rollback is what matters
    } catch (const std::exception&) { // StoreUnavailable too: the ROLLBACK below then says so
    }
    send("ROLLBACK");
    sync();
  }
  void lock_schema() override {
    send(postgres_migration_lock());
    sync();
  }
  int schema_version() override {
    auto exists = prepare(kPostgresVersionTableExists);
    if (!exists.step() || exists.text(0) != "t")
      return 0;
    exists.reset();
    auto version = prepare(kPostgresVersionQuery);
    return version.step() ? static_cast<int>(version.integer(0)) : 0;
  }
  void set_schema_version(int version) override { exec(postgres_set_version(version)); }
  bool is_postgres() const override { return true; }

  PGconn* conn() const { return conn_; }
  bool in_write() const { return in_write_; }
  unsigned generation() const { return generation_; }
  // Queues a statement without waiting for it (libpq's pipeline mode): inside a write
  // transaction the per-phase inserts go out back to back, their results read at the next
  // sync(), so a batch of phases costs a round trip, not one per row.
  void send(const std::string& sql, const std::vector<const char*>& values = {}) {
    settle();
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      fail("entering pipeline mode: " + scrub(PQerrorMessage(conn_)));
    if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0) != 1)
      fail("sending statement: " + scrub(PQerrorMessage(conn_)));
    ++pending_;
  }
  // A write's server-side statement: parsed once per connection, its plan reused per row (the
  // parse was most of the server's time per phase row). Returns its name.
  std::string send_prepare(const std::string& sql, int parameters) {
    std::string name = "ciperf_s" + std::to_string(++statements_made_);
    settle();
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      fail("entering pipeline mode: " + scrub(PQerrorMessage(conn_)));
    if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), parameters, nullptr) != 1)
      fail("sending statement: " + scrub(PQerrorMessage(conn_)));
    ++pending_;
    return name;
  }
  void send_prepared(const std::string& name, const std::vector<const char*>& values) {
    settle();
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      fail("entering pipeline mode: " + scrub(PQerrorMessage(conn_)));
    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                            nullptr, nullptr, 0) != 1)
      fail("sending statement: " + scrub(PQerrorMessage(conn_)));
    ++pending_;
  }
  // Rows in COPY's text format into the table `copy_sql` names (COPY … FROM STDIN). COPY is not
  // allowed in pipeline mode: the statements queued before it are waited for first.
  void copy_in(const std::string& copy_sql, std::string_view rows) {
    settle();
    sync();
    Result start(PQexec(conn_, copy_sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN)
      check(std::move(start), "starting to copy rows");
    if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1)
      fail("sending rows: " + scrub(PQerrorMessage(conn_)));
    Result end(PQgetResult(conn_));
    while (PGresult* more = PQgetResult(conn_))
      PQclear(more);
    check(std::move(end), "copying rows");
  }
  // Bumped by every failed sync: a statement parsed before it may not exist on the server.
  unsigned failures() const { return failures_; }
  bool closing() const { return closing_; }
  // Waits for every queued statement; returns the last one's result and throws the first
  // error, with the server's message.
  Result sync() {
    settle();
    if (pending_ == 0)
      return {};
    int pending = pending_;
    pending_ = 0;
    if (PQpipelineSync(conn_) != 1)
      fail("sending statements: " + scrub(PQerrorMessage(conn_)));
    Result last;
    std::string error;
    for (int i = 0; i < pending; ++i) {
      Result r(PQgetResult(conn_));
      if (!r) { // the connection is gone
        error = error.empty() ? scrub(PQerrorMessage(conn_)) : error;
        break;
      }
      while (PGresult* end = PQgetResult(conn_)) // each statement's results end with a null
        PQclear(end);
      auto status = PQresultStatus(r.get());
      if (status == PGRES_FATAL_ERROR && error.empty())
        error = scrub(PQresultErrorMessage(r.get()));
      last = std::move(r);
    }
    Result(PQgetResult(conn_)); // the sync's own PGRES_PIPELINE_SYNC
    PQexitPipelineMode(conn_);
    if (!error.empty()) {
      ++failures_;
      fail("executing statement: " + error);
    }
    return last;
  }
  // Throws StoreError with the server's message unless `r` succeeded.
  void check(Result r, std::string_view what) const {
    auto status = PQresultStatus(r.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      return;
    const char* message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_);
    fail(fmt::format("{}: {}", what, scrub(message)));
  }
  // A statement that failed because the connection is gone (the server restarted, the backend
  // was terminated, the network dropped) is the store being unavailable, not a bad statement:
  // a run then keeps its record in the spool instead of leaving it incomplete here.
  [[noreturn]] void fail(const std::string& message) const {
    if (PQstatus(conn_) == CONNECTION_BAD)
      throw StoreUnavailable("lost the connection to the PostgreSQL store: " + message);
    throw StoreError(message);
  }
  std::string scrub(std::string message) const {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    for (const auto& secret : secrets_)
      for (size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at))
        message.replace(at, secret.size(), "***");
    return one_line(message);
  }
  std::string next_cursor_name() { return "ciperf_c" + std::to_string(++cursors_made_); }
  // Cursors live in a transaction: outside a write one, the first to open begins a read
  // transaction and the last to close ends it, so no connection idles in a transaction.
  void cursor_opening() {
    settle();
    if (!in_write_ && open_cursors_ == 0) {
      send("BEGIN");
      read_open_ = true;
    }
    ++open_cursors_;
  }
  void cursor_closed(const std::string& name) {
    settle();
    if (open_cursors_ > 0)
      --open_cursors_;
    bool failed = PQtransactionStatus(conn_) == PQTRANS_INERROR;
    if (read_open_ && open_cursors_ == 0) {
      read_open_ = false;
      if (!failed)
        send("CLOSE " + name);
      send(failed ? "ROLLBACK" : "COMMIT");
      sync();
    } else if (!failed) {
      send("CLOSE " + name); // goes out with the next statement that waits
    }
  }

  // The types of a table's columns, as binary rows need them: read from the catalog once per
  // table and connection.
  std::vector<PgColumn> column_types(const std::string& table,
                                     const std::vector<std::string>& columns) {
    auto& known = column_types_[table];
    if (known.empty()) {
      auto stmt =
          prepare("SELECT attname, CAST(atttypid AS BIGINT) FROM pg_catalog.pg_attribute "
                  "WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped");
      stmt.bind(1, table);
      while (stmt.step())
        known.emplace(stmt.text(0), static_cast<uint32_t>(stmt.integer(1)));
    }
    std::vector<PgColumn> out;
    for (const auto& name : columns) {
      auto it = known.find(name);
      PgColumnType type{};
      if (it == known.end() || !pg_column_type(it->second, type)) {
        column_types_.erase(table); // a migration may have added it since: look again next time
        throw StoreError(fmt::format("bulk writes into {} cannot write column {}", table, name));
      }
      out.push_back({name, type});
    }
    return out;
  }
  // A cursor's next FETCH, sent before its current batch is decoded so that the server makes
  // the next rows while ciperf reads these: the two took turns, and a million phase rows cost
  // the client's time plus the server's. Only when nothing else is queued; any other use of the
  // connection first collects it (settle). Returns whether it was sent.
  bool read_ahead(PgStatement& statement, const std::string& fetch_sql) {
    if (ahead_of_ || pending_ != 0)
      return false;
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
      fail("entering pipeline mode: " + scrub(PQerrorMessage(conn_)));
    if (PQsendQueryParams(conn_, fetch_sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) !=
            1 ||
        PQpipelineSync(conn_) != 1)
      fail("sending statement: " + scrub(PQerrorMessage(conn_)));
    ahead_of_ = &statement;
    return true;
  }
  // Hands the FETCH read ahead, if one is out, to its statement: its rows or its error, which
  // is the statement's to throw when it wants the rows, not the caller's.
  void settle() {
    if (!ahead_of_)
      return;
    PgStatement& statement = *std::exchange(ahead_of_, nullptr);
    statement.ahead_ready_ = true;
    Result r(PQgetResult(conn_));
    if (!r) { // the connection is gone
      statement.ahead_error_ = scrub(PQerrorMessage(conn_));
      return;
    }
    while (PGresult* end = PQgetResult(conn_)) // the FETCH's results end with a null
      PQclear(end);
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) {
      statement.ahead_ = std::move(r);
    } else {
      ++failures_;
      const char* message = PQresultErrorMessage(r.get());
      statement.ahead_error_ = scrub(*message ? message : "the read ahead failed");
    }
    Result(PQgetResult(conn_)); // the sync's own PGRES_PIPELINE_SYNC
    PQexitPipelineMode(conn_);
  }
  // Reads what has come of a FETCH read ahead into libpq's buffer, without waiting: the server
  // blocks once the socket's buffer (about 200 KB) is full, long before a batch is complete.
  void drain_ahead() {
    if (ahead_of_)
      PQconsumeInput(conn_);
  }
  // The statement no longer wants what it read ahead (it closed, reset or went away).
  void forget_ahead(PgStatement& statement) {
    if (ahead_of_ == &statement)
      settle();
    statement.ahead_.reset();
    statement.ahead_error_.clear();
    statement.ahead_ready_ = false;
  }

private:
  void end_transaction() {
    in_write_ = false;
    open_cursors_ = 0; // a transaction's end closes its cursors
    ++generation_;
  }

  PGconn* conn_;
  std::vector<std::string> secrets_;
  bool in_write_ = false;
  bool read_open_ = false;
  int open_cursors_ = 0;
  int pending_ = 0;
  unsigned generation_ = 0;
  unsigned failures_ = 0;
  uint64_t statements_made_ = 0;
  bool closing_ = false;
  uint64_t cursors_made_ = 0;
  PgStatement* ahead_of_ = nullptr; // whose FETCH is out, unread
  std::map<std::string, std::map<std::string, uint32_t>> column_types_; // table: column: OID
};

// Bulk rows for one table, gathered in PostgreSQL's binary COPY format and sent kCopyBytes at a
// time and at finish(). Each value goes as its column's type receives it (PgBinaryRows), so a row
// reads back as the INSERT path's would: text as valid UTF-8 up to a NUL, numbers exact.
class PgRowWriter final : public StatementImpl {
public:
  PgRowWriter(PgDatabase& db, const std::string& table, const std::vector<std::string>& columns)
      : db_(db), copy_sql_("COPY " + table + " (" + column_names(columns) +
                           ") FROM STDIN WITH (FORMAT binary)"),
        rows_(db.column_types(table, columns)) {}

  void bind_text(int index, std::string_view value) override { rows_.set_text(slot(index), value); }
  void bind_integer(int index, int64_t value) override { rows_.set_integer(slot(index), value); }
  void bind_real(int index, double value) override { rows_.set_real(slot(index), value); }
  void bind_null(int index) override { rows_.set_null(slot(index)); }
  bool step() override { // one row more
    rows_.end_row();
    if (rows_.bytes() >= kCopyBytes)
      finish();
    return false;
  }
  void reset() override {}
  void finish() override {
    if (!rows_.empty())
      db_.copy_in(copy_sql_, rows_.take());
  }
  void text_into(int, std::string&) const override { no_rows(); }
  int64_t integer(int) const override { no_rows(); }
  double real(int) const override { no_rows(); }
  bool is_null(int) const override { no_rows(); }

private:
  static constexpr size_t kCopyBytes = size_t{4} << 20;

  [[noreturn]] static void no_rows() { throw StoreError("a row writer returns no rows"); }
  size_t slot(int index) const {
    if (index < 1 || static_cast<size_t>(index) > columns_)
      throw StoreError(fmt::format("binding column {} of a row writer for {}", index, columns_));
    return static_cast<size_t>(index - 1);
  }

  PgDatabase& db_;
  std::string copy_sql_;
  PgBinaryRows rows_;
  size_t columns_ = rows_.columns();
};

Statement PgDatabase::row_writer(const std::string& table,
                                 const std::vector<std::string>& columns) {
  return Statement(std::make_unique<PgRowWriter>(*this, table, columns));
}

PgStatement::PgStatement(PgDatabase& db, std::string_view sql)
    : db_(db), sql_(to_postgres(sql)), values_(static_cast<size_t>(sql_.parameters)),
      null_(static_cast<size_t>(sql_.parameters), true) {}

PgStatement::~PgStatement() {
  try {
    db_.forget_ahead(*this);
    if (!prepared_.empty() && !db_.closing() && prepared_at_ == db_.failures() &&
        PQtransactionStatus(db_.conn()) != PQTRANS_INERROR)
      db_.send("DEALLOCATE " + prepared_); // goes out with the next statement that waits
    close_cursor();
  } catch (
      const std::exception&) { // the connection is gone or its transaction failed: nothing left
  }
}

void PgStatement::check_index(int index) const {
  if (index < 1 || index > sql_.parameters)
    throw StoreError(
        fmt::format("binding parameter {} of a statement that has {}", index, sql_.parameters));
}

std::vector<const char*> PgStatement::values() const {
  std::vector<const char*> out(values_.size());
  for (size_t i = 0; i < values_.size(); ++i)
    out[i] = null_[i] ? nullptr : values_[i].c_str();
  return out;
}

void PgStatement::fetch() {
  std::string fetch_sql = fmt::format("FETCH {} FROM {}", kFetchRows, cursor_);
  db_.settle(); // what this statement read ahead, if it is still out
  if (ahead_ready_) {
    ahead_ready_ = false;
    if (!ahead_error_.empty())
      db_.fail("executing statement: " + std::exchange(ahead_error_, {}));
    result_ = std::move(ahead_);
  } else {
    db_.send(fetch_sql);
    result_ = db_.sync();
  }
  row_ = 0;
  exhausted_ = PQntuples(result_.get()) < kFetchRows;
  if (!exhausted_)
    db_.read_ahead(*this, fetch_sql);
}

void PgStatement::close_cursor() {
  db_.forget_ahead(*this);
  if (cursor_.empty())
    return;
  std::string name = std::move(cursor_);
  cursor_.clear();
  if (generation_ == db_.generation())
    db_.cursor_closed(name);
}

bool PgStatement::step() {
  if (!sql_.is_query) {
    if (!started_) {
      started_ = true;
      if (prepared_.empty() || prepared_at_ != db_.failures()) {
        prepared_at_ = db_.failures();
        prepared_ = db_.send_prepare(sql_.text, sql_.parameters);
      }
      db_.send_prepared(prepared_, values());
      row_ = -1;
      // A write inside a write transaction whose rows nobody reads is not waited for.
      if (db_.in_write() && !sql_.returns_rows)
        return false;
      result_ = db_.sync();
    }
    return result_ && ++row_ < PQntuples(result_.get());
  }
  if (!started_) {
    started_ = true;
    cursor_ = db_.next_cursor_name();
    db_.cursor_opening();
    generation_ = db_.generation();
    try {
      db_.send("DECLARE " + cursor_ + " NO SCROLL CURSOR FOR " + sql_.text, values());
      fetch(); // BEGIN, DECLARE and the first FETCH in one round trip
    } catch (...) {
      close_cursor();
      throw;
    }
    return PQntuples(result_.get()) > 0 || (close_cursor(), false);
  }
  if (cursor_.empty())
    return false;
  if (++row_ < PQntuples(result_.get())) {
    if (row_ % kDrainEvery == 0)
      db_.drain_ahead();
    return true;
  }
  if (!exhausted_) {
    fetch();
    if (PQntuples(result_.get()) > 0)
      return true;
  }
  close_cursor();
  return false;
}

void PgStatement::reset() {
  close_cursor();
  result_.reset();
  started_ = false;
  exhausted_ = false;
  row_ = -1;
  std::fill(null_.begin(), null_.end(), true);
}

void ignore_notice(void*, const char*) {} // CREATE … IF NOT EXISTS notices are not news

bool is_refusal(PGconn* conn, const std::string& message) {
  if (PQconnectionNeedsPassword(conn))
    return true;
  for (const char* sign : {"does not exist", "authentication failed", "no pg_hba.conf entry",
                           "password", "permission denied", "SSL", "certificate", "invalid"})
    if (message.find(sign) != std::string::npos)
      return true;
  return false;
}

} // namespace

std::unique_ptr<Database> open_postgres(const std::string& conninfo) {
  std::vector<std::string> secrets = location_secrets(conninfo);
  std::string where = redact_location(conninfo);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (!options) {
    std::string message = parse_error ? parse_error : "out of memory";
    PQfreemem(parse_error);
    PgDatabase scrubber(nullptr, secrets);
    throw StoreError("malformed PostgreSQL connection string " + where + ": " +
                     scrubber.scrub(message));
  }
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  bool has_timeout = std::getenv("PGCONNECT_TIMEOUT") != nullptr;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val)
      continue;
    has_timeout = has_timeout || std::string_view(o->keyword) == "connect_timeout";
    keywords.push_back(o->keyword);
    values.push_back(o->val);
  }
  if (!has_timeout) { // a dead host must not hang a run: libpq waits for ever by default
    keywords.push_back("connect_timeout");
    values.push_back(kDefaultConnectTimeout);
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), 0);
  PQconninfoFree(options);
  auto db = std::make_unique<PgDatabase>(conn, secrets);
  if (!conn)
    throw StoreUnavailable("cannot connect to PostgreSQL store " + where + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = db->scrub(PQerrorMessage(conn));
    if (is_refusal(conn, message))
      throw StoreError("PostgreSQL store " + where + " refused the connection: " + message);
    throw StoreUnavailable("cannot reach PostgreSQL store " + where + ": " + message);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  // Every cursor is read to its end: plan for all of its rows, not the first tenth that
  // PostgreSQL assumes of a cursor (a fast-start plan is slow over a million phases).
  db->exec("SET cursor_tuple_fraction = 1");
  return db;
}

} // namespace ciperf
