#pragma once
// Facts about the run that are not about a phase: its id and wall-clock stamps (the host: see
// runner/host_info.hpp).
#include <chrono>
#include <string>

namespace ciperf {

// `20261127T150102Z-3f9a1c0b7d2e`: sorts by start time, unique across concurrent runs.
std::string new_run_id(std::chrono::system_clock::time_point now);
// RFC 3339 UTC with milliseconds: `2026-11-27T15:01:02.345Z`.
std::string rfc3339(std::chrono::system_clock::time_point t);

} // namespace ciperf
