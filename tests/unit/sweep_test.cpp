// The knee, the recommendation and the weights of a sweep, fed figures.
#include "analysis/sweep.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

namespace {

SweepRunSample run(double wall_s, bool passed = true, size_t pipeline = 0) {
  SweepRunSample r;
  r.pipeline = pipeline;
  r.passed = passed;
  r.wall_s = wall_s;
  r.phase_walls = {{"work", wall_s}};
  return r;
}

// A level of `n` concurrent runs of `wall_s` each that took `elapsed_s` in all.
SweepLevelInput level(int n, double wall_s, double elapsed_s, int failures = 0) {
  SweepLevelInput in;
  in.level = n;
  in.elapsed_s = elapsed_s;
  for (int i = 0; i < n; ++i)
    in.runs.push_back(run(wall_s, i >= failures));
  return in;
}

Knee knee_of(const std::vector<SweepLevelInput>& levels, KneeRules rules = {}) {
  return find_knee(summarize_sweep(levels), rules);
}

} // namespace

TEST_CASE("sweep levels: throughput per hour, slowdown against the first level") {
  auto levels = summarize_sweep({level(1, 1.0, 1.0), level(2, 1.5, 1.5)});
  REQUIRE(levels.size() == 2);
  CHECK(levels[0].throughput_per_h == Approx(3600));
  CHECK(levels[1].throughput_per_h == Approx(4800));
  CHECK(*levels[1].slowdown == Approx(1.5));
  CHECK(*levels[1].p95_slowdown == Approx(1.5));
  REQUIRE(levels[1].phases.size() == 1);
  CHECK(levels[1].phases[0].slowdown == Approx(1.5));
}

TEST_CASE("sweep knee: throughput that stops improving by the margin") {
  // 1 → 2 doubles, 2 → 4 gains 5%: the knee is 4, run at 2.
  Knee k = knee_of({level(1, 1, 1), level(2, 1, 1), level(4, 1.9, 1.9)});
  REQUIRE(k.level);
  CHECK(*k.level == 4);
  CHECK(k.rule == KneeRule::Throughput);
  CHECK(k.recommended == 2);
  CHECK(k.reason.find("concurrency 4") != std::string::npos);
  // A 20% gain passes a 10% margin, not a 25% one.
  CHECK_FALSE(knee_of({level(1, 1, 1), level(2, 1, 1.0 / 0.6)}).level);
  KneeRules strict;
  strict.margin = 0.25;
  CHECK(knee_of({level(1, 1, 1), level(2, 1, 1.0 / 0.6)}, strict).level == 2);
}

TEST_CASE("sweep knee: p95 slowdown over the limit, a failure, memory under the floor") {
  // Throughput keeps rising, but the slowest runs take 2.5x.
  auto slow = level(4, 1, 1.2);
  slow.runs[3].wall_s = 2.5;
  Knee p95 = knee_of({level(1, 1, 1), level(2, 1, 1), slow});
  CHECK(*p95.level == 4);
  CHECK(p95.rule == KneeRule::P95);
  CHECK(p95.recommended == 2);

  Knee failed = knee_of({level(1, 1, 1), level(2, 1, 1, 1), level(4, 1, 1)});
  CHECK(*failed.level == 2);
  CHECK(failed.rule == KneeRule::Failure);
  CHECK(failed.recommended == 1);

  auto tight = level(2, 1, 1);
  tight.min_mem_available_bytes = 100 << 20;
  KneeRules rules;
  rules.memory_floor_bytes = 512 << 20;
  Knee memory = knee_of({level(1, 1, 1), tight}, rules);
  CHECK(*memory.level == 2);
  CHECK(memory.rule == KneeRule::Memory);
  CHECK(memory.recommended == 1);
  CHECK(knee_rule_name(memory.rule) == "memory");
}

TEST_CASE("sweep knee: the most severe rule is named, every broken rule is in the reason") {
  auto bad = level(2, 3, 3, 1); // a failure, p95 3x, and no throughput gain
  Knee k = knee_of({level(1, 1, 1), bad});
  CHECK(k.rule == KneeRule::Failure);
  CHECK(k.reason.find("failed") != std::string::npos);
  CHECK(k.reason.find("throughput") != std::string::npos);
}

TEST_CASE("sweep knee: none within the levels, or already at the first") {
  Knee none = knee_of({level(1, 1, 1), level(2, 1, 1), level(4, 1, 1)});
  CHECK_FALSE(none.level);
  CHECK(none.rule == KneeRule::None);
  CHECK(none.recommended == 4);
  Knee first = knee_of({level(1, 1, 1, 1), level(2, 1, 1)});
  CHECK(*first.level == 1);
  CHECK(first.recommended == 0);
  CHECK(find_knee({}, {}).recommended == 0);
}

TEST_CASE("sweep weights: the largest of CPU, I/O stall and memory per slot") {
  SweepLevelInput first;
  first.level = 1;
  SweepRunSample cpu = run(2);
  cpu.cpu_s = 3; // 1.5 cores
  cpu.peak_memory_bytes = 100;
  SweepRunSample io = run(2, true, 1);
  io.cpu_s = 0.2;
  io.io_stall_s = 1.2; // 60% of its wall
  io.peak_memory_bytes = 100;
  SweepRunSample big = run(1, true, 2);
  big.peak_memory_bytes = 600;                   // a slot has 1000 / 2 = 500
  first.runs = {cpu, io, big, run(5, false, 2)}; // a failed run does not count
  auto d = pipeline_demands(first, 3, 1000, 2);
  REQUIRE(d.size() == 3);
  CHECK(d[0].weight == Approx(1.5));
  CHECK(d[1].io == Approx(0.6));
  CHECK(d[1].weight == Approx(0.6));
  CHECK(*d[2].memory == Approx(1.2));
  CHECK(d[2].weight == Approx(1.2));
  CHECK(d[2].runs == 1);
  auto no_memory = pipeline_demands(first, 3, std::nullopt, 2);
  CHECK_FALSE(no_memory[2].memory);
}
