#pragma once
// RFC 3339 times to and from nanoseconds since the Unix epoch. The store compares start times
// as text, so every time it keeps is in one normal form: 2026-11-27T17:27:20.123Z.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ciperf {

// Accepts a fraction of any length and Z, ±HH:MM or no offset (read as UTC here; a writer's
// local time is common/local_time's). nullopt when `text` is not such a time, or lies
// outside the years 1678 to 2261 that int64_t nanoseconds reach.
std::optional<int64_t> parse_rfc3339_ns(std::string_view text);
// Seconds to nanoseconds, saturating instead of overflowing for absurd inputs.
int64_t seconds_to_ns(double seconds);
// The normal form, in milliseconds.
std::string format_rfc3339_ms(int64_t unix_ns);

} // namespace ciperf
