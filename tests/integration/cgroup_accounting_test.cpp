// Each phase in a cgroup of its own: the CPU of daemons that leave the phase's process group, its
// own pressure stalls apart from the host's, what live services cost later phases, and the
// rusage fallback. Real processes, real cgroups, a real co-tenant.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

// Whether this host should give a run per-phase cgroups: root, and a cgroup v2 hierarchy
// mounted (at /sys/fs/cgroup, or at /sys/fs/cgroup/unified beside v1 controllers).
bool cgroups_expected() {
  std::ifstream mounts("/proc/self/mountinfo");
  std::string line;
  bool v2 = false;
  while (std::getline(mounts, line))
    v2 = v2 || line.find(" - cgroup2 ") != std::string::npos;
  return v2 && ::geteuid() == 0;
}

std::string unique_marker() {
  std::random_device random;
  return "ciperf-cgroup-test-" + std::to_string(random());
}

// Processes whose command line holds `marker`.
int processes_with(const std::string& marker) {
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), {});
    if (text.find(marker) != std::string::npos)
      ++found;
  }
  return found;
}

double tree_cpu(const nlohmann::json& phase) {
  return phase["tree_user_s"].get<double>() + phase["tree_sys_s"].get<double>();
}

// Where the host has no cgroup to give, the run must say it fell back, with null figures.
bool fell_back(const CiperfRun& r) {
  if (cgroups_expected())
    return false;
  CHECK(r.results["accounting"] == "rusage");
  CHECK(r.results["phases"][0]["tree_user_s"].is_null());
  return true;
}

ProcessOptions with_env(const std::string& assignment) {
  ProcessOptions options;
  options.env = {assignment};
  return options;
}

} // namespace

TEST_CASE("a setsid daemon's CPU is its phase's, then a service's cost in later phases",
          "[cgroup][serial]") {
  Sandbox box;
  std::string marker = unique_marker();
  auto r = box.run(R"(version: 1
phases:
  - name: start-daemon
    run: |
      setsid sh -c 'while :; do :; done' )" +
                   marker + R"( </dev/null >/dev/null 2>&1 &
      sleep 1
  - name: later
    run: sleep 1
)");
  INFO(r.process.err);
  REQUIRE(r.process.exit_code == 0);
  CHECK(processes_with(marker) == 0); // killed with the run's cgroup at the end
  if (fell_back(r))
    return;
  CHECK(r.results["accounting"] == "cgroup");
  const auto& start = phase(r.results, "start-daemon");
  // wait4 never saw the daemon (it was not reaped during the phase); the cgroup did.
  CHECK(start["user_s"].get<double>() + start["sys_s"].get<double>() < 0.3);
  CHECK(tree_cpu(start) > 0.6);
  const auto& later = phase(r.results, "later");
  CHECK(tree_cpu(later) < 0.2); // sleep's own tree
  REQUIRE(later.contains("services"));
  REQUIRE(later["services"].size() == 1);
  const auto& service = later["services"][0];
  CHECK(service["name"] == "start-daemon");
  CHECK(service["phase"] == 0);
  CHECK(service["user_s"].get<double>() + service["sys_s"].get<double>() > 0.6);
  CHECK_THAT(r.process.out,
             Contains("service start-daemon: ") && Contains(" while 1 later phase ran"));

  // The store keeps the same figures, and attribute shows the service's load.
  auto show = box.ciperf({"show", r.results["run_id"], "--json", "--store", box.store().string()});
  auto stored = nlohmann::json::parse(show.out);
  CHECK(stored["accounting"] == "cgroup");
  CHECK(phase(stored, "later")["services"][0]["name"] == "start-daemon");
  CHECK(phase(stored, "start-daemon")["tree_user_s"] == start["tree_user_s"]);
  auto attribute = box.ciperf({"attribute", "--by", "resource", "--store", box.store().string()});
  INFO(attribute.out << attribute.err);
  CHECK_THAT(attribute.out, Contains("start-daemon 0.") || Contains("start-daemon 1."));
}

TEST_CASE("a sleeping phase's own CPU stall stays near zero while a co-tenant run saturates "
          "the host",
          "[cgroup][serial]") {
  Sandbox tenant_box, box;
  unsigned burners = std::thread::hardware_concurrency() + 2;
  std::string burn = "for i in $(seq " + std::to_string(burners) +
                     "); do timeout 4 sh -c 'while :; do :; done' & done; wait";
  // The co-tenant: another ciperf run on the same host, burning more CPUs than there are.
  auto pipeline =
      tenant_box.write_pipeline("version: 1\nphases:\n  - name: burn\n    run: \"" + burn + "\"\n");
  BackgroundProcess tenant({CIPERF_BINARY, "run", pipeline.string(), "--store",
                            tenant_box.store().string(), "--out",
                            (tenant_box.dir / "run").string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(800)); // the burners are running
  auto r = box.run("version: 1\nphases:\n  - {name: idle, run: sleep 2}\n");
  REQUIRE(r.process.exit_code == 0);
  if (fell_back(r))
    return;
  const auto& idle = phase(r.results, "idle");
  INFO(idle.dump());
  REQUIRE(idle["pressure"].is_object());
  REQUIRE(idle["own_pressure"].is_object());
  CHECK(idle["pressure"]["cpu"]["some_s"].get<double>() > 0.5);     // the host was busy
  CHECK(idle["own_pressure"]["cpu"]["some_s"].get<double>() < 0.1); // the phase did not stall
}

TEST_CASE("a phase's memory peak is its own tree's, not ciperf's", "[cgroup][serial]") {
  Sandbox box;
  auto r = box.run(R"yaml(version: 1
phases:
  - {name: big, run: [python3, -c, "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"]}
  - {name: small, run: "true"}
)yaml");
  REQUIRE(r.process.exit_code == 0);
  if (fell_back(r))
    return;
  const auto& big = phase(r.results, "big");
  const auto& small = phase(r.results, "small");
  if (!std::filesystem::exists("/sys/fs/cgroup/memory") &&
      !std::filesystem::exists("/sys/fs/cgroup/memory.max")) { // no memory controller at all
    CHECK(big["tree_memory_peak_bytes"].is_null());
    return;
  }
  CHECK(big["tree_memory_peak_bytes"].get<int64_t>() > 150 * 1024 * 1024);
  CHECK(small["tree_memory_peak_bytes"].get<int64_t>() < 8 * 1024 * 1024);
}

TEST_CASE("with rusage accounting, by variable or option, every cgroup figure is null, not 0",
          "[cgroup]") {
  Sandbox box;
  const char* yaml =
      "version: 1\nphases:\n  - {name: a, run: 'true'}\n  - {name: b, run: 'true'}\n";
  auto by_env = box.run(yaml, {}, with_env("CIPERF_ACCOUNTING=rusage"));
  auto by_option = box.run(yaml, {"--accounting", "rusage"});
  for (const auto* r : {&by_env, &by_option}) {
    INFO(r->process.err);
    REQUIRE(r->process.exit_code == 0);
    CHECK(r->results["accounting"] == "rusage");
    for (const auto& p : r->results["phases"]) {
      CHECK(p["tree_user_s"].is_null());
      CHECK(p["tree_memory_peak_bytes"].is_null());
      CHECK(p["own_pressure"].is_null());
      CHECK_FALSE(p.contains("services"));
    }
  }
  auto bad = box.ciperf({"run", box.write_pipeline(yaml).string(), "--store", box.store().string()},
                        with_env("CIPERF_ACCOUNTING=cgroups"));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("CIPERF_ACCOUNTING"));
}

TEST_CASE("a kept service outlives the run, writing its own log; the others do not",
          "[cgroup][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - name: shared
    background: true
    keep: true
    run: "echo $$ > shared.pid; sleep 1; echo still here; exec sleep 1000"
  - name: daemon
    keep: true
    run: "setsid sleep 1000 > /dev/null 2>&1 & echo $! > daemon.pid"
  - name: other
    background: true
    run: "echo $$ > other.pid; exec sleep 1000"
  - {name: work, run: "sleep 0.3"}
)");
  INFO(r.process.err);
  REQUIRE(r.process.exit_code == 0);
  int shared = std::stoi(read_file(box.dir / "shared.pid"));
  int daemon = std::stoi(read_file(box.dir / "daemon.pid"));
  int other = std::stoi(read_file(box.dir / "other.pid"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // past the kept echo
  CHECK(process_alive(shared));
  CHECK(process_alive(daemon));
  CHECK_FALSE(process_alive(other));
  CHECK(read_file(r.run_dir / "logs/01-shared.log") == "still here\n");
  CHECK(phase(r.results, "shared")["status"] == "passed");
  ::kill(shared, SIGKILL);
  ::kill(daemon, SIGKILL);
}

TEST_CASE("keep is refused on a wait phase and in a pipeline with secrets", "[cgroup]") {
  Sandbox box;
  auto wait = box.ciperf({"check", box.write_pipeline(R"(version: 1
phases:
  - name: ready
    keep: true
    wait: {all: [{tcp: "127.0.0.1:1"}]}
)")
                                       .string()});
  CHECK(wait.exit_code == 2);
  CHECK_THAT(wait.err, Contains(":4:") && Contains("leaves nothing running to keep"));
  auto secret = box.ciperf({"check", box.write_pipeline(R"(version: 1
secrets: [TOKEN]
env: {TOKEN: abc}
phases:
  - {name: svc, background: true, keep: true, run: "sleep 1"}
)")
                                         .string()});
  CHECK(secret.exit_code == 2);
  CHECK_THAT(secret.err, Contains("cannot mask secrets"));
}
