// The launcher with real processes: a phase's clock starts once its process is in its cgroups.
// A cgroup move can wait for an RCU grace period (5 to 25 ms after a pause); that wait is
// ciperf's, and must not count in the phase. A full pipe stands in for a slow cgroup.procs: the
// child's write blocks until the test drains it, a delay of known length.
#include "exec/child_process.hpp"
#include "exec/run_cgroup.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ciperf;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct FullPipe {
  int fds[2] = {-1, -1};
  FullPipe() {
    REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
    char block[4096] = {};
    while (::write(fds[1], block, sizeof block) > 0) {
    }
    ::fcntl(fds[1], F_SETFL, 0); // the child's write now blocks until there is room
  }
  void drain() const {
    char block[4096];
    while (::read(fds[0], block, sizeof block) > 0) {
    }
  }
  ~FullPipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

int exit_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Where clone3 into a cgroup must work: x86-64, Linux 5.7 or later, no seccomp filter (one may
// answer ENOSYS for clone3, as container runtimes do).
bool clone3_expected() {
#if defined(__x86_64__)
  utsname u{};
  int major = 0, minor = 0;
  if (::uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &major, &minor) != 2)
    return false;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Seccomp:", 0) == 0 && std::atoi(line.c_str() + 8) != 0)
      return false; // 1 strict, 2 a filter
  return major > 5 || (major == 5 && minor >= 7);
#else
  return false;
#endif
}

LaunchSpec true_spec() {
  LaunchSpec spec;
  spec.executable = "/bin/true";
  spec.workdir = "/";
  spec.output_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  return spec;
}

} // namespace

TEST_CASE("a command's start is taken after its cgroup move, however long that took", "[exec]") {
  FullPipe slow_procs;
  LaunchSpec spec = true_spec();
  spec.cgroup_procs_fd = slow_procs.fds[1];
  auto before = Clock::now();
  std::thread drainer([&] {
    std::this_thread::sleep_for(300ms);
    slow_procs.drain();
  });
  Launched launched = launch_in_new_group(spec);
  auto after = Clock::now();
  drainer.join();
  ::close(spec.output_fd);
  CHECK(exit_status(launched.pid) == 0);
  CHECK(launched.entered_cgroup);
  CHECK(launched.command_start - before >= 290ms); // the move's wait is not the command's
  CHECK(launched.command_start <= after);
}

TEST_CASE("a child killed during its cgroup move leaves a start within the launch", "[exec]") {
  // It never reads the clock: the start must not be the clock's epoch (a wall of the host's
  // uptime, a start_s far below zero).
  FullPipe slow_procs;
  LaunchSpec spec = true_spec();
  spec.cgroup_procs_fd = slow_procs.fds[1];
  pid_t launcher = ::gettid();
  std::thread killer([&] {
    std::this_thread::sleep_for(100ms); // the child is blocked in its write by now
    std::ifstream children("/proc/self/task/" + std::to_string(launcher) + "/children");
    pid_t child = 0;
    children >> child;
    if (child > 0)
      ::kill(child, SIGKILL);
  });
  auto before = Clock::now();
  Launched launched = launch_in_new_group(spec);
  auto after = Clock::now();
  killer.join();
  ::close(spec.output_fd);
  int status = 0;
  ::waitpid(launched.pid, &status, 0);
  REQUIRE(WIFSIGNALED(status)); // killed in the move, as meant
  CHECK(launched.command_start >= before);
  CHECK(launched.command_start <= after);
}

TEST_CASE("without a cgroup the command starts within the launch", "[exec]") {
  LaunchSpec spec = true_spec();
  auto before = Clock::now();
  Launched launched = launch_in_new_group(spec);
  auto after = Clock::now();
  ::close(spec.output_fd);
  CHECK(exit_status(launched.pid) == 0);
  CHECK_FALSE(launched.entered_cgroup);
  CHECK(launched.command_start >= before);
  CHECK(launched.command_start <= after);
}

TEST_CASE("a child is born in its cgroup v2 where the kernel can, and moves in where it cannot",
          "[exec][cgroup]") {
  std::string why;
  auto run = RunCgroup::create("ciperf-launch-test-" + std::to_string(std::random_device{}()), why);
  if (!run) {
    WARN("skipped: no cgroup v2 to write (needs root): " << why);
    return;
  }
  auto cgroup_of_child = [&](int dir_fd) {
    int procs[2];
    REQUIRE(::pipe2(procs, O_CLOEXEC | O_NONBLOCK) == 0); // stands in for cgroup.procs
    int out[2]; // the child's /proc/self/cgroup: a few lines, well inside a pipe's buffer
    REQUIRE(::pipe2(out, O_CLOEXEC | O_NONBLOCK) == 0);
    LaunchSpec spec;
    spec.executable = "/bin/cat";
    spec.args = {"/proc/self/cgroup"};
    spec.workdir = "/";
    spec.output_fd = out[1];
    spec.cgroup_procs_fd = procs[1];
    spec.cgroup_dir_fd = dir_fd;
    Launched launched = launch_in_new_group(spec);
    CHECK(exit_status(launched.pid) == 0);
    CHECK(launched.entered_cgroup);
    char byte;
    bool moved = ::read(procs[0], &byte, 1) == 1; // the child wrote "0" to move itself in
    std::string text(4096, '\0');
    text.resize(std::max<ssize_t>(0, ::read(out[0], text.data(), text.size())));
    for (int fd : {procs[0], procs[1], out[0], out[1]})
      ::close(fd);
    return std::pair{moved, text};
  };
  auto [moved, cgroups] = cgroup_of_child(run->dir_fd());
  INFO(cgroups);
  if (moved) { // then the pipe, not the cgroup, took the child: nothing to say of its cgroup
    REQUIRE_FALSE(clone3_expected());
    WARN("clone3 into a cgroup is not available here (architecture, kernel or seccomp): the "
         "child moved in, as a launch falls back to");
    return;
  }
  CHECK_THAT(cgroups, Catch::Matchers::Contains("0::/") &&
                          Catch::Matchers::Contains(run->path().filename().string() + "\n"));
  // A descriptor that is no cgroup: clone3 refuses it, and the child moves itself in instead.
  int not_a_cgroup = ::open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
  auto [moved_instead, elsewhere] = cgroup_of_child(not_a_cgroup);
  ::close(not_a_cgroup);
  CHECK(moved_instead);
  // That refusal was about the descriptor, not the kernel: the next child is born in again.
  CHECK_FALSE(cgroup_of_child(run->dir_fd()).first);
}
