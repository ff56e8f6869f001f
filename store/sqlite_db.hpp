#pragma once
// A thin RAII layer over the SQLite C API: errors become exceptions carrying SQLite's message.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ciperf {

class SqliteError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class Statement {
public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  template <typename T> Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  bool step(); // true while a row is available
  void run();  // step through to completion
  void reset();

  std::string text(int column) const;
  void text_into(int column, std::string& out) const; // reuses out's buffer
  int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
  // Immutable: read-only, and SQLite assumes nobody writes meanwhile, so it needs no -shm or -wal
  // file: the way to read a WAL store on read-only media.
  enum class Mode { ReadWrite, Create, ReadOnly, Immutable };
  // Opens the file (creating it for Create); sets a busy timeout so concurrent writers wait their
  // turn.
  Database(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // A statement prepared once per connection and reset for each use: for the inserts that run
  // per phase or per row. Not for a query still being stepped through when it is asked again;
  // reset a query once read, or it holds a read snapshot that a later write cannot upgrade.
  Statement& cached(const std::string& sql);
  int64_t last_insert_rowid() const;
  sqlite3* handle() const { return db_; }

private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that later upgrades to a
// writer fails with SQLITE_BUSY without waiting, which is the "database is locked" users see.
class WriteTransaction {
public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  void commit();

private:
  Database& db_;
  bool done_ = false;
};

} // namespace ciperf
