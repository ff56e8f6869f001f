// The cgroup worker with real cgroups under a real run cgroup: what it prepares is there before
// the phase asks, what a phase does not take is removed, and what is retired is gone once drained.
#include "exec/cgroup_worker.hpp"
#include "exec/phase_cgroup.hpp"
#include "exec/run_cgroup.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <unistd.h>

using namespace ciperf;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<RunCgroup> test_run_cgroup() {
  std::string why;
  std::random_device random;
  return RunCgroup::create("ciperf-worker-test-" + std::to_string(random()), why);
}

} // namespace

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
