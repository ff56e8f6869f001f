// A user's regex against long untrusted text: an HTTP body of 30 KB or 1 MB, a log line of 60 KB
// or 1 MB. std::regex recursed once per byte and died of a stack overflow on these; every wait
// below must end with an answer (ready, or not ready at the timeout), never a signal.
#include "support/ciperf_run.hpp"
#include "support/probe_server.hpp"

#include <catch2/catch.hpp>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

ProcessResult wait(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CIPERF_BINARY, "wait"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {});
}

// A wait counts only lines appended after it began, so the writer starts after ciperf is up.
constexpr double kWriterDelayS = 0.2 + kCiperfUpS;

// Appends one line of `bytes` 'x' followed by "ready" to `log` a little after the wait began.
std::unique_ptr<BackgroundProcess> write_long_line(const std::filesystem::path& log, size_t bytes) {
  return std::make_unique<BackgroundProcess>(std::vector<std::string>{
      "/bin/sh", "-c",
      "sleep " + std::to_string(kWriterDelayS) + "; { head -c " + std::to_string(bytes) +
          " /dev/zero | tr '\\0' x; echo ready; } >> " + log.string()});
}

} // namespace

TEST_CASE("a backtracking --body regex over a 30 KB body finds its match", "[wait][regex]") {
  ProbeServer server("longbody", 0, {"--body-bytes", "30000"});
  auto r = wait({server.url(), "--body", ".*ready", "--timeout", "5s"});
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a backtracking --body regex over a 1 MB body ends at the timeout", "[wait][regex]") {
  // The body is matched on its first 1 MiB, which holds no "ready": not ready, cleanly.
  ProbeServer server("longbody", 0, {"--body-bytes", std::to_string(1 << 20)});
  auto r = wait({server.url(), "--body", ".*ready", "--timeout", "1s"});
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("body does not match"));
}

TEST_CASE("a regex that backtracks without end gives up, says so, and the wait goes on",
          "[wait][regex]") {
  ProbeServer server("longbody", 0, {"--body-bytes", "30000"});
  auto r = wait({server.url(), "--body", "(x+x+)+[yz]", "--timeout", "1s"});
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("gave up"));
}

TEST_CASE("a log line of 60 KB is matched without a crash", "[wait][regex]") {
  TempDir dir;
  auto log = dir / "long.log";
  auto writer = write_long_line(log, 60 * 1024);
  auto r = wait({"log:" + log.string() + ":.*ready", "--timeout", "5s"});
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a log line of 1 MB ends the wait at the timeout, without a crash", "[wait][regex]") {
  // Lines are matched on their first 64 KiB, so "ready" at the end of 1 MB is never seen.
  TempDir dir;
  auto log = dir / "huge.log";
  auto writer = write_long_line(log, 1 << 20);
  // The timeout falls a second after the line was written.
  auto timeout_ms = std::to_string(static_cast<int>((kWriterDelayS + 1) * 1000)) + "ms";
  auto r = wait({"log:" + log.string() + ":.*ready", "--timeout", timeout_ms});
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("no matching line yet"));
}
