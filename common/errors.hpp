#pragma once
// One error policy for the whole program: library code throws these, `main` catches them once,
// prints `ciperf: error: …` and exits with the code the CLI contract gives the failure.
#include <stdexcept>
#include <string>

namespace ciperf {

// Exit codes of the CLI contract (README "Commands").
enum ExitCode : int {
  kExitPassed = 0,
  kExitFailed = 1,
  kExitUsage = 2,
  kExitInternal = 3,     // ciperf could not do its own work: the store, a file it writes, a launch
  kExitInconclusive = 4, // compare: no regression found, but it could not have seen one
  kExitTimeout = 124,
  kExitInterrupted = 130,
};

// Bad command line, bad pipeline file, unusable store path: the user must fix something (exit 2).
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace ciperf
