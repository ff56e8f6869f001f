// The cgroup worker with real cgroups under a real run cgroup: what it prepares is there before
// the phase asks, what a phase does not take is removed, what is retired serves the next phase
// with its counters as their origin, and everything is gone once drained.
#include "exec/cgroup_worker.hpp"
#include "exec/phase_cgroup.hpp"
#include "exec/run_cgroup.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace ciperf;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<RunCgroup> test_run_cgroup() {
  std::string why;
  std::random_device random;
  return RunCgroup::create("ciperf-worker-test-" + std::to_string(random()), why);
}

// A child that enters `group` and spins for about `cpu_ms` of CPU, as a phase would.
void run_in(PhaseCgroup& group, int cpu_ms) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::write(group.procs_fd(), "0", 1) != 1)
      ::_exit(1);
    if (group.memory_procs_fd() >= 0 && ::write(group.memory_procs_fd(), "0", 1) != 1)
      ::_exit(1);
    timespec start{}, now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    do
      ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < cpu_ms);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  group.entered(true, true);
}

double cpu_s(const PhaseCgroup& group) {
  TreeUsage u = usage_between(group.origin(), group.read());
  return u.user_s + u.sys_s;
}

} // namespace

TEST_CASE("a retired cgroup serves a later phase, counting from what it held", "[cgroup]") {
  auto run = test_run_cgroup();
  if (!run) {
    WARN("skipped: no cgroup v2 to write (needs root)");
    return;
  }
  CgroupWorker worker;
  fs::path a = run->path() / "01-a", b = run->path() / "02-b";
  worker.prepare(a, std::nullopt);
  auto first = worker.take(a);
  if (!first) // not made in time: made here instead, as a phase would
    first = std::make_unique<PhaseCgroup>(a, std::nullopt);
  run_in(*first, 200);
  CHECK(cpu_s(*first) > 0.15);
  worker.retire(std::move(first));
  worker.prepare(b, std::nullopt);
  std::unique_ptr<PhaseCgroup> second;
  for (int i = 0; i < 500 && !second; ++i) { // the worker recycles it in its own time
    second = worker.take(b);
    if (!second)
      ::usleep(1000);
  }
  REQUIRE(second);
  CHECK(second->path() == a); // recycled, not made: no directory for b
  CHECK_FALSE(fs::exists(b));
  CHECK(cpu_s(*second) < 0.01); // the first phase's CPU is the origin, not the second's
  run_in(*second, 50);
  CHECK(cpu_s(*second) > 0.03);
  CHECK(cpu_s(*second) < 0.15);
  worker.retire(std::move(second));
  worker.drain();
  CHECK_FALSE(fs::exists(a)); // spares go with the drain, before the run's cgroup
  CHECK(run->remove());
}

TEST_CASE("the cgroup worker makes a phase cgroup ahead and removes what is retired", "[cgroup]") {
  auto run = test_run_cgroup();
  if (!run) {
    WARN("skipped: no cgroup v2 to write (needs root)");
    return;
  }
  CgroupWorker worker;
  fs::path a = run->path() / "01-a";
  worker.prepare(a, std::nullopt);
  for (int i = 0; i < 500 && !fs::exists(a / "cgroup.procs"); ++i)
    ::usleep(1000);
  CHECK(fs::exists(a / "cgroup.procs")); // made before anyone asked for it
  auto group = worker.take(a);
  REQUIRE(group);
  CHECK(group->path() == a);
  CHECK(group->procs_fd() >= 0);
  CHECK_FALSE(worker.take(a)); // handed out once

  worker.retire(std::move(group));
  worker.drain();
  CHECK_FALSE(fs::exists(a));

  SECTION("a cgroup prepared for another phase than the one that comes is not kept") {
    fs::path b = run->path() / "02-b", c = run->path() / "02-c";
    worker.prepare(b, std::nullopt);
    CHECK_FALSE(worker.take(c));
    worker.drain();
    CHECK_FALSE(fs::exists(b));
  }
  SECTION("a prepared cgroup replaced by another preparation is removed") {
    fs::path b = run->path() / "03-b", c = run->path() / "03-c";
    worker.prepare(b, std::nullopt);
    worker.prepare(c, std::nullopt);
    auto taken = worker.take(c);
    worker.drain();
    CHECK_FALSE(fs::exists(b));
    if (taken) // the worker may not have started on it before take(): then the caller makes it
      CHECK(fs::exists(c));
  }
  CHECK(run->remove());
}
