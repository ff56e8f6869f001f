// `ciperf runs` and `ciperf show` read back what `ciperf run` stored.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>

using namespace ciperf::test;
using Catch::Matchers::Contains;

TEST_CASE("runs lists newest first and filters and show prints the phase table", "[store-cli]") {
  Sandbox box;
  std::string store = box.store().string();
  auto a = box.run("version: 1\npipeline: alpha\nphases:\n  - {name: one, run: 'true'}\n",
                   {"--label", "branch=main"});
  auto b = box.run("version: 1\npipeline: beta\ncold: {prepare: 'true'}\nphases:\n"
                   "  - {name: two, run: 'false'}\n",
                   {"--mode", "cold", "--label", "branch=feature"});
  REQUIRE(a.process.exit_code == 0);
  REQUIRE(b.process.exit_code == 1);

  auto list = nlohmann::json::parse(box.ciperf({"runs", "--store", store, "--json"}).out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["run_id"] == b.results["run_id"]);
  CHECK(list[1]["run_id"] == a.results["run_id"]);
  CHECK(list[0]["status"] == "failed");

  auto count = [&](std::vector<std::string> filter) {
    std::vector<std::string> args = {"runs", "--store", store, "--json"};
    args.insert(args.end(), filter.begin(), filter.end());
    return nlohmann::json::parse(box.ciperf(args).out).size();
  };
  CHECK(count({"--pipeline", "alpha"}) == 1);
  CHECK(count({"--mode", "cold"}) == 1);
  CHECK(count({"--label", "branch=main"}) == 1);
  CHECK(count({"--label", "branch=none"}) == 0);
  CHECK(count({"--limit", "1"}) == 1);

  auto table = box.ciperf({"runs", "--store", store});
  CHECK_THAT(table.out, Contains("alpha") && Contains("beta") && Contains("branch=main"));

  std::string id = a.results["run_id"];
  auto show = box.ciperf({"show", id.substr(0, id.size() - 2), "--store", store});
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.out, Contains("one") && Contains("passed") &&
                           (Contains("peak rss") || Contains("peak mem")));
  auto json = box.ciperf({"show", id, "--store", store, "--json"});
  auto stored = nlohmann::json::parse(json.out);
  CHECK(stored["phases"][0]["wall_s"] == a.results["phases"][0]["wall_s"]);
  CHECK(stored["schema"] == "ciperf/run/v1");
  auto missing = box.ciperf({"show", "nope", "--store", store});
  CHECK(missing.exit_code == 2);
}

TEST_CASE("CIPERF_STORE chooses the store when --store is absent", "[store-cli]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'true'}\n");
  ProcessOptions options;
  options.env = {"CIPERF_STORE=" + (box.dir / "env.db").string()};
  CHECK(box.ciperf({"run", file.string()}, options).exit_code == 0);
  CHECK(std::filesystem::exists(box.dir / "env.db"));
  CHECK_FALSE(std::filesystem::exists(box.dir / ".ciperf/ciperf.db"));
  // Without either, the default store and run directory live under .ciperf/.
  CHECK(box.ciperf({"run", file.string()}).exit_code == 0);
  CHECK(std::filesystem::exists(box.dir / ".ciperf/ciperf.db"));
  CHECK(std::filesystem::is_directory(box.dir / ".ciperf/runs"));
}
