#include "analysis/baseline.hpp"

namespace ciperf {

BaselinePhase summarize(std::string pipeline, std::string phase, std::string mode, int position,
                        std::vector<double> samples) {
  BaselinePhase b;
  b.pipeline = std::move(pipeline);
  b.phase = std::move(phase);
  b.mode = std::move(mode);
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

} // namespace ciperf
