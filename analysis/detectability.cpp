#include "analysis/detectability.hpp"

#include "analysis/signed_rank.hpp"
#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace ciperf {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMadToSd = 1.4826;           // MAD of a normal sample × this = its SD
constexpr double kIqrToSd = 1 / 1.349;        // likewise for the interquartile range
constexpr double kAre = 3 / std::numbers::pi; // Mann-Whitney's efficiency against the t-test
constexpr int kRunsCap = 100000;              // beyond this, "runs needed" is no plan

// The test's standard error of a log-scale shift, in units of the noise.
double test_se(double cv, int n1, int n2) {
  return cv * std::sqrt((1.0 / n1 + 1.0 / n2) / kAre);
}

bool attainable(int n1, int n2, double alpha_each) {
  return stats::smallest_attainable_p(n1, n2) <= alpha_each * (1 + 1e-9);
}

int plan_runs(double cv, const DecisionRule& rule, double alpha_each, double z_alpha) {
  double shift = std::log1p(rule.threshold);
  double z = z_alpha + stats::normal_quantile(rule.power);
  double n = cv > 0 ? std::ceil(2 * (z * cv / shift) * (z * cv / shift) / kAre) : 0;
  if (!(n < kRunsCap))
    return -1;
  int runs = std::max(rule.min_runs, static_cast<int>(n));
  while (runs < kRunsCap && !attainable(runs, runs, alpha_each))
    ++runs; // too few runs for any p to clear alpha / m, however large the change
  return runs;
}

// Pairs for a signed-rank test on log ratios of spread `sd` to reach the rule's power at the
// threshold, and enough of them for the smallest attainable p to clear alpha / m.
int plan_pairs(double sd, const DecisionRule& rule, double alpha_each, double z_alpha) {
  double shift = std::log1p(rule.threshold);
  double z = z_alpha + stats::normal_quantile(rule.power);
  double n = sd > 0 ? std::ceil((z * sd / shift) * (z * sd / shift) / kAre) : 0;
  if (!(n < kRunsCap))
    return -1;
  int pairs = std::max(rule.min_runs, static_cast<int>(n));
  while (pairs < kRunsCap && stats::smallest_signed_rank_p(pairs) > alpha_each * (1 + 1e-9))
    ++pairs;
  return pairs;
}

} // namespace

double robust_sd(std::span<const double> x) {
  double sd = kMadToSd * stats::mad(x);
  if (sd > 0)
    return sd;
  return kIqrToSd * (stats::percentile(x, 0.75) - stats::percentile(x, 0.25));
}

double robust_cv(std::span<const double> x) {
  if (x.size() < 3)
    return kNaN;
  double m = stats::median(x);
  return m > 0 ? robust_sd(x) / m : kNaN;
}

int count_outliers(std::span<const double> x) {
  if (x.size() < 3)
    return 0;
  double m = stats::median(x), sd = robust_sd(x);
  return static_cast<int>(
      std::count_if(x.begin(), x.end(), [&](double v) { return std::abs(v - m) > 3 * sd; }));
}

Detectability assess_detectability(double cv, int n1, int n2, const DecisionRule& rule) {
  Detectability d;
  d.min_detectable_change = kNaN;
  if (!(cv >= 0) || !(rule.threshold > 0))
    return d;
  // Holm's first step compares the smallest p with alpha / m: a lone real change among m phases
  // must clear that bar.
  double alpha_each = rule.alpha / std::max(1, rule.phases);
  double z_alpha = stats::normal_quantile(1 - alpha_each / 2);
  d.below_resolution = cv == 0;
  d.runs_needed = plan_runs(cv, rule, alpha_each, z_alpha);
  if (n1 < rule.min_runs || n2 < rule.min_runs)
    return d;
  d.attainable = attainable(n1, n2, alpha_each);
  if (!d.attainable)
    return d; // blind: no change whatever would be significant
  double se = test_se(cv, n1, n2);
  double shift = std::log1p(rule.threshold);
  d.power_at_threshold = se > 0 ? stats::normal_cdf(shift / se - z_alpha) : 1;
  d.blind = d.power_at_threshold < 0.5;
  // The rule also needs the observed median change past the threshold: the shift must clear it
  // by z_power standard errors of a median ratio (√(π/2) × σ × √(1/n1 + 1/n2)).
  double z_power = stats::normal_quantile(rule.power);
  double median_se = cv * std::sqrt(std::numbers::pi / 2 * (1.0 / n1 + 1.0 / n2));
  double needed = std::max((z_alpha + z_power) * se, shift + z_power * median_se);
  d.min_detectable_change = std::expm1(needed);
  return d;
}

Detectability assess_paired_detectability(double sd, int pairs, const DecisionRule& rule) {
  Detectability d;
  d.min_detectable_change = kNaN;
  if (!(sd >= 0) || !(rule.threshold > 0))
    return d;
  double alpha_each = rule.alpha / std::max(1, rule.phases);
  double z_alpha = stats::normal_quantile(1 - alpha_each / 2);
  d.below_resolution = sd == 0;
  d.runs_needed = plan_pairs(sd, rule, alpha_each, z_alpha);
  if (pairs < rule.min_runs)
    return d;
  d.attainable = stats::smallest_signed_rank_p(pairs) <= alpha_each * (1 + 1e-9);
  if (!d.attainable)
    return d;
  // The signed-rank test's standard error of a log shift; its efficiency against the paired
  // t-test is 3/π as well. The Hodges-Lehmann estimate has the same standard error, and the rule
  // needs it past the threshold too.
  double se = sd / std::sqrt(pairs * kAre);
  double shift = std::log1p(rule.threshold);
  d.power_at_threshold = se > 0 ? stats::normal_cdf(shift / se - z_alpha) : 1;
  d.blind = d.power_at_threshold < 0.5;
  double z_power = stats::normal_quantile(rule.power);
  d.min_detectable_change = std::expm1(std::max((z_alpha + z_power) * se, shift + z_power * se));
  return d;
}

} // namespace ciperf
