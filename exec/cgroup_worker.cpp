#include "exec/cgroup_worker.hpp"

#include "exec/phase_cgroup.hpp"

#include <csignal>
#include <pthread.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr int kRemovalAttempts = 20; // a millisecond apart: as long as a phase would wait
// Recycled cgroups kept: sequential phases need one (the phase running has the other), a
// service and the phases beside it one more.
constexpr size_t kSpares = 2;

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
  if (preparation_ && preparation_->dir == dir) // not started yet: a spare, or quicker made here
    preparation_.reset();
  else
    idle_.wait(lock, [&] { return preparing_ != dir; });
  if (ready_ && ready_dir_ == dir)
    return std::move(ready_);
  if (spares_.empty())
    return nullptr;
  auto spare = std::move(spares_.back());
  spares_.pop_back();
  return spare;
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
  std::vector<std::unique_ptr<PhaseCgroup>> spares;
  {
    std::unique_lock lock(mutex_);
    preparation_.reset();
    idle_.wait(lock, [&] { return retired_.empty() && !busy_; });
    unused = std::move(ready_);
    spares.swap(spares_);
  }
  // `unused` (empty: no phase ran in it) and the spares (emptied) are removed here, on the
  // caller's thread.
}

void CgroupWorker::run_preparation(std::unique_lock<std::mutex>& lock, Preparation job) {
  if (ready_ && spares_.size() < kSpares) // made for a phase that did not come: a spare now
    spares_.push_back(std::move(ready_));
  if (!spares_.empty()) // take() hands one out: nothing to make
    return;
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
  bool want_spare = job.attempts == 0 && spares_.size() < kSpares;
  lock.unlock();
  bool recycled = want_spare && job.group->recycle();
  bool done = recycled || job.group->release() || ++job.attempts >= kRemovalAttempts;
  if (done && !recycled)
    job.group.reset();
  lock.lock();
  if (recycled)
    spares_.push_back(std::move(job.group));
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
    bool fresh_retiree = !retired_.empty() && retired_.front().attempts == 0;
    if (preparation_ && fresh_retiree && spares_.size() < kSpares) {
      run_removal(lock);       // first: recycled, it is the cgroup the preparation needs
    } else if (preparation_) { // first: the next phase may be waiting for it
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
