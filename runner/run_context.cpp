#include "runner/run_context.hpp"

#include <ctime>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <random>

namespace ciperf {
namespace {

std::tm utc(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  return tm;
}

} // namespace

std::string new_run_id(std::chrono::system_clock::time_point now) {
  // 48 random bits: many ciperf processes may start runs in the same second against one store;
  // with 24 bits two of 400 concurrent runs were seen to collide, and the second lost its row.
  // The same holds across hosts sharing a PostgreSQL store: 48 bits per second make a collision
  // among even 10,000 runs started in one second a 1-in-5,000,000 event (n²/2⁴⁹).
  std::random_device entropy;
  uint64_t bits = (static_cast<uint64_t>(entropy()) << 32 | entropy()) & 0xffff'ffff'ffffULL;
  return fmt::format("{:%Y%m%dT%H%M%S}Z-{:012x}", utc(now), bits);
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  auto secs = std::chrono::floor<std::chrono::seconds>(ms);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", utc(secs), (ms - secs).count());
}

} // namespace ciperf
