#pragma once
// The $CIPERF_METRICS file a phase may append to: one `name value [unit]` per line.
#include "model/run_record.hpp"

#include <string>
#include <vector>

namespace ciperf {

struct ParsedMetrics {
  std::vector<Metric> metrics;     // a name given twice keeps its last value
  std::vector<std::string> errors; // `file:line: why`, for the console; the run goes on
};

ParsedMetrics parse_metrics_file(const std::string& path);

} // namespace ciperf
