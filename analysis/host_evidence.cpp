#include "analysis/host_evidence.hpp"

#include "analysis/statistics.hpp"

#include <fmt/format.h>

namespace ciperf {
namespace {

std::string joined(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values)
    out += (out.empty() ? "" : ", ") + v;
  return out;
}

} // namespace

void HostEvidenceBuilder::add_host(Side s, const HostInfo& host) {
  Accumulator& a = side(s);
  ++a.hosts;
  a.hostnames.insert(host.hostname);
  a.kernels.insert(host.kernel);
  a.cpus.insert(std::to_string(host.cpus));
  a.memory.insert(fmt::format("{:.1f} GiB", static_cast<double>(host.memory_bytes) / (1 << 30)));
}

void HostEvidenceBuilder::add_phase(Side s, const PhaseSample& p) {
  if (!p.counts_toward_total())
    return;
  RunStalls& r = side(s).runs[p.run_id];
  r.wall_s += p.wall_s;
  if (p.pressure) {
    r.pressure = true;
    r.cpu_s += p.pressure->cpu_some_s;
    r.io_s += p.pressure->io_some_s;
  }
  if (p.own_pressure) {
    r.own_cpu_s += p.own_pressure->cpu_some_s;
    r.own_wall_s += p.wall_s;
  }
}

HostSide HostEvidenceBuilder::summarize(const Accumulator& a) {
  HostSide out;
  out.runs = a.hosts > 0 ? a.hosts : static_cast<int>(a.runs.size());
  std::vector<double> cpu, io, own;
  for (const auto& [id, r] : a.runs) {
    if (r.pressure && r.wall_s > 0) {
      cpu.push_back(r.cpu_s / r.wall_s);
      io.push_back(r.io_s / r.wall_s);
    }
    if (r.own_wall_s > 0)
      own.push_back(r.own_cpu_s / r.own_wall_s);
  }
  out.runs_with_own_pressure = static_cast<int>(own.size());
  if (!own.empty())
    out.own_cpu_stall = stats::median(own);
  out.runs_with_pressure = static_cast<int>(cpu.size());
  if (!cpu.empty()) {
    out.cpu_stall = stats::median(cpu);
    out.io_stall = stats::median(io);
  }
  return out;
}

HostEvidence HostEvidenceBuilder::finish() const {
  HostEvidence e{summarize(base_), summarize(candidate_), {}};
  auto compare = [&](const char* field, const std::set<std::string>& b,
                     const std::set<std::string>& c) {
    if (!b.empty() && !c.empty() && b != c)
      e.changed.push_back({field, joined(b), joined(c)});
  };
  compare("hostname", base_.hostnames, candidate_.hostnames);
  compare("cpus", base_.cpus, candidate_.cpus);
  compare("memory", base_.memory, candidate_.memory);
  compare("kernel", base_.kernels, candidate_.kernels);
  return e;
}

} // namespace ciperf
