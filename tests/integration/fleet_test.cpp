// attribute --by host with the real binary: runs of a CPU-bound pipeline on this machine named
// as two runners (CIPERF_HOST_NAME), one of them while busy loops compete for every core.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// Shell arithmetic (about 150 ms on an idle core) and a pause that needs no CPU: competition for
// the CPU slows the first, not the second.
constexpr const char* kPipeline = R"(version: 1
pipeline: fleet
phases:
  - name: cpu
    run: 'i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done'
  - name: pause
    run: 'sleep 0.2'
)";

constexpr int kRunsPerHost = 6; // 6 against 6: no overlap gives p = 0.002, far below 0.05 / 2

// Returns the run's id.
std::string run_as(const Sandbox& box, const std::string& host,
                   const std::vector<std::string>& args = {}) {
  ProcessOptions options;
  options.env = {"CIPERF_HOST_NAME=" + host};
  auto r = box.run(kPipeline, args, options);
  INFO(r.process.err);
  REQUIRE(r.process.exit_code == 0);
  REQUIRE(r.results["host"]["hostname"] == host);
  return r.results["run_id"];
}

// Busy loops on twice as many processes as there are cores, for as long as the object lives.
struct CpuHogs {
  std::vector<std::unique_ptr<BackgroundProcess>> loops;
  CpuHogs() {
    long cores = std::max(2L, ::sysconf(_SC_NPROCESSORS_ONLN));
    for (long i = 0; i < 2 * cores; ++i)
      loops.push_back(std::make_unique<BackgroundProcess>(
          std::vector<std::string>{"/bin/sh", "-c", "while :; do :; done"}));
  }
};

json host_named(const json& group, const std::string& name) {
  for (const auto& h : group["hosts"])
    if (h["hostname"] == name)
      return h;
  FAIL("no host " << name << " in " << group.dump());
  return {};
}

json attribute_json(const Sandbox& box) {
  auto out = box.ciperf({"attribute", "--by", "host", "--json", "--store", box.store().string()});
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  return json::parse(out.out);
}

} // namespace

TEST_CASE("attribute --by host: a runner that shares its CPUs with busy loops is slower than the "
          "fleet, its CPU phase the gap, its CPU stall higher",
          "[fleet][serial]") {
  Sandbox box;
  // Interleaved, so that whatever else the machine does meanwhile falls on both runners.
  for (int i = 0; i < kRunsPerHost; ++i) {
    run_as(box, "runner-a");
    CpuHogs hogs;
    run_as(box, "runner-b");
  }
  json result = attribute_json(box);
  INFO(result.dump(2));
  CHECK(result["hostnames"] == json{"runner-a", "runner-b"});
  CHECK(result["message"].is_null());
  REQUIRE(result["groups"].size() == 1);
  const json& group = result["groups"][0];
  CHECK(group["pipeline"] == "fleet");
  CHECK(group["mode"] == "normal");
  json a = host_named(group, "runner-a"), b = host_named(group, "runner-b");
  CHECK(b["verdict"] == "slower than the fleet");
  CHECK(b["ratio"].get<double>() >= 1.1);
  CHECK(b["p"].get<double>() <= 0.05);
  CHECK(b["fleet"]["runs"] == kRunsPerHost);
  CHECK(b["host_class"] == a["host_class"]);
  CHECK_THAT(a["verdict"].get<std::string>(), Contains("like the fleet") || Contains("faster"));
  REQUIRE(!b["gaps"].empty());
  const json& gap = b["gaps"][0];
  CHECK(gap["phase"] == "cpu");
  CHECK(gap["vital"] == true);
  CHECK(gap["difference_s"].get<double>() > 0);
  // Stalls: the phase's own where cgroups counted it (others' load is not its stall), else
  // host-wide; both say the busy loops kept it waiting for a CPU.
  REQUIRE(gap["stalls"]["source"] != "none"); // this machine's kernel has PSI
  CHECK(gap["stalls"]["cpu"].get<double>() > gap["stalls"]["fleet_cpu"].get<double>());
  CHECK(b["stalls"]["cpu"].get<double>() > b["stalls"]["fleet_cpu"].get<double>());
  if (gap["stalls"]["source"] == "own")
    CHECK(gap["stalls"]["cpu_higher"] == true);

  auto text = box.ciperf({"attribute", "--by", "host", "--store", box.store().string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Contains("fleet · normal · 12 runs on 2 hosts"));
  CHECK_THAT(text.out, Contains("runner-b is slower than the fleet on fleet (normal)"));
  auto md = box.ciperf(
      {"attribute", "--by", "host", "--format", "markdown", "--store", box.store().string()});
  CHECK(md.exit_code == 0);
  CHECK_THAT(md.out, Contains("# Hosts against the fleet"));
  CHECK_THAT(md.out, Contains("| runner-b |"));
}

TEST_CASE("attribute --by host: two names for the same conditions (A/A) give no slower runner",
          "[fleet][serial]") {
  Sandbox box;
  for (int i = 0; i < kRunsPerHost; ++i) {
    run_as(box, "runner-a1");
    run_as(box, "runner-a2");
  }
  json result = attribute_json(box);
  INFO(result.dump(2));
  REQUIRE(result["groups"].size() == 1);
  for (const auto& h : result["groups"][0]["hosts"]) {
    CHECK(h["runs"] == kRunsPerHost);
    CHECK(h["verdict"] != "slower than the fleet");
  }
}

TEST_CASE("attribute --by host on one host says there is nothing to compare, exit 0, and the "
          "selection flags narrow the runs as for attribute",
          "[fleet]") {
  Sandbox box;
  std::string first = run_as(box, "runner-a");
  run_as(box, "runner-b", {"--label", "side=b"});
  std::string store = box.store().string();
  auto only = [&](std::vector<std::string> selection) {
    std::vector<std::string> args = {"attribute", "--by", "host", "--store", store};
    args.insert(args.end(), selection.begin(), selection.end());
    return box.ciperf(args);
  };
  auto text = only({"--label", "side=b"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out,
             Contains("nothing to compare: every compared run ran on one host (runner-b)"));
  CHECK_THAT(only({"--since", first}).out, Contains("one host (runner-b)"));
  CHECK_THAT(only({"--last", "1"}).out, Contains("one host (runner-b)"));
  auto none = only({"--pipeline", "other"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("no stored runs match the selection"));
  auto both_hosts = box.ciperf({"attribute", "--by", "host", "--json", "--store", store});
  REQUIRE(both_hosts.exit_code == 0);
  CHECK(json::parse(both_hosts.out)["hostnames"] == json{"runner-a", "runner-b"});
  auto one = only({"--label", "side=b", "--json"});
  json result = json::parse(one.out);
  CHECK_THAT(result["message"].get<std::string>(), Contains("nothing to compare"));
  CHECK(result["groups"].empty());

  auto both = box.ciperf({"attribute", "--by", "host", "--cold-vs-warm", "--store", store});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Contains("--by host and --cold-vs-warm: choose one"));
  auto md = box.ciperf({"attribute", "--format", "markdown", "--store", store});
  CHECK(md.exit_code == 2);
  CHECK_THAT(md.err, Contains("only --by host writes Markdown"));
}

TEST_CASE("attribute --by host shows hostile hostnames escaped", "[fleet][escape]") {
  Sandbox box;
  run_as(box, "::error::pwned\x1b]0;title\x07");
  run_as(box, "@team ##vso[task.complete]x\x1b[2J");
  std::string store = box.store().string();
  auto text = box.ciperf({"attribute", "--by", "host", "--store", store});
  INFO(text.out << text.err);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Contains("too few runs"));
  CHECK_THAT(text.out, Contains("\\x3a:error::pwned\\x1b]0;title\\x07"));
  for (char c : text.out)
    CHECK_FALSE((static_cast<unsigned char>(c) < 0x20 && c != '\n'));
  CHECK(text.out.find("##vso[") == std::string::npos);
  auto md = box.ciperf({"attribute", "--by", "host", "--format", "md", "--store", store});
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("@team") == std::string::npos); // no live mention in a PR comment
  CHECK_THAT(md.out, Contains("&#64;team"));
}
