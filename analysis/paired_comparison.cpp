#include "analysis/paired_comparison.hpp"

#include "analysis/signed_rank.hpp"

#include <algorithm>
#include <cmath>

namespace ciperf {
namespace {

std::vector<double> log_ratios(const PairedSamples& s) {
  std::vector<double> d;
  for (size_t i = 0; i < std::min(s.a.size(), s.b.size()); ++i)
    if (s.a[i] > 0 && s.b[i] > 0)
      d.push_back(std::log(s.b[i] / s.a[i]));
  return d;
}

PhaseComparison describe(const PairedSamples& s, const std::vector<double>& d,
                         const CompareOptions& o) {
  PhaseComparison c;
  c.phase = s.phase;
  c.n_base = c.n_candidate = static_cast<int>(d.size());
  c.base_median = stats::median(s.a);
  c.candidate_median = stats::median(s.b);
  if (d.empty())
    return c;
  c.change = std::expm1(stats::hodges_lehmann(d));
  if (o.change_ci)
    if (auto ci = stats::hodges_lehmann_ci(d))
      c.change_ci = stats::Interval{std::expm1(ci->low), std::expm1(ci->high)};
  c.p = stats::wilcoxon_signed_rank(d).p;
  c.noise = d.size() >= 3 ? robust_sd(d) : std::nan("");
  c.outliers_base = count_outliers(d);
  return c;
}

PairedSamples& phase_named(std::vector<PairedSamples>& phases, const std::string& name) {
  auto it = std::find_if(phases.begin(), phases.end(),
                         [&](const PairedSamples& p) { return p.phase == name; });
  return it != phases.end() ? *it : phases.emplace_back(PairedSamples{name, {}, {}});
}

const PhaseRecord* timed_phase(const RunRecord& run, const std::string& name) {
  for (const auto& p : run.phases)
    if (p.name == name && p.counts_toward_total())
      return &p;
  return nullptr;
}

} // namespace

std::vector<PairedSamples> paired_phases(std::span<const RunPair> pairs) {
  std::vector<PairedSamples> phases;
  for (const auto& pair : pairs)
    for (const auto* run : {pair.a, pair.b})
      for (const auto& p : run->phases)
        if (p.counts_toward_total())
          phase_named(phases, p.name);
  for (auto& s : phases) {
    std::vector<double> only_a, only_b;
    for (const auto& pair : pairs) {
      const PhaseRecord* a = timed_phase(*pair.a, s.phase);
      const PhaseRecord* b = timed_phase(*pair.b, s.phase);
      if (a && b) {
        s.a.push_back(a->wall_s);
        s.b.push_back(b->wall_s);
      } else if (a)
        only_a.push_back(a->wall_s);
      else if (b)
        only_b.push_back(b->wall_s);
    }
    if (s.a.empty()) // never in both runs of a pair: one side's times, shown but not judged
      (only_a.empty() ? s.b : s.a) = only_a.empty() ? only_b : only_a;
  }
  return phases;
}

PairedSamples paired_walls(std::span<const RunPair> pairs) {
  PairedSamples wall{"whole run", {}, {}};
  for (const auto& pair : pairs) {
    wall.a.push_back(pair.a->wall_s);
    wall.b.push_back(pair.b->wall_s);
  }
  return wall;
}

std::vector<PhaseComparison> compare_pairs(const std::vector<PairedSamples>& phases,
                                           const CompareOptions& o) {
  std::vector<PhaseComparison> out;
  std::vector<size_t> tested;
  std::vector<std::vector<double>> ratios;
  for (const auto& s : phases) {
    ratios.push_back(log_ratios(s));
    out.push_back(describe(s, ratios.back(), o));
    if (out.back().n_base >= o.min_runs)
      tested.push_back(out.size() - 1);
  }
  judge_tested(out, tested, o);
  int m = std::max<int>(1, static_cast<int>(tested.size()));
  for (auto& c : out) {
    c.detectability = assess_paired_detectability(c.noise, c.n_base,
                                                  {o.alpha, o.threshold, o.power, m, o.min_runs});
    c.min_detectable_change = c.detectability.min_detectable_change;
    c.runs_needed = c.detectability.runs_needed;
  }
  return out;
}

} // namespace ciperf
