#pragma once
// The one connection interface the store's code runs its SQL through, with two engines behind it:
// SQLite (sqlite_db.cpp) and PostgreSQL (pg_db.cpp). The SQL is written once, in SQLite's
// spelling; the PostgreSQL engine translates it (sql_dialect.hpp). Errors become StoreError
// carrying the engine's message.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

class StoreError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// What an engine's prepared statement does; Statement forwards to it.
class StatementImpl {
public:
  virtual ~StatementImpl() = default;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_integer(int index, int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  virtual void text_into(int column, std::string& out) const = 0;
  virtual int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual bool is_null(int column) const = 0;
  virtual void finish() {} // a row writer's rows go to the table (Database::row_writer)
};

class Statement {
public:
  explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}

  Statement& bind(int index, std::string_view value) {
    impl_->bind_text(index, value);
    return *this;
  }
  Statement& bind(int index, int64_t value) {
    impl_->bind_integer(index, value);
    return *this;
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value) {
    impl_->bind_real(index, value);
    return *this;
  }
  Statement& bind_null(int index) {
    impl_->bind_null(index);
    return *this;
  }
  template <typename T> Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  bool step() { return impl_->step(); } // true while a row is available
  void run() {                          // step through to completion
    while (step()) {
    }
  }
  void reset() { impl_->reset(); }   // back to the start, bindings cleared
  void finish() { impl_->finish(); } // a row writer's rows are in the table once it returns

  std::string text(int column) const {
    std::string out;
    impl_->text_into(column, out);
    return out;
  }
  void text_into(int column, std::string& out) const { impl_->text_into(column, out); }
  int64_t integer(int column) const { return impl_->integer(column); }
  double real(int column) const { return impl_->real(column); }
  bool is_null(int column) const { return impl_->is_null(column); }

private:
  std::unique_ptr<StatementImpl> impl_;
};

class Database {
public:
  // Immutable: read-only, and SQLite assumes nobody writes meanwhile, so it needs no -shm or -wal
  // file: the way to read a WAL store on read-only media. A PostgreSQL store ignores the mode.
  enum class Mode { ReadWrite, Create, ReadOnly, Immutable };
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual void exec(std::string_view sql) = 0;
  virtual Statement prepare(std::string_view sql) = 0;
  // A statement prepared once per connection and reset for each use: for the inserts that run
  // per phase or per row. Not for a query still being stepped through when it is asked again;
  // reset a query once read, or it holds a read snapshot that a later write cannot upgrade.
  Statement& cached(const std::string& sql);
  // A statement for bulk writes that adds the bound row to `table` each time it runs; the rows
  // are in the table once finish() returns, and not before a statement run after them can rely
  // on. PostgreSQL streams them with COPY: the server parses each value once and skips an
  // INSERT's per-statement executor set-up, most of its time per phase row. By default each run
  // is an INSERT of its own (SQLite's prepared INSERT costs no round trip).
  virtual Statement row_writer(const std::string& table, const std::vector<std::string>& columns);

  // A write transaction: SQLite takes the write lock up front (BEGIN IMMEDIATE).
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Inside a write transaction, before reading the schema version: serialises migrations.
  virtual void lock_schema() = 0;
  // The store's schema version (0 for a new store), and setting it inside a write transaction.
  virtual int schema_version() = 0;
  virtual void set_schema_version(int version) = 0;
  // Which engine: a PostgreSQL store is no file, and keeps its schema version in a table.
  virtual bool is_postgres() const = 0;

protected:
  // Statements go before the connection closes: engines call this first in their destructors.
  void drop_cached() { cache_.clear(); }

private:
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// "a, b, c": the column names of a row writer's table, as its SQL lists them.
std::string column_names(const std::vector<std::string>& columns);

// Opens a store: a PostgreSQL one for a postgresql:// or postgres:// URL or a libpq keyword
// string (store_location.hpp), else the SQLite file at `location` (created for Mode::Create).
std::unique_ptr<Database> open_database(const std::string& location, Database::Mode mode);

class WriteTransaction {
public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

private:
  Database& db_;
  bool done_ = false;
};

} // namespace ciperf
