#include "analysis/step_simulation.hpp"

#include <algorithm>
#include <cmath>

namespace ciperf {

std::vector<double> simulate_steps(const StepSeriesSpec& spec, std::mt19937_64& rng) {
  double sigma = std::sqrt(std::log(1 + spec.cv * spec.cv));
  std::normal_distribution<double> noise(-sigma * sigma / 2, sigma);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<double> values(spec.runs);
  double level = spec.level;
  size_t next_step = 0;
  for (size_t i = 0; i < spec.runs; ++i) {
    while (next_step < spec.steps.size() && spec.steps[next_step].at == i)
      level *= 1 + spec.steps[next_step++].relative;
    double drift =
        1 + spec.drift_swing * std::sin(2 * M_PI * static_cast<double>(i) / spec.drift_period);
    double v = level * drift * std::exp(noise(rng));
    if (uniform(rng) < spec.outlier_rate)
      v *= spec.outlier_min + (spec.outlier_max - spec.outlier_min) * uniform(rng);
    values[i] = v;
  }
  return values;
}

std::vector<Step> random_steps(size_t runs, int count, size_t spacing, double min_relative,
                               double max_relative, std::mt19937_64& rng) {
  std::vector<Step> steps;
  std::uniform_int_distribution<size_t> where(spacing, runs - spacing);
  std::uniform_real_distribution<double> size(min_relative, max_relative);
  for (int attempt = 0; attempt < 1000 && static_cast<int>(steps.size()) < count; ++attempt) {
    size_t at = where(rng);
    bool clear = std::all_of(steps.begin(), steps.end(), [&](const Step& s) {
      return (s.at > at ? s.at - at : at - s.at) >= spacing;
    });
    if (clear)
      steps.push_back({at, (rng() % 2 ? 1 : -1) * size(rng)});
  }
  std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at < b.at; });
  return steps;
}

void score_detection(const std::vector<Step>& planted, const std::vector<size_t>& reported,
                     size_t tolerance, DetectionScore& score) {
  std::vector<bool> used(reported.size(), false);
  score.steps += static_cast<int>(planted.size());
  for (const auto& step : planted) {
    size_t best = reported.size();
    size_t best_distance = tolerance + 1;
    for (size_t i = 0; i < reported.size(); ++i) {
      size_t d = reported[i] > step.at ? reported[i] - step.at : step.at - reported[i];
      if (!used[i] && d < best_distance) {
        best = i;
        best_distance = d;
      }
    }
    if (best < reported.size()) {
      used[best] = true;
      ++score.found;
      score.position_error_sum += static_cast<double>(best_distance);
    }
  }
  score.false_alarms += static_cast<int>(std::count(used.begin(), used.end(), false));
}

} // namespace ciperf
