#include "analysis/signed_rank.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ciperf::stats {
namespace {

constexpr int kExactLimit = 50; // 50 × 2,550 steps; 2^50 arrangements still count exactly

struct Ranked {
  std::vector<int> doubled; // 2 × the average rank of each |d|, zeros dropped
  int doubled_positive = 0; // the sum over the positive differences
  double tie_term = 0;      // Σ (t³ − t) over groups of tied |d|
};

Ranked rank_magnitudes(std::span<const double> d) {
  std::vector<std::pair<double, bool>> m; // |d|, positive
  for (double v : d)
    if (v != 0)
      m.push_back({std::abs(v), v > 0});
  std::sort(m.begin(), m.end());
  Ranked r;
  for (size_t i = 0; i < m.size();) {
    size_t j = i;
    while (j < m.size() && m[j].first == m[i].first)
      ++j;
    int twice_rank = static_cast<int>(i + 1 + j);
    for (size_t k = i; k < j; ++k) {
      r.doubled.push_back(twice_rank);
      if (m[k].second)
        r.doubled_positive += twice_rank;
    }
    double t = static_cast<double>(j - i);
    r.tie_term += t * t * t - t;
    i = j;
  }
  return r;
}

// How many of the 2^n sign assignments give each sum of positive doubled ranks.
std::vector<double> signed_rank_counts(const std::vector<int>& doubled) {
  int total = std::accumulate(doubled.begin(), doubled.end(), 0);
  std::vector<double> ways(static_cast<size_t>(total) + 1, 0);
  ways[0] = 1;
  int reach = 0;
  for (int r : doubled) {
    reach += r;
    for (int s = reach; s >= r; --s)
      ways[static_cast<size_t>(s)] += ways[static_cast<size_t>(s - r)];
  }
  return ways;
}

double exact_p(const Ranked& r) {
  auto counts = signed_rank_counts(r.doubled);
  double all = 0, low = 0, high = 0;
  for (size_t s = 0; s < counts.size(); ++s) {
    all += counts[s];
    if (static_cast<int>(s) <= r.doubled_positive)
      low += counts[s];
    if (static_cast<int>(s) >= r.doubled_positive)
      high += counts[s];
  }
  return std::min(1.0, 2 * std::min(low, high) / all);
}

double normal_p(const Ranked& r) {
  double n = static_cast<double>(r.doubled.size());
  double w = r.doubled_positive / 2.0;
  double mean_w = n * (n + 1) / 4;
  double variance = n * (n + 1) * (2 * n + 1) / 24 - r.tie_term / 48;
  if (variance <= 0)
    return 1;
  double z = (std::abs(w - mean_w) - 0.5) / std::sqrt(variance);
  return std::min(1.0, 2 * (1 - normal_cdf(std::max(0.0, z))));
}

std::vector<double> walsh_averages(std::span<const double> d) {
  std::vector<double> w;
  w.reserve(d.size() * (d.size() + 1) / 2);
  for (size_t i = 0; i < d.size(); ++i)
    for (size_t j = i; j < d.size(); ++j)
      w.push_back((d[i] + d[j]) / 2);
  std::sort(w.begin(), w.end());
  return w;
}

// The largest c with P(T+ <= c) <= tail under the null at n untied differences; −1 if none.
int critical_rank_sum(int n, double tail) {
  std::vector<int> doubled;
  for (int i = 1; i <= n; ++i)
    doubled.push_back(2 * i);
  auto counts = signed_rank_counts(doubled);
  double all = std::ldexp(1.0, n), below = 0;
  int c = -1;
  for (int t = 0; 2 * t < static_cast<int>(counts.size()); ++t) {
    below += counts[static_cast<size_t>(2 * t)];
    if (below / all > tail)
      break;
    c = t;
  }
  return c;
}

} // namespace

SignedRank wilcoxon_signed_rank(std::span<const double> d) {
  SignedRank out;
  Ranked r = rank_magnitudes(d);
  out.nonzero = static_cast<int>(r.doubled.size());
  if (out.nonzero == 0)
    return out;
  out.exact = out.nonzero <= kExactLimit;
  out.p = out.exact ? exact_p(r) : normal_p(r);
  return out;
}

double smallest_signed_rank_p(int n) {
  if (n <= 0)
    return 1;
  if (n <= kExactLimit)
    return std::min(1.0, std::ldexp(2.0, -n));
  double dn = n;
  double z = (dn * (dn + 1) / 4 - 0.5) / std::sqrt(dn * (dn + 1) * (2 * dn + 1) / 24);
  return std::min(1.0, 2 * (1 - normal_cdf(z)));
}

double hodges_lehmann(std::span<const double> d) {
  if (d.empty())
    return std::nan("");
  auto w = walsh_averages(d);
  return median(w);
}

std::optional<Interval> hodges_lehmann_ci(std::span<const double> d, double confidence) {
  int n = static_cast<int>(d.size());
  if (n < 2)
    return std::nullopt;
  int c = n <= kExactLimit ? critical_rank_sum(n, (1 - confidence) / 2) : -1;
  auto w = walsh_averages(d);
  int count = static_cast<int>(w.size());
  if (n > kExactLimit) {
    double dn = n;
    double z = normal_quantile(1 - (1 - confidence) / 2);
    c = static_cast<int>(
        std::floor(dn * (dn + 1) / 4 - z * std::sqrt(dn * (dn + 1) * (2 * dn + 1) / 24)));
  }
  if (c < 0)
    return std::nullopt;
  // T+ <= c is the rejected tail: the interval runs from the (c + 1)-th smallest to the
  // (c + 1)-th largest Walsh average.
  return Interval{w[static_cast<size_t>(c)], w[static_cast<size_t>(count - 1 - c)]};
}

} // namespace ciperf::stats
