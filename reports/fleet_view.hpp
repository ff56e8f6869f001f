#pragma once
// `ciperf attribute --by host`'s answer: per pipeline and mode, each host against the fleet (a
// table), then, for each host slower than the fleet, the phases that explain its gap and whether
// its stalls say infrastructure. As text, JSON (README "Each runner against the fleet" documents
// its shape) or Markdown.
#include "analysis/fleet.hpp"

#include <iosfwd>
#include <string>

namespace ciperf {

enum class FleetFormat { Text, Json, Markdown };

void write_fleet(const FleetResult& result, FleetFormat format, std::ostream& out);

// What is said instead of a comparison when every selected run ran on one host.
std::string one_host_message(const FleetResult& result);

} // namespace ciperf
