#include "runner/run_store.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

namespace {

RunRecord finished_run(const std::string& id) {
  RunRecord r;
  r.run_id = id;
  r.pipeline = "p";
  r.status = RunStatus::Failed;
  r.started_at = "2026-12-03T10:00:00.000Z";
  r.finished_at = "2026-12-03T10:00:01.000Z";
  PhaseRecord& p = r.phases.emplace_back();
  p.name = "a";
  p.status = PhaseStatus::Failed;
  p.exit_code = 1;
  r.prepare = PrepareRecord{PhaseStatus::Passed, 0, 0.5, "prepare.log"};
  return r;
}

} // namespace

TEST_CASE("a run whose store was lost mid-run is kept whole in the spool", "[run-store]") {
  test::TempDir dir;
  std::string spool = (dir / "spool.db").string();
  // The store the run began in (standing in for a server that went away), holding its start.
  RunStore target{"postgresql://ci:pw@127.0.0.1:1/x", spool, false,
                  Store((dir / "was-there.db").string())};
  RunRecord run = finished_run("run-1");
  target.store.begin_run(run);
  keep_in_spool(target, run, "connection lost");
  CHECK(target.spooled);
  CHECK(target.store.path() == spool);
  auto kept = Store(spool, StoreAccess::ReadOnly).load_run("run-1");
  REQUIRE(kept);
  CHECK(kept->status == RunStatus::Failed);
  REQUIRE(kept->phases.size() == 1);
  CHECK(kept->phases[0].exit_code == 1);
  REQUIRE(kept->prepare); // what finish_run stores, bulk-inserted too
  CHECK(kept->prepare->log == "prepare.log");
}

TEST_CASE("run --sync pushes the spool into the store the run recorded into", "[run-store]") {
  test::TempDir dir;
  std::string spool = (dir / "spool.db").string();
  Store(spool).insert_runs({finished_run("offline-1"), finished_run("offline-2")});
  std::string shared = (dir / "shared.db").string();
  RunStore target{shared, spool, false, Store(shared)};
  target.store.insert_runs({finished_run("online-1")});
  push_spool(target);
  CHECK(target.store.count_runs({}) == 3);
  push_spool(target); // nothing twice
  CHECK(target.store.count_runs({}) == 3);
  RunStore no_spool{shared, (dir / "none.db").string(), false, Store(shared)};
  push_spool(no_spool); // no spool: nothing to do, and nothing created
  CHECK_FALSE(std::filesystem::exists(dir / "none.db"));
}
