#pragma once
// `ciperf runs` and `ciperf show`: stored runs as a table or JSON.
#include "model/run_record.hpp"
#include "reports/view_format.hpp"

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace ciperf {

// The runs without their phases, newest first.
void write_run_list(const std::vector<RunRecord>& runs, ViewFormat format, std::ostream& out);
// One run: its summary line and phase table, or (JSON) the run as results.json v1.
void write_run_detail(const RunRecord& run, ViewFormat format, bool color, std::ostream& out);
// "k=v,k2=v2"
std::string labels_text(const std::map<std::string, std::string>& labels);

} // namespace ciperf
