#pragma once
// Parsing of probe targets and their options, shared by `ciperf wait` (strings) and `wait:`
// blocks in pipelines (the YAML loader hands over the same strings). Errors throw UsageError
// with a message that says what was expected.
#include "probes/probe_spec.hpp"

#include <string>
#include <vector>

namespace ciperf {

// `http://…`, `https://…`, `tcp://host:port` (or `host:port`), `exec:CMD`, `log:PATH:REGEX`,
// `swarm:STACK`.
ProbeTarget parse_target(const std::string& text);

// `200-299,401` → ranges; throws on anything else.
std::vector<StatusRange> parse_status_ranges(const std::string& text);
bool status_matches(const std::vector<StatusRange>& ranges, long status);

// Checks what cannot be checked while parsing (a body regex compiles, a port is in range).
void validate_target(const ProbeTarget& target);

} // namespace ciperf
