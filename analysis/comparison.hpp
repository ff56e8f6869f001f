#pragma once
// Per-phase verdicts of a candidate sample against a baseline sample: a phase is regressed (or
// improved) only when its median moved by more than the threshold AND the move is significant
// after correcting for testing many phases at once.
#include "analysis/statistics.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct PhaseSamples {
  std::string phase;
  std::vector<double> base;      // seconds, one per baseline run
  std::vector<double> candidate; // seconds, one per candidate run
};

enum class Verdict { Regressed, Improved, Unchanged, NotEnoughData };
const char* verdict_name(Verdict v);

enum class Correction { Holm, BenjaminiHochberg, None };

struct CompareOptions {
  double threshold = 0.05; // relative change a verdict needs, besides significance
  double alpha = 0.05;
  double power = 0.8; // for the minimal detectable change and the runs needed
  Correction correction = Correction::Holm;
  int min_runs = 3;      // per side, below which there is not enough data
  bool change_ci = true; // the bootstrap CI costs 2000 resamples a phase; simulations skip it
};

struct PhaseComparison {
  std::string phase;
  Verdict verdict = Verdict::NotEnoughData;
  int n_base = 0;
  int n_candidate = 0;
  double base_median = 0;
  double candidate_median = 0;
  double change = 0; // candidate median / base median − 1
  std::optional<stats::Interval> change_ci;
  double p = 1;                     // Mann-Whitney, two-sided
  double p_adjusted = 1;            // after the correction across phases
  double min_detectable_change = 0; // NaN when it cannot be estimated
  int runs_needed = -1;             // per side, to detect the threshold
};

std::vector<PhaseComparison> compare_phases(const std::vector<PhaseSamples>& phases,
                                            const CompareOptions& options = {});

bool any_regressed(const std::vector<PhaseComparison>& comparisons);

} // namespace ciperf
