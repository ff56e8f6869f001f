#pragma once
// Which of a phase's test cases a bounded view shows (the console table, Markdown, HTML): every
// failed case first, then the slowest of the rest, in the files' order; the rest are counted.
// Exports (JUnit, trace, OTLP, CSV, JSON) carry every case.
#include "model/run_record.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace ciperf {

inline constexpr size_t kShownTestsPerPhase = 10;

struct ShownTests {
  std::vector<const TestCaseRecord*> tests; // in the phase's order
  size_t hidden = 0;
  size_t hidden_failed = 0; // only when more cases failed than the view shows
  double hidden_wall_s = 0;
};

ShownTests tests_to_show(const PhaseRecord& phase, size_t limit = kShownTestsPerPhase);

// "… 41 more tests (0.52s), none failed" (or "3 failed"); "" when none are hidden.
std::string hidden_tests_line(const ShownTests& shown);

// A test's row label under its phase: "  - name" (ASCII: tables align on bytes).
std::string test_label(const TestCaseRecord& test);

// A test's slice inside its phase's (trace slices and OTLP spans must nest): its offset and
// length cut to the phase's wall, which a parallel test runner's summed times can pass.
struct TestSlice {
  double start_s = 0; // from the phase's start
  double wall_s = 0;
};
TestSlice test_slice(const TestCaseRecord& test, double phase_wall_s);

} // namespace ciperf
