#include "analysis/e_divisive.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace ciperf {
namespace {

struct Best {
  size_t at = 0; // offset of the split in the segment; 0 when none
  double q = 0;  // the energy statistic there
};

// The split τ of x maximising Q(τ) = τ(n−τ)/n · (2·mean|X−Y| − mean|X−X'| − mean|Y−Y'|), with
// the three sums kept up to date as τ moves right: O(n²) in all.
Best best_energy_split(std::span<const double> x, size_t margin) {
  size_t n = x.size();
  auto d = [&](size_t i, size_t j) { return std::abs(x[i] - x[j]); };
  double within_left = 0, within_right = 0, between = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      within_right += d(i, j);
  Best best;
  for (size_t tau = 1; tau < n; ++tau) {
    // Move x[tau − 1] from the right part to the left.
    size_t moved = tau - 1;
    double to_left = 0, to_right = 0;
    for (size_t i = 0; i < moved; ++i)
      to_left += d(i, moved);
    for (size_t j = moved + 1; j < n; ++j)
      to_right += d(moved, j);
    within_left += to_left;
    within_right -= to_right;
    between += to_right - to_left;
    if (tau < margin || n - tau < margin)
      continue;
    auto a = static_cast<double>(tau), b = static_cast<double>(n - tau);
    double left_pairs = a * (a - 1) / 2, right_pairs = b * (b - 1) / 2;
    double e = 2 * between / (a * b) - (left_pairs > 0 ? within_left / left_pairs : 0) -
               (right_pairs > 0 ? within_right / right_pairs : 0);
    double q = a * b / (a + b) * e;
    if (q > best.q)
      best = {tau, q};
  }
  return best;
}

struct Segmenter {
  std::span<const double> values;
  const EDivisiveOptions& options;
  std::mt19937_64 rng;
  std::vector<size_t> found;

  bool significant(std::span<const double> segment, double observed, size_t margin) {
    std::vector<double> shuffled(segment.begin(), segment.end());
    int as_strong = 0;
    for (int b = 0; b < options.permutations; ++b) {
      for (size_t i = shuffled.size() - 1; i > 0; --i)
        std::swap(shuffled[i], shuffled[rng() % (i + 1)]);
      if (best_energy_split(shuffled, margin).q >= observed)
        ++as_strong;
    }
    return (1.0 + as_strong) / (1.0 + options.permutations) <= options.alpha;
  }

  void split(size_t lo, size_t hi) {
    auto margin = static_cast<size_t>(std::max(options.min_segment, 1));
    if (hi - lo < 2 * margin)
      return;
    std::span<const double> segment(values.data() + lo, hi - lo);
    Best best = best_energy_split(segment, margin);
    if (best.at == 0 || !significant(segment, best.q, margin))
      return;
    found.push_back(lo + best.at);
    split(lo, lo + best.at);
    split(lo + best.at, hi);
  }
};

} // namespace

std::vector<size_t> e_divisive(std::span<const double> values, const EDivisiveOptions& options) {
  Segmenter s{values, options, std::mt19937_64(options.seed), {}};
  s.split(0, values.size());
  std::sort(s.found.begin(), s.found.end());
  return s.found;
}

} // namespace ciperf
