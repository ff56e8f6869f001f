#include "store/sqlite_db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <string>

namespace ciperf {
namespace {

constexpr int kBusyTimeoutMs = 30'000;

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

class SqliteStatement final : public StatementImpl {
public:
  SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK)
      fail(db, "preparing statement");
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind_text(int index, std::string_view value) override {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK)
      fail(db_, "binding text");
  }
  void bind_integer(int index, int64_t value) override {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
      fail(db_, "binding integer");
  }
  void bind_real(int index, double value) override {
    if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK)
      fail(db_, "binding real");
  }
  void bind_null(int index) override {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
      fail(db_, "binding null");
  }
  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    fail(db_, "executing statement");
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void text_into(int column, std::string& out) const override {
    auto* p = sqlite3_column_text(stmt_, column);
    out.assign(p ? reinterpret_cast<const char*>(p) : "",
               p ? static_cast<size_t>(sqlite3_column_bytes(stmt_, column)) : 0);
  }
  int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  bool is_null(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// file:PATH?immutable=1, with the characters a URI gives meaning to escaped.
std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return uri + "?immutable=1";
}

class SqliteDatabase final : public Database {
public:
  SqliteDatabase(const std::string& path, Mode mode);
  ~SqliteDatabase() override {
    drop_cached(); // statements are finalised before the connection closes
    sqlite3_close_v2(db_);
  }

  void exec(std::string_view sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw StoreError(message);
    }
  }
  Statement prepare(std::string_view sql) override {
    return Statement(std::make_unique<SqliteStatement>(db_, sql));
  }
  // BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that later upgrades to
  // a writer fails with SQLITE_BUSY without waiting, which is the "database is locked" users see.
  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }
  void lock_schema() override {} // BEGIN IMMEDIATE holds the only write lock already
  int schema_version() override {
    auto stmt = prepare("PRAGMA user_version");
    stmt.step();
    return static_cast<int>(stmt.integer(0));
  }
  void set_schema_version(int version) override {
    exec("PRAGMA user_version = " + std::to_string(version));
  }
  bool is_postgres() const override { return false; }

private:
  sqlite3* db_ = nullptr;
};

SqliteDatabase::SqliteDatabase(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
  case Mode::ReadOnly:
    flags |= SQLITE_OPEN_READONLY;
    break;
  case Mode::Immutable:
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
    break;
  case Mode::Create:
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    break;
  case Mode::ReadWrite:
    flags |= SQLITE_OPEN_READWRITE;
    break;
  }
  std::string name = mode == Mode::Immutable ? immutable_uri(path) : path;
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open store " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db_, 1);
  // The last connection to close would checkpoint the WAL into the database, with fsyncs, on
  // the way out of every ciperf command; SQLite's automatic checkpoints during writes suffice.
  sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

} // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, Database::Mode mode) {
  return std::make_unique<SqliteDatabase>(path, mode);
}

} // namespace ciperf
