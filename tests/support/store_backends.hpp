#pragma once
// The store's two engines, for tests that run the same body against each: a SQLite file in the
// test's directory, or a fresh database in the process's PostgreSQL test cluster.
#include "support/pg_server.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace ciperf::test {

enum class Backend { SQLite, PostgreSQL };

inline const char* backend_name(Backend b) {
  return b == Backend::SQLite ? "sqlite" : "postgresql";
}

// A new, empty store's location (a path, or a connection string).
// A new, empty store; `name` tells two SQLite stores in one directory apart.
inline std::string fresh_store(Backend b, const TempDir& dir, const std::string& name = "s") {
  if (b == Backend::SQLite)
    return (dir / (name + ".db")).string();
  PgServer& server = PgServer::shared();
  return server.keywords(server.create_database());
}

} // namespace ciperf::test

// Runs the rest of the test case once per engine; the section names which one failed.
#define FOR_EACH_BACKEND(backend)                                                                  \
  auto backend = GENERATE(ciperf::test::Backend::SQLite, ciperf::test::Backend::PostgreSQL);       \
  INFO("store backend: " << ciperf::test::backend_name(backend))
