#pragma once
// Each runner against the fleet (`ciperf attribute --by host`): per pipeline and run mode, each
// host's median run against the median of the other hosts' runs of the same pipeline and mode,
// with a Mann-Whitney p (Holm-adjusted across the group's hosts) and a verdict; the phases that
// explain a host's gap (its per-phase median minus the fleet's, largest first) and whether its
// CPU and I/O stalls were higher: the evidence that a slow runner is infrastructure, not code.
//
// The fleet of a host is the other hosts' runs, not every run: a host's own runs inside its
// reference would be tested against themselves (pulling the p toward 1 and the ratio toward 1),
// and a host that ran most of a pipeline's runs would simply be the fleet.
//
// Fed every selected run first (its host, status and wall), then the runs' phases as the store
// streams them; holds a few numbers per phase of each run.
#include "model/baseline.hpp"
#include "model/phase_sample.hpp"
#include "model/run_record.hpp"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ciperf {

extern const char* const kFleetMethod;

struct FleetOptions {
  double threshold = 0.10; // the smallest relative difference of the medians that counts
  double alpha = 0.05;     // the Holm-adjusted p a difference must reach
  // Stall shares (points of the phase's wall) by which a host's must exceed the fleet's to be
  // called higher: a share moves by a few points from run to run on a shared machine.
  double stall_margin = 0.10;
  int min_runs = 3; // per side, as compare asks
};

enum class FleetVerdict { Slower, Faster, Like, TooFewRuns };
const char* to_string(FleetVerdict v);

// Stall shares of wall time ("some" seconds per second), medians over runs; NaN when no run of
// that side recorded them. `own` is the phases' own cgroups' (a co-tenant is not the phase's
// stall), `host` the host-wide /proc/pressure.
struct StallShares {
  double own_cpu = 0, own_io = 0, host_cpu = 0, host_io = 0;
};

// Which stall a comparison cites: the phases' own when both sides recorded them, else host-wide,
// else none.
enum class StallSource { Own, Host, None };

struct StallComparison {
  StallSource source = StallSource::None;
  double cpu = 0, fleet_cpu = 0, io = 0, fleet_io = 0; // NaN when source is None
  bool cpu_higher = false, io_higher = false;          // by at least the stall margin
};

struct PhaseGap {
  std::string phase;
  int runs = 0, fleet_runs = 0; // runs that ran the phase
  double median_s = 0, fleet_median_s = 0;
  double difference_s = 0; // median_s − fleet_median_s
  double share_of_gap = 0; // of the run gap; NaN when the host is not slower
  bool vital = false;      // among the largest that first reach 80% of the run gap
  StallComparison stalls;
};

struct HostRow {
  std::string hostname;
  std::string host_class; // model/host_class
  int runs = 0;
  double median_s = 0;        // of its runs' wall
  std::optional<Interval> ci; // of that median (order statistics); nullopt below 6 runs
  int fleet_runs = 0, fleet_hosts = 0;
  double fleet_median_s = 0; // of the other hosts' runs; NaN without any
  double ratio = 0;          // median_s / fleet_median_s; NaN without a fleet
  double p = 1; // Mann-Whitney, Holm-adjusted across the group's tested hosts; NaN: untested
  FleetVerdict verdict = FleetVerdict::TooFewRuns;
  std::string why; // for too few runs: what was missing
  StallComparison stalls;
  std::vector<PhaseGap> gaps; // largest difference first; empty without a fleet
};

struct FleetGroup {
  std::string pipeline;
  RunMode mode = RunMode::Normal;
  int runs = 0;
  double median_s = 0;        // of every host's runs
  std::vector<HostRow> hosts; // by hostname
};

struct FleetResult {
  std::vector<FleetGroup> groups;     // by pipeline, then mode
  std::vector<std::string> hostnames; // every host of the selection, sorted
  int runs = 0;                       // the runs compared (passed, with their host known)
  int left_out = 0;                   // selected runs that did not pass
  FleetOptions options;
};

class FleetBuilder {
public:
  explicit FleetBuilder(FleetOptions options = {}) : options_(options) {}
  // Every selected run, before its phases. Runs that did not pass are counted, not compared:
  // a failed run's wall is the time to its failure.
  void add_run(const RunRecord& run);
  // A phase of a run added before; others (and background or skipped phases) are ignored.
  void add_phase(const PhaseSample& s);
  FleetResult finish();

private:
  // Stall seconds summed over a run's phases that recorded them, and those phases' wall.
  struct StallSums {
    double cpu_s = 0, io_s = 0, wall_s = 0;
  };
  // Stall shares of one phase over a host's runs; NaN where a run did not record them.
  struct StallColumn {
    std::vector<float> cpu, io;
  };
  struct RunFigures {
    double wall_s = 0;
    StallSums own, host;
  };
  // One phase's figures over a host's runs, one entry per run that ran it (floats: a million
  // phases take 20 MB).
  struct PhaseColumn {
    std::vector<float> wall;
    StallColumn own, host;
  };
  struct HostRuns {
    std::string host_class;
    std::vector<RunFigures> runs;
    std::map<std::string, PhaseColumn> phases;
  };
  struct Group {
    std::map<std::string, HostRuns> hosts;
    std::vector<std::string> phase_order; // as first seen
  };
  struct Slot {
    Group* group = nullptr;
    HostRuns* host = nullptr;
    size_t run = 0;
  };

  FleetGroup summarize(const std::pair<std::string, RunMode>& key, const Group& group) const;
  HostRow compare_host(const Group& group, const std::string& name, const HostRuns& host) const;
  std::vector<PhaseGap> phase_gaps(const Group& group, const std::string& name,
                                   const HostRuns& host, double run_gap) const;

  FleetOptions options_;
  std::map<std::pair<std::string, RunMode>, Group> groups_;
  std::unordered_map<std::string, Slot> slots_; // run id → its host's runs
  std::string last_run_;                        // of the last phase added, and its slot:
  const Slot* last_slot_ = nullptr;             // a run's phases come together
  int left_out_ = 0;
};

} // namespace ciperf
