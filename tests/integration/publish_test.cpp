// `ciperf publish` against a recorded-API Gitea on loopback (tests/support/gitea_server.py: no
// Gitea or Forgejo is packaged in Debian 12 or npm). The server keeps the statuses and comments
// it was sent and checks the token as Gitea does; every figure below is read back from it.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

const std::string kToken = "gta-7c1f00d5e1b2";

class GiteaServer {
public:
  explicit GiteaServer(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     CIPERF_SOURCE_DIR "/tests/support/gitea_server.py",
                                     state_.path().string(), "--token", kToken};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<BackgroundProcess>(argv);
    for (int i = 0; i < 2000 && !std::filesystem::exists(state_ / "port"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(std::filesystem::exists(state_ / "port"));
    url_ = "http://127.0.0.1:" + read_file(state_ / "port");
  }
  const std::string& url() const { return url_; }
  nlohmann::json state() const {
    if (!std::filesystem::exists(state_ / "state.json"))
      return nlohmann::json::object();
    return nlohmann::json::parse(read_file(state_ / "state.json"));
  }
  // A copy: a range-for over a temporary's member would read freed memory.
  nlohmann::json requests() const { return state()["requests"]; }
  nlohmann::json comments(int pr) const {
    auto s = state();
    auto key = std::to_string(pr);
    return s.contains("comments") && s["comments"].contains(key) ? s["comments"][key]
                                                                 : nlohmann::json::array();
  }

private:
  TempDir state_;
  std::unique_ptr<BackgroundProcess> process_;
  std::string url_;
};

const std::string kPassing = R"(version: 1
pipeline: pub-demo
phases:
  - name: build
    run: "true"
  - name: test
    run: "sleep 0.02"
)";

const std::string kFailing = R"(version: 1
pipeline: pub-demo
phases:
  - name: build
    run: "exit 3"
)";

std::string run_id(const CiperfRun& r) {
  REQUIRE(r.results.is_object());
  return r.results["run_id"].get<std::string>();
}

ProcessOptions with_token(const std::string& token = kToken) {
  ProcessOptions o;
  o.env = {"CIPERF_PUBLISH_TOKEN=" + token,
           "DRONE=",
           "DRONE_REPO=",
           "GITEA_ACTIONS=",
           "FORGEJO_ACTIONS=",
           "GITEA_TOKEN=",
           "FORGEJO_TOKEN="};
  o.timeout_s = 60;
  return o;
}

std::vector<std::string> publish_args(const Sandbox& box, const GiteaServer& server,
                                      const std::string& run, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"publish", run,          "--store", box.store().string(),
                                   "--url",   server.url(), "--repo",  "ciperf/demo",
                                   "--sha",   "0123abcdef"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

} // namespace

TEST_CASE("publish posts a commit status with the run's state, context and link", "[publish]") {
  Sandbox box;
  GiteaServer server;
  std::string passed = run_id(box.run(kPassing));
  auto r = box.ciperf(
      publish_args(box, server, passed, {"--target-url", "https://ci.example.invalid/b/1"}),
      with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("status success ciperf/pub-demo"));
  auto statuses = server.state()["statuses"]["0123abcdef"];
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0]["state"] == "success");
  CHECK(statuses[0]["context"] == "ciperf/pub-demo");
  CHECK(statuses[0]["target_url"] == "https://ci.example.invalid/b/1");
  CHECK_THAT(statuses[0]["description"].get<std::string>(), Contains("passed in"));
  CHECK(server.comments(7).empty()); // no --pr: no comment

  CiperfRun failing = box.run(kFailing);
  REQUIRE(failing.process.exit_code == 1);
  r = box.ciperf(publish_args(box, server, run_id(failing)), with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  statuses = server.state()["statuses"]["0123abcdef"];
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[1]["state"] == "failure");
  CHECK_THAT(statuses[1]["description"].get<std::string>(), Contains("failed in"));
}

TEST_CASE("publish creates one PR comment, then updates it in place", "[publish]") {
  Sandbox box;
  GiteaServer server;
  std::string first = run_id(box.run(kPassing));
  std::string second = run_id(box.run(kPassing));
  auto r = box.ciperf(publish_args(box, server, first, {"--pr", "7"}), with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("created on #7"));
  auto comments = server.comments(7);
  REQUIRE(comments.size() == 1);
  long id = comments[0]["cid"].get<long>();
  std::string body = comments[0]["body"].get<std::string>();
  CHECK(body.rfind("<!-- ciperf:pub-demo -->\n", 0) == 0);
  CHECK_THAT(body, Contains(first));

  r = box.ciperf(publish_args(box, server, second, {"--pr", "7"}), with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("updated on #7"));
  comments = server.comments(7);
  REQUIRE(comments.size() == 1);
  CHECK(comments[0]["cid"].get<long>() == id);
  body = comments[0]["body"].get<std::string>();
  CHECK_THAT(body, Contains(second));
  CHECK(body.find(first) == std::string::npos);
  bool patched = false;
  for (const auto& req : server.requests())
    patched = patched || req.get<std::string>().rfind("PATCH ", 0) == 0;
  CHECK(patched);
}

TEST_CASE("two publishers racing leave one comment", "[publish]") {
  Sandbox box;
  GiteaServer server({"--hold-lists", "2"}); // both read an empty list, both post
  std::string run = run_id(box.run(kPassing));
  std::string command;
  for (const auto& a : publish_args(box, server, run, {"--pr", "9"}))
    command += " '" + a + "'";
  std::string one = std::string(CIPERF_BINARY) + command;
  auto r = run_process({"/bin/sh", "-c",
                        one + " > a.out 2>&1 & p1=$!; " + one +
                            " > b.out 2>&1 & p2=$!; wait $p1; r1=$?; wait $p2; "
                            "r2=$?; cat a.out b.out; echo \"exits $r1 $r2\""},
                       [&] {
                         auto o = with_token();
                         o.cwd = box.dir.path();
                         return o;
                       }());
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exits 0 0"));
  int posts = 0;
  for (const auto& req : server.requests())
    posts += req.get<std::string>() == "POST /api/v1/repos/ciperf/demo/issues/9/comments";
  CHECK(posts == 2); // the race happened
  auto comments = server.comments(9);
  REQUIRE(comments.size() == 1);
  CHECK_THAT(comments[0]["body"].get<std::string>(), Contains(run));
  CHECK_THAT(r.out, Contains("duplicate deleted"));
}

TEST_CASE("a bad token fails with the server's 401 and never shows the token", "[publish]") {
  Sandbox box;
  std::string run = run_id(box.run(kPassing));
  std::string before = read_file(box.store());
  const std::string bad = "bad-8d0b1e4f9a77";
  for (bool echo : {false, true}) {
    GiteaServer server(echo ? std::vector<std::string>{"--echo-token"}
                            : std::vector<std::string>{});
    auto r = box.ciperf(publish_args(box, server, run, {"--pr", "3"}), with_token(bad));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("HTTP 401"));
    CHECK_THAT(r.err, Contains(echo ? "invalid token ***" : "user does not exist"));
    CHECK((r.out + r.err).find(bad) == std::string::npos);
    CHECK(server.comments(3).empty());
  }
  CHECK(read_file(box.store()) == before); // the run untouched
}

TEST_CASE("publish takes Drone's variables as its defaults", "[publish]") {
  Sandbox box;
  GiteaServer server;
  std::string run = run_id(box.run(kPassing));
  ProcessOptions o = with_token();
  std::erase_if(o.env, [](const std::string& e) { return e.rfind("DRONE", 0) == 0; });
  o.env.insert(o.env.end(),
               {"DRONE=true", "DRONE_REPO=ciperf/demo", "DRONE_COMMIT_SHA=feed42",
                "DRONE_PULL_REQUEST=12", "DRONE_REPO_LINK=" + server.url() + "/ciperf/demo",
                "DRONE_BUILD_LINK=https://drone.example.invalid/ciperf/demo/5"});
  auto r = box.ciperf({"publish", run, "--store", box.store().string()}, o);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto statuses = server.state()["statuses"]["feed42"];
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0]["target_url"] == "https://drone.example.invalid/ciperf/demo/5");
  CHECK(server.comments(12).size() == 1);
}

TEST_CASE("publish without a token or a repository says what is missing", "[publish]") {
  Sandbox box;
  ProcessOptions o = with_token();
  o.env[0] = "CIPERF_PUBLISH_TOKEN=";
  auto r = box.ciperf({"publish", "--url", "http://127.0.0.1:1", "--repo", "a/b", "--sha", "1"}, o);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("CIPERF_PUBLISH_TOKEN"));
  r = box.ciperf({"publish", "--url", "http://127.0.0.1:1", "--repo", "nope", "--sha", "1"},
                 with_token());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("OWNER/NAME"));
  r = box.ciperf({"publish", "--url", "http://127.0.0.1:1", "--repo", "a/b", "--sha", "1"},
                 with_token("tok-4471\r\nX-Injected: 1"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("CIPERF_PUBLISH_TOKEN holds a line break"));
  CHECK(r.err.find("tok-4471") == std::string::npos);
}

TEST_CASE("publish --label judges the run with its pipeline's runs of those labels", "[publish]") {
  Sandbox box;
  GiteaServer server;
  for (int i = 0; i < 3; ++i)
    REQUIRE(box.run(kPassing).process.exit_code == 0);
  std::string newest;
  for (int i = 0; i < 3; ++i)
    newest = run_id(box.run(kPassing, {"--label", "sha=feed"}));
  // Alone, the run is judged against the 5 runs before it; with its commit's other two runs,
  // against the 3 before the first of them.
  auto alone = box.ciperf(publish_args(box, server, newest), with_token());
  INFO(alone.out << alone.err);
  REQUIRE(alone.exit_code == 0);
  CHECK_THAT(alone.out, Contains("against its history (5 runs)"));
  auto together =
      box.ciperf(publish_args(box, server, newest, {"--label", "sha=feed"}), with_token());
  INFO(together.out << together.err);
  REQUIRE(together.exit_code == 0);
  CHECK_THAT(together.out, Contains("against its history (3 runs)"));
}

namespace {

int count_requests(const GiteaServer& server, const std::string& start) {
  int n = 0;
  for (const auto& req : server.requests())
    n += req.get<std::string>().rfind(start, 0) == 0;
  return n;
}

} // namespace

TEST_CASE("publish finds its comment on a later page of a PR's 120 comments", "[publish]") {
  Sandbox box;
  for (bool paging : {true, false}) {
    INFO((paging ? "Gitea's pages" : "a server that ignores page and limit"));
    GiteaServer server(paging ? std::vector<std::string>{"--seed", "7:120"}
                              : std::vector<std::string>{"--seed", "7:120", "--no-paging"});
    std::string first = run_id(box.run(kPassing));
    std::string second = run_id(box.run(kPassing));
    auto r = box.ciperf(publish_args(box, server, first, {"--pr", "7"}), with_token());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    // Comments 10, 20, ... quote the marker: not at their start, so not ciperf's; comment 3
    // begins with it but is another user's.
    CHECK_THAT(r.out, Contains("comment 121 created on #7"));
    REQUIRE(server.comments(7).size() == 121);

    r = box.ciperf(publish_args(box, server, second, {"--pr", "7"}), with_token());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("comment 121 updated on #7"));
    auto comments = server.comments(7);
    REQUIRE(comments.size() == 121); // updated in place, never a duplicate
    CHECK_THAT(comments[120]["body"].get<std::string>(), Contains(second));
    CHECK_THAT(comments[9]["body"].get<std::string>(), Contains("review 10")); // untouched
    CHECK_THAT(comments[2]["body"].get<std::string>(), Contains("copied <b>review 3</b>"));
    std::string list = "GET /api/v1/repos/ciperf/demo/issues/7/comments?limit=50&page=";
    if (paging) {
      CHECK(count_requests(server, list + "3") >= 2); // the page ciperf's comment is on
      CHECK(count_requests(server, list + "5") == 0); // an empty page 4 ends the listing
    } else {
      CHECK(count_requests(server, list + "3") == 0); // page 2 brought nothing new
    }
  }
}

TEST_CASE("publish against hostile servers fails in bounded time, never showing the token",
          "[publish]") {
  Sandbox box;
  std::string run = run_id(box.run(kPassing));
  struct Case {
    const char* mode;
    const char* says;
  };
  for (auto [mode, says] :
       {Case{"not-json", "the answer is not a JSON array"}, Case{"huge", "larger than 1 MiB"},
        Case{"500", "HTTP 500"}, Case{"hang", "timed out"}, Case{"redirect", "HTTP 302"}}) {
    INFO(mode);
    GiteaServer server({"--hostile", mode});
    auto started = std::chrono::steady_clock::now();
    auto r =
        box.ciperf(publish_args(box, server, run, {"--pr", "3", "--timeout", "1s"}), with_token());
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains(says));
    CHECK((r.out + r.err).find(kToken) == std::string::npos);
    CHECK(took < 20); // a second per request at most, and a few requests
    if (std::string(mode) == "500")
      CHECK_THAT(r.err, Contains("auth was token ***")); // the echoed token, masked
    if (std::string(mode) == "redirect")
      CHECK(server.state()["elsewhere"].empty()); // the token went to no other host
  }
}

TEST_CASE("publish --timeout must be a duration", "[publish]") {
  Sandbox box;
  auto r = box.ciperf(
      {"publish", "--url", "http://127.0.0.1:1", "--repo", "a/b", "--sha", "1", "--timeout", "30"},
      with_token());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--timeout must be a duration"));
}

TEST_CASE("a token the server puts in a comment's link is masked in publish's output",
          "[publish]") {
  Sandbox box;
  GiteaServer server({"--echo-token"});
  std::string run = run_id(box.run(kPassing));
  auto r = box.ciperf(publish_args(box, server, run, {"--pr", "4"}), with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("?seen=***#issuecomment-")); // the server did echo it
  CHECK((r.out + r.err).find(kToken) == std::string::npos);
}

TEST_CASE("HTML and mentions in test names reach the PR comment escaped", "[publish][junit]") {
  Sandbox box;
  GiteaServer server;
  auto run = box.run("version: 1\npipeline: pub-demo\nphases:\n"
                     "  - name: tests\n"
                     "    run: |\n"
                     "      printf '<testsuite name=\"s\"><testcase classname=\"c\" "
                     "name=\"&lt;img src=x onerror=alert(1)&gt; @admin --&gt; |\" time=\"1\">"
                     "<failure message=\"&lt;script&gt;x()&lt;/script&gt;\"/></testcase>"
                     "</testsuite>' > t.xml\n"
                     "    junit: t.xml\n");
  REQUIRE(run.process.exit_code == 0);
  auto r = box.ciperf(publish_args(box, server, run_id(run), {"--pr", "5"}), with_token());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto comments = server.comments(5);
  REQUIRE(comments.size() == 1);
  std::string body = comments[0]["body"].get<std::string>();
  INFO(body);
  CHECK_THAT(body, Contains("onerror=alert(1)")); // the test is there, its markup not live
  CHECK(body.find("<img") == std::string::npos);
  CHECK(body.find("<script") == std::string::npos);
  CHECK(body.find("@admin") == std::string::npos);
  CHECK(body.find("-->") == body.rfind("-->")); // the marker's own, once
}
