// The pure layer of the GitHub Actions mode: the runner's escaping, the command lines ciperf
// writes, and which phases and verdicts get an annotation.
#include "analysis/comparison.hpp"
#include "model/run_record.hpp"
#include "runner/github_actions.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

using namespace ciperf;

TEST_CASE("workflow-command data and properties are escaped as the runner decodes them", "[gha]") {
  CHECK(github_escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad");
  CHECK(github_escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad");
  CHECK(github_escape_data("%0A") == "%250A"); // an escape in the text stays text
}

TEST_CASE("annotation lines carry file, line and title, escaped and redacted", "[gha]") {
  Redactor redactor({"hunter2"});
  Annotation a{AnnotationLevel::Error, "/ci/a,b:c.yml", 12, "phase x, hunter2",
               "50% done: hunter2"};
  CHECK(annotation_line(a, redactor) ==
        "::error file=/ci/a%2Cb%3Ac.yml,line=12,title=phase x%2C ***::50%25 done: ***\n");
  Annotation bare{AnnotationLevel::Warning, "", 0, "", "slow"};
  CHECK(annotation_line(bare, redactor) == "::warning::slow\n");
}

TEST_CASE("a name cannot break out of its command line", "[gha]") {
  Redactor none;
  // the line break is shown, not decoded, and the leading colons are broken
  CHECK(group_line("::error::x\n::warning::y", none) ==
        "::group::\\x3a:error::x\\x0a::warning::y\n");
  CHECK(group_line("a\rb%0Ac", none) == "::group::a\\x0db%250Ac\n");
  Annotation a{AnnotationLevel::Error, "f.yml", 3, "t\n::error::z", "m\n::error::z"};
  std::string line = annotation_line(a, none);
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line.find("%0A") == std::string::npos);
}

TEST_CASE("failed phases get an error, over-budget ones a warning", "[gha]") {
  PhaseRecord p;
  p.name = "deploy";
  p.status = PhaseStatus::Failed;
  p.exit_code = 3;
  p.wall_s = 1.5;
  auto error = phase_annotation(p, "ci.yml", 9);
  REQUIRE(error);
  CHECK(error->level == AnnotationLevel::Error);
  CHECK(error->line == 9);
  CHECK(error->title == "phase deploy failed");
  CHECK(error->message == "phase deploy failed after 1.50s: exit code 3");
  p.status = PhaseStatus::Passed;
  p.exit_code = 0;
  CHECK_FALSE(phase_annotation(p, "ci.yml", 9));
  p.budget_s = 1.0;
  p.over_budget = true;
  auto warning = phase_annotation(p, "ci.yml", 9);
  REQUIRE(warning);
  CHECK(warning->level == AnnotationLevel::Warning);
  CHECK_THAT(warning->message, Catch::Contains("over its budget of 1.00s"));
}

TEST_CASE("regressed phases get an error, host moves a warning, the rest nothing", "[gha]") {
  PhaseComparison row;
  row.phase = "build";
  row.base_median = 10;
  row.candidate_median = 12;
  row.change = 0.2;
  row.p_adjusted = 0.01;
  row.verdict = Verdict::Regressed;
  auto error = verdict_annotation("ci", RunMode::Warm, row);
  REQUIRE(error);
  CHECK(error->level == AnnotationLevel::Error);
  CHECK(error->title == "ci (warm) phase build regressed");
  CHECK_THAT(error->message, Catch::Contains("+20.0%"));
  row.verdict = Verdict::MovedWithHost;
  REQUIRE(verdict_annotation("ci", RunMode::Warm, row));
  CHECK(verdict_annotation("ci", RunMode::Warm, row)->level == AnnotationLevel::Warning);
  for (Verdict v :
       {Verdict::Improved, Verdict::Unchanged, Verdict::BelowThreshold, Verdict::NotEnoughData}) {
    row.verdict = v;
    CHECK_FALSE(verdict_annotation("ci", RunMode::Warm, row));
  }
}

namespace {

// What `write` wrote to stdout (fd 1, where GithubActionsLog writes, as the echo does).
template <typename F> std::string captured_stdout(F&& write) {
  test::TempDir dir;
  auto path = (dir / "stdout").string();
  std::fflush(stdout);
  int saved = ::dup(STDOUT_FILENO);
  int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(file, STDOUT_FILENO);
  ::close(file);
  write();
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  return test::read_file(path);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

} // namespace

TEST_CASE("echoed output is stopped whenever it may flow, and resumed for ciperf's commands",
          "[gha]") {
  Redactor none;
  PhaseRecord failed;
  failed.name = "a";
  failed.status = PhaseStatus::Failed;
  failed.exit_code = 1;
  auto lines = lines_of(captured_stdout([&] {
    GithubActionsLog log(none, "ci.yml", /*echo=*/true);
    log.output_may_follow(); // a background phase started before any phase
    log.phase_started("a");
    log.phase_finished(failed, 4, "", /*output_follows=*/true);
  }));
  REQUIRE(lines.size() == 9);
  auto token = [](const std::string& stop) {
    return stop.substr(std::string("::stop-commands::").size());
  };
  CHECK_THAT(lines[0], Catch::StartsWith("::stop-commands::ciperf-"));
  CHECK(lines[1] == "::" + token(lines[0]) + "::");
  CHECK(lines[2] == "::group::a");
  CHECK_THAT(lines[3], Catch::StartsWith("::stop-commands::ciperf-"));
  CHECK(token(lines[3]) != token(lines[0])); // a new token each time
  CHECK(lines[4] == "::" + token(lines[3]) + "::");
  CHECK(lines[5] == "::endgroup::");
  CHECK_THAT(lines[6], Catch::StartsWith("::error file=ci.yml,line=4,title=phase a failed::"));
  CHECK_THAT(lines[7], Catch::StartsWith("::stop-commands::ciperf-"));
  // the background's output may still flow until the log ends, then commands run again
  CHECK(lines[8] == "::" + token(lines[7]) + "::");
  CHECK(lines.back() == lines[8]);
}

TEST_CASE("without echo nothing is stopped: groups and annotations only", "[gha]") {
  Redactor none;
  PhaseRecord passed;
  passed.name = "a";
  passed.status = PhaseStatus::Passed;
  auto text = captured_stdout([&] {
    GithubActionsLog log(none, "ci.yml", /*echo=*/false);
    log.output_may_follow();
    log.phase_started("a");
    log.phase_finished(passed, 4, "", true);
  });
  CHECK(text == "::group::a\n::endgroup::\n");
}
