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
  // wait4 never saw the daemon (it was not reaped during the phase); the cgroup did. A second
  // of a busy loop gets at least 0.3 s of CPU even on a loaded host.
  double reaped = start["user_s"].get<double>() + start["sys_s"].get<double>();
  CHECK(reaped < 0.3);
  CHECK(tree_cpu(start) > 0.3);
  CHECK(tree_cpu(start) > 3 * reaped);
  const auto& later = phase(r.results, "later");
  CHECK(tree_cpu(later) < 0.2); // sleep's own tree
  REQUIRE(later.contains("services"));
  REQUIRE(later["services"].size() == 1);
  const auto& service = later["services"][0];
  CHECK(service["name"] == "start-daemon");
  CHECK(service["phase"] == 0);
  CHECK(service["user_s"].get<double>() + service["sys_s"].get<double>() > 0.3);
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
  // Until the burners run (ciperf's start takes longer under sanitizers).
  for (int i = 0; i < 100 && processes_with("while :; do :; done") < static_cast<int>(burners); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto r = box.run("version: 1\nphases:\n  - {name: idle, run: sleep 2}\n");
  REQUIRE(r.process.exit_code == 0);
  if (fell_back(r))
    return;
  const auto& idle = phase(r.results, "idle");
  INFO(idle.dump());
  REQUIRE(idle["pressure"].is_object());
  REQUIRE(idle["own_pressure"].is_object());
  double host = idle["pressure"]["cpu"]["some_s"].get<double>();
  CHECK(host > 0.5); // the host was busy
  // The phase did not stall: its `sleep` wakes up twice (a CPU quota on a container could make
  // each wake-up wait a period: hence the bound relative to the host's stall).
  CHECK(idle["own_pressure"]["cpu"]["some_s"].get<double>() < std::max(0.1, 0.1 * host));
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
  // The CI machine has a v1 memory hierarchy: the figure must be there. Elsewhere it is there
  // only if ciperf's cgroup v2 hands the memory controller down; when it is not, null, never 0.
  bool v1_memory = std::filesystem::exists("/sys/fs/cgroup/memory/memory.max_usage_in_bytes");
  if (!v1_memory && big["tree_memory_peak_bytes"].is_null()) {
    CHECK(small["tree_memory_peak_bytes"].is_null());
    return;
  }
  CHECK(big["tree_memory_peak_bytes"].get<int64_t>() > 150 * 1024 * 1024);
  CHECK(small["tree_memory_peak_bytes"].get<int64_t>() < 8 * 1024 * 1024);
  // ciperf imports its own file whole: 64-bit byte counts included.
  auto other = box.dir / "other.db";
  auto imported =
      box.ciperf({"import", (r.run_dir / "results.json").string(), "--store", other.string()});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  auto shown = nlohmann::json::parse(
      box.ciperf({"show", r.results["run_id"], "--json", "--store", other.string()}).out);
  CHECK(phase(shown, "big")["tree_memory_peak_bytes"] == big["tree_memory_peak_bytes"]);
}

// From the third phase on a phase runs in a recycled cgroup (the worker resets it instead of
// making one): its figures must still be its own, not what the cgroup held before.
TEST_CASE("phases in recycled cgroups count only their own CPU, memory peak and I/O",
          "[cgroup][serial]") {
  Sandbox box;
  auto r = box.run(R"yaml(version: 1
phases:
  - {name: big, run: [python3, -c, "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"]}
  - {name: spin, run: "head -c 60M /dev/zero | sha256sum"}
  - {name: mid, run: [python3, -c, "b = bytearray(60 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"]}
  - {name: idle, run: "true"}
  - {name: write, run: "head -c 8M /dev/urandom > out.bin && sync out.bin"}
  - {name: idle2, run: "true"}
)yaml");
  REQUIRE(r.process.exit_code == 0);
  if (fell_back(r))
    return;
  const auto& spin = phase(r.results, "spin");
  CHECK(tree_cpu(spin) > 0.05);
  // Each quick phase came after a busier one in a cgroup that may have been that one's.
  CHECK(tree_cpu(phase(r.results, "idle")) < 0.5 * tree_cpu(spin));
  CHECK(tree_cpu(phase(r.results, "idle2")) < 0.5 * tree_cpu(spin));
  const auto& write = phase(r.results, "write");
  if (!write["tree_write_bytes"].is_null()) { // only with the io controller
    CHECK(write["tree_write_bytes"].get<int64_t>() >= 8 * 1024 * 1024);
    CHECK(phase(r.results, "idle2")["tree_write_bytes"].get<int64_t>() < 1024 * 1024);
  }
  const auto& mid = phase(r.results, "mid");
  if (mid["tree_memory_peak_bytes"].is_null())
    return;
  // A peak that was not reset would be big's 150 MiB.
  CHECK(mid["tree_memory_peak_bytes"].get<int64_t>() > 60 * 1024 * 1024);
  CHECK(mid["tree_memory_peak_bytes"].get<int64_t>() < 120 * 1024 * 1024);
  CHECK(phase(r.results, "idle")["tree_memory_peak_bytes"].get<int64_t>() < 8 * 1024 * 1024);
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

TEST_CASE("a kept service outlives the run, writing its own log, and the others do not",
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
    # The pid is written once the daemon has its own session: the phase's end kills its group.
    run: |
      setsid sh -c 'echo $$ > daemon.pid.new; exec sleep 1000' > /dev/null 2>&1 &
      while [ ! -s daemon.pid.new ]; do sleep 0.01; done
      mv daemon.pid.new daemon.pid
  - name: other
    background: true
    run: "echo $$ > other.pid; exec sleep 1000"
  - {name: work, run: "sleep 0.3"}
)");
  // Whatever happens below, nothing of this test outlives it.
  struct KillAtEnd {
    const Sandbox& box;
    ~KillAtEnd() {
      for (const char* file : {"shared.pid", "daemon.pid", "other.pid"})
        if (std::filesystem::exists(box.dir / file))
          ::kill(std::stoi("0" + read_file(box.dir / file)), SIGKILL);
    }
  } kill_at_end{box};
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

TEST_CASE("an imported run's services must each be an earlier phase, listed once", "[cgroup]") {
  Sandbox box;
  auto r = box.run("version: 1\nphases:\n  - {name: a, run: 'true'}\n  - {name: b, run: 'true'}\n");
  REQUIRE(r.process.exit_code == 0);
  auto results = r.results;
  results["run_id"] = "20261129T000000Z-hostile000001";
  nlohmann::json cost = {
      {"phase", 0}, {"name", "a"}, {"user_s", 1.0}, {"sys_s", 0.5}, {"pressure", nullptr}};
  auto attempt = [&](const nlohmann::json& services) {
    results["phases"][1]["services"] = services;
    auto file = box.dir / "hostile.json";
    std::ofstream(file) << results.dump();
    return box.ciperf({"import", file.string(), "--store", (box.dir / "h.db").string()});
  };
  for (int64_t bad_index : {int64_t{1}, int64_t{-1}, int64_t{4294967296}}) {
    auto c = cost;
    c["phase"] = bad_index;
    auto refused = attempt(nlohmann::json::array({c}));
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Contains("not an earlier phase's index"));
  }
  auto twice = attempt(nlohmann::json::array({cost, cost}));
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Contains("listed twice"));
  auto fine = attempt(nlohmann::json::array({cost}));
  INFO(fine.err);
  CHECK(fine.exit_code == 0);
}
