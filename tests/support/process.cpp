#include "support/process.hpp"

#include "support/temp_dir.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace ciperf::test {
namespace {

// Everything the child needs, prepared before fork: tests fork from several threads, and a
// child of a threaded process may only make async-signal-safe calls.
struct ChildPlan {
  std::vector<std::string> argv_strings, env_strings;
  std::vector<char*> argv, envp;
  std::string cwd, out, err;
  bool as_nobody = false;

  ChildPlan(const std::vector<std::string>& args, const ProcessOptions& o)
      : argv_strings(args), cwd(o.cwd.string()), as_nobody(o.as_nobody) {
    for (char** e = environ; *e; ++e) {
      std::string entry = *e;
      // A suite run on GitHub Actions must not turn every ciperf it starts into one that writes
      // workflow commands and step summaries: only the tests that ask for that get it.
      if (entry.rfind("GITHUB_ACTIONS=", 0) == 0 || entry.rfind("GITHUB_STEP_SUMMARY=", 0) == 0)
        continue;
      bool overridden = false;
      for (const auto& extra : o.env)
        overridden |= entry.compare(0, extra.find('=') + 1, extra, 0, extra.find('=') + 1) == 0;
      if (!overridden)
        env_strings.push_back(entry);
    }
    env_strings.insert(env_strings.end(), o.env.begin(), o.env.end());
    for (auto& a : argv_strings)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings)
      envp.push_back(e.data());
    envp.push_back(nullptr);
  }
};

[[noreturn]] void exec_child(const ChildPlan& plan) {
  if (!plan.cwd.empty() && ::chdir(plan.cwd.c_str()) != 0)
    ::_exit(126);
  int out_fd = ::open(plan.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = ::open(plan.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  if (plan.as_nobody && (::setgid(65534) != 0 || ::setuid(65534) != 0))
    ::_exit(126);
  ::execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  ::_exit(127);
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  TempDir capture;
  std::string out = (capture / "stdout").string(), err = (capture / "stderr").string();
  if (options.as_nobody)
    std::filesystem::permissions(capture.path(), std::filesystem::perms::all);
  ChildPlan plan(argv, options);
  plan.out = out;
  plan.err = err;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0)
    exec_child(plan);
  bool signalled = false;
  bool signalled_again = false;
  int status = 0;
  rusage ru{};
  while (true) {
    pid_t done = ::wait4(pid, &status, WNOHANG, &ru);
    if (done == pid)
      break;
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > options.timeout_s) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &ru);
      throw std::runtime_error("process did not finish within the test's time limit: " + argv[0]);
    }
    if (options.signal && !signalled &&
        (options.signal_when_exists.empty() ||
         std::filesystem::exists(options.signal_when_exists))) {
      ::kill(pid, *options.signal);
      signalled = true;
    } else if (signalled && options.second_signal && !signalled_again &&
               std::filesystem::exists(options.second_signal_when_exists)) {
      ::kill(pid, *options.second_signal);
      signalled_again = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ProcessResult r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  r.max_rss_kb = ru.ru_maxrss;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

bool process_alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv) {
  ProcessOptions options;
  ChildPlan plan(argv, options);
  plan.out = "/dev/null";
  plan.err = "/dev/null";
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);
    exec_child(plan);
  }
  ::setpgid(pid_, pid_);
}

BackgroundProcess::~BackgroundProcess() {
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace ciperf::test
