#include "analysis/change_points.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace ciperf {
namespace {

constexpr double kOutlierSigmas = 3;
constexpr int kRunningMedianHalf = 3; // a running median over 7 values follows a step in 4
constexpr double kScreenAlpha = 0.01; // binary segmentation's screen; the permutation test decides
constexpr double kSigmaFloor = 1e-3;  // 0.1% in log space: a series that never moves has none

struct Prepared {
  std::vector<double> z; // log values, outliers clipped
  double sigma = 0;      // the noise's robust sigma in log space
};

// Added before the log so that zeros (no I/O in some runs) stay finite: a thousandth of the
// series' typical value, which leaves every relative change above 0.1% intact.
double log_floor(std::span<const double> values) {
  double typical = stats::median(values);
  if (!(typical > 0))
    typical = stats::mean(values);
  return std::max(typical * 1e-3, 1e-12);
}

// The noise of a series with steps in it, from its successive differences (a step moves one):
// the larger of their MAD and their mean absolute value, each scaled to a normal sigma and
// divided by √2 (a difference holds two values' noise). The MAD alone collapses to zero on
// timings that take a few distinct values (1 ms clocks, a phase that is 1.0 s or 1.3 s), and a
// zero noise would make every wiggle a change; the mean absolute difference does not.
double robust_noise_sigma(std::span<const double> y) {
  if (y.size() < 3)
    return kSigmaFloor;
  std::vector<double> diffs(y.size() - 1);
  double absolute_sum = 0;
  for (size_t i = 1; i < y.size(); ++i) {
    diffs[i - 1] = y[i] - y[i - 1];
    absolute_sum += std::abs(diffs[i - 1]);
  }
  double mean_absolute = absolute_sum / static_cast<double>(diffs.size());
  double centre = stats::median(diffs);
  for (double& d : diffs)
    d = std::abs(d - centre);
  double from_mad = 1.4826 * stats::median(diffs);
  double from_mean = mean_absolute * std::sqrt(M_PI / 2);
  return std::max(std::max(from_mad, from_mean) / std::sqrt(2.0), kSigmaFloor);
}

std::vector<double> running_medians(std::span<const double> y) {
  // The window is at most 2 * kRunningMedianHalf + 1 values: sorted in place in a small array
  // (a million phase rows pass through here once per figure).
  std::vector<double> out(y.size());
  std::array<double, 2 * kRunningMedianHalf + 1> window{};
  auto n = static_cast<ptrdiff_t>(y.size());
  for (ptrdiff_t i = 0; i < n; ++i) {
    auto lo = std::max<ptrdiff_t>(0, i - kRunningMedianHalf);
    auto hi = std::min<ptrdiff_t>(n, i + kRunningMedianHalf + 1);
    auto size = static_cast<size_t>(hi - lo);
    std::copy(y.begin() + lo, y.begin() + hi, window.begin());
    for (size_t k = 1; k < size; ++k) // insertion sort: a handful of values
      for (size_t j = k; j > 0 && window[j] < window[j - 1]; --j)
        std::swap(window[j], window[j - 1]);
    out[static_cast<size_t>(i)] = window[size / 2];
  }
  return out;
}

Prepared prepare(std::span<const double> values) {
  Prepared p;
  double floor = log_floor(values);
  std::vector<double> y(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    y[i] = std::log(std::max(values[i], 0.0) + floor);
  p.sigma = robust_noise_sigma(y);
  auto centre = running_medians(y);
  p.z.resize(y.size());
  for (size_t i = 0; i < y.size(); ++i)
    p.z[i] = std::clamp(y[i], centre[i] - kOutlierSigmas * p.sigma,
                        centre[i] + kOutlierSigmas * p.sigma);
  return p;
}

struct Split {
  size_t at = 0;    // offset from the segment's start
  double cusum = 0; // |S_k − k/n·S_n| at the split
};

// The split of z[lo, hi) with the largest CUSUM, leaving `margin` values each side.
Split best_split(std::span<const double> z, size_t margin) {
  double total = 0;
  for (double v : z)
    total += v;
  auto n = static_cast<double>(z.size());
  Split best;
  double sum = 0;
  for (size_t k = 1; k + margin <= z.size(); ++k) {
    sum += z[k - 1];
    if (k < margin)
      continue;
    double c = std::abs(sum - static_cast<double>(k) / n * total);
    if (c > best.cusum)
      best = {k, c};
  }
  return best;
}

// P(sup |Brownian bridge| > x): the Kolmogorov distribution's tail.
double bridge_tail(double x) {
  if (x < 0.3)
    return 1;
  double sum = 0;
  for (int j = 1; j <= 100; ++j) {
    double term = std::exp(-2.0 * j * j * x * x);
    sum += (j % 2 == 1 ? term : -term);
    if (term < 1e-16)
      break;
  }
  return std::clamp(2 * sum, 0.0, 1.0);
}

void segment(const Prepared& p, size_t lo, size_t hi, size_t margin, std::vector<size_t>& out) {
  if (hi - lo < 2 * margin)
    return;
  std::span<const double> z(p.z.data() + lo, hi - lo);
  Split s = best_split(z, margin);
  if (s.at == 0)
    return;
  double statistic = s.cusum / (p.sigma * std::sqrt(static_cast<double>(z.size())));
  if (bridge_tail(statistic) > kScreenAlpha)
    return;
  out.push_back(lo + s.at);
  segment(p, lo, lo + s.at, margin, out);
  segment(p, lo + s.at, hi, margin, out);
}

// Permutation p of the maximal CUSUM of `z`: how often a shuffled neighbourhood has a split at
// least as strong as the best one here. Own Fisher-Yates over a fixed engine, so a seed gives the
// same p on every platform.
double permutation_p(std::span<const double> z, size_t margin, int permutations, uint64_t seed) {
  double observed = best_split(z, margin).cusum;
  std::vector<double> shuffled(z.begin(), z.end());
  std::mt19937_64 rng(seed);
  int as_strong = 0;
  for (int b = 0; b < permutations; ++b) {
    for (size_t i = shuffled.size() - 1; i > 0; --i)
      std::swap(shuffled[i], shuffled[rng() % (i + 1)]);
    if (best_split(shuffled, margin).cusum >= observed * (1 - 1e-12))
      ++as_strong;
  }
  return (1.0 + as_strong) / (1.0 + permutations);
}

double relative(double before, double after) {
  if (before > 0)
    return after / before - 1;
  return after > 0 ? std::numeric_limits<double>::infinity() : 0;
}

// Judges the change proposed at `at` between its neighbours `prev` and `next`: moves it to the
// neighbourhood's best split, then tests it. nullopt when it does not hold.
std::optional<ChangePoint> judge(std::span<const double> values, const Prepared& p, size_t prev,
                                 size_t at, size_t next, const ChangePointOptions& o) {
  auto margin = static_cast<size_t>(o.min_segment);
  auto window = static_cast<size_t>(o.window);
  size_t lo = std::max(prev, at > window ? at - window : 0);
  size_t hi = std::min(next, at + window);
  if (at - lo < margin || hi - at < margin)
    return std::nullopt;
  std::span<const double> z(p.z.data() + lo, hi - lo);
  Split s = best_split(z, margin);
  if (s.at == 0)
    return std::nullopt;
  ChangePoint c;
  c.at = lo + s.at;
  std::span<const double> before(values.data() + lo, c.at - lo);
  std::span<const double> after(values.data() + c.at, hi - c.at);
  c.before_median = stats::median(before);
  c.after_median = stats::median(after);
  c.before_ci = stats::median_ci(before);
  c.after_ci = stats::median_ci(after);
  c.before_n = before.size();
  c.after_n = after.size();
  c.relative_change = relative(c.before_median, c.after_median);
  if (!(std::abs(c.relative_change) >= o.min_change) ||
      !(std::abs(c.after_median - c.before_median) >= o.min_absolute))
    return std::nullopt;
  c.p = permutation_p(z, margin, o.permutations, o.seed ^ (0x9e3779b97f4a7c15ULL * (c.at + 1)));
  if (c.p > o.alpha)
    return std::nullopt;
  return c;
}

} // namespace

std::vector<double> robust_log_series(std::span<const double> values) {
  return prepare(values).z;
}

std::vector<ChangePoint> find_change_points(std::span<const double> values,
                                            const ChangePointOptions& o) {
  auto margin = static_cast<size_t>(std::max(o.min_segment, 1));
  if (values.size() < 2 * margin ||
      std::all_of(values.begin(), values.end(), [&](double v) { return v == values[0]; }))
    return {}; // too short, or never moves (a memory limit, no I/O at all)
  Prepared p = prepare(values);
  std::vector<size_t> proposed;
  segment(p, 0, values.size(), margin, proposed);
  std::sort(proposed.begin(), proposed.end());

  // Judge each proposal between its neighbours; a dropped or moved one changes its neighbours'
  // neighbourhoods, so judge again until the set holds still.
  std::vector<ChangePoint> kept;
  for (int round = 0; round < 5; ++round) {
    kept.clear();
    for (size_t i = 0; i < proposed.size(); ++i) {
      size_t prev = i == 0 ? 0 : proposed[i - 1];
      size_t next = i + 1 == proposed.size() ? values.size() : proposed[i + 1];
      if (auto c = judge(values, p, prev, proposed[i], next, o))
        if (kept.empty() || c->at >= kept.back().at + margin)
          kept.push_back(*c);
    }
    std::vector<size_t> positions;
    for (const auto& c : kept)
      positions.push_back(c.at);
    if (positions == proposed)
      break;
    proposed = std::move(positions);
  }
  return kept;
}

} // namespace ciperf
