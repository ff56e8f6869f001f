// `ciperf sync` and the offline spool: runs copied whole, once, resumably, between real stores;
// a run whose store server is down records into the spool and exits with its own code.
#include "model/baseline.hpp"
#include "reports/run_list.hpp"
#include "store/store.hpp"
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fmt/format.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// A dead port: nothing listens on 1, so a PostgreSQL client is refused (and without PostgreSQL
// support the store says so); the password must appear nowhere.
constexpr const char* kDeadStore = "postgresql://ci:hunter2secret@127.0.0.1:1/x";

// Every phase of the pipeline stores something of its own: metrics, test cases, a wait, a
// service's costs; the run has labels and, cold, a prepare.
constexpr const char* kRichPipeline = R"(version: 1
pipeline: rich
cold: {prepare: 'true'}
phases:
  - {name: svc, background: true, run: 'sleep 30'}
  - name: build
    run: echo 'items 3 count' >> "$CIPERF_METRICS"
  - name: ready
    wait: {all: [{exec: 'true'}], timeout: 5s}
  - name: tests
    kind: test
    run: printf '<testsuite><testcase classname="a" name="x" time="0.5"/><testcase classname="a" name="y" time="0.1"><failure message="no"/></testcase></testsuite>' > cases.xml
    junit: cases.xml
)";

// `ciperf run` of `yaml` into `store` (a path or a URL), with its run directory in the sandbox.
CiperfRun run_into(const Sandbox& box, const std::string& yaml, const std::string& store,
                   std::vector<std::string> extra = {}, ProcessOptions options = {}) {
  static int counter = 0;
  CiperfRun r;
  auto file = box.write_pipeline(yaml, "pipeline-" + std::to_string(counter) + ".yml");
  r.run_dir = box.dir / ("sync-run-" + std::to_string(counter++));
  std::vector<std::string> args = {"run", file.string(), "--store",
                                   store, "--out",       r.run_dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  r.process = box.ciperf(args, options);
  if (fs::exists(r.run_dir / "results.json"))
    r.results = nlohmann::json::parse(read_file(r.run_dir / "results.json"));
  return r;
}

std::string runs_json(const Sandbox& box, const fs::path& store) {
  auto r = box.ciperf({"runs", "--store", store.string(), "--json", "--limit", "100000"});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::vector<std::string> run_ids(const fs::path& store) {
  std::vector<std::string> ids;
  for (auto& [id, status] :
       ciperf::Store(store.string(), ciperf::StoreAccess::ReadOnly).run_statuses())
    ids.push_back(id);
  return ids;
}

// What `show --json` prints for every run, read in-process (hundreds of runs).
std::map<std::string, std::string> every_run_json(const fs::path& store) {
  std::map<std::string, std::string> out;
  ciperf::Store s(store.string(), ciperf::StoreAccess::ReadOnly);
  s.for_each_run({}, [&](ciperf::RunRecord& run) {
    std::ostringstream text;
    ciperf::write_run_detail(run, ciperf::ViewFormat::Json, false, text);
    out[run.run_id] = text.str();
  });
  return out;
}

// Each run's `show --json` is byte-identical on both sides.
void require_same_shows(const Sandbox& box, const fs::path& a, const fs::path& b) {
  for (const auto& id : run_ids(a)) {
    INFO(id);
    auto left = box.ciperf({"show", id, "--store", a.string(), "--json"});
    auto right = box.ciperf({"show", id, "--store", b.string(), "--json"});
    REQUIRE(left.exit_code == 0);
    CHECK(left.out == right.out);
  }
}

// The same, and `runs --json` too.
void require_same_runs(const Sandbox& box, const fs::path& a, const fs::path& b) {
  REQUIRE(runs_json(box, a) == runs_json(box, b));
  require_same_shows(box, a, b);
}

ciperf::RunRecord synthetic_run(int i, int phases) {
  ciperf::RunRecord r;
  r.run_id = fmt::format("20261203T000000Z-{:012d}", i);
  r.pipeline = i % 2 ? "odd" : "even";
  r.status = ciperf::RunStatus::Passed;
  r.started_at = fmt::format("2026-12-03T{:02d}:{:02d}:{:02d}.000Z", i / 3600, i / 60 % 60, i % 60);
  r.finished_at = r.started_at;
  r.wall_s = i;
  r.labels = {{"n", std::to_string(i)}};
  for (int k = 0; k < phases; ++k) {
    ciperf::PhaseRecord& p = r.phases.emplace_back();
    p.index = k;
    p.name = "phase" + std::to_string(k);
    p.status = ciperf::PhaseStatus::Passed;
    p.exit_code = 0;
    p.wall_s = 0.001 * (i + k);
    p.metrics = {{"items", double(k), "count"}, {"bytes", double(i), "B"}};
    p.tests = {{"suite::case", ciperf::PhaseStatus::Passed, 0, 0.001 * k, ""}};
  }
  return r;
}

} // namespace

TEST_CASE("sync copies every run with all it carries, and a second sync copies nothing", "[sync]") {
  Sandbox box;
  fs::path src = box.dir / "src.db", dst = box.dir / "dst.db";
  auto normal = run_into(box, kRichPipeline, src.string(), {"--label", "branch=main"});
  auto cold = run_into(box, kRichPipeline, src.string(), {"--mode", "cold"});
  auto failed = run_into(box, "version: 1\npipeline: bad\nphases:\n  - {name: f, run: 'exit 3'}\n",
                         src.string());
  REQUIRE(normal.process.exit_code == 0);
  REQUIRE(cold.process.exit_code == 0);
  REQUIRE(failed.process.exit_code == 1);
  auto easy = box.write_pipeline(
      "version: 1\npipeline: easy\ncold: {prepare: 'true'}\nphases:\n  - {name: a, run: 'true'}\n",
      "easy.yml");
  REQUIRE(box.ciperf({"baseline", easy.string(), "--runs", "2", "--name", "b1", "--store",
                      src.string()})
              .exit_code == 0);
  {
    ciperf::Store s(src.string());
    s.accept_change({"easy", "*", normal.results["run_id"].get<std::string>(),
                     "2026-12-03T00:00:00.000Z", "why"});
    s.save_sweep({"sweep-1", "2026-12-03T00:00:00.000Z", "2026-12-03T00:01:00.000Z", "completed",
                  "easy", "1,2", 2, "margin", 2, "{}"});
  }
  // What the runs carry really is there to copy.
  CHECK(ciperf::test::phase(normal.results, "tests")["tests"].size() == 2);
  CHECK(ciperf::test::phase(normal.results, "build")["metrics"].size() == 1);
  CHECK(cold.results.contains("prepare"));

  auto first = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  size_t runs = run_ids(src).size();
  REQUIRE(runs == 7); // three, and the baseline's two rounds of a cold and a warm run
  CHECK_THAT(first.out, Contains(fmt::format("copied {}, already there 0", runs)));
  require_same_runs(box, src, dst);
  auto shown = nlohmann::json::parse(
      box.ciperf({"show", cold.results["run_id"], "--store", dst.string(), "--json"}).out);
  CHECK(shown["prepare"] == cold.results["prepare"]);
  REQUIRE(ciperf::test::phase(cold.results, "ready").contains("probe"));
  CHECK(ciperf::test::phase(shown, "ready").at("probe") ==
        ciperf::test::phase(cold.results, "ready").at("probe"));
  ciperf::Store d(dst.string(), ciperf::StoreAccess::ReadOnly);
  auto baseline = d.load_baseline("b1");
  REQUIRE(baseline);
  CHECK(baseline->phases.size() == ciperf::Store(src.string()).load_baseline("b1")->phases.size());
  CHECK(d.accepted_changes().size() == 1);
  CHECK(d.list_sweeps().size() == 1);

  auto second = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Contains(fmt::format("copied 0, already there {}", runs)));
  CHECK_THAT(second.out, !Contains("baselines") && !Contains("sweeps"));
  require_same_runs(box, src, dst);
}

TEST_CASE("a sync SIGKILLed mid-way leaves whole runs, and the next one copies the rest once",
          "[sync]") {
  Sandbox box;
  fs::path src = box.dir / "src.db";
  constexpr int kRuns = 400, kPhases = 40;
  {
    std::vector<ciperf::RunRecord> runs;
    for (int i = 0; i < kRuns; ++i)
      runs.push_back(synthetic_run(i, kPhases));
    ciperf::Store(src.string()).insert_runs(runs);
  }
  auto count = [](const fs::path& store) -> size_t {
    try {
      return ciperf::Store(store.string(), ciperf::StoreAccess::ReadOnly).count_runs({});
    } catch (const std::exception&) { // not created yet
      return 0;
    }
  };
  // The kill must land after the first batch and before the last: on a host so busy that the
  // sync finished first, try again into a fresh destination.
  fs::path dst;
  size_t copied_before_kill = 0;
  for (int attempt = 0; attempt < 3 && copied_before_kill == 0; ++attempt) {
    dst = box.dir / ("dst" + std::to_string(attempt) + ".db");
    BackgroundProcess sync({CIPERF_BINARY, "sync", "--from", src.string(), "--to", dst.string()});
    bool exited = false;
    for (int i = 0; i < 60'000 && count(dst) == 0 && !exited; ++i)
      exited = ::waitpid(sync.pid(), nullptr, WNOHANG) == sync.pid();
    if (!exited)
      ::kill(sync.pid(), SIGKILL);
    ::waitpid(sync.pid(), nullptr, 0);
    size_t n = count(dst);
    if (!exited && n < kRuns)
      copied_before_kill = n;
  }
  INFO("copied before the kill: " << copied_before_kill);
  REQUIRE(copied_before_kill > 0);
  REQUIRE(copied_before_kill < kRuns);
  // Whole runs only: each has every phase, its metrics and its test case.
  for (const auto& [id, json] : every_run_json(dst)) {
    auto run = nlohmann::json::parse(json);
    REQUIRE(run["phases"].size() == kPhases);
    CHECK(run["phases"][kPhases - 1]["metrics"].size() == 2);
    CHECK(run["phases"][kPhases - 1]["tests"].size() == 1);
  }

  auto resumed = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Contains(fmt::format("copied {}, already there {}",
                                               kRuns - copied_before_kill, copied_before_kill)));
  CHECK(run_ids(dst) == run_ids(src)); // every run once, in the source's order
  CHECK(runs_json(box, src) == runs_json(box, dst));
  CHECK(every_run_json(src) == every_run_json(dst));
  for (const auto& id : {run_ids(src).front(), run_ids(src).back()}) // and through the binary
    CHECK(box.ciperf({"show", id, "--store", src.string(), "--json"}).out ==
          box.ciperf({"show", id, "--store", dst.string(), "--json"}).out);
}

TEST_CASE("a run still incomplete is held back, and replaces its incomplete copy once finished",
          "[sync]") {
  Sandbox box;
  fs::path src = box.dir / "src.db", dst = box.dir / "dst.db";
  ciperf::RunRecord running = synthetic_run(1, 2);
  {
    ciperf::Store s(src.string());
    s.insert_runs({synthetic_run(0, 2)});
    s.begin_run(running); // recorded as started, phases yet to come
    s.record_phase(running.run_id, running.phases[0]);
    s.insert_runs({synthetic_run(2, 2)});
  }
  auto held = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  REQUIRE(held.exit_code == 0);
  CHECK_THAT(held.out, Contains("copied 2, already there 0, skipped incomplete 1"));
  CHECK(run_ids(dst).size() == 2);

  auto forced =
      box.ciperf({"sync", "--from", src.string(), "--to", dst.string(), "--include-incomplete"});
  REQUIRE(forced.exit_code == 0);
  CHECK_THAT(forced.out, Contains("copied 1, already there 2, skipped incomplete 0"));
  CHECK(
      nlohmann::json::parse(
          box.ciperf({"show", running.run_id, "--store", dst.string(), "--json"}).out)["status"] ==
      "incomplete");

  ciperf::Store(src.string()).record_phase(running.run_id, running.phases[1]);
  ciperf::Store(src.string()).finish_run(running);
  auto order = run_ids(dst);
  auto updated = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  REQUIRE(updated.exit_code == 0);
  CHECK_THAT(updated.out, Contains("copied 0, updated 1 (incomplete there), already there 2"));
  CHECK(run_ids(dst) == order); // in place: the run keeps its position in the list
  require_same_shows(box, src, dst);
  auto again = box.ciperf({"sync", "--from", src.string(), "--to", dst.string()});
  CHECK_THAT(again.out, Contains("copied 0, already there 3, skipped incomplete 0"));
}

TEST_CASE("a run whose store server is down records into the spool and keeps its exit code",
          "[sync]") {
  Sandbox box;
  fs::path spool = box.dir / "spool.db";
  ProcessOptions options;
  options.env = {"CIPERF_SPOOL=" + spool.string()};
  auto failing =
      run_into(box, "version: 1\npipeline: down\nphases:\n  - {name: f, run: 'exit 7'}\n",
               kDeadStore, {}, options);
  INFO(failing.process.err);
  CHECK(failing.process.exit_code == 1); // the pipeline's own failure, not the store's
  auto passing = run_into(box, "version: 1\npipeline: down\nphases:\n  - {name: p, run: 'true'}\n",
                          kDeadStore, {}, options);
  CHECK(passing.process.exit_code == 0);
  for (const auto& r : {failing.process, passing.process}) {
    std::string everything = r.out + r.err;
    CHECK_THAT(everything, !Contains("hunter2secret"));
    size_t warnings = 0;
    for (size_t at = r.err.find("warning:"); at != std::string::npos;
         at = r.err.find("warning:", at + 1))
      ++warnings;
    CHECK(warnings == 1);
    CHECK_THAT(r.err, Contains("postgresql://ci:***@127.0.0.1:1/x") && Contains("unavailable") &&
                          Contains("ciperf sync --from " + spool.string() + " --to "));
  }
  REQUIRE(run_ids(spool).size() == 2);

  fs::path other = box.dir / "other.db";
  auto pushed = box.ciperf({"sync", "--from", spool.string(), "--to", other.string()});
  REQUIRE(pushed.exit_code == 0);
  CHECK_THAT(pushed.out, Contains("copied 2"));
  require_same_runs(box, spool, other);
  CHECK(run_ids(other) ==
        std::vector<std::string>{failing.results["run_id"], passing.results["run_id"]});

  // With the store reachable, --sync (or CIPERF_SYNC=1) pushes the spool after the run; a spool
  // already pushed is not copied twice.
  fs::path shared = box.dir / "shared.db";
  auto later = run_into(box, "version: 1\npipeline: up\nphases:\n  - {name: p, run: 'true'}\n",
                        shared.string(), {"--sync"}, options);
  REQUIRE(later.process.exit_code == 0);
  CHECK_THAT(later.process.out, Contains("copied 2"));
  CHECK(run_ids(shared).size() == 3);
  options.env.push_back("CIPERF_SYNC=1");
  auto again = run_into(box, "version: 1\npipeline: up\nphases:\n  - {name: p, run: 'true'}\n",
                        shared.string(), {}, options);
  REQUIRE(again.process.exit_code == 0);
  CHECK_THAT(again.process.out, Contains("copied 0, already there 2"));
  CHECK(run_ids(shared).size() == 4);
  // --sync with the store still down: the run is spooled, exits with its own code, one warning.
  auto still_down =
      run_into(box, "version: 1\npipeline: down\nphases:\n  - {name: p, run: 'true'}\n", kDeadStore,
               {"--sync"}, options);
  CHECK(still_down.process.exit_code == 0);
  CHECK_THAT(still_down.process.err, !Contains("hunter2secret"));
  CHECK_THAT(still_down.process.err, Contains("warning:") && !Contains("--sync:"));
  CHECK(run_ids(spool).size() == 3);

  // Without --from, a store given as a URL means the local runs are in the spool.
  ProcessOptions shared_env;
  shared_env.env = {"CIPERF_SPOOL=" + spool.string(), std::string("CIPERF_STORE=") + kDeadStore};
  fs::path fresh = box.dir / "fresh.db";
  auto by_default = box.ciperf({"sync", "--to", fresh.string()}, shared_env);
  REQUIRE(by_default.exit_code == 0);
  CHECK_THAT(by_default.out, Contains("copied 3"));
  CHECK(run_ids(fresh) == run_ids(spool));
}

TEST_CASE("sync refuses a missing source, one store as both ends, an unwritable destination",
          "[sync]") {
  Sandbox box;
  fs::path src = box.dir / "src.db";
  ciperf::Store(src.string()).insert_runs({synthetic_run(0, 1)});

  auto missing = box.ciperf({"sync", "--from", (box.dir / "none.db").string(), "--to", "x.db"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("no store at") && Contains("none.db"));
  CHECK_FALSE(fs::exists(box.dir / "x.db"));

  auto same = box.ciperf({"sync", "--from", src.string(), "--to", "./src.db"});
  CHECK(same.exit_code == 2);
  CHECK_THAT(same.err, Contains("the same store"));

  auto no_to = box.ciperf({"sync", "--from", src.string()});
  CHECK(no_to.exit_code == 2);
  CHECK_THAT(no_to.err, Contains("--to"));

  auto dead = box.ciperf({"sync", "--from", src.string(), "--to", kDeadStore});
  CHECK(dead.exit_code == 3); // ciperf could not do its work: not the user's input
  CHECK_THAT(dead.err, Contains("unavailable") && !Contains("hunter2secret"));

  auto ro = box.dir / "readonly";
  fs::create_directory(ro);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(box.dir.path(), fs::perms::all); // root drops to nobody below: let it in
  fs::permissions(src, fs::perms::all);
  ProcessOptions options;
  options.as_nobody = ::geteuid() == 0; // root ignores permission bits
  options.cwd = box.dir.path();
  auto binary = box.dir / "ciperf";
  fs::copy_file(CIPERF_BINARY, binary);
  auto unwritable = run_process(
      {binary.string(), "sync", "--from", src.string(), "--to", (ro / "d.db").string()}, options);
  CHECK(unwritable.exit_code == 2);
  CHECK_THAT(unwritable.err, Contains("readonly is not writable"));
  CHECK(box.ciperf({"sync", "--from", src.string(), "--to", (box.dir / "ok.db").string()})
            .exit_code == 0);
}
