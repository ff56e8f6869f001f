// examples/pull-start/: a deploy split into pull, start and converge, with a layer cache that
// the cold prepare empties. The cold-warm gap must be the pull's, as it is on cc-ci's runners.
#include "support/ciperf_run.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace ciperf::test;

namespace {

const std::string kExample = CIPERF_SOURCE_DIR "/examples/pull-start";

void replace(std::string& text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// The example as it is, but with its registry, cache and container in the sandbox, a free
// port, and its helper scripts found where they live.
std::string sandboxed_example(const Sandbox& box) {
  std::string yaml = read_file(kExample + "/pull-start.yml");
  replace(yaml, "STATE: /tmp/ciperf-pull-start", "STATE: " + (box.dir / "state").string());
  replace(yaml, "PORT: \"18095\"", "PORT: \"" + std::to_string(free_port()) + "\"");
  replace(yaml, "pipeline: pull-start\n", "pipeline: pull-start\nworkdir: " + kExample + "\n");
  return yaml;
}

const nlohmann::json& gap_row(const nlohmann::json& gap, const std::string& phase) {
  const auto& rows = gap.at("rows");
  auto row =
      std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r["phase"] == phase; });
  INFO(gap.dump());
  REQUIRE(row != rows.end());
  return *row;
}

} // namespace

TEST_CASE("examples/pull-start: the pull holds the cold-warm gap and the start is paid in both",
          "[examples][serial]") {
  Sandbox box;
  auto file = box.write_pipeline(sandboxed_example(box), "pull-start.yml");
  auto session = box.ciperf({"baseline", file.string(), "--runs", "3", "--name", "pull", "--store",
                             box.store().string()});
  INFO(session.out << session.err);
  REQUIRE(session.exit_code == 0);
  CHECK(session.err.find("lukewarm") == std::string::npos);

  auto attributed =
      box.ciperf({"attribute", "--cold-vs-warm", "--json", "--store", box.store().string()});
  INFO(attributed.out << attributed.err);
  REQUIRE(attributed.exit_code == 0);
  auto gap = nlohmann::json::parse(attributed.out);
  CHECK(gap["cold_runs"] == 3);
  CHECK(gap["warm_runs"] == 3);
  CHECK(gap["rows"][0]["phase"] == "pull"); // the largest contributor
  const auto& pull = gap_row(gap, "pull");
  CHECK(pull["share_of_gap"].get<double>() > 0.6);
  CHECK(pull["within_noise"] == false);
  // Every run starts its container, cold or warm: start costs in both, and it is not the gap.
  const auto& start = gap_row(gap, "start");
  CHECK(start["cold_mean_s"].get<double>() > 0);
  CHECK(start["warm_mean_s"].get<double>() > 0);
  CHECK(start["difference_s"].get<double>() < pull["difference_s"].get<double>());
}
