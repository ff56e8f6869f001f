#pragma once
// Times written without a zone (pytest 7's, ctest's and GoogleTest's JUnit timestamps) are the
// writer's local time. Reading them as UTC puts a run in Tokyo 9 hours in the future, so they are
// converted from a named zone (the tz database's, as in TZ) or the importing host's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ciperf {

// True when `text` is an RFC 3339 time that ends in Z or ±HH:MM.
bool has_zone(std::string_view text);
// `text` (RFC 3339, with or without a zone) in nanoseconds since the epoch; a zone-less time is
// local time in `zone`, or in the host's (TZ, /etc/localtime) when `zone` is empty.
std::optional<int64_t> parse_local_time_ns(std::string_view text, const std::string& zone);
// A zone the host's tz database knows (UTC, Asia/Tokyo, …); "" is the host's own.
bool known_time_zone(const std::string& zone);

} // namespace ciperf
