#pragma once
// A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, a postmaster
// listening only on a unix socket in it (no TCP), run as the `postgres` user when the tests run
// as root (PostgreSQL refuses root). One cluster per test process, a database per test case.
// The postmaster dies with the test process (PR_SET_PDEATHSIG), so a crashed test leaves none
// behind. Without PostgreSQL installed it throws: the PostgreSQL tests fail, never skip.
#include <filesystem>
#include <string>

namespace ciperf::test {

class PgServer {
public:
  // The process's cluster, started on first use.
  static PgServer& shared();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // A new, empty database: its name.
  std::string create_database();
  // Connection strings of a database: a postgresql:// URL, and libpq's keyword form.
  std::string url(const std::string& database) const;
  std::string keywords(const std::string& database) const;
  const std::filesystem::path& socket_dir() const { return dir_; }
  // The directory of initdb, postgres and createdb: /usr/lib/postgresql/<newest>/bin.
  static std::filesystem::path bin_dir();

private:
  PgServer();
  std::filesystem::path dir_;
  int pid_ = -1;
  int databases_ = 0;
};

} // namespace ciperf::test
