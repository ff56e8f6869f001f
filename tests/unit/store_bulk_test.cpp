// Runs written in bulk (imports, sync, benchmarks: PostgreSQL streams their phases and labels
// with COPY) read back as the same runs recorded one phase at a time with INSERTs.
#include "reports/results_json.hpp"
#include "store/store.hpp"
#include "support/store_backends.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <limits>
#include <set>

using namespace ciperf;

namespace {

// What COPY's text format gives a meaning to, and what PostgreSQL refuses in text.
const std::vector<std::string> kHostileText = {"tab\there",
                                               "new\nline",
                                               "carriage\rreturn",
                                               "back\\slash",
                                               "\\N",
                                               "\\.",
                                               "end\\",
                                               std::string("nul\0after", 9),
                                               "\xff\xfe invalid",
                                               "\xe2\x9c\x93 ok",
                                               "",
                                               std::string(100'000, 'x') + "\t\\\n"};

PhaseRecord hostile_phase(int index, int run) {
  const auto& text = kHostileText;
  PhaseRecord p;
  p.index = index;
  p.name = fmt::format("phase {} {}", index, text[static_cast<size_t>(index + run) % text.size()]);
  p.kind = PhaseKind::Test;
  p.tier = text[static_cast<size_t>(index * 3 + run) % text.size()];
  p.status = index % 2 ? PhaseStatus::Failed : PhaseStatus::Passed;
  p.exit_code = index % 2 ? std::optional<int>(1) : std::nullopt;
  p.wall_s = run % 2 ? 1e-300 : 123456789.125;
  p.user_s = -0.0;
  p.sys_s = std::numeric_limits<double>::denorm_min();
  p.max_rss_bytes = std::numeric_limits<int64_t>::max();
  if (index % 3 == 0)
    p.pressure = Pressure{0.1, 0, 0.2, 0.1, 0, 0};
  p.log = text[static_cast<size_t>(index * 5 + run) % text.size()];
  p.message = text[static_cast<size_t>(index * 7 + run) % text.size()];
  if (index == 1)
    p.budget_s = 2.5;
  p.metrics = {{"bytes\t" + text[static_cast<size_t>(run) % text.size()], 42, "B"}};
  return p;
}

RunRecord hostile_run(int i) {
  RunRecord r;
  r.run_id = fmt::format("bulk-{:03d}", i);
  r.pipeline = "demo";
  r.mode = RunMode::Warm;
  r.status = RunStatus::Passed;
  r.started_at = fmt::format("2026-11-27T15:00:{:02d}.000Z", i % 60);
  r.finished_at = r.started_at;
  r.labels = {{"branch", kHostileText[static_cast<size_t>(i) % kHostileText.size()]},
              {kHostileText[static_cast<size_t>(i + 1) % kHostileText.size()] + "key", "v"}};
  for (int k = 0; k < 4; ++k)
    r.phases.push_back(hostile_phase(k, i));
  if (i == 7) // a later phase replaces an earlier one at the same index
    r.phases.push_back(hostile_phase(1, i + 1));
  return r;
}

} // namespace

TEST_CASE("runs written in bulk read back as the same runs recorded phase by phase, whatever "
          "their text holds",
          "[store]") {
  FOR_EACH_BACKEND(backend);
  test::TempDir dir;
  // More runs than one INSERT of run rows takes (50), one of them given twice.
  std::vector<RunRecord> runs;
  for (int i = 0; i < 120; ++i)
    runs.push_back(hostile_run(i));
  runs.insert(runs.begin() + 60, runs[3]);

  Store bulk(test::fresh_store(backend, dir, "bulk"));
  CHECK(bulk.insert_runs(runs) == 120);
  CHECK(bulk.insert_runs(runs) == 0); // stored already: nothing written twice

  Store one_by_one(test::fresh_store(backend, dir, "one"));
  std::set<std::string> seen;
  for (const auto& r : runs) {
    if (!seen.insert(r.run_id).second)
      continue;
    RunRecord row = r;
    row.phases.clear();
    one_by_one.begin_run(row);
    for (const auto& p : r.phases)
      one_by_one.record_phase(r.run_id, p);
    one_by_one.finish_run(r);
  }
  for (const auto& id : seen) {
    INFO(id);
    auto a = bulk.load_run(id);
    auto b = one_by_one.load_run(id);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->phases.size() == b->phases.size());
    CHECK(a->labels == b->labels);
    CHECK(results_json(*a) == results_json(*b));
  }
  CHECK(bulk.load_run("bulk-007")->phases.size() == 4);
  // Numbers come back exact, at the ends of their range too.
  auto run = bulk.load_run("bulk-001");
  const PhaseRecord& p = run->phases.at(0);
  CHECK(p.wall_s == 1e-300);
  CHECK(p.sys_s == std::numeric_limits<double>::denorm_min());
  CHECK(p.max_rss_bytes == std::numeric_limits<int64_t>::max());
  CHECK(bulk.load_run("bulk-000")->phases.at(0).wall_s == 123456789.125);
}
