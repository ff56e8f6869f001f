#pragma once
// The cgroup of one phase, a child of the run's: its processes start in it, so every process
// the phase starts (a daemon that leaves its process group and session too) is counted in its
// files until it exits. Read at the phase's end for the phase's own figures, and around later
// phases while something of it keeps running (a service).
#include "exec/resource_usage.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace ciperf {

// Cumulative counters of one cgroup, as read at one instant.
struct CgroupReading {
  int64_t user_us = 0, system_us = 0;             // cpu.stat
  std::optional<PressureSnapshot> pressure;       // its own {cpu,io,memory}.pressure
  std::optional<int64_t> memory_peak_bytes;       // memory.peak (v2) or v1 max_usage_in_bytes
  std::optional<int64_t> read_bytes, write_bytes; // io.stat (v2, with the io controller)
};

// What the cgroup's processes spent between two readings (the memory peak is the later one's:
// the cgroup is new at the phase's start).
struct TreeUsage {
  double user_s = 0, sys_s = 0;
  std::optional<Pressure> pressure;
  std::optional<int64_t> memory_peak_bytes, read_bytes, write_bytes;
};
TreeUsage usage_between(const CgroupReading& before, const CgroupReading& after);

class PhaseCgroup {
public:
  // Creates `dir` (cgroup v2) and, when given, `memory_dir` (a cgroup v1 memory hierarchy, for
  // a memory peak where v2 has no memory controller). Throws std::runtime_error.
  PhaseCgroup(std::filesystem::path dir, std::optional<std::filesystem::path> memory_dir);
  ~PhaseCgroup(); // release(), retried for up to 20 ms while the kernel holds it busy
  // Closes its files and removes the directories when nothing runs in them. False while the
  // kernel still holds a just-emptied cgroup busy: call again a moment later.
  bool release();
  PhaseCgroup(const PhaseCgroup&) = delete;
  PhaseCgroup& operator=(const PhaseCgroup&) = delete;

  // cgroup.procs files, open for writing: the child writes "0" into each before exec.
  int procs_fd() const { return procs_fd_; }
  int memory_procs_fd() const { return memory_procs_fd_; }
  // The v2 cgroup's directory (O_PATH), for a child born in it (clone3's CLONE_INTO_CGROUP).
  int dir_fd() const { return dir_fd_; }
  // Once the child has tried: closes the cgroup.procs files (a long-lived service should not
  // hold them) and forgets the v1 memory peak if the child could not enter that cgroup.
  void entered(bool cgroup, bool memory);

  // Makes an emptied cgroup ready for another phase instead of removing it (a mkdir and rmdir
  // of a cgroup create and delete some forty kernel files each: a third of ciperf's own CPU per
  // quick phase). Only when nothing runs in it, its memory peak can be reset, and what the last
  // phase left charged (page cache) is small: the next phase's peak is measured over that, and
  // a larger remainder could be reclaimed under it and make the subtraction wrong. False leaves
  // it as it was, for release().
  bool recycle();

  CgroupReading read() const;
  // The counters as the phase found them: zero in a new cgroup, what the earlier phases spent in
  // a recycled one.
  const CgroupReading& origin() const { return origin_; }
  bool populated() const;
  const std::filesystem::path& path() const { return dir_; }
  const std::optional<std::filesystem::path>& memory_path() const { return memory_dir_; }

private:
  bool reset_memory_peak();
  bool reopen_procs();

  std::filesystem::path dir_;
  std::optional<std::filesystem::path> memory_dir_;
  int procs_fd_ = -1, memory_procs_fd_ = -1, dir_fd_ = -1;
  // Opened once and read at offset 0 each time (the kernel renders them afresh); -1 if absent.
  int cpu_stat_ = -1, cpu_pressure_ = -1, io_pressure_ = -1, memory_pressure_ = -1;
  int events_ = -1, memory_peak_ = -1, io_stat_ = -1;
  int memory_usage_ = -1; // memory.current or v1 memory.usage_in_bytes: the base of a reset peak
  bool memory_peak_from_v1_ = false, memory_peak_resettable_ = false, recyclable_ = true;
  int64_t memory_base_ = 0; // charged when the peak was last reset: not this phase's
  CgroupReading origin_;
  bool closed_ = false, keep_dirs_ = false, dir_removed_ = false, memory_dir_removed_ = false;
};

} // namespace ciperf
