#include "analysis/flaky_tests.hpp"

#include <fmt/format.h>
#include <set>

namespace ciperf {

std::string code_label(const RunRecord& run) {
  for (const char* key : {"commit", "git.sha"})
    if (auto it = run.labels.find(key); it != run.labels.end())
      return it->second;
  return {};
}

void FlakyTestFinder::add_run(const RunRecord& run) {
  std::string code = code_label(run);
  for (const auto& p : run.phases) {
    std::set<std::string> failed_here;
    std::map<std::string, bool> outcome; // the test's last outcome in this run
    for (const auto& t : p.tests) {
      if (t.status == PhaseStatus::Skipped)
        continue;
      std::string item = p.name + "/" + t.name;
      bool passed = t.status == PhaseStatus::Passed;
      auto key = std::pair(run.pipeline, item);
      if (!passed)
        failed_here.insert(item);
      else if (failed_here.count(item) && !found_.count(key))
        found_[key] = {run.pipeline, item,
                       fmt::format("failed then passed on a retry in run {}", run.run_id),
                       run.run_id};
      outcome[item] = passed;
    }
    for (const auto& [item, passed] : outcome) {
      auto key = std::pair(run.pipeline, item);
      auto last = last_.find(key);
      if (last != last_.end() && last->second.code == code && last->second.passed != passed &&
          !found_.count(key))
        found_[key] = {run.pipeline, item,
                       fmt::format("{} in run {}, {} in run {}, both at {}",
                                   last->second.passed ? "passed" : "failed", last->second.run_id,
                                   passed ? "passed" : "failed", run.run_id,
                                   code.empty() ? std::string("no code label") : "code " + code),
                       run.run_id};
      last_[key] = {code, run.run_id, passed};
    }
  }
}

std::vector<FlakyTest> FlakyTestFinder::finish() {
  std::vector<FlakyTest> out;
  for (auto& [key, flaky] : found_)
    out.push_back(std::move(flaky));
  found_.clear();
  return out;
}

} // namespace ciperf
