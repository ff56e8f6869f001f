#pragma once
// A cgroup v2 directory that holds every process of one run, so that "kill everything the run
// started" reaches daemons that left their process group and session, and grandchildren whose
// parent died. It is created under ciperf's own cgroup; ciperf itself stays outside it. Each
// phase gets a child of it (exec/phase_cgroup.hpp) for its own figures.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace ciperf {

class PhaseCgroup;
class CgroupWorker;

class RunCgroup {
public:
  // ciperf's own cgroup v2 directory: the cgroup2 mount from /proc/self/mountinfo (wherever it
  // is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1 controllers) joined with the
  // `0::` line of /proc/self/cgroup. nullopt, with the reason in `why`, when there is none.
  static std::optional<std::filesystem::path> own_cgroup(std::string& why);
  // Creates `name` under ciperf's own cgroup. nullptr, with the reason in `why`, when the host
  // does not allow it (no cgroup v2, not root, a read-only mount).
  static std::unique_ptr<RunCgroup> create(const std::string& name, std::string& why);

  ~RunCgroup(); // kills what is left and removes the directory
  RunCgroup(const RunCgroup&) = delete;
  RunCgroup& operator=(const RunCgroup&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The run's directory in a cgroup v1 memory hierarchy, where phases get a memory peak from.
  const std::optional<std::filesystem::path>& memory_v1() const { return memory_v1_; }
  // cgroup.procs, open for writing and close-on-exec: a child between fork and exec writes "0"
  // into it to enter the cgroup (async-signal-safe, unlike anything that builds a path).
  int procs_fd() const { return procs_fd_; }
  int dir_fd() const { return dir_fd_; } // O_PATH, for clone3's CLONE_INTO_CGROUP; -1 if none
  // A child cgroup for one phase, with a companion in the cgroup v1 memory hierarchy where v2
  // has no memory controller but v1 has one. Throws std::runtime_error.
  std::unique_ptr<PhaseCgroup> create_phase(const std::string& name);
  // Starts making the cgroup that create_phase(name) will be asked for next, on the worker.
  void prepare_phase(const std::string& name);
  // Removes a phase's cgroup on the worker, off the path between two phases.
  void retire_phase(std::unique_ptr<PhaseCgroup> phase);
  // Moves every process of `phase` out of the run, into ciperf's own cgroup (and the v1 memory
  // companion's parent): a kept service that the run's end must not kill.
  void adopt_out(const PhaseCgroup& phase) const;
  // SIGKILL to every process in the cgroup and its children.
  void kill_all() const;
  // True while any process is in the cgroup or its children.
  bool populated() const;
  // Removes the children and the cgroup once they are empty; false if some is still populated.
  bool remove();

private:
  explicit RunCgroup(std::filesystem::path path, int procs_fd);
  std::optional<std::filesystem::path> memory_dir(const std::string& name) const;
  std::filesystem::path path_;
  std::optional<std::filesystem::path> memory_v1_; // the run's directory in a v1 memory hierarchy
  int procs_fd_ = -1;
  int dir_fd_ = -1;
  bool removed_ = false;
  std::unique_ptr<CgroupWorker> worker_; // drained before the tree is killed or removed
};

// Kills every process in the cgroup at `dir` and its children: `1` into cgroup.kill (kernel
// 5.14+), else SIGKILL to each pid listed in cgroup.procs. Then removes the directories, waiting
// up to about `patience_ms` for the killed processes to go. Uses only system calls, no
// allocation: the watchdog calls it in a process forked from a threaded one.
void kill_cgroup_tree(const char* dir, int patience_ms);
// Removes the cgroup directory `dir` and its children once their processes are gone, trying for
// up to about `patience_ms` (a v1 memory hierarchy's, whose processes the v2 kill ended). System
// calls only, as above.
void remove_cgroup_dirs(const char* dir, int patience_ms);

} // namespace ciperf
