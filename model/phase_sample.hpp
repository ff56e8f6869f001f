#pragma once
// One phase of one stored run, flattened for analysis: the phase's record (the store loads only
// the fields the analyses read: see kSampleFields in store/store_samples.cpp) and its run's
// identity. The analyses stream these one at a time.
#include "model/run_record.hpp"

#include <string>

namespace ciperf {

struct PhaseSample : PhaseRecord {
  std::string run_id;
  std::string started_at;
  std::string pipeline;
  RunMode mode = RunMode::Normal;
};

} // namespace ciperf
