#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>

namespace ciperf::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kBootstrapLimit = 400; // beyond this many values, no bootstrap
// Up to this many runs a side the exact distribution is enumerated (at most 40 × 20 × 1,640
// steps); past it the normal approximation is accurate to well under the p-values that matter.
constexpr size_t kExactLimit = 20;

std::vector<double> sorted(std::span<const double> x) {
  std::vector<double> v(x.begin(), x.end());
  std::sort(v.begin(), v.end());
  return v;
}

double sorted_percentile(const std::vector<double>& v, double q) {
  if (v.empty())
    return kNaN;
  double k = (static_cast<double>(v.size()) - 1) * std::clamp(q, 0.0, 1.0);
  size_t lo = static_cast<size_t>(std::floor(k));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (k - static_cast<double>(lo));
}

// How many ways n1 of the pooled values can be drawn for each sum of their doubled ranks: the
// exact permutation distribution of the first sample's rank sum, ties included. Average ranks are
// halves, so doubling them keeps the dynamic programme on integers (a knapsack over the values).
std::vector<double> doubled_rank_sum_counts(const std::vector<int>& doubled, int n1) {
  int total = std::accumulate(doubled.begin(), doubled.end(), 0);
  std::vector<std::vector<double>> ways(static_cast<size_t>(n1) + 1,
                                        std::vector<double>(static_cast<size_t>(total) + 1, 0));
  ways[0][0] = 1;
  int seen = 0, reach = 0, n = static_cast<int>(doubled.size());
  for (int r : doubled) {
    ++seen;
    reach += r; // no sum beyond the values drawn so far
    // Only the counts that can still end at n1 drawn matter.
    int fewest = std::max(1, n1 - (n - seen));
    for (int k = std::min(n1, seen); k >= fewest; --k)
      for (int s = reach; s >= r; --s)
        ways[k][s] += ways[k - 1][s - r];
  }
  return ways[n1];
}

// Two-sided exact p of an observed doubled rank sum: twice the smaller tail, at most 1.
double exact_rank_sum_p(const std::vector<int>& doubled, int n1, int observed) {
  auto counts = doubled_rank_sum_counts(doubled, n1);
  double all = 0, low = 0, high = 0;
  for (size_t s = 0; s < counts.size(); ++s) {
    all += counts[s];
    if (static_cast<int>(s) <= observed)
      low += counts[s];
    if (static_cast<int>(s) >= observed)
      high += counts[s];
  }
  return std::min(1.0, 2 * std::min(low, high) / all);
}

bool exact_domain(size_t n1, size_t n2) {
  return n1 <= kExactLimit && n2 <= kExactLimit;
}

} // namespace

double mean(std::span<const double> x) {
  if (x.empty())
    return kNaN;
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// By selection, not a full sort: histories run it over long series, many times.
double median(std::span<const double> x) {
  if (x.empty())
    return kNaN;
  std::vector<double> v(x.begin(), x.end());
  auto mid = v.begin() + static_cast<ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1)
    return *mid;
  return (*mid + *std::max_element(v.begin(), mid)) / 2;
}

double minimum(std::span<const double> x) {
  return x.empty() ? kNaN : *std::min_element(x.begin(), x.end());
}

double maximum(std::span<const double> x) {
  return x.empty() ? kNaN : *std::max_element(x.begin(), x.end());
}

double stddev(std::span<const double> x) {
  if (x.size() < 2)
    return kNaN;
  double m = mean(x), sum = 0;
  for (double v : x)
    sum += (v - m) * (v - m);
  return std::sqrt(sum / static_cast<double>(x.size() - 1));
}

double mad(std::span<const double> x) {
  if (x.empty())
    return kNaN;
  double m = median(x);
  std::vector<double> deviations;
  for (double v : x)
    deviations.push_back(std::abs(v - m));
  return median(deviations);
}

double percentile(std::span<const double> x, double q) {
  return sorted_percentile(sorted(x), q);
}

double cv(std::span<const double> x) {
  double m = mean(x);
  return m == 0 ? kNaN : stddev(x) / m;
}

std::optional<Interval> median_ci(std::span<const double> x, double confidence) {
  int n = static_cast<int>(x.size());
  double alpha = 1 - confidence;
  // The largest rank r with P(Bin(n, ½) <= r − 1) <= α/2: [x(r), x(n − r + 1)] covers the
  // median with probability >= confidence.
  int r = 0;
  double cdf = 0; // P(Bin(n, ½) <= r − 1), grown one term at a time
  while (r + 1 <= n) {
    cdf += std::exp(std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0) +
                    n * std::log(0.5));
    if (cdf > alpha / 2)
      break;
    ++r;
  }
  if (r < 1)
    return std::nullopt;
  auto v = sorted(x);
  return Interval{v[static_cast<size_t>(r - 1)], v[static_cast<size_t>(n - r)]};
}

std::optional<Interval> relative_change_ci(std::span<const double> a, std::span<const double> b,
                                           double confidence, uint64_t seed, int resamples) {
  if (a.size() < 2 || b.size() < 2)
    return std::nullopt;
  if (a.size() + b.size() > kBootstrapLimit) {
    // Large samples: bound the ratio by the two medians' own distribution-free intervals, at a
    // confidence that keeps the pair's joint coverage (a little wider than the bootstrap, and
    // O(n log n) instead of resamples × n).
    double each = 1 - (1 - confidence) / 2;
    auto ia = median_ci(a, each), ib = median_ci(b, each);
    if (!ia || !ib || ia->low <= 0)
      return std::nullopt;
    return Interval{ib->low / ia->high - 1, ib->high / ia->low - 1};
  }
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick_a(0, a.size() - 1), pick_b(0, b.size() - 1);
  std::vector<double> changes, ra(a.size()), rb(b.size());
  for (int i = 0; i < resamples; ++i) {
    for (auto& v : ra)
      v = a[pick_a(rng)];
    for (auto& v : rb)
      v = b[pick_b(rng)];
    double base = median(ra);
    if (base != 0)
      changes.push_back(median(rb) / base - 1);
  }
  if (changes.empty())
    return std::nullopt;
  std::sort(changes.begin(), changes.end());
  double tail = (1 - confidence) / 2;
  return Interval{sorted_percentile(changes, tail), sorted_percentile(changes, 1 - tail)};
}

MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b) {
  MannWhitney r;
  size_t n1 = a.size(), n2 = b.size();
  if (n1 == 0 || n2 == 0)
    return r;
  // Ranks of the pooled sample, ties getting their average rank.
  std::vector<std::pair<double, int>> pooled;
  for (double v : a)
    pooled.push_back({v, 0});
  for (double v : b)
    pooled.push_back({v, 1});
  std::sort(pooled.begin(), pooled.end());
  double rank_sum_a = 0, tie_term = 0;
  int doubled_sum_a = 0;
  std::vector<int> doubled; // 2 × each value's average rank, in pooled order
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first)
      ++j;
    double t = static_cast<double>(j - i);
    int twice_rank = static_cast<int>(i + 1 + j); // (i + 1) + j, the group's first and last rank
    for (size_t k = i; k < j; ++k) {
      doubled.push_back(twice_rank);
      if (pooled[k].second == 0) {
        rank_sum_a += twice_rank / 2.0;
        doubled_sum_a += twice_rank;
      }
    }
    tie_term += t * t * t - t;
    i = j;
  }
  double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  r.u = rank_sum_a - dn1 * (dn1 + 1) / 2;
  double mean_u = dn1 * dn2 / 2;
  if (exact_domain(n1, n2)) {
    // Exact with or without ties: the normal approximation is far off at a handful of runs, and
    // millisecond timers tie often.
    r.exact = true;
    r.p = exact_rank_sum_p(doubled, static_cast<int>(n1), doubled_sum_a);
    return r;
  }
  double n = dn1 + dn2;
  double variance = dn1 * dn2 / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0)
    return r; // every value equal: no evidence of a difference
  double z = (std::abs(r.u - mean_u) - 0.5) / std::sqrt(variance);
  r.p = std::min(1.0, 2 * (1 - normal_cdf(std::max(0.0, z))));
  return r;
}

double smallest_attainable_p(int n1, int n2) {
  if (n1 <= 0 || n2 <= 0)
    return 1;
  if (exact_domain(static_cast<size_t>(n1), static_cast<size_t>(n2))) {
    // Complete separation, one arrangement of C(n1 + n2, n1) in each tail.
    double log_choose = std::lgamma(n1 + n2 + 1.0) - std::lgamma(n1 + 1.0) - std::lgamma(n2 + 1.0);
    return std::min(1.0, 2 * std::exp(-log_choose));
  }
  double d1 = n1, d2 = n2;
  double z = (d1 * d2 / 2 - 0.5) / std::sqrt(d1 * d2 * (d1 + d2 + 1) / 12);
  return std::min(1.0, 2 * (1 - normal_cdf(z)));
}

std::vector<double> holm(std::span<const double> p) {
  size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
  std::vector<double> adjusted(m);
  double running = 1;
  for (size_t k = m; k-- > 0;) {
    running = std::min(running, p[order[k]] * static_cast<double>(m) / static_cast<double>(k + 1));
    adjusted[order[k]] = std::min(1.0, running);
  }
  return adjusted;
}

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

double normal_quantile(double p) {
  // Bisection on the CDF: plenty fast for the handful of calls made, and exact to 1e-12.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    (normal_cdf(mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

double min_detectable_change(double cv, int n_a, int n_b, double alpha, double power) {
  if (n_a < 2 || n_b < 2 || !(cv >= 0))
    return kNaN;
  double z = normal_quantile(1 - alpha / 2) + normal_quantile(power);
  double are = 3 / std::numbers::pi; // Mann-Whitney vs t under normality
  return z * cv * std::sqrt((1.0 / n_a + 1.0 / n_b) / are);
}

int runs_needed(double cv, double change, double alpha, double power) {
  if (!(cv >= 0) || !(change > 0))
    return -1;
  double z = normal_quantile(1 - alpha / 2) + normal_quantile(power);
  double are = 3 / std::numbers::pi;
  double n = 2 * (z * cv / change) * (z * cv / change) / are;
  return std::max(3, static_cast<int>(std::ceil(n))); // compare tests nothing below 3 runs
}

} // namespace ciperf::stats
