// A host that got busier between the baseline and the candidates: CPU-bound phases all slow
// down together while processes compete for the CPUs, and compare says the host changed, with
// the host-wide stalls of each side as its evidence.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <memory>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

// Three phases of pure shell arithmetic (about 50 ms each on an idle core: long enough that the
// scheduler's fair share, not a new task's wake-up preference, sets their pace under load).
constexpr const char* kPipeline = R"(version: 1
pipeline: busy
cold: {prepare: "true"}
phases:
  - name: one
    run: 'i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done'
  - name: two
    run: 'i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done'
  - name: three
    run: 'i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done'
)";

} // namespace

TEST_CASE("compare calls a slowdown of every phase under CPU competition a host change, with "
          "its evidence",
          "[host-shift][serial]") {
  Sandbox box;
  auto file = box.write_pipeline(kPipeline);
  std::string store = box.store().string();
  REQUIRE(
      box.ciperf({"baseline", file.string(), "--runs", "5", "--name", "quiet", "--store", store})
          .exit_code == 0);
  std::string before = nlohmann::json::parse(
      box.ciperf({"runs", "--json", "--limit", "1", "--store", store}).out)[0]["run_id"];
  {
    // Six busy loops on a 2-core host: each phase gets a fraction of a core, and the host's
    // CPU pressure shows someone waiting nearly all the time.
    std::vector<std::unique_ptr<BackgroundProcess>> hogs;
    for (int i = 0; i < 6; ++i)
      hogs.push_back(std::make_unique<BackgroundProcess>(
          std::vector<std::string>{"/bin/sh", "-c", "while :; do :; done"}));
    for (int i = 0; i < 6; ++i)
      REQUIRE(box.ciperf({"run", file.string(), "--store", store}).exit_code == 0);
  }
  auto json = box.ciperf({"compare", "--since", before, "--store", store, "--json"});
  INFO(json.out << json.err);
  CHECK(json.exit_code == 4);
  auto group = nlohmann::json::parse(json.out)["groups"][0];
  CHECK(group["host_changed"] == true);
  const auto& evidence = group["host_evidence"];
  CHECK(evidence["base"]["runs"] == 5);
  CHECK(evidence["candidate"]["runs"] == 6);
  if (evidence["candidate"]["runs_with_pressure"] == 6) // a kernel with PSI
    CHECK(evidence["candidate"]["cpu_stall"].get<double>() > 0.5);
  // The phases' own wait for a CPU: the figure a host already busy before cannot blur.
  if (evidence["candidate"]["runs_with_own_pressure"] == 6 &&
      evidence["base"]["runs_with_own_pressure"] == 5)
    CHECK(evidence["candidate"]["own_cpu_stall"].get<double>() >
          evidence["base"]["own_cpu_stall"].get<double>());
  auto text = box.ciperf({"compare", "--since", before, "--store", store});
  CHECK_THAT(text.out, Contains("the host changed (most phases moved together)"));
  CHECK_THAT(text.out, Contains("candidates: "));
  CHECK_THAT(text.out, Contains("host fields (hostname, cpus, memory, kernel): the same"));
}
