#pragma once
// The cells of a verdict table, shared by `compare` (against a baseline) and `ab` (pairs): the
// same figures must read the same way in both.
#include "analysis/comparison.hpp"

#include <string>

namespace ciperf {

constexpr double kSmallestP = 1e-16; // 1 − Φ(z) has no correct digits below this

bool blind(const PhaseComparison& c);
std::string p_text(double p);
std::string noise_text(const PhaseComparison& c);
std::string detectable_text(const PhaseComparison& c);
std::string ci_text(const PhaseComparison& c);

} // namespace ciperf
