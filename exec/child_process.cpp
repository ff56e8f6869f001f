#include "exec/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/sched.h>
#include <memory>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

// The child shares ciperf's memory (CLONE_VM) until it execs, and ciperf is suspended meanwhile
// (CLONE_VFORK): no copy of ciperf's page tables, which cost more than running `true` once
// ciperf holds a long pipeline. The price is that the child may make system calls only, and must
// report failure through this shared struct rather than through its own memory.
constexpr size_t kChildStack = 64 * 1024;

struct ChildSetup {
  const char* executable;
  char* const* argv;
  char* const* envp;
  const char* workdir;
  int output_fd;
  int devnull;
  int cgroup_procs_fd;
  int fallback_procs_fd;
  int memory_procs_fd;
  bool dies_with_ciperf;
  const int* reset_signals; // not at SIG_DFL in ciperf: reset in the child
  int reset_count;
  bool entered_cgroup = false; // written by the child: it shares this memory until exec
  bool entered_memory = false;
  bool born_in_cgroup = false; // set before clone3 put the child in its cgroup: no move
  timespec command_start{};    // written by the child once it is in its cgroups
  int error = 0;               // errno of the step that failed, written by the child
  const char* failed_step = nullptr;
};

[[noreturn]] void fail(ChildSetup& s, const char* step) {
  s.error = errno;
  s.failed_step = step;
  ::_exit(127);
}

// Default dispositions for every signal ciperf handles or ignores (or inherited ignored): a
// handler of ciperf's must never run in the child, and SIGPIPE ignored by ciperf must not be
// ignored by the phase.
void reset_signals(const ChildSetup& s) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int i = 0; i < s.reset_count; ++i)
    ::sigaction(s.reset_signals[i], &dfl, nullptr); // fails harmlessly for glibc's own
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// The signals not at SIG_DFL, asked for in the parent and only again after a change: asking
// for all 64 in the child, where the parent waits, cost 15 us a phase. Launches happen on the
// main thread only.
unsigned g_dispositions_changed = 1;

const std::vector<int>& signals_to_reset() {
  static std::vector<int> signals;
  static unsigned seen = 0;
  if (seen == g_dispositions_changed)
    return signals;
  signals.clear();
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) == 0 && current.sa_handler != SIG_DFL)
      signals.push_back(sig);
  }
  seen = g_dispositions_changed;
  return signals;
}

int child_main(void* arg) {
  auto& s = *static_cast<ChildSetup*>(arg);
  reset_signals(s);
  // Into the run's cgroup first, before anything it starts can escape it. A failure leaves the
  // phase outside the cgroup but still in its own group: not worth failing the phase.
  s.entered_cgroup =
      s.born_in_cgroup || (s.cgroup_procs_fd >= 0 && ::write(s.cgroup_procs_fd, "0", 1) == 1);
  if (!s.entered_cgroup && s.fallback_procs_fd >= 0) {
    [[maybe_unused]] auto n = ::write(s.fallback_procs_fd, "0", 1);
  }
  s.entered_memory = s.memory_procs_fd >= 0 && ::write(s.memory_procs_fd, "0", 1) == 1;
  // The phase's clock starts here (steady_clock is CLOCK_MONOTONIC). The first cgroup move after a
  // pause of more than about 20 ms waits for an RCU grace period (5 to 25 ms measured): ciperf's
  // bookkeeping, not the phase's.
  ::clock_gettime(CLOCK_MONOTONIC, &s.command_start);
  // Our own group, so that a timeout or an interrupt reaches everything the phase started.
  if (::setpgid(0, 0) != 0)
    fail(s, "setpgid");
  if (s.dies_with_ciperf)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::chdir(s.workdir) != 0)
    fail(s, "chdir");
  if (::dup2(s.devnull, STDIN_FILENO) < 0 || ::dup2(s.output_fd, STDOUT_FILENO) < 0 ||
      ::dup2(s.output_fd, STDERR_FILENO) < 0)
    fail(s, "dup2");
  // Nothing else of ciperf's: descriptors it inherited without close-on-exec (from a CI runner)
  // must not keep a pipe open or leak into the phase. The child's table is its own copy.
  ::close_range(3, ~0U, 0);
  ::execve(s.executable, s.argv, s.envp);
  fail(s, "exec");
}

#if defined(__x86_64__)
// clone3 as glibc's clone() calls clone: the child starts on `stack`, calls fn(arg) and exits
// with its result; the parent gets the child's pid or -errno. glibc 2.36 has no clone3 wrapper,
// and a plain syscall() cannot be used with CLONE_VM: the child would return through the
// parent's frames. fn and arg ride in r12 and r13, which the child inherits untouched.
long clone3_calling(clone_args& args, int (*fn)(void*), void* arg) {
  long result;
  register auto* function asm("r12") = fn;
  register void* argument asm("r13") = arg;
  asm volatile("syscall\n\t"
               "testq %%rax, %%rax\n\t"
               "jnz 1f\n\t"
               "xorl %%ebp, %%ebp\n\t"
               "movq %%r13, %%rdi\n\t"
               "callq *%%r12\n\t"
               "movl %%eax, %%edi\n\t"
               "movl %[exit], %%eax\n\t"
               "syscall\n\t"
               "hlt\n\t"
               "1:\n\t"
               : "=a"(result)
               : "0"(static_cast<long>(__NR_clone3)), "D"(&args), "S"(sizeof args), "r"(function),
                 "r"(argument), [exit] "i"(__NR_exit)
               : "rcx", "r11", "memory");
  return result;
}
#endif

// Born in its cgroup (clone3 with CLONE_INTO_CGROUP, Linux 5.7): no move at all, so no wait for
// the RCU grace period that the first move after a pause takes (5 to 25 ms measured), and no
// migration's cost on every quick phase. -1 when the kernel, the architecture or the cgroup
// cannot: the caller then starts the child with clone() and the child moves itself in.
pid_t start_in_cgroup(ChildSetup& setup, char* stack, int cgroup_dir_fd) {
#if defined(__x86_64__)
  static bool kernel_has_it = true;
  if (cgroup_dir_fd < 0 || !kernel_has_it)
    return -1;
  clone_args args{};
  args.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP;
  args.exit_signal = SIGCHLD;
  args.stack = reinterpret_cast<uintptr_t>(stack);
  args.stack_size = kChildStack;
  args.cgroup = static_cast<uint64_t>(cgroup_dir_fd);
  setup.born_in_cgroup = true;
  long pid = clone3_calling(args, child_main, &setup);
  if (pid >= 0)
    return static_cast<pid_t>(pid);
  setup.born_in_cgroup = false;
  // Before 5.3 no clone3 (ENOSYS); before 5.7 no CLONE_INTO_CGROUP (EINVAL, E2BIG). Anything
  // else is about this cgroup (a v2 domain that cannot take processes, permissions).
  if (pid == -ENOSYS || pid == -EINVAL || pid == -E2BIG)
    kernel_has_it = false;
#else
  (void)setup, (void)stack, (void)cgroup_dir_fd;
#endif
  return -1;
}

// execve's arrays; it does not write through them.
std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings)
    out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Opened once: every phase's stdin.
int devnull() {
  static const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd;
}

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

} // namespace

void signal_dispositions_changed() {
  ++g_dispositions_changed;
}

std::string resolve_executable(const std::string& name, const std::string& path_value,
                               const fs::path& workdir) {
  if (name.find('/') != std::string::npos) {
    fs::path p = fs::path(name).is_absolute() ? fs::path(name) : workdir / name;
    if (!is_executable_file(p))
      throw LaunchError("command '" + name + "' not found or not executable (" + p.string() + ")");
    return p.string();
  }
  size_t start = 0;
  while (start <= path_value.size()) {
    size_t end = path_value.find(':', start);
    if (end == std::string::npos)
      end = path_value.size();
    fs::path dir = path_value.substr(start, end - start);
    fs::path candidate = (dir.empty() ? workdir : dir.is_relative() ? workdir / dir : dir) / name;
    if (is_executable_file(candidate))
      return candidate.string();
    start = end + 1;
  }
  throw LaunchError("command '" + name + "' not found on PATH");
}

Launched launch_in_new_group(const LaunchSpec& spec) {
  if (devnull() < 0)
    throw LaunchError(std::string("cannot open /dev/null: ") + std::strerror(errno));
  std::vector<std::string> args{spec.executable};
  args.insert(args.end(), spec.args.begin(), spec.args.end());
  auto argv = pointers(args);
  auto envp = pointers(spec.env);
  ChildSetup setup{spec.executable.c_str(),
                   argv.data(),
                   envp.data(),
                   spec.workdir.c_str(),
                   spec.output_fd,
                   devnull(),
                   spec.cgroup_procs_fd,
                   spec.fallback_procs_fd,
                   spec.memory_procs_fd,
                   spec.dies_with_ciperf,
                   nullptr,
                   0};
  const std::vector<int>& reset = signals_to_reset();
  setup.reset_signals = reset.data();
  setup.reset_count = static_cast<int>(reset.size());
  auto stack = std::make_unique<char[]>(kChildStack);
  auto launched_at = std::chrono::steady_clock::now();
  // No signal may be handled in the child before it resets the handlers: ciperf's handler would
  // write into ciperf's signal pipe from the child.
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  // With a v1 memory companion to move into anyway, the old way is quicker after a pause: a
  // v2 move then a v1 move took 6.3-6.8 ms, a clone3 into v2 then a v1 move 10-11 ms (the v1
  // move waits the longer when it is the first). Without one, clone3 saves the whole wait.
  pid_t pid =
      spec.memory_procs_fd < 0 ? start_in_cgroup(setup, stack.get(), spec.cgroup_dir_fd) : -1;
  if (pid < 0)
    pid = ::clone(child_main, stack.get() + kChildStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &setup);
  int clone_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (pid < 0)
    throw LaunchError("cannot start " + spec.executable + ": " + std::strerror(clone_errno));
  if (setup.failed_step) {
    ::waitpid(pid, nullptr, 0); // it has exited already: _exit after a failed step
    throw LaunchError("cannot start " + spec.executable + ": " + setup.failed_step + ": " +
                      std::strerror(setup.error));
  }
  // CLONE_VFORK: the child has made its group and entered its cgroups by now, or was killed
  // before it could read the clock (a SIGKILL during a slow move): then the launch's own time.
  auto since_boot = std::chrono::seconds(setup.command_start.tv_sec) +
                    std::chrono::nanoseconds(setup.command_start.tv_nsec);
  auto command_start = std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(since_boot));
  return {pid, setup.entered_cgroup, setup.entered_memory, std::max(command_start, launched_at)};
}

} // namespace ciperf
