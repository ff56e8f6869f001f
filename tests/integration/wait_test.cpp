// `ciperf wait` against real servers on loopback: readiness seen within milliseconds, clear
// reasons when not ready, fail-fast, and bounded memory whatever the server does.
#include "support/ciperf_run.hpp"
#include "support/probe_server.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

ProcessResult wait(const std::vector<std::string>& args, ProcessOptions options = {}) {
  std::vector<std::string> argv = {CIPERF_BINARY, "wait"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

// Seconds from the server's readiness to ciperf's exit.
double detection_latency(const ProbeServer& server, const std::vector<std::string>& args) {
  auto r = wait(args);
  double exited = steady_now();
  REQUIRE(r.exit_code == 0);
  return exited - server.ready_at();
}

} // namespace

TEST_CASE("wait sees a port that opens late within milliseconds", "[wait][serial]") {
  ProbeServer server("listen", 0.4);
  double latency = detection_latency(server, {server.url()});
  CHECK(latency >= 0);
  CHECK(latency < 0.05 + kSanitizerSlackS);
}

TEST_CASE("wait sees a service flip from 503 to 200 and sends at most 50 requests/s",
          "[wait][serial]") {
  ProbeServer server("flip", 0.5);
  auto r = wait({server.url(), "--json"});
  double exited = steady_now();
  REQUIRE(r.exit_code == 0);
  CHECK(exited - server.ready_at() < 0.06 + kSanitizerSlackS);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["outcome"] == "ready");
  CHECK(report["targets"][0]["last_failure"] == "503 Service Unavailable");
  auto times = server.request_times();
  CHECK(times.size() <= 30); // 0.5 s at 50 requests/s, and a few to spare
}

TEST_CASE("a timeout names each target, its last reason and its attempts", "[wait]") {
  ProbeServer server("flip", 3600);
  auto r = wait({server.url("/health"), "--timeout", "300ms"});
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("not ready after 300ms: " + server.url("/health") +
                             " — 503 Service Unavailable ("));
  CHECK_THAT(r.err, Contains(" attempts)"));
}

TEST_CASE("a server that accepts and never answers: the attempt timeout holds", "[wait][serial]") {
  ProbeServer server("hang");
  auto r = wait({server.url(), "--attempt-timeout", "300ms", "--timeout", "1s", "--json"});
  CHECK(r.exit_code == 124);
  auto report = nlohmann::json::parse(r.out);
  // Whichever notices first says so: curl's own transfer timeout, or the waiter's deadline.
  CHECK_THAT(
      report["targets"][0]["last_failure"].get<std::string>(),
      Catch::Matchers::Matches("no answer within 300ms|Operation timed out after 3[0-9][0-9] "
                               "milliseconds with 0 bytes received"));
  int attempts = report["targets"][0]["attempts"];
  CHECK(attempts >= 3);
  CHECK(attempts <= 4);
  // Each attempt held its 300 ms (within 10%), then the next began after the 20 ms interval:
  // the server saw the connections that far apart.
  // The first connection is the bare connect check that precedes the first request.
  auto accepts = server.accept_times();
  REQUIRE(accepts.size() >= 4);
  for (size_t i = 2; i < accepts.size(); ++i)
    CHECK(accepts[i] - accepts[i - 1] - 0.02 == Approx(0.3).epsilon(0.1));
}

TEST_CASE("garbage instead of HTTP is a clear failure", "[wait]") {
  ProbeServer server("garbage");
  auto r = wait({server.url(), "--timeout", "300ms"});
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("HTTP/0.9"));
}

TEST_CASE("a 1 GB body is read only up to the cap", "[wait][serial]") {
  ProbeServer server("bigbody");
  auto ready = wait({server.url()});
  CHECK(ready.exit_code == 0); // the status is enough: the body is not read
  ProcessOptions options;
  options.env = {kSmallQuarantine};
  auto r = wait({server.url(), "--body", "NEVER-THERE", "--timeout", "2s", "--json"}, options);
  CHECK(r.exit_code == 124);
  auto report = nlohmann::json::parse(r.out);
  CHECK_THAT(report["targets"][0]["last_failure"].get<std::string>(),
             Contains("body does not match"));
  CHECK(r.max_rss_kb < 64 * 1024 + kSanitizerSlackKb);
}

TEST_CASE("1 MB of response headers is refused, memory bounded", "[wait][serial]") {
  ProbeServer server("bigheaders");
  ProcessOptions options;
  options.env = {kSmallQuarantine};
  auto r = wait({server.url(), "--timeout", "500ms", "--json"}, options);
  CHECK(r.exit_code == 124);
  auto report = nlohmann::json::parse(r.out);
  CHECK_FALSE(report["targets"][0]["last_failure"].get<std::string>().empty());
  CHECK(r.max_rss_kb < 64 * 1024 + kSanitizerSlackKb);
}

TEST_CASE("a redirect loop stops at the redirect limit", "[wait]") {
  ProbeServer server("redirect");
  auto r = wait({server.url(), "--timeout", "300ms", "--redirects", "3"});
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("redirects"));
}

TEST_CASE("a self-signed certificate fails unless insecure or its CA is given", "[wait]") {
  TempDir dir;
  auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  auto made = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"},
                          {});
  REQUIRE(made.exit_code == 0);
  ProbeServer server("ok", 0, {"--cert", cert, "--key", key});
  std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto strict = wait({url, "--timeout", "500ms"});
  CHECK(strict.exit_code == 124);
  CHECK_THAT(strict.err, Contains("certificate"));
  CHECK(wait({url, "--insecure"}).exit_code == 0);
  CHECK(wait({url, "--ca-file", cert}).exit_code == 0);
}

TEST_CASE("a name that does not resolve and a closed port say so", "[wait]") {
  auto unresolved = wait({"http://no-such-host.invalid/", "--timeout", "1s"});
  CHECK(unresolved.exit_code == 124);
  CHECK_THAT(unresolved.err, Contains("resolve"));
  auto tcp = wait({"tcp://no-such-host.invalid:80", "--timeout", "1s"});
  CHECK(tcp.exit_code == 124);
  CHECK_THAT(tcp.err, Contains("cannot resolve no-such-host.invalid"));
  int port = free_port();
  auto closed = wait({"tcp://127.0.0.1:" + std::to_string(port), "--timeout", "200ms"});
  CHECK(closed.exit_code == 124);
  CHECK_THAT(closed.err, Contains("Connection refused"));
}

TEST_CASE("localhost is tried over IPv4 and IPv6", "[wait]") {
  ProbeServer server("ok"); // listens on 127.0.0.1 only
  CHECK(wait({"http://localhost:" + std::to_string(server.port()) + "/"}).exit_code == 0);
  CHECK(wait({"tcp://localhost:" + std::to_string(server.port())}).exit_code == 0);
}

TEST_CASE("a log line is seen as soon as it is written, only if written after the start",
          "[wait][serial]") {
  TempDir dir;
  auto log = dir / "server.log";
  std::ofstream(log) << "service ready (an old line)\n";
  // Written once the wait is up (which takes longer under sanitizers).
  double delay = 0.3 + kCiperfUpS;
  BackgroundProcess writer(
      {"/bin/sh", "-c",
       "sleep " + std::to_string(delay) + "; echo 'listening: service ready' >> " + log.string()});
  auto start = steady_now();
  auto r = wait({"log:" + log.string() + ":service ready$", "--timeout", "5s"});
  CHECK(r.exit_code == 0);
  double took = steady_now() - start;
  CHECK(took >= delay - 0.01);
  CHECK(took < delay + 0.1 + kSanitizerSlackS);
}

TEST_CASE("a log file that does not exist yet, or is truncated while watched", "[wait]") {
  TempDir dir;
  auto log = dir / "later.log";
  // Created, then truncated and rewritten, once the wait is up.
  BackgroundProcess creator({"/bin/sh", "-c",
                             "sleep " + std::to_string(0.2 + kCiperfUpS) + "; echo starting > " +
                                 log.string() + "; sleep 0.1; echo up > " + log.string()});
  auto r = wait({"log:" + log.string() + ":^up$", "--timeout", "5s", "--json"});
  CHECK(r.exit_code == 0);
  auto missing = wait({"log:" + (dir / "never.log").string() + ":x", "--timeout", "200ms"});
  CHECK(missing.exit_code == 124);
  CHECK_THAT(missing.err, Contains("file does not exist yet"));
}

TEST_CASE("a log target on a FIFO or a device never blocks the wait", "[wait]") {
  TempDir dir;
  auto fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  ProcessOptions options;
  options.timeout_s = 10; // a blocking open or an endless read would hang past it
  for (std::string path : {fifo.string(), std::string("/dev/zero")}) {
    auto r = wait({"log:" + path + ":x", "--timeout", "300ms"}, options);
    CHECK(r.exit_code == 124);
    CHECK(r.wall_s < 3);
    CHECK_THAT(r.err, Contains("not a regular file"));
  }
}

TEST_CASE("SIGHUP ends a wait with exit 130", "[wait]") {
  ProcessOptions options;
  options.signal = SIGHUP;
  TempDir dir;
  auto started = dir / "started";
  options.signal_when_exists = started;
  auto r = wait({"tcp://127.0.0.1:" + std::to_string(free_port()),
                 "exec:touch " + started.string() + "; exit 1"},
                options);
  CHECK(r.exit_code == 130);
}

TEST_CASE("an exec probe that hangs or forks leaves nothing behind", "[wait]") {
  TempDir dir;
  auto hang_pid = dir / "hang.pid";
  auto r = wait({"exec:sleep 100 & echo $! > " + hang_pid.string() + "; wait", "--attempt-timeout",
                 "200ms", "--timeout", "300ms"});
  CHECK(r.exit_code == 124);
  CHECK_THAT(r.err, Contains("no answer within 200ms"));
  CHECK_FALSE(process_alive(std::stoi(read_file(hang_pid))));
  auto fork_pid = dir / "fork.pid";
  auto forked = wait({"exec:sleep 100 & echo $! > " + fork_pid.string()});
  CHECK(forked.exit_code == 0);
  CHECK_FALSE(process_alive(std::stoi(read_file(fork_pid))));
}

TEST_CASE("fail-if ends a hopeless wait at once with exit 1", "[wait][serial]") {
  TempDir dir;
  auto marker = dir / "crashloop";
  std::ofstream(marker) << "1\n";
  auto start = steady_now();
  auto r = wait({"tcp://127.0.0.1:" + std::to_string(free_port()), "--timeout", "20m", "--fail-if",
                 "exec:test -f " + marker.string()});
  CHECK(r.exit_code == 1);
  CHECK(steady_now() - start < 1.0);
  CHECK_THAT(r.err, Contains("failed fast after"));
}

TEST_CASE("any, all and consecutive successes", "[wait][serial]") {
  ProbeServer server("ok");
  std::string closed = "tcp://127.0.0.1:" + std::to_string(free_port());
  CHECK(wait({server.url(), closed, "--any"}).exit_code == 0);
  // A target that failed before it became ready is not named among those not ready.
  ProbeServer late("listen", 0.05);
  auto both = wait({late.url(), closed, "--timeout", "300ms"});
  CHECK(both.exit_code == 124);
  CHECK_THAT(both.err, Contains("not ready after 300ms: " + closed));
  CHECK(both.err.find(late.url()) == std::string::npos);
  auto r = wait({server.url(), "--successes", "3", "--json"});
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["targets"][0]["attempts"].get<int>() >= 3);
}

TEST_CASE("status ranges, HEAD and headers are honoured", "[wait]") {
  ProbeServer server("flip", 3600);
  CHECK(wait({server.url(), "--status", "200-299,503", "--method", "HEAD", "--header", "X-Test: 1"})
            .exit_code == 0);
}

TEST_CASE("malformed targets and options are usage errors", "[wait]") {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"http://"},
           {"tcp://127.0.0.1"},
           {"tcp://127.0.0.1:99999"},
           {"log:nocolon"},
           {"exec:"},
           {"swarm:bad name"},
           {"nonsense"},
           {"http://127.0.0.1:1/", "--interval", "-5s"},
           {"http://127.0.0.1:1/", "--timeout", "soon"},
           {"http://127.0.0.1:1/", "--status", "abc"},
           {"http://127.0.0.1:1/", "--body", "(unclosed"},
       }) {
    auto r = wait(args);
    INFO(args[0] << " " << (args.size() > 1 ? args[1] : ""));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("error"));
  }
}

TEST_CASE("Ctrl-C ends a wait with exit 130", "[wait]") {
  ProcessOptions options;
  options.signal = SIGINT;
  TempDir dir;
  auto started = dir / "started";
  options.signal_when_exists = started;
  auto r = wait({"tcp://127.0.0.1:" + std::to_string(free_port()),
                 "exec:touch " + started.string() + "; exit 1"},
                options);
  CHECK(r.exit_code == 130);
}

TEST_CASE("swarm: waits for convergence through the docker CLI's output", "[wait]") {
  // No Docker engine runs here: a stand-in `docker` on PATH replays the real CLI's output
  // (tests/fixtures/swarm), converging on its third `service ls`.
  TempDir dir;
  std::string fixtures = CIPERF_SOURCE_DIR "/tests/fixtures/swarm/";
  auto docker = dir.write("bin/docker", R"(#!/bin/sh
state=converging
n=$(cat "$0.count" 2>/dev/null || echo 0)
case "$*" in
  "service ls -q "*) echo k2x9v7b1d3f4; exit 0 ;;
  "service ls "*) n=$((n+1)); echo $n > "$0.count" ;;
esac
[ "$n" -ge 3 ] && state=converged
case "$*" in
  "service ls "*) cat ")" + fixtures + R"(ls-$state.jsonl" ;;
  "service inspect "*) cat ")" + fixtures + R"(inspect-$state.json" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
)");
  std::filesystem::permissions(docker, std::filesystem::perms::owner_all);
  ProcessOptions options;
  options.env = {"PATH=" + (dir / "bin").string() + ":" + std::getenv("PATH")};
  auto r = wait({"swarm:custom-html_ci_example_org", "--interval", "50ms", "--json"}, options);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto report = nlohmann::json::parse(r.out);
  CHECK(report["targets"][0]["attempts"] == 3);
  CHECK(report["targets"][0]["last_failure"] ==
        "custom-html_ci_example_org_app 0/1, custom-html_ci_example_org_db updating");
}
