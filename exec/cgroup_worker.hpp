#pragma once
// A thread that makes, recycles and removes phase cgroups while the phases run. mkdir and rmdir
// of a cgroup (and of its v1 memory companion) were about half of ciperf's own time per quick
// phase; here they overlap the previous phase instead of standing between two phases, and a
// retired cgroup that can be reset (PhaseCgroup::recycle) serves a later phase instead, so a run
// of sequential phases makes two cgroups in all. Only the directories move between threads,
// handed over under one mutex: a PhaseCgroup is used by one thread at a time.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ciperf {

class PhaseCgroup;

class CgroupWorker {
public:
  CgroupWorker();  // the thread blocks every signal: they are the main thread's to handle
  ~CgroupWorker(); // finishes what is queued
  CgroupWorker(const CgroupWorker&) = delete;
  CgroupWorker& operator=(const CgroupWorker&) = delete;

  // Starts making the cgroup a coming phase will ask for (replacing one made for another name).
  void prepare(std::filesystem::path dir, std::optional<std::filesystem::path> memory_dir);
  // The cgroup prepared for `dir`, once made, or a recycled one (whose path is an earlier
  // phase's); nullptr if none was asked for or it failed (the caller then makes it itself, and
  // gets the error).
  std::unique_ptr<PhaseCgroup> take(const std::filesystem::path& dir);
  // Recycles, or closes and removes, `group` on the worker (it leaves a cgroup that still holds
  // processes).
  void retire(std::unique_ptr<PhaseCgroup> group);
  // Returns once every removal asked for is done, and drops an unused prepared cgroup and the
  // recycled ones: before the run's cgroup is killed or removed.
  void drain();

private:
  struct Preparation {
    std::filesystem::path dir;
    std::optional<std::filesystem::path> memory_dir;
  };
  void loop();
  void run_preparation(std::unique_lock<std::mutex>& lock, Preparation job);

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::optional<Preparation> preparation_; // asked for, not yet started
  struct Retired {
    std::unique_ptr<PhaseCgroup> group;
    int attempts = 0;
    std::chrono::steady_clock::time_point not_before;
  };
  void run_removal(std::unique_lock<std::mutex>& lock);
  std::deque<Retired> retired_; // to remove; a busy one goes back, to be retried after a pause
  std::vector<std::unique_ptr<PhaseCgroup>> spares_; // recycled, for the next phases
  std::optional<std::filesystem::path> preparing_;   // being made now
  std::unique_ptr<PhaseCgroup> ready_;               // made, for ready_dir_
  std::filesystem::path ready_dir_;
  bool busy_ = false, stop_ = false;
  std::thread thread_;
};

} // namespace ciperf
