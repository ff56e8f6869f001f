// `wait:` phases inside pipelines: results, store, history-informed polling.
#include "support/ciperf_run.hpp"
#include "support/probe_server.hpp"

#include <catch2/catch.hpp>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

std::string pipeline_for(const ProbeServer& server) {
  return "version: 1\npipeline: svc\nenv: {PORT: \"" + std::to_string(server.port()) +
         "\"}\nphases:\n"
         "  - name: ready\n"
         "    wait:\n"
         "      all:\n"
         "        - http: http://127.0.0.1:$PORT/health\n"
         "          status: 200\n"
         "        - exec: test -d \"$CIPERF_RUN_DIR\"\n"
         "      timeout: 10s\n"
         "  - {name: after, run: 'true'}\n";
}

} // namespace

TEST_CASE("a wait phase records its probe in results.json and the store", "[wait-phase][serial]") {
  Sandbox box;
  ProbeServer server("flip", 0.5);
  auto r = box.run(pipeline_for(server));
  REQUIRE(r.process.exit_code == 0);
  const auto& ready = phase(r.results, "ready");
  CHECK(ready["kind"] == "wait");
  CHECK(ready["status"] == "passed");
  const auto& probe = ready.at("probe");
  CHECK(probe["outcome"] == "ready");
  // The server flips 0.5 s after it starts; ciperf starts meanwhile (slowly under sanitizers).
  CHECK(probe["ready_s"].get<double>() == Approx(0.5).margin(0.1 + kSanitizerStartS));
  REQUIRE(probe["targets"].size() == 2);
  CHECK(probe["targets"][0]["target"] == server.url("/health")); // $PORT expanded
  CHECK(probe["targets"][0]["last_failure"] == "503 Service Unavailable");
  CHECK(probe["targets"][1]["first_success_s"].get<double>() < 0.5);
  auto shown = box.ciperf({"show", r.results["run_id"], "--store", box.store().string(), "--json"});
  auto stored = nlohmann::json::parse(shown.out);
  CHECK(stored["phases"][0].at("probe")["attempts"] == probe["attempts"]);
  CHECK(stored["phases"][0].at("probe")["targets"][0]["last_failure"] == "503 Service Unavailable");
}

TEST_CASE("history from earlier runs saves requests at the same latency", "[wait-phase][serial]") {
  Sandbox box;
  int first_requests = 0;
  {
    ProbeServer server("flip", 1.0, {"--from-first-request"});
    auto r = box.run(pipeline_for(server));
    REQUIRE(r.process.exit_code == 0);
    first_requests = static_cast<int>(server.request_times().size());
    CHECK(phase(r.results, "ready").at("probe")["relaxed_until_s"].is_null());
  }
  ProbeServer server("flip", 1.0, {"--from-first-request"});
  auto r = box.run(pipeline_for(server));
  REQUIRE(r.process.exit_code == 0);
  double latency = phase(r.results, "ready").at("probe")["ready_s"].get<double>() - 1.0;
  CHECK(latency < 0.08);
  const auto& probe = phase(r.results, "ready").at("probe");
  CHECK(probe["relaxed_until_s"].get<double>() > 0.5);
  CHECK(probe["attempts_saved"].get<int>() > 0);
  int second_requests = static_cast<int>(server.request_times().size());
  CHECK(second_requests * 3 < first_requests);
}

TEST_CASE("fail_if in a pipeline fails the phase fast and skips the rest", "[wait-phase][serial]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - name: crashloop
    run: "touch crashloop"
  - name: ready
    wait:
      all: [{tcp: "127.0.0.1:1"}]
      timeout: 20m
      fail_if: [{exec: "test -f crashloop"}]
  - {name: functional, run: "true"}
  - {name: teardown, always: true, run: "true"}
)");
  CHECK(r.process.exit_code == 1);
  const auto& ready = phase(r.results, "ready");
  CHECK(ready["status"] == "failed");
  CHECK(ready["wall_s"].get<double>() < 1.0);
  CHECK_THAT(ready["message"].get<std::string>(), Contains("failed fast"));
  CHECK(phase(r.results, "functional")["status"] == "skipped");
  CHECK(phase(r.results, "teardown")["status"] == "passed");
}

TEST_CASE("a wait that times out ends the run with 124 and says why", "[wait-phase]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
phases:
  - name: ready
    wait: {all: ["tcp://127.0.0.1:1"], timeout: 300ms}
)");
  CHECK(r.process.exit_code == 124);
  const auto& ready = phase(r.results, "ready");
  CHECK(ready["status"] == "timeout");
  CHECK_THAT(ready["message"].get<std::string>(),
             Contains("not ready after 300ms: tcp://127.0.0.1:1 — Connection refused"));
  CHECK_THAT(r.process.err, Contains("not ready after 300ms"));
}

TEST_CASE("a wait phase keeps a chatty background service's output flowing",
          "[wait-phase][serial]") {
  Sandbox box;
  // The service prints 2 MB before it is ready: far more than a pipe holds. Unread, it would
  // block on the full pipe and never get to `ready`.
  auto r = box.run(R"(version: 1
phases:
  - {name: service, background: true, run: "yes chatter | head -c 2000000; touch ready; exec sleep 1000"}
  - name: ready
    wait: {all: [{exec: test -f ready}], interval: 50ms, timeout: 5s}
)");
  CHECK(r.process.exit_code == 0);
  REQUIRE(r.results.is_object());
  CHECK(phase(r.results, "ready")["status"] == "passed");
  std::error_code ec;
  CHECK(std::filesystem::file_size(
            r.run_dir / phase(r.results, "service")["log"].get<std::string>(), ec) >= 2000000);
}
