#include "common/errors.hpp"
#include "common/expand_env.hpp"
#include "probes/swarm_status.hpp"
#include "probes/target_parser.hpp"
#include "probes/waiter.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;
using Catch::Matchers::Contains;

TEST_CASE("probe targets parse from the ciperf wait forms", "[probes]") {
  auto http = parse_target("https://example.org:8443/health");
  CHECK(http.kind == ProbeKind::Http);
  CHECK(http.url == "https://example.org:8443/health");
  auto tcp = parse_target("tcp://[::1]:5432");
  CHECK(tcp.kind == ProbeKind::Tcp);
  CHECK(tcp.host == "::1");
  CHECK(tcp.port == 5432);
  auto bare = parse_target("db:5432"); // as wait-for-it takes it
  CHECK(bare.kind == ProbeKind::Tcp);
  CHECK(bare.host == "db");
  auto exec = parse_target("exec:pg_isready -q");
  CHECK(exec.command == "pg_isready -q");
  auto log = parse_target("log:/var/log/app.log:listening on :8080");
  CHECK(log.path == "/var/log/app.log");
  CHECK(log.regex == "listening on :8080");
  CHECK(parse_target("swarm:my_stack").stack == "my_stack");
  for (const char* bad : {"http://", "tcp://host", "tcp://h:0", "tcp://h:70000", "exec:", "log:x",
                          "log::re", "swarm:", "ftp://x", "plain"})
    CHECK_THROWS_AS(parse_target(bad), UsageError);
}

TEST_CASE("status ranges are codes and ranges", "[probes]") {
  auto ranges = parse_status_ranges("200-299,401");
  CHECK(status_matches(ranges, 200));
  CHECK(status_matches(ranges, 299));
  CHECK(status_matches(ranges, 401));
  CHECK_FALSE(status_matches(ranges, 300));
  CHECK_FALSE(status_matches(ranges, 503));
  for (const char* bad : {"", "abc", "200-", "299-200", "99", "600", "200,,201"})
    CHECK_THROWS_AS(parse_status_ranges(bad), UsageError);
}

TEST_CASE("swarm convergence from docker CLI output", "[probes][swarm]") {
  auto fixture = [](const char* name) {
    return test::read_file(std::string(CIPERF_SOURCE_DIR "/tests/fixtures/swarm/") + name);
  };
  auto converged =
      parse_swarm_status(fixture("ls-converged.jsonl"), fixture("inspect-converged.json"));
  CHECK(converged.converged); // a paused update counts as settled
  CHECK(converged.services == 3);
  auto converging =
      parse_swarm_status(fixture("ls-converging.jsonl"), fixture("inspect-converging.json"));
  CHECK_FALSE(converging.converged);
  CHECK(converging.settled == 1);
  CHECK(converging.reason ==
        "custom-html_ci_example_org_app 0/1, custom-html_ci_example_org_db updating");
  auto empty = parse_swarm_status("", "");
  CHECK_FALSE(empty.converged);
  CHECK(empty.reason == "the stack has no services");
  CHECK_THROWS(parse_swarm_status("not json\n", ""));
  CHECK_THROWS(parse_swarm_status("{\"Name\":\"a\",\"Replicas\":\"n/a\"}\n", ""));
  CHECK(valid_stack_name("custom-html_ci_example_org"));
  CHECK_FALSE(valid_stack_name("a b;rm -rf /"));
}

TEST_CASE("history relaxes polling until shortly before the earliest readiness", "[probes]") {
  using namespace std::chrono_literals;
  CHECK_FALSE(relaxed_schedule({}, 20ms).has_value());
  auto s = relaxed_schedule({2.0}, Duration(20ms));
  REQUIRE(s);
  CHECK(s->relaxed_until_s == Approx(1.9));
  CHECK(s->relaxed_interval == Duration(500ms));
  auto tiny = relaxed_schedule({0.05}, Duration(20ms)); // too soon to be worth it
  CHECK_FALSE(tiny.has_value());
}

TEST_CASE("environment references expand like a shell's", "[probes]") {
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PORT")
      return "8080";
    return std::nullopt;
  };
  CHECK(expand_env("http://127.0.0.1:$PORT/x", lookup) == "http://127.0.0.1:8080/x");
  CHECK(expand_env("${PORT}0", lookup) == "80800");
  CHECK(expand_env("$MISSING-x", lookup) == "-x");
  CHECK(expand_env("cost $5 and $", lookup) == "cost $5 and $");
  CHECK(expand_env("${unclosed", lookup) == "${unclosed");
}
