#pragma once
// How a wait is told: one line per target for people, JSON for scripts and results.json.
#include "probes/waiter.hpp"

#include <string>

namespace ciperf {

// `ready after 153ms: …`, or for a timeout, per target that was not ready:
// `not ready after 2m: http://127.0.0.1:8080/health — 503 Service Unavailable (4713 attempts)`.
std::string describe_wait(const WaitReport& report, Duration timeout);

} // namespace ciperf
