#pragma once
// The answer of `ciperf sweep`: a row per concurrency level, the knee and the recommended
// concurrency, each pipeline's demand and weight, and the slowdown of every phase per level; as
// a text table, JSON (also what the store keeps of the sweep), Markdown or HTML with the
// throughput and slowdown curves. And the list of stored sweeps (`ciperf sweep --list`).
#include "analysis/sweep.hpp"
#include "reports/view_format.hpp"
#include "store/store.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct SweepReport {
  std::string id, started_at, finished_at;
  bool interrupted = false;
  std::vector<std::string> pipelines, files; // recorded (redacted) names, and the files
  int runs_per_instance = 0;                 // 0 with a duration
  std::optional<double> duration_s;
  KneeRules rules;
  std::optional<int64_t> mem_available_at_start;
  std::vector<SweepLevel> levels;
  Knee knee;
  std::vector<PipelineDemand> demands;
  std::string dir; // the instances' run directories and console logs
};

enum class SweepFormat { Text, Json, Markdown, Html };

void write_sweep(const SweepReport& report, SweepFormat format, std::ostream& out);
std::string sweep_json(const SweepReport& report);
void write_sweep_list(const std::vector<Store::StoredSweep>& sweeps, ViewFormat format,
                      std::ostream& out);

} // namespace ciperf
