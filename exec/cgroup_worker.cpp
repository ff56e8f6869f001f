#include "exec/cgroup_worker.hpp"

#include "exec/phase_cgroup.hpp"

#include <csignal>
#include <pthread.h>

namespace ciperf {
namespace fs = std::filesystem;

CgroupWorker::CgroupWorker() {
  // Created with every signal blocked, so that no signal lands on the worker between its start
  // and its first instruction; the creator's mask is restored at once.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread([this] { loop(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

CgroupWorker::~CgroupWorker() {
  drain();
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void CgroupWorker::prepare(fs::path dir, std::optional<fs::path> memory_dir) {
  {
    std::lock_guard lock(mutex_);
    preparation_ = Preparation{std::move(dir), std::move(memory_dir)};
  }
  wake_.notify_one();
}

std::unique_ptr<PhaseCgroup> CgroupWorker::take(const fs::path& dir) {
  std::unique_lock lock(mutex_);
  if (preparation_ && preparation_->dir == dir) { // not started yet: quicker made here
    preparation_.reset();
    return nullptr;
  }
  idle_.wait(lock, [&] { return preparing_ != dir; });
  if (!ready_ || ready_dir_ != dir)
    return nullptr;
  return std::move(ready_);
}

void CgroupWorker::retire(std::unique_ptr<PhaseCgroup> group) {
  if (!group)
    return;
  {
    std::lock_guard lock(mutex_);
    retired_.push_back(std::move(group));
  }
  wake_.notify_one();
}

void CgroupWorker::drain() {
  std::unique_ptr<PhaseCgroup> unused;
  {
    std::unique_lock lock(mutex_);
    preparation_.reset();
    idle_.wait(lock, [&] { return retired_.empty() && !busy_; });
    unused = std::move(ready_);
  }
  // `unused` (empty: no phase ran in it) is removed here, on the caller's thread.
}

void CgroupWorker::run_preparation(std::unique_lock<std::mutex>& lock, Preparation job) {
  preparing_ = job.dir;
  std::unique_ptr<PhaseCgroup> stale = std::move(ready_);
  lock.unlock();
  stale.reset(); // made for a phase that did not come: nothing ever ran in it
  std::unique_ptr<PhaseCgroup> made;
  try {
    made = std::make_unique<PhaseCgroup>(job.dir, job.memory_dir);
  } catch (const std::exception&) {
    // The phase makes it itself and reports why it could not.
  }
  lock.lock();
  ready_ = std::move(made);
  ready_dir_ = job.dir;
  preparing_.reset();
}

void CgroupWorker::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || preparation_ || !retired_.empty(); });
    if (stop_ && !preparation_ && retired_.empty())
      return;
    busy_ = true;
    if (preparation_) { // first: the next phase may be waiting for it
      Preparation job = std::move(*preparation_);
      preparation_.reset();
      run_preparation(lock, std::move(job));
    } else {
      std::unique_ptr<PhaseCgroup> group = std::move(retired_.front());
      retired_.pop_front();
      lock.unlock();
      group.reset(); // closes its files and removes its directories
      lock.lock();
    }
    busy_ = false;
    idle_.notify_all();
  }
}

} // namespace ciperf
