#pragma once
// Where the time goes, over a selection of stored runs: the Pareto table (the vital few items
// that first reach 80% of the time), the phases that explain the cold−warm gap, and what bounds
// each phase (CPU, I/O, memory, or waiting). Background services and skipped phases are left
// out: a service spans the run, and a skipped phase took no time.
#include "analysis/store.hpp"

#include <string>
#include <vector>

namespace ciperf {

enum class AttributeBy { Phase, Kind, Tier };

struct ParetoRow {
  std::string item;
  double median_s = 0; // per run; a run without the item counts 0
  double share = 0;
  double cumulative = 0;
  bool vital = false; // among the few that first reach 80%
};

struct Pareto {
  int runs = 0;
  double total_s = 0; // the sum of the medians
  std::vector<ParetoRow> rows;
};

Pareto pareto(const std::vector<PhaseSample>& samples, AttributeBy by);

struct GapRow {
  std::string phase;
  double cold_median = 0;
  double warm_median = 0;
  double difference = 0;
  double share_of_gap = 0; // of the total cold−warm gap; NaN when there is no gap
};

struct ColdWarmGap {
  int cold_runs = 0;
  int warm_runs = 0;
  double cold_total = 0; // median of the runs' phase totals
  double warm_total = 0;
  double gap = 0;
  std::vector<GapRow> rows; // largest difference first
};

ColdWarmGap cold_vs_warm(const std::vector<PhaseSample>& samples);

struct ResourceRow {
  std::string phase;
  std::string bound; // CPU-bound | I/O-bound | memory-bound | waiting
  double wall_median = 0;
  double cores = 0;     // CPU seconds per wall second of the phase's own processes
  double cpu_stall = 0; // host stall shares over the phase (some), NaN without PSI
  double io_stall = 0;
  double memory_stall = 0;
  double io_mib_per_s = 0;
  std::string because; // the figures that decided
};

std::vector<ResourceRow> classify_resources(const std::vector<PhaseSample>& samples);

} // namespace ciperf
