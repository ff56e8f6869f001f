#pragma once
// The history of one set of comparable runs as the change-point analysis holds it: per run a few
// facts, per phase of each run a handful of figures (floats: 50,000 runs of 20 phases fit in
// 30 MB), and the changes found in one series before their cause is judged.
#include "analysis/change_points.hpp"
#include "model/run_record.hpp"

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ciperf {

enum class ChangeMetric { Wall, Cpu, Memory, Io, OwnPressure };
inline constexpr ChangeMetric kChangeMetrics[] = {ChangeMetric::Wall, ChangeMetric::Cpu,
                                                  ChangeMetric::Memory, ChangeMetric::Io,
                                                  ChangeMetric::OwnPressure};
const char* metric_name(ChangeMetric m); // wall, cpu, memory, io, pressure
const char* metric_unit(ChangeMetric m); // s or B

enum class ChangeCause { Code, Environment };
const char* cause_name(ChangeCause c);

// One history: the runs that may be compared with each other.
struct HistoryKey {
  std::string pipeline;
  RunMode mode = RunMode::Normal;
  std::string host_class; // "" when the user asked to mix host classes
  std::string tags;       // the run's `tags` label: runs with other opt-in phases differ
  auto operator<=>(const HistoryKey&) const = default;
};

struct HistoryRun {
  std::string run_id, started_at;
  std::map<std::string, std::string> labels;
  std::string kernel, host_class;
  double wall_s = 0;
  bool counts = false;                           // passed: its wall is a run total
  double host_stall_s = 0, pressured_wall_s = 0; // host CPU stalls over the phases that had PSI
};

inline constexpr int kHistoryFigures = 5; // one per ChangeMetric

struct HistoryPoint {
  uint32_t run = 0;                // index into History::runs
  float figure[kHistoryFigures]{}; // by ChangeMetric; NaN when not measured
  float host_share = 0;            // host CPU stall share of the phase's wall; NaN without PSI
};

struct History {
  HistoryKey key;
  std::vector<HistoryRun> runs;                            // oldest first
  std::map<std::string, std::vector<HistoryPoint>> phases; // by phase name
};

// A change found in one series, in the history's run indices.
struct SeriesChange {
  std::string phase; // "" for the run total
  ChangeMetric metric = ChangeMetric::Wall;
  ChangePoint point;
  uint32_t first_run = 0;                    // the first run after the change
  uint32_t window_start = 0, window_end = 0; // the runs the medians are over: [start, end)
};

} // namespace ciperf
