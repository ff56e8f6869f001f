// A PostgreSQL store behind every command: concurrent writers from separate processes, the same
// answers as SQLite over the same runs, and the bad inputs a connection string can be.
#include "reports/results_json.hpp"
#include "store/store.hpp"
#include "support/ciperf_run.hpp"
#include "support/pg_server.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <thread>

namespace ciperf {
namespace {

using nlohmann::json;

std::string fresh_database_url() {
  test::PgServer& server = test::PgServer::shared();
  return server.url(server.create_database());
}

// Runs of a small history with a step in `test` at run 40, stamped a minute apart.
RunRecord history_run(int index) {
  RunRecord r;
  r.run_id = fmt::format("20260101T000000Z-{:012x}", index + 1);
  r.pipeline = "recipe";
  r.mode = index % 3 == 0 ? RunMode::Cold : RunMode::Warm;
  r.status = RunStatus::Passed;
  r.started_at = fmt::format("2026-01-01T{:02d}:{:02d}:00.000Z", index / 60, index % 60);
  r.finished_at = r.started_at;
  r.host = {"runner-1", 2, 24LL << 30, "Linux 6.1", "AMD EPYC", "kvm"};
  r.labels["commit"] = fmt::format("c{:04d}", index);
  double start = 0;
  const char* names[] = {"build", "test", "deploy"};
  for (int i = 0; i < 3; ++i) {
    PhaseRecord p;
    p.index = i;
    p.name = names[i];
    p.kind = i == 1 ? PhaseKind::Test : PhaseKind::Build;
    p.status = PhaseStatus::Passed;
    p.exit_code = 0;
    p.start_s = start;
    double jitter = 1 + 0.01 * ((index * 7 + i * 3) % 5);
    p.wall_s = (1.0 + i) * jitter * (i == 1 && index >= 40 ? 1.3 : 1.0);
    p.user_s = p.wall_s * 0.8;
    p.sys_s = 0.05 * (i + 1);
    p.max_rss_bytes = (50 + i) << 20;
    p.read_bytes = 1000 * (i + 1);
    p.pressure = Pressure{0.01 * i, 0, 0.02, 0.01, 0, 0};
    p.metrics = {{"items", 10.0 + index, ""}};
    start += p.wall_s;
    r.phases.push_back(p);
  }
  r.wall_s = start;
  return r;
}

std::vector<std::string> write_history(const test::Sandbox& box, int runs) {
  std::vector<std::string> files;
  for (int i = 0; i < runs; ++i) {
    auto file = box.dir / "history" / fmt::format("{:03d}.json", i);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << results_json(history_run(i));
    files.push_back(file.string());
  }
  return files;
}

} // namespace

TEST_CASE("eight writers record into one PostgreSQL store at once: every run whole, ids unique",
          "[postgres][concurrency]") {
  test::Sandbox box;
  auto file = box.write_pipeline(R"(version: 1
phases:
  - {name: a, run: "true"}
  - {name: b, run: "true"}
  - {name: c, run: "true"}
)");
  std::string store = fresh_database_url();
  constexpr int kWriters = 8, kRuns = 4;
  auto errors = run_concurrent_writers(box, file, store, kWriters, kRuns);
  for (int w = 0; w < kWriters; ++w) {
    INFO("writer " << w << ": " << errors[static_cast<size_t>(w)]);
    CHECK(errors[static_cast<size_t>(w)].empty());
  }
  Store reader(store, StoreAccess::ReadOnly);
  auto runs = reader.list_runs({});
  CHECK(runs.size() == kWriters * kRuns);
  std::set<std::string> ids;
  for (const auto& listed : runs) {
    ids.insert(listed.run_id);
    auto run = reader.load_run(listed.run_id);
    REQUIRE(run);
    CHECK(run->status == RunStatus::Passed);
    REQUIRE(run->phases.size() == 3);
    for (const auto& p : run->phases)
      CHECK(p.status == PhaseStatus::Passed);
  }
  CHECK(ids.size() == kWriters * kRuns);
}

TEST_CASE("eight processes opening a new PostgreSQL database at once migrate it once",
          "[postgres][concurrency]") {
  test::Sandbox box;
  std::string store = fresh_database_url();
  std::vector<test::ProcessResult> results(8);
  std::vector<std::thread> openers;
  for (size_t i = 0; i < results.size(); ++i)
    openers.emplace_back([&, i] { results[i] = box.ciperf({"runs", "--store", store}); });
  for (auto& t : openers)
    t.join();
  for (const auto& r : results) {
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  auto version = box.ciperf({"runs", "--store", store, "--json"});
  CHECK(version.exit_code == 0);
  CHECK(json::parse(version.out).empty());
}

TEST_CASE("the same runs give byte-identical --json answers from SQLite and PostgreSQL",
          "[postgres]") {
  test::Sandbox box;
  auto files = write_history(box, 60);
  std::string sqlite = (box.dir / "same.db").string();
  std::string pg = fresh_database_url();
  for (const auto& store : {sqlite, pg}) {
    std::vector<std::string> args = {"import", "--store", store};
    args.insert(args.end(), files.begin(), files.end());
    auto imported = box.ciperf(args);
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    auto again = box.ciperf(args); // idempotent: nothing new
    REQUIRE(again.exit_code == 0);
  }
  const std::string last = "20260101T000000Z-00000000003c";
  const std::vector<std::vector<std::string>> commands = {
      {"runs", "--json", "--limit", "1000"},
      {"show", last, "--json"},
      {"attribute", "--json"},
      {"attribute", "--cold-vs-warm", "--json"},
      {"attribute", "--by", "resource", "--json"},
      {"changes", "--json"},
      {"compare", last, "--history", "--json"},
      {"report", "--format", "json"},
      {"report", "--format", "csv"},
  };
  for (const auto& command : commands) {
    std::vector<test::ProcessResult> answers;
    for (const auto& store : {sqlite, pg}) {
      auto args = command;
      args.insert(args.begin() + 1, {"--store", store});
      answers.push_back(box.ciperf(args));
    }
    INFO(fmt::format("ciperf {}\nsqlite: {}\npostgresql: {}", fmt::join(command, " "),
                     answers[0].err, answers[1].err));
    CHECK(answers[0].exit_code == answers[1].exit_code);
    CHECK(!answers[0].out.empty());
    CHECK(answers[0].out == answers[1].out);
  }
}

TEST_CASE("four hosts importing the same files at once store each run once", "[postgres]") {
  test::Sandbox box;
  auto files = write_history(box, 40);
  std::string store = fresh_database_url();
  { Store migrated(store); } // the importers race on the runs, not on the schema
  std::vector<test::ProcessResult> results(4);
  std::vector<std::thread> importers;
  for (size_t i = 0; i < results.size(); ++i)
    importers.emplace_back([&, i] {
      std::vector<std::string> args = {"import", "--store", store};
      args.insert(args.end(), files.begin(), files.end());
      results[i] = box.ciperf(args);
    });
  for (auto& t : importers)
    t.join();
  for (const auto& r : results) {
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  Store reader(store, StoreAccess::ReadOnly);
  CHECK(reader.count_runs({}) == files.size());
}

TEST_CASE("bad PostgreSQL stores are refused clearly, quickly and without the password",
          "[postgres][bad-input]") {
  test::Sandbox box;
  SECTION("a malformed URL") {
    auto r = box.ciperf({"runs", "--store", "postgresql://ci:hunter2secret@host:notaport/db"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("hunter2secret") == std::string::npos);
    CHECK(r.err.find("postgresql://ci:***@host:notaport/db") != std::string::npos);
  }
  SECTION("a port nothing listens on: unavailable, within the connect timeout") {
    int port = test::free_port();
    auto t0 = std::chrono::steady_clock::now();
    auto r = box.ciperf({"runs", "--store",
                         fmt::format("host=127.0.0.1 port={} dbname=x password=hunter2secret "
                                     "user=ci",
                                     port)});
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(r.exit_code != 0);
    CHECK(took < 15);
    CHECK(r.err.find("hunter2secret") == std::string::npos);
    CHECK(r.err.find("cannot reach PostgreSQL store") != std::string::npos);
    CHECK(r.err.find("password=***") != std::string::npos);
    // libpq's two-line message ("…refused\n\tIs the server running…") reads as one line
    CHECK(r.err.find("Is the server running") != std::string::npos);
    CHECK(r.err.find("\\x0a") == std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THROWS_AS(Store(fmt::format("postgresql://ci:hunter2secret@127.0.0.1:{}/x", port)),
                    StoreUnavailable);
  }
  SECTION("a database that does not exist") {
    test::PgServer& server = test::PgServer::shared();
    auto r = box.ciperf({"runs", "--store", server.url("no_such_db") + "?password=hunter2secret"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no_such_db") != std::string::npos);
    CHECK(r.err.find("does not exist") != std::string::npos);
    CHECK(r.err.find("hunter2secret") == std::string::npos);
  }
  SECTION("CIPERF_STORE holding a keyword string") {
    test::PgServer& server = test::PgServer::shared();
    test::ProcessOptions env;
    env.env = {"CIPERF_STORE=" + server.keywords(server.create_database())};
    auto r = box.ciperf({"runs", "--json"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(json::parse(r.out).empty());
  }
}

} // namespace ciperf

namespace ciperf {
namespace {

// The run's stored record as `show --json` gives it, without the fields a copy may differ in.
json shown(const test::Sandbox& box, const std::string& store, const std::string& run_id) {
  auto r = box.ciperf({"show", run_id, "--json", "--store", store});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

} // namespace

// A real loss: a phase of the run itself terminates every other backend of its database, so the
// run's own connection dies between two of its writes.
TEST_CASE("a PostgreSQL store lost mid-run: the run keeps its exit code and its record in the "
          "spool, and sync completes the copy the store holds",
          "[postgres][sync]") {
  test::Sandbox box;
  test::PgServer& server = test::PgServer::shared();
  std::string database = server.create_database();
  std::string store = server.keywords(database);
  auto file = box.write_pipeline(R"yaml(version: 1
pipeline: lost
phases:
  - {name: before, run: "true"}
  - {name: cut, run: 'psql "$STORE" -qAtc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"'}
  - {name: after, run: "exit 3"}
)yaml");
  auto spool = box.dir / "spool.db";
  test::ProcessOptions options;
  options.env = {"CIPERF_SPOOL=" + spool.string(), "STORE=" + store,
                 "PATH=" + test::PgServer::bin_dir().string() + ":/usr/bin:/bin"};
  auto r = box.ciperf({"run", file.string(), "--store", store, "--out", (box.dir / "r").string()},
                      options);
  INFO(r.err);
  CHECK(r.exit_code == 1); // the pipeline's own failure
  CHECK_THAT(r.err, Catch::Matchers::Contains("became unavailable during the run") &&
                        Catch::Matchers::Contains("kept in the spool"));
  auto results = json::parse(test::read_file(box.dir / "r" / "results.json"));
  std::string run_id = results["run_id"];
  CHECK(shown(box, spool.string(), run_id)["status"] == "failed");
  // The store has the run as it was when the connection died: begun, never finished.
  CHECK(shown(box, store, run_id)["status"] == "incomplete");

  auto sync = box.ciperf({"sync", "--from", spool.string(), "--to", store});
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK_THAT(sync.out, Catch::Matchers::Contains("updated 1"));
  json there = shown(box, store, run_id), here = shown(box, spool.string(), run_id);
  CHECK(there == here);
  CHECK(there["phases"].size() == 3);
}

TEST_CASE("runs spooled while PostgreSQL was down reach it with one sync, and a second copies "
          "nothing",
          "[postgres][sync]") {
  test::Sandbox box;
  auto file = box.write_pipeline("version: 1\npipeline: offline\nphases:\n"
                                 "  - {name: a, run: 'true'}\n  - {name: b, run: 'sleep 0.01'}\n");
  auto spool = box.dir / "spool.db";
  test::ProcessOptions options;
  options.env = {"CIPERF_SPOOL=" + spool.string()};
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto out = box.dir / fmt::format("r{}", i);
    auto r = box.ciperf({"run", file.string(), "--store", "postgresql://ci:s3cret@127.0.0.1:1/x",
                         "--out", out.string()},
                        options);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, !Catch::Matchers::Contains("s3cret"));
    ids.push_back(json::parse(test::read_file(out / "results.json"))["run_id"]);
  }
  std::string store = fresh_database_url();
  auto first = box.ciperf({"sync", "--from", spool.string(), "--to", store});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Matchers::Contains("copied 3"));
  for (const auto& id : ids)
    CHECK(shown(box, store, id) == shown(box, spool.string(), id));
  auto second = box.ciperf({"sync", "--from", spool.string(), "--to", store});
  CHECK_THAT(second.out, Catch::Matchers::Contains("copied 0, already there 3"));
}

} // namespace ciperf
