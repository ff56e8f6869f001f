#pragma once
// A JUnit suite's own counts (tests, failures, errors, skipped, disabled) against what its test
// cases say. Producers disagree with their own files (mocha-junit-reporter leaves pending tests
// out but counts them; Boost.Test counts an expected failure as passed and writes <failure>):
// the import says so rather than pick one silently.
#include "model/enums.hpp"

#include <expat.h>
#include <optional>
#include <string>

namespace ciperf {

struct JunitCountsSaid {
  std::optional<int> tests, failures, errors, skipped, disabled;
};

struct JunitCounts {
  int tests = 0, failures = 0, errors = 0;
  int skipped = 0;  // cases with a <skipped> element that did not fail (Catch2's [!mayfail] did)
  int disabled = 0; // skipped without one (ctest's status="disabled", GoogleTest's DISABLED_)
};

// The count attributes present on a <testsuite> (or <testsuites>).
JunitCountsSaid counts_said(const XML_Char** attrs);

// Adds one case: its resolved status and which elements it had.
void count_case(JunitCounts& c, PhaseStatus status, bool had_skipped, bool had_failure,
                bool had_error);

// "" when they agree; else what differs, as "says tests=7 failures=2; its cases give 6 and 3".
// `tests` may count or leave out the skipped (Boost.Test leaves out the disabled), and failures
// and errors are compared as one sum (mocha's xunit reporter counts every failure an error).
std::string disagreement_of(const JunitCountsSaid& said, const JunitCounts& seen);

} // namespace ciperf
