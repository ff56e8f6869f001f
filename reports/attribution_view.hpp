#pragma once
// `ciperf attribute`'s answers as a table or JSON: the Pareto table, the cold-warm gap, what
// bounds each phase.
#include "analysis/attribution.hpp"
#include "reports/view_format.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

// `what` names the items: phase, kind or tier.
void write_pareto(const Pareto& pareto, const std::string& what, ViewFormat format,
                  std::ostream& out);
// Throws UsageError when the gap lacks cold or warm runs.
void write_gap(const ColdWarmGap& gap, ViewFormat format, std::ostream& out);
void write_resources(const std::vector<ResourceRow>& rows, ViewFormat format, std::ostream& out);
// "postgres 1.40, nginx 0.02": the services busy while a phase ran, busiest first; "-" if none.
std::string service_loads(const std::vector<ServiceLoad>& services);

} // namespace ciperf
