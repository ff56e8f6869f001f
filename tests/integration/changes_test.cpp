// `ciperf changes` on histories imported from results.json files written by ciperf's own writer:
// planted steps found at the right run and labelled by cause, acceptance, host classes, and an
// A/A history within the documented false-alarm rate.
#include "analysis/change_points.hpp"
#include "analysis/step_simulation.hpp"
#include "reports/results_json.hpp"
#include "support/ciperf_run.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>

namespace ciperf {
namespace {

using nlohmann::json;

struct PlannedPhase {
  std::string name;
  std::vector<double> wall, cpu;
};

// A run of the history: phase figures from the planned series at `index`.
RunRecord history_run(size_t index, const std::vector<PlannedPhase>& phases,
                      const std::string& kernel, const std::string& cpu_model) {
  RunRecord r;
  r.run_id = fmt::format("20260101T000000Z-{:012x}", index + 1);
  r.pipeline = "recipe";
  r.status = RunStatus::Passed;
  r.started_at = fmt::format("2026-01-{:02d}T{:02d}:{:02d}:00.000Z", 1 + index / 1440,
                             index / 60 % 24, index % 60);
  r.finished_at = r.started_at;
  r.host = {"runner-1", 2, 24LL << 30, kernel, cpu_model, "kvm"};
  r.labels["commit"] = fmt::format("c{:04d}", index);
  double start = 0;
  for (const auto& planned : phases) {
    PhaseRecord p;
    p.index = static_cast<int>(r.phases.size());
    p.name = planned.name;
    p.kind = PhaseKind::Other;
    p.status = PhaseStatus::Passed;
    p.exit_code = 0;
    p.start_s = start;
    p.wall_s = planned.wall[index];
    p.user_s = planned.cpu[index];
    p.max_rss_bytes = 50 << 20;
    start += p.wall_s;
    r.phases.push_back(p);
  }
  r.wall_s = start;
  return r;
}

// Writes each run's results.json under dir and imports them all into the sandbox's store.
void import_history(const test::Sandbox& box, const std::vector<RunRecord>& runs) {
  std::vector<std::string> args = {"import", "--store", box.store().string()};
  for (const auto& r : runs) {
    auto file = box.dir / "history" / (r.run_id + ".json");
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << results_json(r);
    args.push_back(file.string());
  }
  auto imported = box.ciperf(args);
  REQUIRE(imported.exit_code == 0);
}

std::vector<double> series(size_t runs, double level, std::vector<Step> steps, uint64_t seed) {
  std::mt19937_64 rng(seed);
  StepSeriesSpec spec;
  spec.runs = runs;
  spec.level = level;
  spec.steps = std::move(steps);
  return simulate_steps(spec, rng);
}

// The change of `metric` in `phase` (null: the run total) nearest run `index`, or null.
const json* change_near(const json& changes, const json& phase, const std::string& metric,
                        size_t index, size_t tolerance = 2) {
  for (const auto& c : changes) {
    if (c["phase"] != phase || c["metric"] != metric)
      continue;
    auto id = c["run_id"].get<std::string>();
    size_t at = std::stoul(id.substr(id.size() - 12), nullptr, 16) - 1;
    if ((at > index ? at - index : index - at) <= tolerance)
      return &c;
  }
  return nullptr;
}

} // namespace

TEST_CASE("changes finds planted steps at their run and labels code and environment [changes]",
          "[changes]") {
  // 4 phases over 320 runs: `test` gets 20% slower at run 120 with its CPU (code); every phase
  // 15% slower at run 200 (the host); `build` 12% slower at run 260 as the kernel changes.
  constexpr size_t kRuns = 320;
  std::vector<PlannedPhase> phases;
  const char* names[] = {"build", "deploy", "test", "teardown"};
  for (int i = 0; i < 4; ++i) {
    std::vector<Step> steps;
    if (i == 2)
      steps.push_back({120, 0.20});
    steps.push_back({200, 0.15});
    if (i == 0)
      steps.push_back({260, 0.12});
    auto wall = series(kRuns, 1.0 + i, steps, 100 + i);
    std::vector<Step> cpu_steps;
    if (i == 2)
      cpu_steps.push_back({120, 0.20});
    auto cpu = series(kRuns, 0.8 + i, cpu_steps, 200 + i);
    phases.push_back({names[i], wall, cpu});
  }
  std::vector<RunRecord> runs;
  for (size_t i = 0; i < kRuns; ++i)
    runs.push_back(history_run(i, phases, i < 260 ? "Linux 6.1.0" : "Linux 6.5.0", "AMD EPYC"));
  test::Sandbox box;
  import_history(box, runs);

  auto result = box.ciperf({"changes", "--store", box.store().string(), "--json"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 1); // the code change at 120 slowed `test`: not accepted yet
  auto doc = json::parse(result.out);
  REQUIRE(doc["histories"].size() == 1);
  const auto& changes = doc["histories"][0]["changes"];

  const json* code = change_near(changes, "test", "wall", 120);
  REQUIRE(code != nullptr);
  CHECK((*code)["cause"] == "code");
  CHECK((*code)["why"].get<std::string>().find("cpu") != std::string::npos);
  CHECK((*code)["relative_change"].get<double>() == Approx(0.20).margin(0.04));
  CHECK((*code)["labels"]["commit"].get<std::string>().rfind("c01", 0) == 0);
  const json* cpu = change_near(changes, "test", "cpu", 120);
  REQUIRE(cpu != nullptr);

  for (const char* name : names) {
    const json* host = change_near(changes, name, "wall", 200);
    INFO(name);
    REQUIRE(host != nullptr);
    CHECK((*host)["cause"] == "environment");
  }
  const json* total_host = change_near(changes, nullptr, "wall", 200);
  REQUIRE(total_host != nullptr);
  CHECK((*total_host)["cause"] == "environment");
  const json* total_code = change_near(changes, nullptr, "wall", 120);
  REQUIRE(total_code != nullptr);
  CHECK((*total_code)["cause"] == "code");
  CHECK((*total_code)["why"].get<std::string>().find("test") != std::string::npos);

  const json* kernel = change_near(changes, "build", "wall", 260);
  REQUIRE(kernel != nullptr);
  CHECK((*kernel)["cause"] == "environment");
  CHECK((*kernel)["why"].get<std::string>().find("kernel") != std::string::npos);

  // Nothing else: the other phases and figures held still.
  size_t expected = 0;
  for (const auto& c : changes)
    expected += change_near(json::array({c}), c["phase"], c["metric"], 120) ||
                change_near(json::array({c}), c["phase"], c["metric"], 200) ||
                change_near(json::array({c}), c["phase"], c["metric"], 260);
  CHECK(expected == changes.size());

  SECTION("accepting the code change leaves only the environment's: exit 4, then 0") {
    auto first_after = (*code)["run_id"].get<std::string>();
    REQUIRE(box.ciperf({"changes", "--store", box.store().string(), "--accept", first_after,
                        "--note", "new test suite"})
                .exit_code == 0);
    auto again = box.ciperf({"changes", "--store", box.store().string(), "--json"});
    CHECK(again.exit_code == 4);
    auto accepted = json::parse(again.out)["histories"][0]["changes"];
    CHECK((*change_near(accepted, "test", "wall", 120))["accepted"] == true);
    CHECK((*change_near(accepted, nullptr, "wall", 200))["accepted"] == false);
    for (const auto* c : {total_host, kernel})
      REQUIRE(box.ciperf({"changes", "--store", box.store().string(), "--accept",
                          (*c)["run_id"].get<std::string>()})
                  .exit_code == 0);
    CHECK(box.ciperf({"changes", "--store", box.store().string()}).exit_code == 0);
  }
}

TEST_CASE("changes finds a step in a phase's peak memory read back from the store", "[changes]") {
  // Wall and CPU hold still; `build`'s tree peak doubles at run 60 (a dependency that loads
  // twice the data). The store must hand the memory figures to the detector.
  constexpr size_t kRuns = 120;
  std::vector<PlannedPhase> phases;
  for (int i = 0; i < 2; ++i)
    phases.push_back({i == 0 ? "build" : "test", series(kRuns, 1.0, {}, 500 + i),
                      series(kRuns, 0.8, {}, 600 + i)});
  auto peak = series(kRuns, 100.0 * (1 << 20), {{60, 1.0}}, 700);
  std::vector<RunRecord> runs;
  for (size_t i = 0; i < kRuns; ++i) {
    runs.push_back(history_run(i, phases, "Linux 6.1.0", "AMD EPYC"));
    runs.back().accounting = Accounting::Cgroup;
    runs.back().phases[0].tree_memory_peak_bytes = static_cast<int64_t>(peak[i]);
  }
  test::Sandbox box;
  import_history(box, runs);

  auto result = box.ciperf({"changes", "--store", box.store().string(), "--json"});
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0); // memory grew; no phase got slower
  auto doc = json::parse(result.out);
  const auto& changes = doc["histories"][0]["changes"];
  const json* memory = change_near(changes, "build", "memory", 60);
  REQUIRE(memory != nullptr);
  CHECK((*memory)["cause"] == "code");
  CHECK((*memory)["relative_change"].get<double>() == Approx(1.0).margin(0.2));
  CHECK(change_near(changes, "test", "memory", 60, kRuns) == nullptr);
}

TEST_CASE("changes keeps host classes apart unless asked, and says when it mixes them",
          "[changes]") {
  // 60 runs on one CPU model, 60 on a slower one: two histories without a step each; mixed,
  // the step between them is there and labelled environment.
  constexpr size_t kRuns = 120;
  std::vector<PlannedPhase> phases;
  for (int i = 0; i < 3; ++i)
    phases.push_back({fmt::format("p{}", i), series(kRuns, 1.0, {{60, 0.3}}, 300 + i),
                      series(kRuns, 0.9, {{60, 0.3}}, 400 + i)});
  std::vector<RunRecord> runs;
  for (size_t i = 0; i < kRuns; ++i)
    runs.push_back(history_run(i, phases, "Linux 6.1.0", i < 60 ? "AMD EPYC" : "Intel Atom"));
  test::Sandbox box;
  import_history(box, runs);

  auto apart = box.ciperf({"changes", "--store", box.store().string(), "--json"});
  INFO(apart.out << apart.err);
  REQUIRE(apart.exit_code == 0);
  auto doc = json::parse(apart.out);
  REQUIRE(doc["histories"].size() == 2);
  for (const auto& h : doc["histories"])
    CHECK(h["changes"].empty());

  auto mixed = box.ciperf({"changes", "--store", box.store().string(), "--any-host"});
  INFO(mixed.out);
  CHECK(mixed.exit_code == 4);
  CHECK(mixed.out.find("mixes 2 host classes") != std::string::npos);
  CHECK(mixed.out.find("host class AMD EPYC") != std::string::npos);
}

TEST_CASE("an A/A history of 2,000 runs stays within the documented false-alarm rate",
          "[changes]") {
  // README: at most 1 false change point per 1,000 runs and series. 2,000 runs of 2 phases, run
  // total included: 3 series × 2 × 5 figures could give at most a handful; the bound is checked
  // on the wall series, CPU series and the total.
  constexpr size_t kRuns = 2000;
  std::vector<PlannedPhase> phases;
  for (int i = 0; i < 2; ++i)
    phases.push_back(
        {fmt::format("p{}", i), series(kRuns, 1.0, {}, 500 + i), series(kRuns, 0.9, {}, 600 + i)});
  std::vector<RunRecord> runs;
  for (size_t i = 0; i < kRuns; ++i)
    runs.push_back(history_run(i, phases, "Linux 6.1.0", "AMD EPYC"));
  test::Sandbox box;
  import_history(box, runs);
  auto result = box.ciperf({"changes", "--store", box.store().string(), "--json"});
  INFO(result.out << result.err);
  auto changes = json::parse(result.out)["histories"][0]["changes"];
  // 5 series (2 walls, 2 CPUs, the total) × 2 per series at 1 per 1,000 runs.
  CHECK(changes.size() <= 10);
  CHECK(result.exit_code != 2);
}

TEST_CASE("report trends keep to the run's host class", "[changes]") {
  // 20 runs on one CPU model at 1 s a phase, then 10 on a slower one at 1.3 s. The newest run's
  // trends hold its own class's runs: no step. Had they mixed, the class change would be one.
  constexpr size_t kRuns = 30;
  std::vector<PlannedPhase> phases;
  for (int i = 0; i < 2; ++i)
    phases.push_back({fmt::format("p{}", i), series(kRuns, 1.0, {{20, 0.3}}, 800 + i),
                      series(kRuns, 0.9, {{20, 0.3}}, 900 + i)});
  auto report_of = [&](bool classes_change) {
    std::vector<RunRecord> runs;
    for (size_t i = 0; i < kRuns; ++i)
      runs.push_back(history_run(i, phases, "Linux 6.1.0",
                                 classes_change && i >= 20 ? "Intel Atom" : "AMD EPYC"));
    test::Sandbox box;
    import_history(box, runs);
    auto md = box.ciperf({"report", "--format", "md", "--store", box.store().string()});
    REQUIRE(md.exit_code == 0);
    return md.out;
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(report_of(false), Contains("Change points over the last 30 runs"));
  CHECK_THAT(report_of(true), !Contains("Change points over the last"));
}

} // namespace ciperf

namespace ciperf {

TEST_CASE("compare without a baseline judges against the history since the accepted change",
          "[changes]") {
  // `test` is 25% slower from run 60. Runs 60-74 judged against the 30 runs before them are
  // regressed. Once the change at run 60 is accepted, runs 70-74 are judged against the history
  // back to it (runs 60-69, the new level), and are not.
  constexpr size_t kRuns = 75;
  std::vector<PlannedPhase> phases;
  const char* names[] = {"build", "test"};
  for (int i = 0; i < 2; ++i)
    phases.push_back({names[i],
                      series(kRuns, 1.0 + i,
                             i == 1 ? std::vector<Step>{{60, 0.25}} : std::vector<Step>{}, 700 + i),
                      series(kRuns, 0.9, {}, 800 + i)});
  std::vector<RunRecord> runs;
  for (size_t i = 0; i < kRuns; ++i)
    runs.push_back(history_run(i, phases, "Linux 6.1.0", "AMD EPYC"));
  test::Sandbox box;
  import_history(box, runs);
  std::string store = box.store().string();
  auto compare = [&](size_t after, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"compare",    "--since", runs[after].run_id,
                                     "--pipeline", "recipe",  "--store",
                                     store,        "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return box.ciperf(args);
  };
  // --since takes every later run: runs 60-74, all at the new level.
  auto before = compare(59);
  INFO(before.out << before.err);
  REQUIRE(before.exit_code == 1);
  auto doc = json::parse(before.out);
  CHECK(doc["baseline"] == "history");
  CHECK(doc["history"].get<std::string>().find("the 30 runs of recipe (normal)") !=
        std::string::npos);

  REQUIRE(box.ciperf({"changes", "--store", store, "--accept", runs[60].run_id}).exit_code == 0);
  auto after = compare(69);
  INFO(after.out << after.err);
  CHECK(after.exit_code != 1);
  CHECK(after.exit_code != 2);
  auto accepted = json::parse(after.out);
  CHECK(accepted["history"].get<std::string>().find("the 10 runs") != std::string::npos);
  CHECK(accepted["history"].get<std::string>().find(runs[60].run_id) != std::string::npos);

  SECTION("--history and --baseline exclude each other, and the text names the history") {
    auto both = box.ciperf(
        {"compare", "--since", runs[69].run_id, "--store", store, "--history", "--baseline", "x"});
    CHECK(both.exit_code == 2);
    auto text = box.ciperf({"compare", "--since", runs[69].run_id, "--store", store, "--history"});
    CHECK(text.out.find("against its history: the 10 runs") != std::string::npos);
  }
}

} // namespace ciperf

namespace ciperf {

TEST_CASE("compare refuses candidates of another host class than the baseline's unless asked",
          "[changes]") {
  test::Sandbox box;
  auto file = box.write_pipeline("version: 1\npipeline: tiny\ncold: {prepare: 'true'}\nphases:\n"
                                 "  - {name: a, run: 'true'}\n  - {name: b, run: 'true'}\n");
  std::string store = box.store().string();
  REQUIRE(box.ciperf({"baseline", file.string(), "--runs", "2", "--name", "here", "--store", store})
              .exit_code == 0);
  auto session = json::parse(box.ciperf({"runs", "--json", "--store", store}).out);
  std::string mark = session.back()["run_id"]; // the oldest: --since reaches the session's runs,
                                               // which compare leaves out as the baseline's own
  auto run =
      json::parse(box.ciperf({"show", session[0]["run_id"], "--json", "--store", store}).out);
  // Three runs of the same pipeline recorded on another machine, imported.
  std::vector<std::string> args = {"import", "--store", store};
  for (int i = 0; i < 3; ++i) {
    run["run_id"] = fmt::format("20990101T000000Z-00000000000{}", i);
    run["mode"] = "normal";
    run["labels"] = json::object(); // not the session's
    run["host"]["cpu_model"] = "Other CPU 9000";
    auto path = box.dir / fmt::format("other-{}.json", i);
    std::ofstream(path) << run.dump();
    args.push_back(path.string());
  }
  REQUIRE(box.ciperf(args).exit_code == 0);

  auto refused = box.ciperf({"compare", "--since", mark, "--baseline", "here", "--store", store});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("host class Other CPU 9000") != std::string::npos);
  CHECK(refused.err.find("--any-host") != std::string::npos);

  auto mixed = box.ciperf(
      {"compare", "--since", mark, "--baseline", "here", "--any-host", "--store", store});
  INFO(mixed.out << mixed.err);
  CHECK(mixed.exit_code != 2);
  CHECK(mixed.err.find("judged anyway (--any-host)") != std::string::npos);

  // Against the history, candidates of two classes have no one history to be judged against.
  auto two = box.ciperf({"compare", "--since", mark, "--history", "--store", store});
  CHECK(two.exit_code == 2);
  CHECK(two.err.find("the candidates ran on 2 host classes") != std::string::npos);
  auto every =
      box.ciperf({"compare", "--since", mark, "--history", "--any-host", "--store", store});
  INFO(every.err);
  CHECK(every.exit_code != 2);
  CHECK(every.out.find("on host class any") != std::string::npos);
}

} // namespace ciperf

namespace ciperf {

TEST_CASE("steady series of few distinct values raise no change", "[changes]") {
  // Timings that take a few values (a 1 ms clock, a phase that is 1.0 s or 1.3 s at random):
  // the MAD of their differences is 0, and a noise taken from it alone made every wiggle a change.
  std::mt19937_64 rng(11);
  std::vector<double> bimodal, clock, alternating;
  for (int i = 0; i < 2000; ++i) {
    bimodal.push_back(rng() % 10 < 7 ? 1.0 : 1.3);
    clock.push_back(0.001 * static_cast<double>(rng() % 3));
    alternating.push_back(i % 2 ? 2.0 : 2.2);
  }
  CHECK(find_change_points(bimodal).size() <= 2);
  CHECK(find_change_points(clock).empty()); // 0-2 ms: under the 5% rule's resolution too
  CHECK(find_change_points(alternating).empty());
  // A real step in the same kind of series is still found.
  for (int i = 1000; i < 2000; ++i)
    bimodal[static_cast<size_t>(i)] *= 1.2;
  auto found = find_change_points(bimodal);
  REQUIRE(!found.empty());
  CHECK(std::any_of(found.begin(), found.end(), [](const ChangePoint& c) {
    return c.at >= 995 && c.at <= 1005 && c.relative_change > 0.1;
  }));
}

} // namespace ciperf

namespace ciperf {

TEST_CASE("changes orders runs by start and accepts per history and judges a kernel at the run",
          "[changes]") {
  // Two host classes of one pipeline, each 60 runs with `build` +30% at its own run 30, imported
  // newest half first; the kernel changes at run 20 of the first class only, 10 runs before its
  // step.
  std::vector<PlannedPhase> phases = {
      {"build", series(60, 1.0, {{30, 0.3}}, 900), series(60, 0.9, {}, 901)},
      {"test", series(60, 2.0, {}, 902), series(60, 1.8, {}, 903)}};
  std::vector<RunRecord> first, second;
  for (size_t i = 0; i < 60; ++i) {
    auto amd = history_run(i, phases, i < 20 ? "Linux 6.1.0" : "Linux 6.5.0", "AMD EPYC");
    auto intel = history_run(i, phases, "Linux 6.1.0", "Intel Xeon");
    intel.run_id = fmt::format("20260101T000000Z-{:012x}", 1000 + i);
    (i < 30 ? second : first).push_back(amd); // the later half is recorded first
    first.push_back(intel);
  }
  test::Sandbox box;
  import_history(box, first);
  import_history(box, second);
  std::string store = box.store().string();

  auto listed = box.ciperf({"changes", "--store", store, "--json"});
  INFO(listed.out << listed.err);
  REQUIRE(listed.exit_code == 1);
  auto doc = json::parse(listed.out);
  REQUIRE(doc["histories"].size() == 2);
  for (const auto& h : doc["histories"]) {
    bool intel = h["host_class"].get<std::string>().rfind("Intel", 0) == 0;
    const json* step = change_near(h["changes"], "build", "wall", intel ? 1029 : 30); // id − 1
    INFO(h["host_class"]);
    REQUIRE(step != nullptr); // found at run 30 although half the runs came in late
    CHECK((*step)["relative_change"].get<double>() > 0.2);
    CHECK((*step)["cause"] == "code"); // the kernel changed 10 runs earlier: not this change
  }
  // Accepting the AMD step leaves the Intel one alerting.
  std::string amd_step = fmt::format("20260101T000000Z-{:012x}", 31);
  REQUIRE(box.ciperf({"changes", "--store", store, "--accept", amd_step}).exit_code == 0);
  CHECK(box.ciperf({"changes", "--store", store}).exit_code == 1);
  auto typo = box.ciperf({"changes", "--store", store, "--accept", amd_step, "--phase", "buidl"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("has no such phase") != std::string::npos);
}

} // namespace ciperf
