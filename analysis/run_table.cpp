#include "analysis/run_table.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace ciperf {
namespace {

constexpr size_t kBootstrapLimit = 400; // runs in all; past them, the normal approximation

double mean_at(const std::vector<double>& column, const std::vector<size_t>& picks) {
  double sum = 0;
  for (size_t i : picks)
    sum += column[i];
  return sum / static_cast<double>(picks.size());
}

void draw(std::mt19937_64& rng, size_t n, std::vector<size_t>& picks) {
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  picks.resize(n);
  for (auto& i : picks)
    i = pick(rng);
}

std::vector<std::optional<Interval>> normal_cis(const Columns& a, const Columns& b,
                                                double confidence) {
  double z = stats::normal_quantile(1 - (1 - confidence) / 2);
  std::vector<std::optional<Interval>> out;
  for (size_t c = 0; c < a.size(); ++c) {
    double na = static_cast<double>(a[c].size());
    double centre = stats::mean(a[c]);
    double variance = std::pow(stats::stddev(a[c]), 2) / na;
    if (!b.empty()) {
      double nb = static_cast<double>(b[c].size());
      centre -= stats::mean(b[c]);
      variance += std::pow(stats::stddev(b[c]), 2) / nb;
    }
    double half = z * std::sqrt(variance);
    out.push_back(Interval{centre - half, centre + half});
  }
  return out;
}

} // namespace

void RunTable::start_run() {
  totals_.push_back(0);
}

void RunTable::add(const std::string& item, double seconds) {
  if (totals_.empty())
    start_run();
  auto [it, inserted] = columns_.try_emplace(item);
  if (inserted)
    order_.push_back(item);
  std::vector<double>& column = it->second;
  column.resize(totals_.size(), 0.0); // the runs before this one without the item
  column.back() += seconds;
  totals_.back() += seconds;
}

std::vector<double> RunTable::column(const std::string& item) const {
  auto it = columns_.find(item);
  std::vector<double> out = it == columns_.end() ? std::vector<double>{} : it->second;
  out.resize(totals_.size(), 0.0);
  return out;
}

std::vector<std::optional<Interval>> mean_cis(const Columns& a, const Columns& b, double confidence,
                                              uint64_t seed, int resamples) {
  size_t na = a.empty() ? 0 : a.front().size();
  size_t nb = b.empty() ? 0 : b.front().size();
  if (na < 2 || (!b.empty() && nb < 2))
    return std::vector<std::optional<Interval>>(a.size());
  if (na + nb > kBootstrapLimit)
    return normal_cis(a, b, confidence);
  std::mt19937_64 rng(seed);
  std::vector<std::vector<double>> estimates(a.size());
  std::vector<size_t> picks_a, picks_b;
  for (int r = 0; r < resamples; ++r) {
    draw(rng, na, picks_a);
    if (!b.empty())
      draw(rng, nb, picks_b);
    for (size_t c = 0; c < a.size(); ++c)
      estimates[c].push_back(mean_at(a[c], picks_a) - (b.empty() ? 0.0 : mean_at(b[c], picks_b)));
  }
  double tail = (1 - confidence) / 2;
  std::vector<std::optional<Interval>> out;
  for (const auto& e : estimates)
    out.push_back(Interval{stats::percentile(e, tail), stats::percentile(e, 1 - tail)});
  return out;
}

bool holds_zero(const std::optional<Interval>& ci) {
  return ci && ci->low <= 0 && ci->high >= 0;
}

} // namespace ciperf
