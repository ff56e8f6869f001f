#include "analysis/comparison.hpp"

#include "common/errors.hpp"

#include <algorithm>
#include <cmath>

namespace ciperf {
namespace {

PhaseComparison describe(const PhaseSamples& s, const CompareOptions& o) {
  PhaseComparison c;
  c.phase = s.phase;
  c.n_base = static_cast<int>(s.base.size());
  c.n_candidate = static_cast<int>(s.candidate.size());
  c.base_median = stats::median(s.base);
  c.candidate_median = stats::median(s.candidate);
  if (c.base_median > 0 && !std::isnan(c.candidate_median))
    c.change = c.candidate_median / c.base_median - 1;
  if (o.change_ci)
    c.change_ci = stats::relative_change_ci(s.base, s.candidate);
  c.p = stats::mann_whitney(s.base, s.candidate).p;
  // Noise from both sides: the larger robust CV is the honest one for planning.
  c.noise = std::fmax(robust_cv(s.base), robust_cv(s.candidate)); // fmax skips a NaN side
  c.outliers_base = count_outliers(s.base);
  c.outliers_candidate = count_outliers(s.candidate);
  return c;
}

// Once the number of tested phases is known: what this comparison could have seen.
void assess(PhaseComparison& c, int tested, const CompareOptions& o) {
  c.detectability = assess_detectability(c.noise, c.n_base, c.n_candidate,
                                         {o.alpha, o.threshold, o.power, tested, o.min_runs});
  c.min_detectable_change = c.detectability.min_detectable_change;
  c.runs_needed = c.detectability.runs_needed;
}

Verdict judge(const PhaseComparison& c, const CompareOptions& o) {
  if (c.p_adjusted > o.alpha)
    return Verdict::Unchanged;
  if (c.change > o.threshold)
    return Verdict::Regressed;
  if (c.change < -o.threshold)
    return Verdict::Improved;
  return Verdict::BelowThreshold;
}

std::vector<double> adjust(const std::vector<double>& p, Correction correction) {
  switch (correction) {
  case Correction::Holm:
    return stats::holm(p);
  case Correction::BenjaminiHochberg:
    return stats::benjamini_hochberg(p);
  case Correction::None:
    return p;
  }
  return p;
}

// A code change rarely moves most phases at once; a busier or slower host does. When at least 3
// tested phases, and 70% of them, moved the same way past the threshold, their verdicts are the
// host's, not the code's. A move counts when it is significant on its own (before the
// correction): a 1 ms test case read 2 ms once, +100% at p 0.52, and made a single slowed test
// look like a host's shift. Test cases are not counted: a slowed test moves its phase with it.
void recast_host_shift(std::vector<PhaseComparison>& out, const std::vector<PhaseSamples>& phases,
                       const std::vector<size_t>& tested, const CompareOptions& o) {
  int up = 0, down = 0, witnesses = 0;
  for (size_t i : tested) {
    if (phases[i].test_case)
      continue;
    ++witnesses;
    bool significant = out[i].p <= o.alpha;
    up += significant && out[i].change > o.threshold;
    down += significant && out[i].change < -o.threshold;
  }
  int moved = std::max(up, down);
  if (moved < 3 || moved < 0.7 * static_cast<double>(witnesses))
    return;
  Verdict along = up > down ? Verdict::Regressed : Verdict::Improved;
  for (size_t i : tested)
    if (out[i].verdict == along)
      out[i].verdict = Verdict::MovedWithHost;
}

} // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
  case Verdict::Regressed:
    return "regressed";
  case Verdict::Improved:
    return "improved";
  case Verdict::Unchanged:
    return "unchanged";
  case Verdict::BelowThreshold:
    return "below threshold";
  case Verdict::NotEnoughData:
    return "not enough data";
  case Verdict::MovedWithHost:
    return "moved with the host";
  }
  return "?";
}

const char* outcome_name(Outcome o) {
  switch (o) {
  case Outcome::NoRegression:
    return "no regression";
  case Outcome::Regressed:
    return "regressed";
  case Outcome::Inconclusive:
    return "inconclusive";
  }
  return "?";
}

void judge_tested(std::vector<PhaseComparison>& rows, const std::vector<size_t>& tested,
                  const CompareOptions& o) {
  std::vector<double> p;
  for (size_t i : tested)
    p.push_back(rows[i].p);
  auto adjusted = adjust(p, o.correction);
  for (size_t k = 0; k < tested.size(); ++k) {
    PhaseComparison& c = rows[tested[k]];
    c.p_adjusted = adjusted[k];
    c.verdict = judge(c, o);
  }
}

std::vector<PhaseComparison> compare_phases(const std::vector<PhaseSamples>& phases,
                                            const CompareOptions& o) {
  std::vector<PhaseComparison> out;
  std::vector<size_t> tested; // phases with enough data take part in the correction
  for (const auto& s : phases) {
    out.push_back(describe(s, o));
    if (out.back().n_base >= o.min_runs && out.back().n_candidate >= o.min_runs &&
        out.back().base_median > 0)
      tested.push_back(out.size() - 1);
  }
  judge_tested(out, tested, o);
  recast_host_shift(out, phases, tested, o);
  for (auto& c : out)
    assess(c, std::max<int>(1, static_cast<int>(tested.size())), o);
  return out;
}

bool any_regressed(const std::vector<PhaseComparison>& comparisons) {
  for (const auto& c : comparisons)
    if (c.verdict == Verdict::Regressed)
      return true;
  return false;
}

Outcome overall_outcome(const std::vector<PhaseComparison>& comparisons) {
  if (any_regressed(comparisons))
    return Outcome::Regressed;
  for (const auto& c : comparisons) {
    bool on_both_sides = c.n_base > 0 && c.n_candidate > 0;
    // A phase that found a change was not blind, whatever the noise model said.
    bool blind = c.verdict == Verdict::Unchanged && c.detectability.blind;
    bool untrusted = c.verdict == Verdict::NotEnoughData || c.verdict == Verdict::MovedWithHost;
    if (on_both_sides && (untrusted || blind))
      return Outcome::Inconclusive;
  }
  return Outcome::NoRegression;
}

bool host_changed(const std::vector<PhaseComparison>& comparisons) {
  return std::any_of(comparisons.begin(), comparisons.end(),
                     [](const PhaseComparison& c) { return c.verdict == Verdict::MovedWithHost; });
}

int exit_code_for(Outcome outcome) {
  switch (outcome) {
  case Outcome::Regressed:
    return kExitFailed;
  case Outcome::Inconclusive:
    return kExitInconclusive;
  case Outcome::NoRegression:
    break;
  }
  return kExitPassed;
}

} // namespace ciperf
