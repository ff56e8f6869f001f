#pragma once
// Where the store's SQL, written in SQLite's spelling, differs from PostgreSQL's: the one place
// that knows. The store's queries keep to what both engines share (ON CONFLICT … DO UPDATE,
// RETURNING, COALESCE, ||, integer division of integers); what remains is translated here.
#include <string>
#include <string_view>

namespace ciperf {

struct PostgresSql {
  std::string text;          // with $1, $2, … placeholders
  int parameters = 0;        // the highest placeholder number
  bool is_query = false;     // SELECT, WITH or VALUES: read through a cursor
  bool returns_rows = false; // a query, or a write with RETURNING
};

// `?` → `$n` (and `?N` → `$N`), outside string literals, quoted names and comments;
// `INTEGER PRIMARY KEY` → an identity column; INTEGER → BIGINT, REAL → DOUBLE PRECISION, BLOB →
// BYTEA; TEXT → TEXT COLLATE "C", so text compares and sorts by bytes as in SQLite; PRAGMA
// statements are dropped (their effect is SQLite's alone).
PostgresSql to_postgres(std::string_view sqlite_sql);

// The schema version's home on PostgreSQL, where PRAGMA user_version does not exist. Whether
// the table exists is read from pg_class itself, under the statement's snapshot: to_regclass
// goes through a cache that, after the advisory lock was granted, may still miss a table
// another opener has just created.
inline constexpr std::string_view kPostgresVersionTableExists =
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid "
    "= c.relnamespace WHERE c.relname = 'ciperf_schema' AND n.nspname = current_schema())";
inline constexpr std::string_view kPostgresVersionQuery = "SELECT version FROM ciperf_schema";
std::string postgres_set_version(int version);
// Held until the migrating transaction ends: concurrent openers of a new database wait, then
// find the schema current.
std::string postgres_migration_lock();

} // namespace ciperf
