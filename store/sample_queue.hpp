#pragma once
// A bounded hand-over of phase samples from one reader thread to the thread that analyses them:
// batches, so the lock is taken once per few hundred samples; bounded, so a reader ahead of the
// analysis holds a few batches, never the store.
#include "model/phase_sample.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <vector>

namespace ciperf {

// Samples in (run, phase) order, with the row id of each sample's run (for merging streams).
struct SampleBatch {
  std::vector<int64_t> runs;
  std::vector<PhaseSample> samples;
  size_t size = 0; // the first `size` entries hold this batch; the rest are kept for reuse
};

class SampleQueue {
public:
  using Batch = SampleBatch;
  static constexpr size_t kBatch = 512;
  static constexpr size_t kBatchesAhead = 4;

  // Reader side. False once the consumer gave up: the reader stops.
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return batches_.size() < kBatchesAhead || cancelled_; });
    if (cancelled_)
      return false;
    batches_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  // The reader is done; `error` (if any) is rethrown to the consumer after the last batch.
  void close(std::exception_ptr error = nullptr) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    error_ = error;
    ready_.notify_one();
  }

  // Consumer side. False at the end; throws what the reader threw.
  bool pop(Batch& out) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) {
      if (error_)
        std::rethrow_exception(error_);
      return false;
    }
    out = std::move(batches_.front());
    batches_.pop_front();
    room_.notify_one();
    return true;
  }
  // A consumed batch, returned so the reader reuses its samples' buffers.
  void give_back(Batch batch) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(batch));
  }
  // Reader side: a returned batch, or an empty one.
  Batch reuse() {
    std::lock_guard lock(mutex_);
    if (free_.empty())
      return {};
    Batch b = std::move(free_.back());
    free_.pop_back();
    b.size = 0;
    return b;
  }
  // The consumer stops early (its visitor threw): wakes and stops the reader.
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    room_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Batch> batches_;
  std::vector<Batch> free_;
  bool closed_ = false, cancelled_ = false;
  std::exception_ptr error_;
};

} // namespace ciperf
