#pragma once
// The PostgreSQL engine behind the store's Database interface. pg_db.cpp is the only file that
// includes libpq-fe.h.
#include "store/database.hpp"

#include <memory>
#include <string>

namespace ciperf {

// Connects with libpq (PG* variables, TLS, .pgpass and service files as libpq does them), with
// connect_timeout=10 unless the string or PGCONNECT_TIMEOUT sets one. Throws StoreError for a
// malformed string or a server that refuses (no such database, authentication), and
// StoreUnavailable when no server answers. No message carries the string's password.
std::unique_ptr<Database> open_postgres(const std::string& conninfo);

} // namespace ciperf
