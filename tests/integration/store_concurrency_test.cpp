// Eight ciperf processes recording 50 runs each into one store at the same time.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace ciperf::test;

TEST_CASE("concurrent writers lose no run and never see 'database is locked'",
          "[concurrency][serial]") {
  Sandbox box;
  auto file = box.write_pipeline(R"(version: 1
phases:
  - {name: a, run: "true"}
  - {name: b, run: "true"}
)");
  constexpr int kWriters = 8, kRuns = 50;
  auto errors = run_concurrent_writers(box, file, box.store().string(), kWriters, kRuns);
  for (int w = 0; w < kWriters; ++w) {
    INFO("writer " << w << ": " << errors[static_cast<size_t>(w)]);
    CHECK(errors[static_cast<size_t>(w)].empty());
  }
  auto list = nlohmann::json::parse(
      box.ciperf({"runs", "--store", box.store().string(), "--json", "--limit", "1000"}).out);
  CHECK(list.size() == kWriters * kRuns);
  std::set<std::string> ids;
  for (const auto& run : list) {
    CHECK(run["status"] == "passed");
    ids.insert(run["run_id"]);
  }
  CHECK(ids.size() == kWriters * kRuns);
  for (int w = 0; w < kWriters; ++w) {
    auto mine = box.ciperf({"runs", "--store", box.store().string(), "--json", "--limit", "1000",
                            "--label", "writer=" + std::to_string(w)});
    CHECK(nlohmann::json::parse(mine.out).size() == kRuns);
  }
}
