#pragma once
// The phase table printed at the end of `ciperf run` and by `ciperf show`.
#include "model/run_record.hpp"

#include <string>

namespace ciperf {

struct TableStyle {
  bool color = false; // ANSI colours for the status column (a terminal without NO_COLOR)
};

// The table, then service_totals.
std::string phase_table(const RunRecord& run, const TableStyle& style);
// One line per service of the run (what kept running after its phase): the CPU it spent while
// later phases ran. Empty when there were none.
std::string service_totals(const RunRecord& run);
// One line under the table: status, wall, deploys, where results.json is.
std::string run_summary_line(const RunRecord& run);

} // namespace ciperf
