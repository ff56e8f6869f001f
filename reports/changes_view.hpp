#pragma once
// `ciperf changes`' answer as a table or JSON: the change points of each history, with the run
// after each, the medians either side, the change, its p and its cause.
#include "analysis/change_history.hpp"
#include "reports/view_format.hpp"

#include <iosfwd>

namespace ciperf {

void write_changes(const HistoryResult& result, ViewFormat format, std::ostream& out);

// "1.20 s" or "340 MiB": a figure of `metric` for people.
std::string figure_text(ChangeMetric metric, double value);

} // namespace ciperf
