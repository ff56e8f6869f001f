#pragma once
#include "store/sqlite_db.hpp"

namespace ciperf {

// The schema version this build writes; PRAGMA user_version records the store's.
int current_schema_version();
// The schema version of an open store (0 for a new file).
int user_version(Database& db);

// Brings the store up to current_schema_version(), one migration per version, each in the same
// write transaction as the version bump so that concurrent openers never apply one twice.
// Throws if the store was written by a newer ciperf.
void migrate(Database& db);

} // namespace ciperf
