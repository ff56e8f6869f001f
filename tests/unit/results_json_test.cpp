#include "reports/results_json.hpp"
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("results.json carries every documented field and validates", "[results]") {
  RunRecord run;
  run.run_id = "20261127T150000Z-abcdef";
  run.pipeline = "demo";
  run.mode = RunMode::Cold;
  run.status = RunStatus::Passed;
  run.started_at = "2026-11-27T15:00:00.000Z";
  run.finished_at = "2026-11-27T15:00:01.500Z";
  run.wall_s = 1.5;
  run.host = {"h", 2, 1024, "Linux 6", "AMD EPYC", "kvm"};
  run.deploys = 1;
  run.prepare = PrepareRecord{PhaseStatus::Passed, 0, 0.2, "logs/00-cold-prepare.log"};
  PhaseRecord p;
  p.name = "deploy";
  p.kind = PhaseKind::Deploy;
  p.status = PhaseStatus::Passed;
  p.exit_code = 0;
  p.wall_s = 1.5;
  p.log = "logs/01-deploy.log";
  p.budget_s = 1.0;
  p.over_budget = true;
  p.metrics = {{"pulled", 3, "MiB"}};
  PhaseRecord skipped;
  skipped.name = "later \xff invalid utf-8";
  skipped.kind = PhaseKind::Test;
  skipped.status = PhaseStatus::Skipped;
  run.phases = {p, skipped};

  test::TempDir dir;
  write_results_json(run, dir.path());
  auto doc = nlohmann::json::parse(test::read_file(dir / "results.json"));
  CHECK(doc["schema"] == "ciperf/run/v1");
  CHECK(doc["phases"][0]["over_budget"] == true);
  CHECK(doc["phases"][0]["metrics"]["pulled"]["unit"] == "MiB");
  CHECK(doc["phases"][1]["exit_code"].is_null());
  CHECK(doc["phases"][1]["pressure"].is_null());
  CHECK(doc["prepare"]["wall_s"] == 0.2);
  CHECK_FALSE(std::filesystem::exists(dir / "results.json.tmp"));
  test::require_valid_results(dir / "results.json");
}

TEST_CASE("the schema validator rejects a results.json that breaks the contract", "[results]") {
  test::TempDir dir;
  auto file = dir.write("results.json", R"({"schema": "ciperf/run/v1", "run_id": "x"})");
  auto v = test::run_process(
      {"/usr/bin/python3", CIPERF_SOURCE_DIR "/tests/validate_results.py", file.string()}, {});
  CHECK(v.exit_code == 1);
  CHECK_THAT(v.err, Catch::Matchers::Contains("'pipeline' is a required property"));
}
