#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ciperf {

using Duration = std::chrono::nanoseconds;

// Parses `250ms`, `2s`, `1.5s`, `5m`, `1h` (also `us`). A bare number is rejected: a unit is
// required so that `timeout: 30` cannot silently mean 30 ns or 30 minutes. Returns nullopt on any
// malformed or negative input.
std::optional<Duration> parse_duration(std::string_view text);

// Shortest readable rendering: `250ms`, `2s`, `1m30s`, `2h`.
std::string format_duration(Duration d);

double to_seconds(Duration d);

} // namespace ciperf
