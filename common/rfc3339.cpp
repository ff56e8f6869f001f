#include "common/rfc3339.hpp"

#include <cctype>
#include <fmt/format.h>

namespace ciperf {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Reads `width` digits at text[pos]; false when any is not a digit.
bool digits(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size())
    return false;
  out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

} // namespace

std::optional<int64_t> parse_rfc3339_ns(std::string_view t) {
  int year, month, day, hour, minute, second;
  if (!digits(t, 0, 4, year) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, month) ||
      t[7] != '-' || !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
      !digits(t, 11, 2, hour) || t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' ||
      !digits(t, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  if (year < 1678 || year > 2261) // what nanoseconds in an int64_t can count from 1970
    return std::nullopt;
  size_t pos = 19;
  int64_t fraction_ns = 0;
  if (pos < t.size() && t[pos] == '.') {
    int64_t scale = 100000000;
    size_t start = ++pos;
    for (; pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos])); ++pos) {
      fraction_ns += (t[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start)
      return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh, om;
    if (!digits(t, pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
        !digits(t, pos + 4, 2, om))
      return std::nullopt;
    offset_s = (t[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    pos += 6;
  }
  if (pos != t.size())
    return std::nullopt;
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return seconds * 1000000000 + fraction_ns;
}

int64_t seconds_to_ns(double seconds) {
  constexpr double kLimit = 4e18; // well inside int64_t, past any real time
  double ns = seconds * 1e9;
  if (!(ns > -kLimit)) // also NaN
    return static_cast<int64_t>(-kLimit);
  return ns < kLimit ? static_cast<int64_t>(ns) : static_cast<int64_t>(kLimit);
}

std::string format_rfc3339_ms(int64_t unix_ns) {
  int64_t ms = unix_ns >= 0 ? unix_ns / 1000000 : -((-unix_ns + 999999) / 1000000);
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rest = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", y, m, d, rest / 3600,
                     rest / 60 % 60, rest % 60, ms - secs * 1000);
}

} // namespace ciperf
