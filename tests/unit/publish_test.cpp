// The pure parts of `ciperf publish`: the defaults it takes from Drone and Gitea Actions, the
// token's variable, and what the status and comment say.
#include "reports/forge_status.hpp"
#include "runner/forge_env.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace ciperf;
using Catch::Matchers::Contains;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty())
      return std::nullopt;
    return it->second;
  };
}

} // namespace

TEST_CASE("publish takes Drone's variables", "[publish]") {
  auto d = publish_defaults(env_of({{"DRONE", "true"},
                                    {"DRONE_REPO", "octo/hello"},
                                    {"DRONE_COMMIT_SHA", "abc123"},
                                    {"DRONE_PULL_REQUEST", "42"},
                                    {"DRONE_REPO_LINK", "https://git.example.com/octo/hello"},
                                    {"DRONE_SYSTEM_PROTO", "http"},
                                    {"DRONE_SYSTEM_HOST", "drone.example.com"},
                                    {"DRONE_BUILD_NUMBER", "7"}}));
  CHECK(d.source == "drone");
  CHECK(d.url == "https://git.example.com");
  CHECK(d.repo == "octo/hello");
  CHECK(d.sha == "abc123");
  CHECK(d.pr == 42);
  CHECK(d.target_url == "http://drone.example.com/octo/hello/7");
  // a push build has an empty DRONE_PULL_REQUEST: no comment
  CHECK_FALSE(publish_defaults(env_of({{"DRONE", "true"}, {"DRONE_PULL_REQUEST", ""}})).pr);
}

TEST_CASE("publish takes Gitea Actions' variables only under GITEA_ACTIONS", "[publish]") {
  std::map<std::string, std::string> vars = {{"GITHUB_SERVER_URL", "https://git.example.com"},
                                             {"GITHUB_REPOSITORY", "octo/hello"},
                                             {"GITHUB_SHA", "def456"},
                                             {"GITHUB_REF", "refs/pull/9/head"},
                                             {"GITHUB_RUN_NUMBER", "31"}};
  CHECK(publish_defaults(env_of(vars)).source.empty()); // GitHub's own runner: not a Gitea
  vars["GITEA_ACTIONS"] = "true";
  auto d = publish_defaults(env_of(vars));
  CHECK(d.source == "gitea-actions");
  CHECK(d.url == "https://git.example.com");
  CHECK(d.repo == "octo/hello");
  CHECK(d.sha == "def456");
  CHECK(d.pr == 9);
  CHECK(d.target_url == "https://git.example.com/octo/hello/actions/runs/31");
  vars["GITHUB_REF"] = "refs/heads/main";
  CHECK_FALSE(publish_defaults(env_of(vars)).pr);
}

TEST_CASE("publish's token comes from the first variable set", "[publish]") {
  CHECK_FALSE(publish_token(env_of({})));
  auto t = publish_token(env_of({{"GITEA_TOKEN", "g"}, {"FORGEJO_TOKEN", "f"}}));
  REQUIRE(t);
  CHECK(t->name == "GITEA_TOKEN");
  CHECK(publish_token(env_of({{"CIPERF_PUBLISH_TOKEN", "c"}, {"GITEA_TOKEN", "g"}}))->value == "c");
}

TEST_CASE("a commit's state follows the run and its verdicts", "[publish]") {
  CHECK(commit_state(RunStatus::Passed, Outcome::NoRegression) == CommitState::Success);
  CHECK(commit_state(RunStatus::Passed, Outcome::Inconclusive) == CommitState::Success);
  CHECK(commit_state(RunStatus::Passed, Outcome::Regressed) == CommitState::Failure);
  CHECK(commit_state(RunStatus::Failed, Outcome::NoRegression) == CommitState::Failure);
  CHECK(commit_state(RunStatus::Timeout, Outcome::NoRegression) == CommitState::Failure);
  CHECK(commit_state(RunStatus::Interrupted, Outcome::NoRegression) == CommitState::Error);
  CHECK(commit_state(RunStatus::Incomplete, Outcome::NoRegression) == CommitState::Pending);
  CHECK(std::string(commit_state_name(CommitState::Failure)) == "failure");
}

TEST_CASE("the comment marker cannot be closed or spoofed by a pipeline name", "[publish]") {
  CHECK(comment_marker("nginx-smoke") == "<!-- ciperf:nginx-smoke -->");
  std::string hostile = comment_marker("x --> <script> a--b");
  CHECK(hostile.find("-->") == hostile.size() - 3);
  CHECK(hostile.find("<script>") == std::string::npos);
  CHECK_THAT(hostile, Contains("a-%2Db"));
  CHECK(comment_marker("a b") != comment_marker("a_b"));
}

TEST_CASE("a status description is one short line", "[publish]") {
  RunRecord run;
  run.status = RunStatus::Passed;
  run.wall_s = 9.52;
  PhaseComparison judged;
  judged.n_base = 5;
  judged.n_candidate = 3;
  judged.verdict = Verdict::Unchanged;
  std::string text = status_description(run, {judged}, "baseline nightly");
  CHECK_THAT(text, Contains("passed in 9.52s"));
  CHECK_THAT(text, Contains("against baseline nightly"));
  CHECK_THAT(status_description(run, {}, "its history (0 runs)"), Contains("not judged"));
  CHECK(status_description(run, {judged}, std::string(500, 'n')).size() <= kDescriptionBytes);
}
