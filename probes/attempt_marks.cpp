#include "probes/attempt_marks.hpp"

namespace ciperf {

void AttemptMarks::add(double at_s, bool ok) {
  if (!ok && failures_++ % stride_ != 0)
    return;
  if (ok && marks_.size() >= 2 * kMaxMarks) // a wait for thousands of successes
    return;
  marks_.push_back({at_s, ok});
  if (marks_.size() > kMaxMarks)
    thin();
}

void AttemptMarks::thin() {
  std::vector<AttemptMark> kept;
  kept.reserve(marks_.size());
  bool keep = false;
  for (const AttemptMark& m : marks_) {
    if (!m.ok) {
      keep = !keep;
      if (!keep)
        continue;
    }
    kept.push_back(m);
  }
  marks_.swap(kept);
  stride_ *= 2;
}

} // namespace ciperf
