#include "analysis/comparison.hpp"

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
  // Noise from both sides: the larger CV is the honest one for planning.
  double noise = std::fmax(stats::cv(s.base), stats::cv(s.candidate)); // fmax skips a NaN side
  c.min_detectable_change =
      stats::min_detectable_change(noise, c.n_base, c.n_candidate, o.alpha, o.power);
  c.runs_needed = stats::runs_needed(noise, o.threshold, o.alpha, o.power);
  return c;
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

} // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
  case Verdict::Regressed:
    return "regressed";
  case Verdict::Improved:
    return "improved";
  case Verdict::Unchanged:
    return "unchanged";
  case Verdict::NotEnoughData:
    return "not enough data";
  }
  return "?";
}

std::vector<PhaseComparison> compare_phases(const std::vector<PhaseSamples>& phases,
                                            const CompareOptions& o) {
  std::vector<PhaseComparison> out;
  std::vector<double> p;
  std::vector<size_t> tested; // phases with enough data take part in the correction
  for (const auto& s : phases) {
    out.push_back(describe(s, o));
    if (out.back().n_base >= o.min_runs && out.back().n_candidate >= o.min_runs &&
        out.back().base_median > 0) {
      tested.push_back(out.size() - 1);
      p.push_back(out.back().p);
    }
  }
  auto adjusted = adjust(p, o.correction);
  for (size_t k = 0; k < tested.size(); ++k) {
    PhaseComparison& c = out[tested[k]];
    c.p_adjusted = adjusted[k];
    bool significant = c.p_adjusted <= o.alpha;
    if (significant && c.change > o.threshold)
      c.verdict = Verdict::Regressed;
    else if (significant && c.change < -o.threshold)
      c.verdict = Verdict::Improved;
    else
      c.verdict = Verdict::Unchanged;
  }
  return out;
}

bool any_regressed(const std::vector<PhaseComparison>& comparisons) {
  for (const auto& c : comparisons)
    if (c.verdict == Verdict::Regressed)
      return true;
  return false;
}

} // namespace ciperf
