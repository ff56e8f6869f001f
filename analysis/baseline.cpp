#include "analysis/baseline.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace ciperf {

BaselinePhase summarize(std::string pipeline, std::string phase, RunMode mode, int position,
                        std::vector<double> samples) {
  BaselinePhase b;
  b.pipeline = std::move(pipeline);
  b.phase = std::move(phase);
  b.mode = mode;
  b.position = position;
  b.n = static_cast<int>(samples.size());
  b.median = stats::median(samples);
  b.mean = stats::mean(samples);
  b.stddev = stats::stddev(samples);
  b.mad = stats::mad(samples);
  b.min = stats::minimum(samples);
  b.max = stats::maximum(samples);
  b.p95 = stats::percentile(samples, 0.95);
  b.cv = stats::cv(samples);
  b.median_ci = stats::median_ci(samples);
  b.samples = std::move(samples);
  return b;
}

std::vector<BaselinePhase> summarize_session(const std::vector<RunRecord>& runs) {
  std::map<std::tuple<std::string, std::string, RunMode>, std::pair<int, std::vector<double>>>
      samples;
  for (const auto& run : runs)
    for (const auto& p : run.phases)
      if (p.counts_toward_total()) {
        auto& entry = samples[{run.pipeline, p.name, run.mode}];
        entry.first = p.index;
        entry.second.push_back(p.wall_s);
      }
  std::vector<BaselinePhase> out;
  for (auto& [key, entry] : samples)
    out.push_back(summarize(std::get<0>(key), std::get<1>(key), std::get<2>(key), entry.first,
                            std::move(entry.second)));
  std::sort(out.begin(), out.end(), [](const BaselinePhase& a, const BaselinePhase& b) {
    return std::tie(a.pipeline, a.position, a.mode) < std::tie(b.pipeline, b.position, b.mode);
  });
  return out;
}

} // namespace ciperf
