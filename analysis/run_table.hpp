#pragma once
// Each run's seconds per item (a phase, a kind, a tier), one double per run per item, a run
// without the item counting 0. On this table the mean run total is exactly the sum of the items'
// means, which is why the Pareto and cold−warm tables are built on means: their rows add up by
// construction, where medians of parts do not add up to the median of the whole.
//
// The confidence intervals resample whole runs, so an item's seconds stay with the run they were
// measured in; the seed is fixed, so a report is the same every time it is made.
#include "model/baseline.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

class RunTable {
public:
  // Starts the next run; the seconds added after it belong to it.
  void start_run();
  void add(const std::string& item, double seconds);

  size_t runs() const { return totals_.size(); }
  const std::vector<std::string>& items() const { return order_; } // first seen first
  // The item's seconds in each run, 0 where the run lacks it.
  std::vector<double> column(const std::string& item) const;
  const std::vector<double>& totals() const { return totals_; } // each run's sum

private:
  std::vector<std::string> order_;
  std::map<std::string, std::vector<double>> columns_; // grown only to the last run holding it
  std::vector<double> totals_;
};

using Columns = std::vector<std::vector<double>>; // columns of one group, each one value per run

constexpr double kRowConfidence = 0.95;
constexpr uint64_t kRowSeed = 42;
constexpr int kRowResamples = 2000;

// Per column i, a CI of mean(a[i]) − mean(b[i]), or of mean(a[i]) when `b` is empty: percentile
// bootstrap over runs, each group's runs resampled independently; past 400 runs in all the
// normal approximation (Welch's standard error), which the central limit theorem makes good
// there and which costs O(runs) instead of resamples × runs. nullopt below 2 runs a group.
std::vector<std::optional<Interval>> mean_cis(const Columns& a, const Columns& b,
                                              double confidence = kRowConfidence,
                                              uint64_t seed = kRowSeed,
                                              int resamples = kRowResamples);

// Whether the interval holds 0: the difference (or the item) is within run-to-run noise.
bool holds_zero(const std::optional<Interval>& ci);

} // namespace ciperf
