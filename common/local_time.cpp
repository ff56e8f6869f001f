#include "common/local_time.hpp"

#include "common/rfc3339.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace ciperf {
namespace {

// TZ set to `zone` for the life of the object (mktime reads only TZ); the old value comes back.
class ZoneScope {
public:
  explicit ZoneScope(const std::string& zone) : active_(!zone.empty()) {
    if (!active_)
      return;
    if (const char* old = std::getenv("TZ"))
      old_ = old;
    had_ = std::getenv("TZ") != nullptr;
    setenv("TZ", zone.c_str(), 1);
    tzset();
  }
  ~ZoneScope() {
    if (!active_)
      return;
    if (had_)
      setenv("TZ", old_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  ZoneScope(const ZoneScope&) = delete;
  ZoneScope& operator=(const ZoneScope&) = delete;

private:
  bool active_, had_ = false;
  std::string old_;
};

} // namespace

bool has_zone(std::string_view text) {
  if (text.size() < 20)
    return false;
  char last = text.back();
  if (last == 'Z' || last == 'z')
    return true;
  return text.size() >= 25 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
         text[text.size() - 3] == ':';
}

std::optional<int64_t> parse_local_time_ns(std::string_view text, const std::string& zone) {
  auto as_utc = parse_rfc3339_ns(text);
  if (!as_utc || has_zone(text))
    return as_utc;
  // The wall-clock fields, read back from the time as if it were UTC, handed to mktime in the
  // zone: it finds the instant (and whether daylight saving time applied).
  constexpr int64_t kNs = 1'000'000'000;
  int64_t whole = *as_utc >= 0 ? *as_utc / kNs : -((-*as_utc + kNs - 1) / kNs);
  int64_t fraction = *as_utc - whole * kNs;
  auto t = static_cast<time_t>(whole);
  std::tm fields{};
  if (!gmtime_r(&t, &fields))
    return std::nullopt;
  fields.tm_isdst = -1;
  ZoneScope scope(zone);
  time_t local = mktime(&fields);
  if (local == static_cast<time_t>(-1))
    return std::nullopt;
  return static_cast<int64_t>(local) * kNs + fraction;
}

bool known_time_zone(const std::string& zone) {
  if (zone.empty() || zone == "UTC" || zone == "GMT")
    return true;
  if (zone.find("..") != std::string::npos || zone.front() == '/')
    return false;
  std::error_code ec;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ec);
}

} // namespace ciperf
