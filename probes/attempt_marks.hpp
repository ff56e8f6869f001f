#pragma once
// A bounded record of when a target's attempts ended, for the report's waterfall and trace.
// A 2 ms connect loop makes hundreds of attempts a second, so past kMaxMarks the failures are
// thinned evenly (every other one dropped, the stride doubled): the picture keeps its shape,
// the memory stays fixed, and successes are kept (up to twice kMaxMarks).
#include "model/run_record.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ciperf {

class AttemptMarks {
public:
  static constexpr size_t kMaxMarks = 256;

  void add(double at_s, bool ok);
  const std::vector<AttemptMark>& marks() const { return marks_; }

private:
  void thin();
  std::vector<AttemptMark> marks_;
  uint64_t failures_ = 0;
  uint64_t stride_ = 1;
};

} // namespace ciperf
