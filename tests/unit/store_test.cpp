#include "common/errors.hpp"
#include "store/database.hpp"
#include "store/store.hpp"
#include "store/store_schema.hpp"
#include "support/store_backends.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <tuple>

using namespace ciperf;

namespace {

RunRecord sample_run(const std::string& id, const std::string& pipeline) {
  RunRecord run;
  run.run_id = id;
  run.pipeline = pipeline;
  run.mode = RunMode::Normal;
  run.started_at = "2026-11-27T15:00:0" + id.substr(id.size() - 1) + ".000Z";
  run.labels = {{"branch", "main"}};
  run.host = {"host", 2, 1 << 30, "Linux 6", "AMD EPYC", "kvm"};
  run.expected_deploys = 1;
  return run;
}

PhaseRecord sample_phase(int index) {
  PhaseRecord p;
  p.index = index;
  p.name = "phase" + std::to_string(index);
  p.kind = PhaseKind::Test;
  p.status = PhaseStatus::Passed;
  p.exit_code = 0;
  p.wall_s = 1.5;
  p.user_s = 0.5;
  p.pressure = Pressure{0.1, 0, 0.2, 0.1, 0, 0};
  p.metrics = {{"bytes", 42, "B"}};
  p.budget_s = 1.0;
  p.over_budget = true;
  return p;
}

} // namespace

TEST_CASE("a run is incomplete until finished, then complete with its phases", "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  Store store(test::fresh_store(backend, dir));
  RunRecord run = sample_run("r1", "demo");
  store.begin_run(run);
  store.record_phase("r1", sample_phase(0));
  auto loaded = store.load_run("r1");
  REQUIRE(loaded);
  CHECK(loaded->status == RunStatus::Incomplete);
  CHECK(loaded->phases.size() == 1);

  run.status = RunStatus::Passed;
  run.finished_at = "2026-11-27T15:01:00.000Z";
  run.wall_s = 60;
  run.deploys = 1;
  run.prepare = PrepareRecord{PhaseStatus::Passed, 0, 0.5, "logs/00-cold-prepare.log"};
  store.finish_run(run);
  loaded = store.load_run("r1");
  CHECK(loaded->status == RunStatus::Passed);
  CHECK(loaded->wall_s == 60);
  CHECK(loaded->labels.at("branch") == "main");
  REQUIRE(loaded->prepare);
  CHECK(loaded->prepare->wall_s == 0.5);
  const PhaseRecord& p = loaded->phases.at(0);
  CHECK(p.name == "phase0");
  CHECK(p.over_budget);
  CHECK(p.budget_s == 1.0);
  REQUIRE(p.pressure);
  CHECK(p.pressure->io_some_s == 0.2);
  REQUIRE(p.metrics.size() == 1);
  CHECK(p.metrics[0].unit == "B");
}

TEST_CASE("missing pressure stays missing, never zero", "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  Store store(test::fresh_store(backend, dir));
  store.begin_run(sample_run("r1", "demo"));
  PhaseRecord p = sample_phase(0);
  p.pressure.reset();
  store.record_phase("r1", p);
  CHECK_FALSE(store.load_run("r1")->phases.at(0).pressure.has_value());
}

TEST_CASE("runs list newest first and filter by pipeline, mode and label", "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  Store store(test::fresh_store(backend, dir));
  store.begin_run(sample_run("r1", "a"));
  auto r2 = sample_run("r2", "b");
  r2.mode = RunMode::Cold;
  r2.labels = {{"branch", "feature"}};
  store.begin_run(r2);
  store.begin_run(sample_run("r3", "a"));
  auto all = store.list_runs({});
  REQUIRE(all.size() == 3);
  CHECK(all[0].run_id == "r3");
  CHECK(all[2].run_id == "r1");
  RunFilter by_pipeline;
  by_pipeline.pipeline = "a";
  CHECK(store.list_runs(by_pipeline).size() == 2);
  RunFilter by_mode;
  by_mode.mode = RunMode::Cold;
  CHECK(store.list_runs(by_mode).at(0).run_id == "r2");
  RunFilter by_label;
  by_label.labels = {{"branch", "main"}};
  CHECK(store.list_runs(by_label).size() == 2);
  RunFilter limited;
  limited.limit = 1;
  CHECK(store.list_runs(limited).size() == 1);
}

TEST_CASE("runs are found by a unique prefix and an ambiguous one is an error", "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  Store store(test::fresh_store(backend, dir));
  store.begin_run(sample_run("20261127-aa1", "a"));
  store.begin_run(sample_run("20261127-ab2", "a"));
  CHECK(store.load_run("20261127-aa")->run_id == "20261127-aa1");
  CHECK_FALSE(store.load_run("zzz").has_value());
  CHECK_THROWS_AS(store.load_run("20261127-a"), UsageError);
}

TEST_CASE("the schema is versioned and a newer store is refused", "[store]") {
  test::TempDir dir;
  auto path = (dir / "s.db").string();
  { Store store(path); }
  {
    auto owned = open_database(path, Database::Mode::ReadWrite);
    Database& db = *owned;
    auto v = db.prepare("PRAGMA user_version");
    REQUIRE(v.step());
    CHECK(v.integer(0) == current_schema_version());
    auto mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.text(0) == "wal");
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_WITH(Store(path), Catch::Matchers::Contains("newer than this ciperf"));
}

TEST_CASE("a PostgreSQL store keeps its schema version in a table and refuses a newer one",
          "[store][postgres]") {
  test::PgServer& server = test::PgServer::shared();
  std::string location = server.keywords(server.create_database());
  { Store store(location); }
  {
    auto db = open_database(location, Database::Mode::ReadWrite);
    CHECK(db->schema_version() == current_schema_version());
    auto id = db->prepare("SELECT data_type FROM information_schema.columns WHERE table_name = "
                          "'runs' AND column_name = 'wall_s'");
    REQUIRE(id.step());
    CHECK(id.text(0) == "double precision");
    db->exec("UPDATE ciperf_schema SET version = 999");
  }
  CHECK_THROWS_WITH(Store(location), Catch::Matchers::Contains("newer than this ciperf"));
}

TEST_CASE("a store in a missing directory is refused with its path", "[store]") {
  CHECK_THROWS_WITH(Store("/nonexistent-dir/sub/s.db"),
                    Catch::Matchers::Contains("/nonexistent-dir/sub does not exist"));
}

TEST_CASE("phase samples read by two connections come in the order one reader gives", "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  Store store(test::fresh_store(backend, dir));
  // More runs than the parallel threshold, with services on some phases; runs recorded in
  // an order that is not their start order.
  std::vector<RunRecord> runs;
  for (int i = 0; i < Store::kParallelSampleRuns + 37; ++i) {
    RunRecord r = sample_run(fmt::format("run-{:05d}", i), i % 3 ? "a" : "b");
    r.status = RunStatus::Passed;
    r.mode = i % 2 ? RunMode::Warm : RunMode::Cold;
    for (int k = 0; k < 1 + i % 4; ++k) {
      PhaseRecord p = sample_phase(k);
      p.wall_s = i + k / 10.0;
      if (k == 1)
        p.services.push_back({0, "phase0", 0.25 * i, 0.01, std::nullopt});
      r.phases.push_back(p);
    }
    runs.push_back(r);
  }
  store.insert_runs(runs);
  auto read_with = [&](int readers, const RunFilter& filter) {
    store.set_sample_readers(readers);
    std::vector<std::tuple<std::string, std::string, int, double, RunMode, size_t, double>> seen;
    store.for_each_phase_sample(filter, [&](const PhaseSample& s) {
      seen.emplace_back(s.run_id, s.pipeline, s.index, s.wall_s, s.mode, s.services.size(),
                        s.services.empty() ? 0 : s.services[0].user_s);
    });
    return seen;
  };
  RunFilter all, of_a, newest;
  of_a.pipeline = "a";
  newest.limit = 1010;
  for (const auto& filter : {all, of_a, newest}) {
    auto one = read_with(1, filter);
    auto two = read_with(2, filter);
    REQUIRE(!one.empty());
    CHECK(one == two);
  }
  size_t phases = 0;
  for (const auto& r : runs)
    phases += r.phases.size();
  CHECK(read_with(2, {}).size() == phases);
}

TEST_CASE("reads past one FETCH of a PostgreSQL cursor miss no row, nested or threaded",
          "[store][postgres]") {
  test::PgServer& server = test::PgServer::shared();
  Store store(server.keywords(server.create_database()));
  // 12,000 phase rows: more than two batches of the cursor's 5,000, and more runs than the
  // two-reader threshold.
  std::vector<RunRecord> runs;
  for (int i = 0; i < 3000; ++i) {
    RunRecord r = sample_run(fmt::format("run-{:05d}", i), "a");
    r.status = RunStatus::Passed;
    for (int k = 0; k < 4; ++k)
      r.phases.push_back(sample_phase(k));
    runs.push_back(r);
  }
  REQUIRE(store.insert_runs(runs) == runs.size());
  CHECK(store.insert_runs(runs) == 0); // idempotent
  for (int readers : {1, 2}) {
    store.set_sample_readers(readers);
    size_t samples = 0;
    store.for_each_phase_sample({}, [&](const PhaseSample&) { ++samples; });
    CHECK(samples == 12'000);
  }
  size_t loaded = 0, phases = 0;
  store.for_each_run({}, [&](RunRecord& r) { // each run's details: cursors inside a cursor
    ++loaded;
    phases += r.phases.size();
  });
  CHECK(loaded == 3000);
  CHECK(phases == 12'000);
}
