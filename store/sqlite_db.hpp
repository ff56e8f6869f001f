#pragma once
// The SQLite engine behind the store's Database interface.
#include "store/database.hpp"

#include <memory>
#include <string>

namespace ciperf {

// Opens the file (creating it for Create), with a busy timeout so concurrent writers wait their
// turn.
std::unique_ptr<Database> open_sqlite(const std::string& path, Database::Mode mode);

} // namespace ciperf
