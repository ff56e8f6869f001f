#pragma once
// Where the time goes, over a selection of stored runs: the Pareto table (the vital few items
// that first reach 80% of the time), the phases that explain the cold−warm gap, and what bounds
// each phase (CPU, I/O, memory, or waiting). Background services and skipped phases are left
// out: a service spans the run, and a skipped phase took no time.
//
// Each analysis is a builder fed one phase sample at a time, in run order (as the store streams
// them), so a million stored phases take a few numbers per phase, not the samples themselves.
#include "model/phase_sample.hpp"

#include <map>
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

class ParetoBuilder {
public:
  explicit ParetoBuilder(AttributeBy by) : by_(by) {}
  void add(const PhaseSample& s);
  Pareto finish();

private:
  void end_run();
  AttributeBy by_;
  std::string run_;
  std::map<std::string, double> run_totals_;
  std::map<std::string, std::vector<double>> totals_; // item → its total in each run it is in
  int runs_ = 0;
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

class ColdWarmBuilder {
public:
  void add(const PhaseSample& s);
  ColdWarmGap finish();

private:
  void end_run();
  std::string run_;
  RunMode run_mode_ = RunMode::Normal;
  double run_total_ = 0;
  std::vector<double> cold_totals_, warm_totals_;
  std::vector<std::string> order_;
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> walls_; // cold, warm
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
