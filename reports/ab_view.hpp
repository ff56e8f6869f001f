#pragma once
// `ciperf ab`'s answer: the paired verdicts of B against A, phase by phase, as a table or JSON.
#include "analysis/comparison.hpp"
#include "model/enums.hpp"
#include "reports/view_format.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

struct AbSide {
  std::string pipeline;
  std::string file;
};

struct AbReport {
  std::string session;
  AbSide a, b;
  RunMode mode = RunMode::Normal;
  int pairs = 0;
  int b_first = 0; // pairs in which B ran first
  uint64_t seed = 0;
  double threshold = 0.05;
  std::vector<PhaseComparison> phases;
  PhaseComparison run_wall; // the whole runs, outside the phases' correction
  Outcome outcome = Outcome::NoRegression;
};

void write_ab(const AbReport& report, ViewFormat format, std::ostream& out);

} // namespace ciperf
