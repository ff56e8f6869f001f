#pragma once
// Where the time goes, over a selection of stored runs: the Pareto table (the vital few items
// that first reach 80% of the mean run), the phases that explain the cold−warm gap (the
// difference of the mean runs, split by phase, so that the rows add up), and what bounds
// each phase (CPU, I/O, memory, or waiting). Background services and skipped phases are left
// out: a service spans the run, and a skipped phase took no time.
//
// Each analysis is a builder fed one phase sample at a time, in run order (as the store streams
// them), so a million stored phases take one number per run per phase (run_table.hpp).
#include "analysis/run_table.hpp"
#include "model/phase_sample.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

enum class AttributeBy { Phase, Kind, Tier };

// The one-line statements of method the views print beside the tables.
extern const char* const kParetoMethod;
extern const char* const kGapMethod;

struct ParetoRow {
  std::string item;
  double mean_s = 0;          // per run; a run without the item counts 0. The rows' means add up to
                              // the mean run.
  double median_s = 0;        // per run, a run without the item counting 0
  std::optional<Interval> ci; // of mean_s, bootstrap over runs; nullopt below 2 runs
  double share = 0;           // of the mean run
  double cumulative = 0;
  bool vital = false; // among the few that first reach 80%
};

struct Pareto {
  int runs = 0;
  double total_s = 0;      // the mean run: the sum of the rows' means
  double median_run_s = 0; // the median run's total
  std::optional<Interval> total_ci;
  std::vector<ParetoRow> rows; // largest mean first
};

class ParetoBuilder {
public:
  explicit ParetoBuilder(AttributeBy by) : by_(by) {}
  void add(const PhaseSample& s);
  Pareto finish();

private:
  AttributeBy by_;
  std::string run_;
  RunTable table_;
};

Pareto pareto(const std::vector<PhaseSample>& samples, AttributeBy by);

struct GapRow {
  std::string phase;
  double cold_mean = 0; // per run, a run without the phase counting 0
  double warm_mean = 0;
  double cold_median = 0; // per run, a run without the phase counting 0
  double warm_median = 0;
  double difference = 0;      // cold_mean − warm_mean; the rows' differences add up to the gap
  std::optional<Interval> ci; // of the difference; nullopt below 2 runs a mode
  bool within_noise = false;  // the CI holds 0: no cold cost that the runs can tell from noise
  double share_of_gap = 0;    // difference / gap (the shares add up to 1); NaN when gap <= 0
};

struct ColdWarmGap {
  int cold_runs = 0;
  int warm_runs = 0;
  double cold_mean = 0; // the mean run's total: the sum of the rows' cold means
  double warm_mean = 0;
  double gap = 0; // cold_mean − warm_mean: the sum of the rows' differences
  std::optional<Interval> gap_ci;
  double cold_total = 0; // the median cold run's total (not a sum of medians)
  double warm_total = 0;
  std::vector<GapRow> rows; // largest difference first
};

class ColdWarmBuilder {
public:
  void add(const PhaseSample& s);
  ColdWarmGap finish();

private:
  std::string run_;
  RunMode run_mode_ = RunMode::Normal;
  RunTable cold_, warm_;
};

ColdWarmGap cold_vs_warm(const std::vector<PhaseSample>& samples);

// What a live service spent while a phase ran: the median over runs of its CPU seconds per wall
// second of the phase.
struct ServiceLoad {
  std::string service;
  double cores = 0;
};

struct ResourceRow {
  std::string phase;
  std::string bound; // CPU-bound | I/O-bound | memory-bound | waiting [on services]
  double wall_median = 0;
  double cores = 0; // CPU seconds per wall second of the phase's processes (its whole tree
                    // where a cgroup counted it)
  // Stall shares over the phase (some): the phase's own where every run had a cgroup per
  // phase (`own_stalls`), else host-wide; NaN without PSI.
  bool own_stalls = false;
  double cpu_stall = 0;
  double io_stall = 0;
  double memory_stall = 0;
  double host_cpu_stall = 0; // host-wide, for telling "the phase stalled" from "the host was busy"
  double io_mib_per_s = 0;
  std::vector<ServiceLoad> services; // busiest first
  std::string because;               // the figures that decided
};

class ResourceBuilder {
public:
  void add(const PhaseSample& s);
  std::vector<ResourceRow> finish();

private:
  struct Figures {
    std::vector<double> wall, cores, rate;
    std::vector<double> host_cpu, host_io, host_memory, own_cpu, own_io, own_memory;
    bool psi = true;
    bool own = true; // every run had the phase's own figures (a cgroup per phase)
    std::map<std::string, std::vector<double>> services;
  };
  std::vector<std::string> order_;
  std::map<std::string, Figures> phases_;
};

std::vector<ResourceRow> classify_resources(const std::vector<PhaseSample>& samples);

} // namespace ciperf
