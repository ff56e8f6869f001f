#pragma once
#include "store/database.hpp"

namespace ciperf {

// The schema version this build writes; PRAGMA user_version records a SQLite store's, the
// one-row ciperf_schema table a PostgreSQL store's.
int current_schema_version();
// The schema version of an open store (0 for a new file).
int user_version(Database& db);

// Brings the store up to current_schema_version(), one migration per version, each in the same
// write transaction as the version bump so that concurrent openers never apply one twice (on
// PostgreSQL that transaction holds an advisory lock first: concurrent openers of a new database
// wait for it, then find the schema current).
// Throws if the store was written by a newer ciperf.
void migrate(Database& db);

} // namespace ciperf
