// Names from a pipeline, reason phrases from a server and errors that quote them reach the
// terminal and the CI log escaped: no control byte that a terminal obeys (ESC, BEL, OSC), and no
// line that a CI runner would run as a workflow command (`::error::`, `##[`, `##vso[`).
#include "support/ciperf_run.hpp"
#include "support/probe_server.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ciperf::test;

namespace {

// Every byte printable or a line break, and no line a CI runner would execute.
void require_inert(const std::string& where, const std::string& text) {
  INFO(where << ":\n" << text);
  for (char c : text)
    CHECK_FALSE((static_cast<unsigned char>(c) < 0x20 && c != '\n'));
  CHECK(text.find('\x7f') == std::string::npos);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find_first_not_of(" \t");
    CHECK_FALSE((first != std::string::npos && line.compare(first, 2, "::") == 0));
    CHECK(line.find("##[") == std::string::npos);
    CHECK(line.find("##vso[") == std::string::npos);
  }
}

constexpr const char* kHostile = R"(version: 1
pipeline: "::set-output name=x::\e]0;owned\a"
phases:
  - name: "::error::pwned"
    run: "true"
  - name: "\e]0;title\a\e[2J##vso[task.complete]x"
    run: "exit 3"
)";

} // namespace

TEST_CASE("hostile names reach the terminal escaped", "[cli][escape]") {
  Sandbox box;
  auto r = box.run(kHostile);
  REQUIRE(r.results.is_object());
  CHECK(r.process.exit_code == 1);
  CHECK(r.results["phases"][0]["name"] == "::error::pwned"); // data stays as written
  require_inert("run stdout", r.process.out);
  require_inert("run stderr", r.process.err);
  CHECK_THAT(r.process.out, Catch::Matchers::Contains("\\x3a:error::pwned"));
  std::string store = box.store().string();
  std::string id = r.results["run_id"];
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"show", id, "--store", store},
           {"runs", "--store", store},
           {"attribute", "--store", store},
           {"check", "pipeline.yml"},
       }) {
    auto shown = box.ciperf(args);
    require_inert(args[0] + " stdout", shown.out);
    require_inert(args[0] + " stderr", shown.err);
  }
}

TEST_CASE("errors that quote user text are escaped", "[cli][escape]") {
  Sandbox box;
  box.write_pipeline(R"(version: 1
phases:
  - name: "\e]0;x\a::error::dup"
    run: "true"
  - name: "\e]0;x\a::error::dup"
    run: "true"
)");
  auto check = box.ciperf({"check", "pipeline.yml"});
  CHECK(check.exit_code == 2);
  require_inert("check stderr", check.err);
  auto missing = box.ciperf({"show", "\x1b]0;x\a::error::nope", "--store", box.store().string()});
  CHECK(missing.exit_code == 2);
  require_inert("show stderr", missing.err);
}

TEST_CASE("a wait's reasons are escaped: an HTTP reason phrase, a target", "[wait][escape]") {
  ProbeServer server("hostile");
  auto r = run_process(
      {CIPERF_BINARY, "wait", server.url(), "exec:false \x1b[2J", "--timeout", "300ms"}, {});
  CHECK(r.exit_code == 124);
  require_inert("wait stderr", r.err);
  CHECK_THAT(r.err, Catch::Matchers::Contains("503 \\x1b]0;owned\\x07"));
}
