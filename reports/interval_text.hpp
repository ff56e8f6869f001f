#pragma once
// The confidence intervals of the attribution tables as text, the same in every format.
#include "analysis/attribution.hpp"

#include <optional>
#include <string>

namespace ciperf {

// "6.10s..7.20s"; "-" without an interval (fewer than 2 runs).
// "+20.1%", or "from 0" when the level before was zero.
std::string relative_text(double relative);
std::string seconds_ci(const std::optional<Interval>& ci);
// "+0.10s..+0.30s": an interval of a difference.
std::string difference_ci(const std::optional<Interval>& ci);
// What a gap row's interval says: "no cold cost" when it holds 0, "faster cold" when it lies
// below 0, "" otherwise (a cold cost, or too few runs to tell).
std::string cold_cost_note(const GapRow& row);

// A sentence for a gap whose own CI holds 0 (the runs cannot tell cold from warm, so its shares
// split noise); "" otherwise.
std::string gap_noise_note(const ColdWarmGap& gap);

} // namespace ciperf
