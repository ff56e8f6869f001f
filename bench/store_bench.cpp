// `bench/run store`, first half: generates a store of 1,000,000 phase rows of realistic shape
// (50,000 runs of 20 phases, five pipelines, cold, warm and normal runs) and measures the
// ingest rate. It then saves a baseline from the first runs, for `compare` to be timed on.
//     ciperf_store_bench STORE_PATH
#include "analysis/baseline.hpp"
#include "analysis/store.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <random>

namespace {

using namespace ciperf;

constexpr int kRuns = 50'000;
constexpr int kPhases = 20;
constexpr int kBatch = 1'000;
const char* const kKinds[] = {"build", "deploy", "wait", "test", "test", "teardown"};

RunRecord make_run(int i, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(1.0, 0.05);
  RunRecord r;
  r.run_id = fmt::format("20261127T{:06d}Z-{:06x}", i, i);
  r.pipeline = fmt::format("recipe-{}", i % 5);
  r.mode = i % 3 == 0 ? "cold" : i % 3 == 1 ? "warm" : "normal";
  r.status = "passed";
  r.started_at = fmt::format("2026-11-27T{:02d}:{:02d}:{:02d}.{:03d}Z", (i / 3'600'000) % 24,
                             (i / 60'000) % 60, (i / 1000) % 60, i % 1000);
  r.finished_at = r.started_at;
  r.labels = {{"branch", i % 7 == 0 ? "feature" : "main"}};
  r.host = {"ci-runner", 2, int64_t{24} << 30, "Linux 6.1"};
  double start = 0;
  for (int p = 0; p < kPhases; ++p) {
    PhaseRecord ph;
    ph.index = p;
    ph.name = fmt::format("phase-{:02d}", p);
    ph.kind = kKinds[p % 6];
    ph.tier = p < 10 ? "install" : "upgrade";
    ph.status = "passed";
    ph.exit_code = 0;
    double base = 0.5 + 60.0 * std::pow(0.7, p); // a few long phases, many short ones
    double cold = r.mode == "cold" && ph.kind == std::string("deploy") ? 1.6 : 1.0;
    ph.wall_s = base * cold * noise(rng);
    ph.start_s = start;
    start += ph.wall_s;
    ph.user_s = ph.wall_s * 0.3;
    ph.sys_s = ph.wall_s * 0.05;
    ph.max_rss_bytes = 64 << 20;
    ph.read_bytes = 1 << 20;
    ph.write_bytes = 8 << 20;
    ph.pressure = Pressure{0.1 * ph.wall_s, 0, 0.4 * ph.wall_s, 0.2 * ph.wall_s, 0, 0};
    ph.log = fmt::format("logs/{:02d}-{}.log", p + 1, ph.name);
    r.phases.push_back(std::move(ph));
  }
  r.wall_s = start;
  return r;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ciperf_store_bench STORE_PATH\n");
    return 2;
  }
  ciperf::Store store(argv[1]);
  std::mt19937_64 rng(7);
  std::map<std::pair<std::string, std::string>, std::vector<ciperf::RunRecord>> first_runs;
  auto start = std::chrono::steady_clock::now();
  double generating = 0;
  for (int batch = 0; batch < kRuns / kBatch; ++batch) {
    auto g0 = std::chrono::steady_clock::now();
    std::vector<ciperf::RunRecord> runs;
    for (int i = batch * kBatch; i < (batch + 1) * kBatch; ++i)
      runs.push_back(make_run(i, rng));
    generating += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    for (const auto& r : runs)
      if (auto& v = first_runs[{r.pipeline, r.mode}]; v.size() < 20)
        v.push_back(r);
    store.insert_runs(runs);
  }
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double ingest = total - generating;
  std::printf("ingest: %d phase rows (%d runs) in %.2f s: %.0f rows/s\n", kRuns * kPhases, kRuns,
              ingest, kRuns * kPhases / ingest);

  ciperf::Baseline b{"bench", "bench-session", "2026-11-27T00:00:00.000Z", 20, {}};
  for (const auto& [key, runs] : first_runs) {
    if (key.first != "recipe-0" || key.second == "normal")
      continue;
    for (int p = 0; p < kPhases; ++p) {
      std::vector<double> walls;
      for (const auto& r : runs)
        walls.push_back(r.phases[static_cast<size_t>(p)].wall_s);
      b.phases.push_back(ciperf::summarize(key.first, runs[0].phases[static_cast<size_t>(p)].name,
                                           key.second, p, walls));
    }
  }
  store.save_baseline(b);
  std::printf("baseline 'bench': 20 cold and 20 warm runs of recipe-0\n");
  return 0;
}
