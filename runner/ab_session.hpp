#pragma once
// An interleaved A/B session: a warm-up run of each side, then pairs, each running A and B back
// to back in an order drawn at random, every run recorded with labels that say its session, side
// and pair. Randomizing the order within pairs keeps "B always runs second" (a warmer cache, a
// host that drifts within the pair) out of the differences.
#include "model/run_record.hpp"
#include "pipeline/pipeline.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ciperf {

class Store;

struct AbOptions {
  int pairs = 10;
  uint64_t seed = 0;
  RunMode mode = RunMode::Normal;
  std::map<std::string, std::string> labels;
  std::string tag_set_a, tag_set_b; // each side's `tags` label, when not empty
};

struct AbPair {
  bool b_first = false;
  RunRecord a;
  RunRecord b;
};

struct AbOutcome {
  int exit_code = 0; // of the first run that did not pass; 0 when every pair completed
  std::string session;
  std::vector<AbPair> pairs; // complete pairs, in order
};

AbOutcome run_ab_session(const Pipeline& a, const Pipeline& b, const AbOptions& options,
                         Store& store);

} // namespace ciperf
