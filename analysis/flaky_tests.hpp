#pragma once
// Flaky tests: a test case that failed and then passed again within one run (a retry: its name
// twice in its phase's junit files), or whose status changed between runs of one pipeline that
// ran the same code (the same `commit` or `git.sha` label, or neither). Fed runs oldest first.
#include "model/run_record.hpp"

#include <map>
#include <string>
#include <vector>

namespace ciperf {

struct FlakyTest {
  std::string pipeline;
  std::string item;   // "phase/test"
  std::string why;    // "failed then passed on a retry in run R" or "passed and failed at code C"
  std::string run_id; // the run where it showed
};

// The label that names the code a run ran: `commit`, else `git.sha`; "" when neither is set.
std::string code_label(const RunRecord& run);

class FlakyTestFinder {
public:
  void add_run(const RunRecord& run);
  std::vector<FlakyTest> finish();

private:
  struct Last {
    std::string code, run_id;
    bool passed = false;
  };
  std::map<std::pair<std::string, std::string>, Last> last_; // (pipeline, item)
  std::map<std::pair<std::string, std::string>, FlakyTest> found_;
};

} // namespace ciperf
