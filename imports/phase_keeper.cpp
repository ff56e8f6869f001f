#include "imports/phase_keeper.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ciperf {
namespace {

// Heap order: `a` is worth less than `b` (a passed or skipped case before a failure, then the
// faster one), so std::push_heap with `worth_more` keeps the least worth on top.
bool worth_more(const PhaseRecord& a, const PhaseRecord& b) {
  if (a.failed() != b.failed())
    return a.failed();
  return a.wall_s > b.wall_s;
}

} // namespace

void PhaseKeeper::add(PhaseRecord phase) {
  phase.index = static_cast<int>(added_++); // the original position, until take() renumbers
  heap_.push_back(std::move(phase));
  std::push_heap(heap_.begin(), heap_.end(), worth_more);
  if (heap_.size() <= capacity_)
    return;
  std::pop_heap(heap_.begin(), heap_.end(), worth_more);
  ++left_out_;
  left_out_wall_s_ += heap_.back().wall_s;
  heap_.pop_back();
}

std::vector<PhaseRecord> PhaseKeeper::take() {
  std::vector<PhaseRecord> kept = std::move(heap_);
  heap_.clear();
  std::sort(kept.begin(), kept.end(),
            [](const PhaseRecord& a, const PhaseRecord& b) { return a.index < b.index; });
  for (size_t i = 0; i < kept.size(); ++i)
    kept[i].index = static_cast<int>(i);
  return kept;
}

void note_left_out(RunRecord& run, const PhaseKeeper& keeper) {
  if (keeper.left_out() == 0)
    return;
  run.labels["ciperf.left_out"] =
      fmt::format("{} of {} phases ({:.3f} s), the fastest that did not fail", keeper.left_out(),
                  keeper.added(), keeper.left_out_wall_s());
}

} // namespace ciperf
