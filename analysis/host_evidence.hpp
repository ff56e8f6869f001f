#pragma once
// What the runs say about the host when most phases moved together: the host-wide CPU and I/O
// stalls of the baseline's runs against the candidates' (/proc/pressure, per second of phase
// wall), the phases' own CPU wait (their cgroups' cpu.pressure: a busy host that a phase did not
// wait for leaves it low), and the host fields (name, CPUs, memory, kernel) that differ.
#include "model/phase_sample.hpp"
#include "model/run_record.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ciperf {

struct HostSide {
  int runs = 0;
  int runs_with_pressure = 0; // runs whose phases carry host-wide pressure (a kernel with PSI)
  // Medians over those runs of host-wide stall seconds ("some") per second of phase wall.
  double cpu_stall = 0, io_stall = 0;
  int runs_with_own_pressure = 0; // runs whose phases had cgroups of their own
  double own_cpu_stall = 0;       // median per run of the phases' own CPU wait per wall second
};

struct HostFieldChange {
  std::string field; // "hostname", "cpus", "memory", "kernel"
  std::string base;  // the values seen on each side, comma-separated
  std::string candidate;
};

struct HostEvidence {
  HostSide base, candidate;
  std::vector<HostFieldChange> changed;
  bool has_pressure() const {
    return base.runs_with_pressure > 0 && candidate.runs_with_pressure > 0;
  }
};

enum class Side { Base, Candidate };

// Fed each side's runs (their host) and phases (their pressure) in any order.
class HostEvidenceBuilder {
public:
  void add_host(Side side, const HostInfo& host);
  void add_phase(Side side, const PhaseSample& s);
  HostEvidence finish() const;

private:
  struct RunStalls {
    double cpu_s = 0, io_s = 0, wall_s = 0;
    bool pressure = false;
    double own_cpu_s = 0, own_wall_s = 0; // over the phases that had their own cgroup
  };
  struct Accumulator {
    int hosts = 0;
    std::set<std::string> hostnames, kernels, cpus, memory;
    std::map<std::string, RunStalls> runs;
  };
  Accumulator& side(Side s) { return s == Side::Base ? base_ : candidate_; }
  static HostSide summarize(const Accumulator& a);
  Accumulator base_, candidate_;
};

} // namespace ciperf
