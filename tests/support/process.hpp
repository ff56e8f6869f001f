#pragma once
// Spawning real processes from tests: output captured to files, optional signal once a marker
// file appears, a hard time limit so that a broken build cannot hang the suite.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ciperf::test {

struct ProcessOptions {
  std::filesystem::path cwd;
  std::vector<std::string> env; // NAME=value, added to the test's environment
  // Send `signal` once `signal_when_exists` exists (or at once if empty and signal set).
  std::optional<int> signal;
  std::filesystem::path signal_when_exists;
  // Then `second_signal` once `second_signal_when_exists` exists (a second Ctrl-C).
  std::optional<int> second_signal;
  std::filesystem::path second_signal_when_exists;
  double timeout_s = 120;
  bool as_nobody = false; // drop to uid/gid 65534 (for permission tests run as root)
};

struct ProcessResult {
  int exit_code = -1; // -1 when killed by a signal
  int term_signal = 0;
  std::string out;
  std::string err;
  double wall_s = 0;
  long max_rss_kb = 0; // the process itself or its largest reaped descendant
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

// A process that runs while the test does (a server); killed with its process group when the
// object goes away.
class BackgroundProcess {
public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  int pid() const { return pid_; }

private:
  int pid_ = -1;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_port();

// Peak-RSS bounds in tests hold for ciperf itself; a sanitizer build adds shadow memory,
// allocator overhead and the pages of a binary of 100+ MiB that grows with the code (quarantine
// kept small with kSmallQuarantine in the environment). 96 MiB was exceeded by 4 MiB once the
// binary took in the A/B, confirmation and attribution code, 128 MiB by 8 MiB (a 200 MB chatty
// phase) and 36 MiB (a 20,000-case JUnit import, each allocation with its redzones) once it took
// in the sweep, publish, live OTLP and test-case code. The bounds that judge ciperf are the plain
// build's, which these tests check with no slack.
#ifdef CIPERF_SANITIZED
inline constexpr long kSanitizerSlackKb = 192 * 1024;
#else
inline constexpr long kSanitizerSlackKb = 0;
#endif
// A sanitizer build starts, forks and exits slowly: shadow memory, a binary of 100+ MiB, and
// LeakSanitizer's scan of the heap at exit. On the 2-core CI machine ciperf takes about 0.35 s
// to start and tens of milliseconds more per fork and per exit. Bounds on a duration that
// includes ciperf's start, a fork or its exit get this much more room under sanitizers; the
// plain build is held to the bounds themselves.
#ifdef CIPERF_SANITIZED
inline constexpr double kSanitizerSlackS = 0.1; // a fork or an exit
inline constexpr double kSanitizerStartS = 0.5; // ciperf's start
#else
inline constexpr double kSanitizerSlackS = 0;
inline constexpr double kSanitizerStartS = 0;
#endif
// How long a test lets a ciperf it just started get going before acting on what ciperf watches
// (a log line it must see as new): three sanitizer starts, for a loaded machine.
inline constexpr double kCiperfUpS = 3 * kSanitizerStartS;
inline constexpr const char* kSmallQuarantine = "ASAN_OPTIONS=quarantine_size_mb=4";

// True while a process with this pid exists and is not a zombie.
bool process_alive(int pid);

} // namespace ciperf::test
