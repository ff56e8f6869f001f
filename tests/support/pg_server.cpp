#include "support/pg_server.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ciperf::test {
namespace fs = std::filesystem;
namespace {

constexpr int kPort = 5432; // only names the socket file: nothing listens on TCP

// Root runs the server as `postgres`; anyone else as themselves.
void drop_to_postgres() {
  if (::getuid() != 0)
    return;
  const passwd* pw = ::getpwnam("postgres");
  if (!pw)
    ::_exit(126);
  if (::initgroups("postgres", pw->pw_gid) != 0 || ::setgid(pw->pw_gid) != 0 ||
      ::setuid(pw->pw_uid) != 0)
    ::_exit(126);
}

// Forks `argv` as the server's user; with `die_with_parent`, the child gets SIGQUIT (the
// postmaster's immediate shutdown) when this process dies, however it dies.
int spawn(const std::vector<std::string>& argv, const fs::path& log, bool die_with_parent) {
  pid_t parent = ::getpid();
  std::fflush(nullptr); // or the child's freopen flushes the parent's buffered output a 2nd time
  pid_t pid = ::fork();
  if (pid != 0)
    return pid;
  drop_to_postgres();
  if (die_with_parent) { // after setuid: a change of credentials clears the setting
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (::getppid() != parent)
      ::_exit(1);
  }
  FILE* out = std::freopen(log.c_str(), "a", stdout);
  if (out)
    ::dup2(::fileno(stdout), 2);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

int wait_for(int pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path make_dir() {
  // /tmp, not $TMPDIR: the `postgres` user must reach the directory, and a unix socket's path
  // must stay under 108 bytes.
  std::string pattern = "/tmp/ciperf-pg-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a directory for the PostgreSQL test cluster");
  fs::path dir = pattern;
  if (::getuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw)
      throw std::runtime_error("running as root and there is no `postgres` user to run "
                               "PostgreSQL as (install the postgresql package)");
    if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot give " + dir.string() + " to the postgres user");
  }
  return dir;
}

} // namespace

fs::path PgServer::bin_dir() {
  fs::path best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (fs::exists(bin / "initdb") &&
        (best.empty() || std::stoi(entry.path().filename().string()) >
                             std::stoi(best.parent_path().filename().string())))
      best = bin;
  }
  if (best.empty())
    throw std::runtime_error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                             "tools/install-deps.sh installs it");
  return best;
}

PgServer& PgServer::shared() {
  static PgServer server;
  return server;
}

PgServer::PgServer() : dir_(make_dir()) {
  fs::path bin = bin_dir();
  fs::path data = dir_ / "data";
  fs::path log = dir_ / "server.log";
  int init = spawn({(bin / "initdb").string(), "-D", data.string(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"},
                   dir_ / "initdb.log", false);
  if (wait_for(init) != 0)
    throw std::runtime_error("initdb failed: " + read_file(dir_ / "initdb.log"));
  pid_ = spawn({(bin / "postgres").string(), "-D", data.string(), "-k", dir_.string(), "-p",
                std::to_string(kPort), "-c", "listen_addresses=", "-c", "fsync=off", "-c",
                "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
                "-c", "shared_buffers=128MB"},
               log, true);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    ProcessOptions quiet;
    quiet.timeout_s = 10;
    auto ready = run_process(
        {(bin / "pg_isready").string(), "-q", "-h", dir_.string(), "-p", std::to_string(kPort)},
        quiet);
    if (ready.exit_code == 0)
      return;
    if (!process_alive(pid_) || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the PostgreSQL test cluster did not start: " + read_file(log));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

PgServer::~PgServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGINT); // fast shutdown: sessions ended, no checkpoint wait worth having
    wait_for(pid_);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgServer::keywords(const std::string& database) const {
  return fmt::format("host={} port={} user=postgres dbname={}", dir_.string(), kPort, database);
}

std::string PgServer::url(const std::string& database) const {
  std::string host;
  for (char c : dir_.string())
    host += c == '/' ? std::string("%2F") : std::string(1, c);
  return fmt::format("postgresql://postgres@{}:{}/{}", host, kPort, database);
}

std::string PgServer::create_database() {
  std::string name = fmt::format("ciperf_test_{}_{}", ::getpid(), ++databases_);
  ProcessOptions options;
  options.timeout_s = 60;
  auto made = run_process({(bin_dir() / "createdb").string(), "-h", dir_.string(), "-p",
                           std::to_string(kPort), "-U", "postgres", name},
                          options);
  if (made.exit_code != 0)
    throw std::runtime_error("createdb " + name + " failed: " + made.err);
  return name;
}

} // namespace ciperf::test
