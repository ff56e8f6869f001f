// Ctrl-C, SIGTERM and SIGKILL sent to ciperf itself in the middle of a phase.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace ciperf::test;

namespace {

constexpr const char* kLongPhase = R"(version: 1
phases:
  - {name: long, run: "echo $$ > long.pid; sleep 1000 & echo $! > child.pid; touch started; wait"}
  - {name: later, run: "touch later-ran"}
  - {name: teardown, always: true, run: "touch teardown-ran"}
)";

void check_interrupted(int sig) {
  Sandbox box;
  ProcessOptions options;
  options.signal = sig;
  options.signal_when_exists = box.dir / "started";
  auto r = box.run(kLongPhase, {}, options);
  CHECK(r.process.exit_code == 130);
  REQUIRE(r.results.is_object());
  CHECK(r.results["status"] == "interrupted");
  CHECK(phase(r.results, "long")["status"] == "interrupted");
  CHECK(phase(r.results, "later")["status"] == "skipped");
  CHECK(phase(r.results, "teardown")["status"] == "passed");
  CHECK(std::filesystem::exists(box.dir / "teardown-ran"));
  CHECK_FALSE(std::filesystem::exists(box.dir / "later-ran"));
  CHECK(r.process.wall_s < 10);
  for (const char* pid_file : {"long.pid", "child.pid"})
    CHECK_FALSE(process_alive(std::stoi(read_file(box.dir / pid_file))));
  auto runs = box.ciperf({"runs", "--store", box.store().string(), "--json"});
  CHECK(nlohmann::json::parse(runs.out).at(0)["status"] == "interrupted");
}

} // namespace

TEST_CASE("SIGINT to ciperf ends the phase, runs always phases, exits 130", "[signals][serial]") {
  check_interrupted(SIGINT);
}

TEST_CASE("SIGTERM to ciperf ends the phase, runs always phases, exits 130", "[signals][serial]") {
  check_interrupted(SIGTERM);
}

TEST_CASE("SIGKILL to ciperf leaves the run marked incomplete, not torn", "[signals]") {
  Sandbox box;
  ProcessOptions options;
  options.signal = SIGKILL;
  options.signal_when_exists = box.dir / "started";
  auto r = box.run(R"(version: 1
phases:
  - {name: first, run: "true"}
  - {name: long, run: "echo $$ > long.pid; touch started; exec sleep 1000"}
)",
                   {}, options);
  CHECK(r.process.term_signal == SIGKILL);
  auto runs = box.ciperf({"runs", "--store", box.store().string(), "--json"});
  REQUIRE(runs.exit_code == 0);
  auto list = nlohmann::json::parse(runs.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["status"] == "incomplete");
  auto show = box.ciperf({"show", list[0]["run_id"], "--store", box.store().string(), "--json"});
  REQUIRE(show.exit_code == 0);
  auto stored = nlohmann::json::parse(show.out);
  REQUIRE(stored["phases"].size() == 1); // the finished phase, whole
  CHECK(stored["phases"][0]["name"] == "first");
  // The checkpoint written when the run started is there, and valid.
  require_valid_results(r.run_dir / "results.json");
  // The phase's main process dies with ciperf (parent-death signal).
  int pid = std::stoi(read_file(box.dir / "long.pid"));
  for (int i = 0; i < 100 && process_alive(pid); ++i)
    ::usleep(10'000);
  CHECK_FALSE(process_alive(pid));
}
