#pragma once
// A pipeline whose cold runs are not measurably slower than its warm ones: cold.prepare did not
// clear what the pipeline depends on. Checked phase by phase, because a cold cost in one short
// phase (a tool 20× slower cold) hides in the noise of a long phase when only run totals are
// compared: the pipeline is lukewarm only when no phase is significantly slower cold.
#include "model/run_record.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

constexpr double kLukewarmAlpha = 0.05;
constexpr double kLukewarmThreshold = 0.10; // cold median at least 10% above the warm one,
constexpr double kLukewarmFloorS = 0.01;    // and 10 ms above it: a tiny phase's jitter is not
                                            // a cold state

struct LukewarmPhase {
  std::string phase;
  int cold_runs = 0;
  int warm_runs = 0;
  double cold_median = 0;
  double warm_median = 0;
  double p = 1; // Mann-Whitney, cold against warm
  bool slower_cold = false;
};

struct LukewarmCheck {
  std::string pipeline;              // as stored (redacted)
  std::vector<LukewarmPhase> phases; // each phase that ran at least twice in either mode
  bool lukewarm() const;             // phases were checked, and none is slower cold
};

// Over one pipeline's cold and warm runs. A phase is slower cold when its cold median exceeds
// the warm one by the threshold and the floor, and Mann-Whitney finds it significant at
// kLukewarmAlpha; where the run counts cannot reach that p (3 a side or fewer), when every cold
// run is slower than every warm run.
LukewarmCheck check_lukewarm(const std::vector<RunRecord>& runs);

// The check when it finds the pipeline lukewarm.
std::optional<LukewarmCheck> find_lukewarm(const std::vector<RunRecord>& runs);

} // namespace ciperf
