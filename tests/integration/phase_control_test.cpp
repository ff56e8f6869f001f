// How phases are started, stopped, skipped and cleaned up.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

int read_pid(const std::filesystem::path& file) {
  return std::stoi(read_file(file));
}

} // namespace

TEST_CASE("after a failed phase the rest is skipped but always phases run", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: ok, run: "true"}
  - {name: broken, run: "echo failing; exit 3"}
  - {name: later, run: "touch later-ran"}
  - {name: teardown, always: true, run: "touch teardown-ran"}
)");
  CHECK(r.process.exit_code == 1);
  CHECK(r.results["status"] == "failed");
  CHECK(phase(r.results, "broken")["status"] == "failed");
  CHECK(phase(r.results, "broken")["exit_code"] == 3);
  CHECK(phase(r.results, "later")["status"] == "skipped");
  CHECK(phase(r.results, "later")["exit_code"].is_null());
  CHECK(phase(r.results, "teardown")["status"] == "passed");
  CHECK_FALSE(std::filesystem::exists(box.dir / "later-ran"));
  CHECK(std::filesystem::exists(box.dir / "teardown-ran"));
}

TEST_CASE("a phase past its timeout is terminated and the run exits 124", "[control][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: hang, run: [sleep, "30"], timeout: 300ms}
  - {name: later, run: "true"}
  - {name: teardown, always: true, run: "true"}
)");
  CHECK(r.process.exit_code == 124);
  CHECK(r.results["status"] == "timeout");
  const auto& hang = phase(r.results, "hang");
  CHECK(hang["status"] == "timeout");
  CHECK(hang["signal"] == SIGTERM);
  CHECK(hang["wall_s"].get<double>() == Approx(0.3).margin(0.1));
  CHECK(phase(r.results, "later")["status"] == "skipped");
  CHECK(phase(r.results, "teardown")["status"] == "passed");
}

TEST_CASE("a phase that ignores SIGTERM is killed after the grace period", "[control][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - name: deaf
    timeout: 300ms
    grace: 300ms
    run: "trap '' TERM; echo $$ > deaf.pid; while :; do sleep 0.05; done"
)");
  CHECK(r.process.exit_code == 124);
  const auto& deaf = phase(r.results, "deaf");
  CHECK(deaf["status"] == "timeout");
  CHECK(deaf["signal"] == SIGKILL);
  CHECK(deaf["wall_s"].get<double>() == Approx(0.6).margin(0.15));
  CHECK_FALSE(process_alive(read_pid(box.dir / "deaf.pid")));
}

TEST_CASE("what a phase forgot in the background is killed when it ends", "[control][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: forgetful, run: "sleep 1000 & echo $! > sleeper.pid"}
  - {name: next, run: "true"}
)");
  CHECK(r.process.exit_code == 0);
  CHECK(phase(r.results, "forgetful")["wall_s"].get<double>() < 0.5);
  int sleeper = read_pid(box.dir / "sleeper.pid");
  CHECK_FALSE(process_alive(sleeper));
  if (process_alive(sleeper))
    ::kill(sleeper, SIGKILL);
}

TEST_CASE("a background service lives until the run ends, then is terminated", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - name: service
    kind: deploy
    background: true
    run: "echo $$ > service.pid; echo service-up; exec sleep 1000"
  - {name: check, run: "sleep 0.2; kill -0 $(cat service.pid) && touch service-was-alive"}
  - {name: teardown, always: true, run: "true"}
)");
  CHECK(r.process.exit_code == 0);
  CHECK(std::filesystem::exists(box.dir / "service-was-alive"));
  const auto& service = phase(r.results, "service");
  CHECK(service["status"] == "passed");
  CHECK(service["background"] == true);
  CHECK(service["wall_s"].get<double>() >= 0.2);
  CHECK(read_file(r.run_dir / service["log"].get<std::string>()) == "service-up\n");
  CHECK_FALSE(process_alive(read_pid(box.dir / "service.pid")));
  CHECK(r.results["deploys"] == 1);
}

TEST_CASE("a background service that dies early fails the run", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: service, background: true, run: "exit 4"}
  - {name: work, run: [sleep, "0.1"]}
)");
  CHECK(r.process.exit_code == 1);
  CHECK(phase(r.results, "service")["status"] == "failed");
  CHECK(phase(r.results, "service")["exit_code"] == 4);
  CHECK_THAT(phase(r.results, "service")["message"].get<std::string>(),
             Contains("exited early with code 4"));
}

TEST_CASE("a command that does not exist fails its phase with a clear message", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: missing, run: [no-such-command-ciperf]}
  - {name: teardown, always: true, run: "true"}
)");
  CHECK(r.process.exit_code == 1);
  const auto& missing = phase(r.results, "missing");
  CHECK(missing["status"] == "failed");
  CHECK(missing["exit_code"] == 127);
  CHECK_THAT(missing["message"].get<std::string>(),
             Contains("command 'no-such-command-ciperf' not found on PATH"));
  CHECK_THAT(r.process.err, Contains("command 'no-such-command-ciperf' not found on PATH"));
  CHECK_THAT(read_file(r.run_dir / "logs/01-missing.log"), Contains("not found on PATH"));
}

TEST_CASE("expect.deploys fails the run when the deploy count differs", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - {name: base, kind: deploy, run: "true"}
  - {name: upgrade, kind: deploy, run: "true"}
expect: {deploys: 1}
)");
  CHECK(r.process.exit_code == 1);
  CHECK(r.results["status"] == "failed");
  CHECK(r.results["deploys"] == 2);
  CHECK_THAT(r.process.err, Contains("2 deploys ran, expected 1"));
}

TEST_CASE("cold mode runs cold.prepare first, outside the run's timing", "[control][serial]") {
  Sandbox box;
  std::string yaml = R"(version: 1
cold: {prepare: "sleep 0.3; touch prepared"}
phases:
  - {name: a, run: "test -f prepared"}
)";
  auto r = box.run(yaml, {"--mode", "cold"});
  CHECK(r.process.exit_code == 0);
  CHECK(r.results["mode"] == "cold");
  CHECK(r.results["prepare"]["status"] == "passed");
  CHECK(r.results["prepare"]["wall_s"].get<double>() >= 0.3);
  CHECK(r.results["wall_s"].get<double>() < 0.2);
  std::filesystem::remove(box.dir / "prepared");
  auto warm = box.run(yaml, {"--mode", "warm"});
  CHECK(warm.process.exit_code == 1); // warm runs do not prepare
  CHECK_FALSE(warm.results.contains("prepare"));
}

TEST_CASE("a failing cold.prepare fails the run and skips every phase", "[control]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
cold: {prepare: "exit 9"}
phases:
  - {name: a, run: "touch ran"}
)",
                   {"--mode", "cold"});
  CHECK(r.process.exit_code == 1);
  CHECK(r.results["prepare"]["exit_code"] == 9);
  CHECK(phase(r.results, "a")["status"] == "skipped");
  CHECK_THAT(r.process.err, Contains("cold.prepare failed"));
}

TEST_CASE("a phase printing 200 MB keeps ciperf's memory bounded", "[control][serial]") {
  Sandbox box;
  ProcessOptions options;
  // AddressSanitizer keeps freed memory in quarantine (256 MB by default); keep that small so
  // that the sanitizer build checks ciperf's memory, not the sanitizer's.
  options.env = {kSmallQuarantine};
  auto r = box.run(R"(version: 1
phases:
  - {name: chatty, run: "head -c 200000000 /dev/zero | tr '\\0' x"}
)",
                   {}, options);
  CHECK(r.process.exit_code == 0);
  CHECK(std::filesystem::file_size(r.run_dir / "logs/01-chatty.log") == 200000000);
  CHECK(r.process.max_rss_kb < 30 * 1024 + kSanitizerSlackKb);
}

TEST_CASE("verbose mode streams phase output to the console as well", "[control]") {
  Sandbox box;
  auto quiet = box.run("version: 1\nphases:\n  - {name: a, run: 'echo visible-line'}\n");
  CHECK_FALSE(Catch::Matchers::Contains("visible-line").match(quiet.process.out));
  auto loud =
      box.run("version: 1\nphases:\n  - {name: a, run: 'echo visible-line'}\n", {"--verbose"});
  CHECK_THAT(loud.process.out, Contains("visible-line"));
}

TEST_CASE("without a terminal, progress is one line per finished phase", "[control]") {
  Sandbox box;
  auto r =
      box.run("version: 1\nphases:\n  - {name: a, run: 'true'}\n  - {name: b, run: 'false'}\n");
  CHECK_THAT(r.process.err, Contains("[1/2] a passed"));
  CHECK_THAT(r.process.err, Contains("[2/2] b failed"));
  CHECK(r.process.err.find('\r') == std::string::npos);
  CHECK(r.process.out.find("\033[") == std::string::npos);
  CHECK_THAT(r.process.out, Contains("phase") && Contains("share") && Contains("stall"));
}

TEST_CASE("a silent phase leaves no empty log behind", "[control]") {
  Sandbox box;
  auto r = box.run(
      "version: 1\nphases:\n  - {name: quiet, run: 'true'}\n  - {name: loud, run: 'echo hi'}\n");
  CHECK(phase(r.results, "quiet")["log"] == "");
  CHECK_FALSE(std::filesystem::exists(r.run_dir / "logs/01-quiet.log"));
  CHECK(phase(r.results, "loud")["log"] == "logs/02-loud.log");
  CHECK(read_file(r.run_dir / "logs/02-loud.log") == "hi\n");
}

TEST_CASE("on a terminal the status line is redrawn in place and NO_COLOR is honoured",
          "[control]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: nap, run: [sleep, '0.3']}\n  - "
                                 "{name: oops, run: 'false'}\n");
  std::string command = std::string(CIPERF_BINARY) + " run " + file.string() + " --store " +
                        box.store().string() + " --out " + (box.dir / "run").string();
  auto on_terminal = [&](std::vector<std::string> env) {
    ProcessOptions options;
    options.env = std::move(env);
    options.env.push_back("TERM=xterm");
    // script(1) gives ciperf a pseudo-terminal and copies what it shows to our stdout.
    return run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, options);
  };
  auto colored = on_terminal({"NO_COLOR="});
  CHECK_THAT(colored.out, Contains("\r\033[K[1/2] nap 0."));
  CHECK_THAT(colored.out, Contains("\033[32mpassed\033[0m"));
  CHECK_THAT(colored.out, Contains("\033[31mfailed\033[0m"));
  auto plain = on_terminal({"NO_COLOR=1"});
  CHECK_THAT(plain.out, Contains("\r\033[K[1/2] nap 0."));
  CHECK(plain.out.find("\033[3") == std::string::npos);
  CHECK_THAT(plain.out, Contains("oops failed"));
}

TEST_CASE("a daemon that leaves the group just after its parent exits survives the phase",
          "[control][serial]") {
  Sandbox box;
  // Like nginx or pg_ctl: the parent exits, the child calls setsid() a moment later.
  auto r = box.run(R"yaml(version: 1
phases:
  - {name: start, run: "(sleep 0.05; exec setsid sleep 1000) > /dev/null 2>&1 & echo $! > daemon.pid"}
  - {name: check, run: "sleep 0.1; kill -0 $(cat daemon.pid)"}
  - {name: stop, always: true, run: "kill $(cat daemon.pid)"}
)yaml");
  CHECK(r.process.exit_code == 0);
  CHECK(phase(r.results, "check")["status"] == "passed");
  int pid = std::stoi(read_file(box.dir / "daemon.pid"));
  for (int i = 0; i < 100 && process_alive(pid); ++i)
    ::usleep(10'000);
  CHECK_FALSE(process_alive(pid));
}
