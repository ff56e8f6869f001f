#pragma once
// What a concurrency sweep measured, level by level, and where it stops paying: the knee, the
// concurrency to recommend, and each pipeline's weight from its demand when it ran alone. Pure
// functions of numbers (runner/sweep_session collects them), so the rules are tested on figures.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

// One run of a sweep, as the analysis needs it.
struct SweepRunSample {
  std::string run_id;  // the stored run; empty when the instance never reached the store
  size_t pipeline = 0; // index into the sweep's pipelines
  bool passed = false;
  double wall_s = 0;
  double cpu_s = 0;      // the run's CPU, every phase's tree where a cgroup counted it
  double io_stall_s = 0; // seconds some task of the run was stalled on I/O (own, else host)
  int64_t io_bytes = 0;  // block I/O read and written
  std::optional<int64_t> peak_memory_bytes; // the largest phase peak (cgroup tree, else RSS)
  std::vector<std::pair<std::string, double>> phase_walls; // phases that counted, in order
};

// One level as measured: its runs, how long it took, and the host while it ran.
struct SweepLevelInput {
  int level = 1;
  double elapsed_s = 0;                           // from the first start to the last end
  std::optional<int64_t> min_mem_available_bytes; // MemAvailable's lowest sample
  // Host-wide stall shares of the level's wall (/proc/pressure "some"); absent without PSI.
  std::optional<double> cpu_pressure, io_pressure, memory_pressure;
  std::vector<SweepRunSample> runs;
};

struct PhaseSlowdown {
  size_t pipeline = 0;
  std::string phase;
  double slowdown = 0; // median wall at this level / median at the first level
};

struct SweepLevel {
  int level = 1;
  int runs = 0, failures = 0;
  double elapsed_s = 0;
  double throughput_per_h = 0; // passed runs per hour of the level's wall
  double median_wall_s = 0, p95_wall_s = 0;
  // Each run's wall over the first level's median wall of its pipeline: median and p95.
  std::optional<double> slowdown, p95_slowdown;
  std::optional<int64_t> peak_memory_bytes, min_mem_available_bytes;
  std::optional<double> cpu_pressure, io_pressure, memory_pressure;
  std::vector<PhaseSlowdown> phases;
  std::vector<SweepRunSample> samples; // the level's runs, as measured
};

// The first level that breaks one of these is the knee.
struct KneeRules {
  double margin = 0.10;           // throughput must beat the level below by more than this share
  double p95_limit = 2.0;         // p95 slowdown at most this
  int64_t memory_floor_bytes = 0; // MemAvailable must stay at or above this
};

enum class KneeRule { None, Failure, Memory, P95, Throughput };
std::string_view knee_rule_name(KneeRule rule); // none, failure, memory, p95, throughput

struct Knee {
  std::optional<int> level;       // the first level that broke a rule; none within the sweep
  KneeRule rule = KneeRule::None; // the most severe rule it broke
  int recommended = 0; // the last level before the knee; 0 when the first level broke a rule
  std::string reason;  // every rule the knee broke, the most severe first, with its figures
};

// The levels in the order given (ascending); the first level is the reference of the slowdowns.
std::vector<SweepLevel> summarize_sweep(const std::vector<SweepLevelInput>& levels);

// Rules in order of severity at each level: a failed run, memory under the floor, p95 slowdown
// over the limit, throughput no better than the level below by the margin.
Knee find_knee(const std::vector<SweepLevel>& levels, const KneeRules& rules);

// A pipeline's demand when it ran alone (the first level), each as a share of one slot:
// cores it kept busy (cpu_s / wall_s), the share of its wall stalled on I/O, and its peak memory
// over the headroom one slot of the recommended concurrency has. The weight is the largest.
struct PipelineDemand {
  size_t pipeline = 0;
  int runs = 0;
  double cpu = 0, io = 0;
  std::optional<double> memory;
  double weight = 0;
};
std::vector<PipelineDemand> pipeline_demands(const SweepLevelInput& first, size_t pipelines,
                                             std::optional<int64_t> headroom_bytes,
                                             int recommended);

} // namespace ciperf
