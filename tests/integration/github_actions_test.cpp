// Under GITHUB_ACTIONS=true, `ciperf run` groups each phase's part of the log, annotates failed
// and over-budget phases on their pipeline line, and appends its Markdown report to the step
// summary; nothing a phase prints or is named can run a workflow command, and no secret shows.
// The runner's side is simulated below as the runner does it: a line is a command when it starts
// with `::` after leading whitespace, unless commands are stopped by `::stop-commands::TOKEN`.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace ciperf::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kSecret = "tok-s3cr3t-4711";

// The pipeline: line numbers matter (annotations point at them).
const std::string kPipeline = R"(version: 1
pipeline: gha
secrets: [API_TOKEN]
phases:
  - name: build
    run: "echo building; echo '::error::injected by build'"
  - name: slow
    run: "sleep 0.3"
    budget: 50ms
  - name: "deploy tok-s3cr3t-4711"
    run: "echo 'token is '$API_TOKEN; echo '::error file=x::injected by deploy'; exit 3"
  - name: "::error::x\n::warning::y"
    run: "true"
    always: true
)";
constexpr int kSlowLine = 7;
constexpr int kDeployLine = 10;

// The commands a GitHub runner would act on in `text`, in order.
std::vector<std::string> executed_commands(const std::string& text) {
  std::vector<std::string> commands;
  std::string stop_token;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "::") != 0)
      continue;
    std::string command = line.substr(first);
    if (!stop_token.empty()) {
      if (command == "::" + stop_token + "::")
        stop_token.clear();
      continue;
    }
    if (command.rfind("::stop-commands::", 0) == 0)
      stop_token = command.substr(17);
    else
      commands.push_back(command);
  }
  return commands;
}

std::vector<std::string> starting_with(const std::vector<std::string>& commands,
                                       const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& c : commands)
    if (c.rfind(prefix, 0) == 0)
      out.push_back(c);
  return out;
}

struct ActionsRun {
  CiperfRun run;
  std::string summary;
  std::vector<std::string> commands; // of stdout and stderr
};

ActionsRun run_in_actions(Sandbox& box, const std::vector<std::string>& args) {
  auto summary = box.dir / "step_summary.md";
  std::ofstream(summary) << "# earlier step\n";
  ProcessOptions options;
  options.env = {"GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + summary.string(),
                 "API_TOKEN=" + kSecret};
  ActionsRun r{box.run(kPipeline, args, options), "", {}};
  r.summary = read_file(summary);
  r.commands = executed_commands(r.run.process.out);
  auto err = executed_commands(r.run.process.err);
  r.commands.insert(r.commands.end(), err.begin(), err.end());
  return r;
}

void check_actions_run(const ActionsRun& r) {
  INFO("stdout:\n" << r.run.process.out << "\nstderr:\n" << r.run.process.err);
  CHECK(r.run.process.exit_code == 1);
  // the summary: appended after what was there, the run's Markdown report
  CHECK_THAT(r.summary, StartsWith("# earlier step\n\n## "));
  CHECK_THAT(r.summary, Contains("### ❌ 1 phase failed"));
  // a group per phase that ran, each closed, in order
  auto groups = starting_with(r.commands, "::group::");
  REQUIRE(groups.size() == 4);
  CHECK(groups[0] == "::group::build");
  CHECK(groups[1] == "::group::slow");
  CHECK(groups[2] == "::group::deploy ***");
  CHECK(groups[3] == "::group::\\x3a:error::x\\x0a::warning::y");
  CHECK(starting_with(r.commands, "::endgroup::").size() == 4);
  // one error, on the failed phase's line; one warning, on the over-budget phase's
  auto errors = starting_with(r.commands, "::error");
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Contains("pipeline.yml,line=" + std::to_string(kDeployLine) +
                                 ",title=phase deploy ***"));
  CHECK_THAT(errors[0], StartsWith("::error file="));
  CHECK_THAT(errors[0], Contains("failed after "));
  CHECK_THAT(errors[0], Contains(": exit code 3"));
  auto warnings = starting_with(r.commands, "::warning");
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0],
             Contains("pipeline.yml,line=" + std::to_string(kSlowLine) + ",title=phase slow"));
  CHECK_THAT(warnings[0], Contains("over its budget of"));
  // nothing else ran, and no secret anywhere
  CHECK(r.commands.size() == groups.size() * 2 + errors.size() + warnings.size());
  for (const auto& text : {r.run.process.out, r.run.process.err, r.summary})
    CHECK(text.find(kSecret) == std::string::npos);
}

} // namespace

TEST_CASE("on GitHub Actions a run groups, annotates and appends its summary", "[cli][gha]") {
  Sandbox box;
  auto r = run_in_actions(box, {});
  check_actions_run(r);
  // the failed phase's log end is shown in its group, escaped line by line
  CHECK_THAT(r.run.process.out, Contains("token is ***"));
  CHECK_THAT(r.run.process.out, Contains("\\x3a:error file=x::injected by deploy"));
}

TEST_CASE("on GitHub Actions echoed phase output cannot run commands", "[cli][gha]") {
  Sandbox box;
  auto r = run_in_actions(box, {"--verbose"});
  check_actions_run(r);
  // echoed as printed, inside stopped commands
  CHECK_THAT(r.run.process.out, Contains("\n::error::injected by build\n"));
  CHECK_THAT(r.run.process.out, Contains("::stop-commands::"));
}

TEST_CASE("without GITHUB_ACTIONS a run writes no workflow command and no summary", "[cli][gha]") {
  Sandbox box;
  auto summary = box.dir / "step_summary.md";
  std::ofstream(summary) << "# earlier step\n";
  ProcessOptions options;
  options.env = {"GITHUB_STEP_SUMMARY=" + summary.string(), "API_TOKEN=" + kSecret};
  auto r = box.run(kPipeline, {}, options);
  CHECK(r.process.exit_code == 1);
  CHECK(read_file(summary) == "# earlier step\n");
  CHECK(executed_commands(r.process.out).empty());
  CHECK(executed_commands(r.process.err).empty());
}

TEST_CASE("on GitHub Actions an unwritable step summary is one warning, not a failure",
          "[cli][gha]") {
  Sandbox box;
  ProcessOptions options;
  options.env = {"GITHUB_ACTIONS=true",
                 "GITHUB_STEP_SUMMARY=" + (box.dir / "no-such-dir" / "summary.md").string()};
  auto r = box.run("version: 1\npipeline: p\nphases:\n  - {name: a, run: 'true'}\n", {}, options);
  CHECK(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Contains("warning: no step summary"));
  options.env = {"GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY="};
  r = box.run("version: 1\npipeline: p\nphases:\n  - {name: a, run: 'true'}\n", {}, options);
  CHECK(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Contains("GITHUB_STEP_SUMMARY is not set"));
}

TEST_CASE("on GitHub Actions compare annotates each regressed phase, off stdout",
          "[cli][gha][serial]") {
  // As in confirm_test: one phase five times slower while a marker exists, a 100% threshold.
  Sandbox box;
  auto marker = box.dir / "slow.marker";
  auto file = box.write_pipeline("version: 1\npipeline: marker\ncold: {prepare: \"true\"}\n"
                                 "phases:\n  - name: cpu\n    run: 'if [ -f " +
                                 marker.string() + " ]; then sleep 0.25; else sleep 0.05; fi'\n");
  std::string store = box.store().string();
  REQUIRE(box.ciperf({"baseline", file.string(), "--runs", "6", "--name", "main", "--store", store})
              .exit_code == 0);
  auto runs = nlohmann::json::parse(box.ciperf({"runs", "--json", "--store", store}).out);
  std::string before = runs[0]["run_id"];
  std::ofstream(marker).put('x');
  for (int i = 0; i < 3; ++i)
    REQUIRE(box.ciperf({"run", file.string(), "--store", store}).exit_code == 0);
  std::vector<std::string> compare = {"compare",     "--since", before,   "--baseline", "main",
                                      "--threshold", "100",     "--json", "--store",    store};
  ProcessOptions actions;
  actions.env = {"GITHUB_ACTIONS=true"};
  auto judged = box.ciperf(compare, actions);
  INFO(judged.out << judged.err);
  REQUIRE(judged.exit_code == 1);
  CHECK(nlohmann::json::parse(judged.out)["verdict"] == "regressed"); // stdout stays JSON
  auto errors = starting_with(executed_commands(judged.err), "::error");
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], StartsWith("::error title=marker (normal) phase cpu regressed::"));
  CHECK(executed_commands(judged.out).empty());
  auto plain = box.ciperf(compare);
  CHECK(plain.exit_code == 1);
  CHECK(executed_commands(plain.err).empty());
}
