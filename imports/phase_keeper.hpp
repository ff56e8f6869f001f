#pragma once
// What one imported run may hold. A JUnit file with a million test cases would otherwise take a
// gigabyte to import and more to report; attribution needs the slow and the failed cases, not
// every 1 ms pass. A keeper takes phases one at a time and holds at most `capacity`: every
// failure first, then the slowest of the rest. What it left out is counted, never hidden.
#include "model/run_record.hpp"

#include <cstddef>
#include <vector>

namespace ciperf {

// Phases one imported run keeps at most, and all runs of one file together.
inline constexpr size_t kMaxImportedPhasesPerRun = 20'000;
inline constexpr size_t kMaxImportedPhasesPerFile = 100'000;

class PhaseKeeper {
public:
  explicit PhaseKeeper(size_t capacity) : capacity_(capacity) {}

  void add(PhaseRecord phase);
  // The kept phases in their original order, numbered from 0; the keeper is empty afterwards.
  std::vector<PhaseRecord> take();

  size_t added() const { return added_; }
  size_t left_out() const { return left_out_; }
  double left_out_wall_s() const { return left_out_wall_s_; }

private:
  size_t capacity_;
  std::vector<PhaseRecord> heap_; // the least worth keeping on top
  size_t added_ = 0;
  size_t left_out_ = 0;
  double left_out_wall_s_ = 0;
};

// Records on `run` (label `ciperf.left_out`) what its keeper left out, if anything.
void note_left_out(RunRecord& run, const PhaseKeeper& keeper);

} // namespace ciperf
