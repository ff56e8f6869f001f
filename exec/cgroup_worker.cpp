#include "exec/cgroup_worker.hpp"

#include "exec/phase_cgroup.hpp"

#include <csignal>
#include <pthread.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr int kRemovalAttempts = 20; // a millisecond apart: as long as a phase would wait

} // namespace

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
    retired_.push_back({std::move(group), 0, {}});
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

// One attempt at the oldest removal. A cgroup the kernel still holds busy goes to the back of
// the queue for a millisecond instead of holding the worker: a preparation may be waiting.
void CgroupWorker::run_removal(std::unique_lock<std::mutex>& lock) {
  Retired job = std::move(retired_.front());
  retired_.pop_front();
  lock.unlock();
  bool done = job.group->release() || ++job.attempts >= kRemovalAttempts;
  if (done)
    job.group.reset();
  lock.lock();
  if (!done) {
    job.not_before = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    retired_.push_back(std::move(job));
  }
}

void CgroupWorker::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    auto due = [&] {
      return !retired_.empty() && retired_.front().not_before <= std::chrono::steady_clock::now();
    };
    if (!preparation_ && !due() && !(stop_ && retired_.empty())) {
      if (retired_.empty())
        wake_.wait(lock);
      else
        wake_.wait_until(lock, retired_.front().not_before);
      continue;
    }
    if (stop_ && !preparation_ && retired_.empty())
      return;
    busy_ = true;
    if (preparation_) { // first: the next phase may be waiting for it
      Preparation job = std::move(*preparation_);
      preparation_.reset();
      run_preparation(lock, std::move(job));
    } else if (due()) {
      run_removal(lock);
    }
    busy_ = false;
    idle_.notify_all();
  }
}

} // namespace ciperf
