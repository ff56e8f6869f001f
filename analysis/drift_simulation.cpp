#include "analysis/drift_simulation.hpp"

#include "analysis/paired_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <random>

namespace ciperf {
namespace {

// How much each phase leans on the host: CPU loops, a sleep, fsync writes, imports, a compile…
constexpr double kSensitivity[] = {1.0, 0.0, 0.5, 0.8, 1.0, 0.3, 0.7, 0.9, 0.2};

class Host {
public:
  Host(const DriftSpec& spec, std::mt19937_64& rng) : spec_(spec), rng_(rng) {
    phase_ = std::uniform_real_distribution<double>(0, 2 * std::numbers::pi)(rng);
  }
  // The log slowness at the next run.
  double next() {
    walk_ += std::normal_distribution<double>(0, spec_.walk)(rng_);
    double angle = 2 * std::numbers::pi * t_++ / spec_.swing_period + phase_;
    return walk_ + spec_.swing * std::sin(angle);
  }
  void skip(int runs) {
    for (int i = 0; i < runs; ++i)
      next();
  }

private:
  const DriftSpec& spec_;
  std::mt19937_64& rng_;
  double phase_ = 0, walk_ = 0;
  int t_ = 0;
};

double shift_of(const DriftSpec& s, int phase) {
  return static_cast<size_t>(phase) < s.shifts.size() ? s.shifts[static_cast<size_t>(phase)] : 0;
}

// One run's phase times on a host as slow as `slowness`, with or without the planted shifts.
std::vector<double> run_times(const DriftSpec& s, double slowness, bool shifted,
                              std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0, s.cv);
  std::vector<double> t;
  for (int p = 0; p < s.phases; ++p) {
    double lean = kSensitivity[static_cast<size_t>(p) % std::size(kSensitivity)];
    double base = 10.0 * (1 + p) * std::exp(lean * slowness) * (1 + noise(rng));
    t.push_back(shifted ? base * (1 + shift_of(s, p)) : base);
  }
  return t;
}

void tally(DriftResult& r, const DriftSpec& s, const std::vector<PhaseComparison>& rows) {
  r.any_flagged += std::any_of(rows.begin(), rows.end(), [](const PhaseComparison& c) {
    return c.verdict == Verdict::Regressed || c.verdict == Verdict::Improved;
  });
  switch (overall_outcome(rows)) {
  case Outcome::Regressed:
    ++r.regressed;
    break;
  case Outcome::Inconclusive:
    ++r.inconclusive;
    break;
  case Outcome::NoRegression:
    ++r.passed;
    break;
  }
  r.detected.resize(rows.size());
  for (size_t p = 0; p < rows.size(); ++p)
    r.detected[p] += rows[p].verdict == Verdict::Regressed;
  const auto& ci = rows.front().change_ci;
  double planted = shift_of(s, 0);
  r.ci_coverage += ci && ci->low <= planted && planted <= ci->high;
}

DriftResult shares(DriftResult r, int trials) {
  double n = trials;
  r.any_flagged /= n;
  r.regressed /= n;
  r.inconclusive /= n;
  r.passed /= n;
  r.ci_coverage /= n;
  for (auto& d : r.detected)
    d /= n;
  return r;
}

std::string name_of(int p) {
  return fmt::format("p{}", p);
}

} // namespace

DriftResult simulate_ab(const DriftSpec& s) {
  std::mt19937_64 rng(s.seed);
  std::bernoulli_distribution coin(0.5);
  DriftResult r;
  for (int trial = 0; trial < s.trials; ++trial) {
    Host host(s, rng);
    std::vector<PairedSamples> phases;
    for (int p = 0; p < s.phases; ++p)
      phases.push_back({name_of(p), {}, {}});
    for (int i = 0; i < s.runs; ++i) {
      bool b_first = coin(rng);
      double first = host.next(), second = host.next();
      auto a = run_times(s, b_first ? second : first, false, rng);
      auto b = run_times(s, b_first ? first : second, true, rng);
      for (int p = 0; p < s.phases; ++p) {
        phases[static_cast<size_t>(p)].a.push_back(a[static_cast<size_t>(p)]);
        phases[static_cast<size_t>(p)].b.push_back(b[static_cast<size_t>(p)]);
      }
    }
    tally(r, s, compare_pairs(phases, s.options));
  }
  return shares(r, s.trials);
}

DriftResult simulate_stored_baseline(const DriftSpec& s) {
  std::mt19937_64 rng(s.seed);
  DriftResult r;
  for (int trial = 0; trial < s.trials; ++trial) {
    Host host(s, rng);
    std::vector<PhaseSamples> phases;
    for (int p = 0; p < s.phases; ++p)
      phases.push_back({name_of(p), {}, {}});
    auto record = [&](bool candidate) {
      auto t = run_times(s, host.next(), candidate, rng);
      for (int p = 0; p < s.phases; ++p) {
        auto& side = candidate ? phases[static_cast<size_t>(p)].candidate
                               : phases[static_cast<size_t>(p)].base;
        side.push_back(t[static_cast<size_t>(p)]);
      }
    };
    for (int i = 0; i < s.runs; ++i)
      record(false);
    host.skip(s.gap_runs);
    for (int i = 0; i < s.candidate_runs; ++i)
      record(true);
    tally(r, s, compare_phases(phases, s.options));
  }
  return shares(r, s.trials);
}

} // namespace ciperf
