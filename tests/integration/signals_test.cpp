// Ctrl-C, SIGTERM and SIGKILL sent to ciperf itself in the middle of a phase.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <unistd.h>

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

TEST_CASE("SIGHUP to ciperf is an interrupt: teardown runs, results are written, exits 130",
          "[signals][serial]") {
  check_interrupted(SIGHUP);
}

TEST_CASE("a second Ctrl-C kills a phase that sits out its grace period ignoring SIGTERM",
          "[signals][serial]") {
  Sandbox box;
  ProcessOptions options;
  options.signal = SIGINT;
  options.signal_when_exists = box.dir / "started";
  options.second_signal = SIGINT;
  options.second_signal_when_exists = box.dir / "term-seen"; // the grace period has begun
  auto r = box.run(R"(version: 1
phases:
  - name: stubborn
    grace: 30s
    run: "trap 'touch term-seen' TERM; touch started; while :; do sleep 0.05; done"
  - {name: teardown, always: true, run: "touch teardown-ran"}
)",
                   {}, options);
  CHECK(r.process.exit_code == 130);
  CHECK(r.process.wall_s < 10); // not the 30 s grace
  REQUIRE(r.results.is_object());
  CHECK(phase(r.results, "stubborn")["status"] == "interrupted");
  CHECK(std::filesystem::exists(box.dir / "teardown-ran"));
}

namespace {

// A service and phases that leave grandchildren behind, in their group and in sessions of their
// own, then ciperf is SIGKILLed while the last phase runs.
constexpr const char* kLeavesGrandchildren = R"(version: 1
phases:
  - name: service
    background: true
    run: "sleep 1000 & echo $! > svc-child.pid; setsid sleep 1000 & echo $! > svc-daemon.pid; wait"
  - {name: detach, run: "setsid sleep 1000 > /dev/null 2>&1 & echo $! > detached.pid"}
  - name: long
    run: "sleep 1000 & echo $! > child.pid; setsid sleep 1000 & echo $! > daemon.pid; sleep 0.2; touch started; wait"
)";

void check_dead(const Sandbox& box, const std::vector<const char*>& pid_files) {
  for (const char* pid_file : pid_files) {
    INFO(pid_file);
    int pid = std::stoi(read_file(box.dir / pid_file));
    for (int i = 0; i < 300 && process_alive(pid); ++i)
      ::usleep(10'000);
    CHECK_FALSE(process_alive(pid));
  }
}

CiperfRun sigkill_while_long_runs(const Sandbox& box, bool as_nobody) {
  ProcessOptions options;
  options.signal = SIGKILL;
  options.signal_when_exists = box.dir / "started";
  options.as_nobody = as_nobody;
  if (as_nobody)
    std::filesystem::permissions(box.dir.path(), std::filesystem::perms::all);
  auto r = box.run(kLeavesGrandchildren, {}, options);
  CHECK(r.process.term_signal == SIGKILL);
  return r;
}

// cgroup directories named after `run_id` beside the test's own cgroups (v2, and v1 memory).
int cgroup_dirs_of(const std::string& run_id) {
  std::vector<std::filesystem::path> parents;
  std::ifstream groups("/proc/self/cgroup");
  std::string line;
  while (std::getline(groups, line)) {
    auto second = line.find(':', line.find(':') + 1);
    std::string controllers = line.substr(line.find(':') + 1, second - line.find(':') - 1);
    std::filesystem::path own = std::filesystem::path(line.substr(second + 1)).relative_path();
    if (controllers.empty())
      for (const char* v2 : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
        parents.push_back(std::filesystem::path(v2) / own);
    else if (controllers == "memory")
      parents.push_back(std::filesystem::path("/sys/fs/cgroup/memory") / own);
  }
  int found = 0;
  std::error_code ec;
  for (const auto& parent : parents)
    for (const auto& entry : std::filesystem::directory_iterator(parent, ec))
      if (entry.path().filename().string().find(run_id) != std::string::npos)
        ++found;
  return found;
}

} // namespace

TEST_CASE("SIGKILL to ciperf leaves no grandchild of a phase or a service alive",
          "[signals][serial]") {
  Sandbox box;
  auto r = sigkill_while_long_runs(box, false);
  // As root the run has a cgroup: even what left its session while its phase ran is gone.
  check_dead(box, {"svc-child.pid", "svc-daemon.pid", "detached.pid", "child.pid", "daemon.pid"});
  // And so are the run's cgroups, the phases' and their v1 memory companions included.
  REQUIRE(r.results.is_object());
  std::string run_id = r.results["run_id"];
  for (int i = 0; i < 300 && cgroup_dirs_of(run_id) > 0; ++i)
    ::usleep(10'000);
  CHECK(cgroup_dirs_of(run_id) == 0);
}

TEST_CASE("without a cgroup SIGKILL to ciperf still kills the groups and daemons it knew of",
          "[signals][serial]") {
  if (::geteuid() != 0)
    return; // the case is that of `nobody`, whom root drops to; as another user it is the above
  Sandbox box;
  sigkill_while_long_runs(box, true);
  // Not root: no cgroup. The watchdog knows the running groups and the daemons that outlived
  // the phase that started them; a process that leaves its session while its phase still runs
  // is out of its reach (README).
  check_dead(box, {"svc-child.pid", "detached.pid", "child.pid"});
  auto daemon = std::stoi(read_file(box.dir / "daemon.pid"));
  auto svc_daemon = std::stoi(read_file(box.dir / "svc-daemon.pid"));
  ::kill(daemon, SIGKILL);
  ::kill(svc_daemon, SIGKILL);
}

TEST_CASE("a daemon the pipeline did not stop is killed when the run ends", "[signals][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: start, run: "setsid sleep 1000 > /dev/null 2>&1 & echo $! > daemon.pid"}
)");
  CHECK(r.process.exit_code == 0);
  int pid = std::stoi(read_file(box.dir / "daemon.pid"));
  CHECK_FALSE(process_alive(pid)); // gone by the time ciperf exited, not some time after
}

TEST_CASE("phases start with every signal at its default, even those ciperf inherited ignored",
          "[signals]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n"
                                 "  - {name: a, run: [cat, /proc/self/status]}\n"
                                 "  - {name: b, run: [cat, /proc/self/status]}\n");
  // A CI runner may start ciperf with signals ignored (nohup, `trap '' …`): ciperf keeps them
  // ignored for itself but its phases must get the defaults back, SIGPIPE included.
  auto r = run_process(
      {"/bin/sh", "-c", "trap '' USR1 QUIT HUP; exec \"$0\" run \"$1\" --store \"$2\" --out \"$3\"",
       CIPERF_BINARY, file.string(), box.store().string(), (box.dir / "out").string()},
      {});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* log : {"logs/01-a.log", "logs/02-b.log"}) {
    std::string text = read_file(box.dir / "out" / log);
    INFO(log << ":\n" << text);
    CHECK_THAT(text, Catch::Matchers::Contains("SigIgn:\t0000000000000000"));
    CHECK_THAT(text, Catch::Matchers::Contains("SigCgt:\t0000000000000000"));
    CHECK_THAT(text, Catch::Matchers::Contains("SigBlk:\t0000000000000000"));
  }
}
