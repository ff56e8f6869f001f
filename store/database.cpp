#include "store/database.hpp"

#include "store/pg_db.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_location.hpp"

namespace ciperf {

Statement& Database::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end())
    it = cache_.emplace(sql, std::make_unique<Statement>(prepare(sql))).first;
  it->second->reset();
  return *it->second;
}

std::string column_names(const std::vector<std::string>& columns) {
  std::string names;
  for (const auto& column : columns)
    names.append(names.empty() ? "" : ", ").append(column);
  return names;
}

Statement Database::row_writer(const std::string& table, const std::vector<std::string>& columns) {
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i)
    values.append(i == 0 ? "?" : ", ?");
  return prepare("INSERT INTO " + table + " (" + column_names(columns) + ") VALUES (" + values +
                 ")");
}

std::unique_ptr<Database> open_database(const std::string& location, Database::Mode mode) {
  if (is_postgres_location(location))
    return open_postgres(location);
  return open_sqlite(location, mode);
}

WriteTransaction::WriteTransaction(Database& db) : db_(db) {
  db_.begin_write();
}

WriteTransaction::~WriteTransaction() {
  if (!done_) {
    try {
      db_.rollback();
    } catch (const std::exception&) { // nothing more to do: the connection is closing or gone
    }
  }
}

void WriteTransaction::commit() {
  db_.commit();
  done_ = true;
}

} // namespace ciperf
