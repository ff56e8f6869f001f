#pragma once
// Per-phase verdicts of a candidate sample against a baseline sample: a phase is regressed (or
// improved) only when its median moved by more than the threshold AND the move is significant
// after correcting for testing many phases at once. Each phase also says whether the comparison
// could have seen a threshold-sized change at all; the overall outcome is inconclusive if not.
#include "analysis/detectability.hpp"
#include "analysis/statistics.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct PhaseSamples {
  std::string phase;
  std::vector<double> base;      // seconds, one per baseline run
  std::vector<double> candidate; // seconds, one per candidate run
  // A phase's test case (--tests): it moves with its own phase, so it is no second witness of a
  // host that shifted.
  bool test_case = false;
};

// BelowThreshold: significant, but smaller than the threshold. NotEnoughData: not tested.
// MovedWithHost: past the threshold and significant, but most phases moved the same way: the
// host changed (load, CPU frequency, a neighbour), more likely than the code.
enum class Verdict { Regressed, Improved, Unchanged, BelowThreshold, NotEnoughData, MovedWithHost };
const char* verdict_name(Verdict v);

// Inconclusive: nothing regressed, but some phase's comparison could not have flagged a change of
// the threshold's size (too few runs for the number of phases, or too much noise).
enum class Outcome { NoRegression, Regressed, Inconclusive };
const char* outcome_name(Outcome o);

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
  double noise = 0;                 // robust CV (MAD-based), NaN when unknown
  int outliers_base = 0;            // beyond 3 robust SDs of the side's median
  int outliers_candidate = 0;
  Detectability detectability;
};

std::vector<PhaseComparison> compare_phases(const std::vector<PhaseSamples>& phases,
                                            const CompareOptions& options = {});

// The correction across the tested rows' p-values, then each tested row's verdict: regressed or
// improved only when significant after the correction AND past the threshold.
void judge_tested(std::vector<PhaseComparison>& rows, const std::vector<size_t>& tested,
                  const CompareOptions& options);

bool any_regressed(const std::vector<PhaseComparison>& comparisons);
// Regressed if any phase regressed; else inconclusive if a phase on both sides was not tested,
// could not have seen a threshold-sized change, or moved with the host; else no regression.
Outcome overall_outcome(const std::vector<PhaseComparison>& comparisons);
bool host_changed(const std::vector<PhaseComparison>& comparisons);
// The exit code of compare and ab for an outcome (README "Commands"): 0, 1 or 4.
int exit_code_for(Outcome outcome);

} // namespace ciperf
