#pragma once
// What a phase consumed, from the kernel's own accounting (see ARCHITECTURE.md for what each
// figure misses).
#include "model/run_record.hpp"

#include <optional>

struct rusage;

namespace ciperf {

// The sum over the processes of one phase that ciperf reaped (each wait4 result already
// includes the descendants that process waited for itself).
struct Usage {
  double user_s = 0;
  double sys_s = 0;
  int64_t max_rss_bytes = 0; // the largest single process
  int64_t read_bytes = 0;
  int64_t write_bytes = 0;

  void add(const struct rusage& ru);
};

// What ciperf itself and the children it reaped used since the two snapshots (for waits, which
// run in ciperf's own loop).
Usage usage_since(const struct rusage& self_before, const struct rusage& children_before);

// Cumulative stall microseconds from /proc/pressure/{cpu,io,memory} (`total=` of `some` and
// `full`). nullopt when the kernel has no PSI.
struct PressureSnapshot {
  int64_t us[6] = {}; // cpu some, cpu full, io some, io full, memory some, memory full
};
std::optional<PressureSnapshot> read_pressure();
// The same from pressure files open at these descriptors (a cgroup's own *.pressure).
std::optional<PressureSnapshot> read_pressure(int cpu_fd, int io_fd, int memory_fd);
// Seconds of stall between two snapshots; nullopt if either is missing.
std::optional<Pressure> pressure_between(const std::optional<PressureSnapshot>& before,
                                         const std::optional<PressureSnapshot>& after);

// MemAvailable of /proc/meminfo in bytes: what the host can still give without swapping.
// nullopt when the file or the line is missing.
std::optional<int64_t> mem_available_bytes();

} // namespace ciperf
