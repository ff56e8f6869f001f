// `bench/run store`, first half: generates a store of 1,000,000 phase rows of realistic shape
// (50,000 runs of 20 phases, five pipelines, cold, warm and normal runs, four runners) and measures
// the ingest rate. It then saves a baseline from the first runs, for `compare` to be timed on.
// `bench/run reports` uses it for smaller stores: fewer runs, more phases, wait phases with
// probe attempt marks (the heaviest part of an HTML waterfall).
// With --part K/N it writes only the runs whose number is K modulo N (each seeded by its number,
// so N processes together write one store): the concurrent writers of `--backend`.
//     ciperf_store_bench STORE [RUNS [PHASES [--probes | --part K/N]]]
#include "analysis/baseline.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <random>
#include <string>

namespace {

using namespace ciperf;

struct Shape {
  int runs = 50'000;
  int phases = 20;
  bool probes = false;
  int part = 0;
  int parts = 1;
};
constexpr int kBatch = 1'000;
const PhaseKind kKinds[] = {PhaseKind::Build, PhaseKind::Deploy, PhaseKind::Wait,
                            PhaseKind::Test,  PhaseKind::Test,   PhaseKind::Teardown};

// A wait that polled every 2 ms for a second and a half: the attempt marks are at their cap.
WaitRecord make_probe(double wall) {
  WaitRecord w{WaitOutcome::Ready, wall, wall, 750, 0, 0, std::nullopt, {}};
  WaitTargetRecord t{
      "http://127.0.0.1:8080/healthz", ProbeKind::Http, false, 750, wall, "refused", {}};
  for (int k = 0; k < 255; ++k)
    t.marks.push_back({wall * k / 255, false});
  t.marks.push_back({wall, true});
  w.targets.push_back(t);
  return w;
}

RunRecord make_run(int i, const Shape& shape, std::mt19937_64& rng) {
  std::normal_distribution<double> noise(1.0, 0.05);
  RunRecord r;
  r.run_id = fmt::format("20261127T{:06d}Z-{:06x}", i, i);
  r.pipeline = fmt::format("recipe-{}", i % 5);
  r.mode = i % 3 == 0 ? RunMode::Cold : i % 3 == 1 ? RunMode::Warm : RunMode::Normal;
  r.status = RunStatus::Passed;
  r.started_at = fmt::format("2026-11-27T{:02d}:{:02d}:{:02d}.{:03d}Z", (i / 3'600'000) % 24,
                             (i / 60'000) % 60, (i / 1000) % 60, i % 1000);
  r.finished_at = r.started_at;
  r.labels = {{"branch", i % 7 == 0 ? "feature" : "main"}};
  // Four runners of one class take the runs in turn (what attribute --by host compares).
  r.host = {
      fmt::format("ci-runner-{}", i % 4), 2, int64_t{24} << 30, "Linux 6.1", "AMD EPYC", "kvm"};
  double start = 0;
  for (int p = 0; p < shape.phases; ++p) {
    PhaseRecord ph;
    ph.index = p;
    ph.name = fmt::format("phase-{:02d}", p);
    ph.kind = kKinds[p % 6];
    ph.tier = p < 10 ? "install" : "upgrade";
    ph.status = PhaseStatus::Passed;
    ph.exit_code = 0;
    double base = 0.5 + 60.0 * std::pow(0.7, p); // a few long phases, many short ones
    double cold = r.mode == RunMode::Cold && ph.kind == PhaseKind::Deploy ? 1.6 : 1.0;
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
    if (shape.probes && ph.kind == PhaseKind::Wait)
      ph.probe = make_probe(ph.wall_s);
    r.phases.push_back(std::move(ph));
  }
  r.wall_s = start;
  return r;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 6) {
    std::fprintf(stderr,
                 "usage: ciperf_store_bench STORE [RUNS [PHASES [--probes | --part K/N]]]\n");
    return 2;
  }
  Shape shape;
  if (argc > 2)
    shape.runs = std::atoi(argv[2]);
  if (argc > 3)
    shape.phases = std::atoi(argv[3]);
  shape.probes = argc > 4 && std::string(argv[4]) == "--probes";
  if (argc > 5 && std::string(argv[4]) == "--part" &&
      std::sscanf(argv[5], "%d/%d", &shape.part, &shape.parts) != 2) {
    std::fprintf(stderr, "ciperf_store_bench: --part takes K/N, not '%s'\n", argv[5]);
    return 2;
  }
  ciperf::Store store(argv[1]);
  std::mt19937_64 rng(7);
  std::map<std::pair<std::string, ciperf::RunMode>, std::vector<ciperf::RunRecord>> first_runs;
  auto start = std::chrono::steady_clock::now();
  double generating = 0;
  for (int first = 0; first < shape.runs; first += kBatch) {
    auto g0 = std::chrono::steady_clock::now();
    std::vector<ciperf::RunRecord> runs;
    for (int i = first; i < std::min(first + kBatch, shape.runs); ++i) {
      if (shape.parts > 1 && i % shape.parts != shape.part)
        continue;
      if (shape.parts > 1)
        rng.seed(static_cast<uint64_t>(i));
      runs.push_back(make_run(i, shape, rng));
    }
    generating += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    for (const auto& r : runs)
      if (auto& v = first_runs[{r.pipeline, r.mode}]; v.size() < 20)
        v.push_back(r);
    store.insert_runs(runs);
  }
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double ingest = total - generating;
  int written = (shape.runs - shape.part + shape.parts - 1) / shape.parts;
  double rows = static_cast<double>(written) * shape.phases;
  std::printf("ingest: %.0f phase rows (%d runs) in %.2f s: %.0f rows/s\n", rows, written, ingest,
              rows / ingest);
  if (shape.part != 0)
    return 0; // the first part saves the baseline

  ciperf::Baseline b{"bench", "bench-session", "2026-11-27T00:00:00.000Z", 20, {}, "", false};
  for (const auto& [key, runs] : first_runs) {
    if (key.first != "recipe-0" || key.second == ciperf::RunMode::Normal)
      continue;
    for (int p = 0; p < shape.phases; ++p) {
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
