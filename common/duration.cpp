#include "common/duration.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace ciperf {
namespace {

std::optional<double> unit_in_ns(std::string_view unit) {
  if (unit == "ns")
    return 1.0;
  if (unit == "us")
    return 1e3;
  if (unit == "ms")
    return 1e6;
  if (unit == "s")
    return 1e9;
  if (unit == "m")
    return 60e9;
  if (unit == "h")
    return 3600e9;
  return std::nullopt;
}

} // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  if (digits == 0 || digits == text.size())
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (ec != std::errc{} || end != text.data() + digits || !std::isfinite(value))
    return std::nullopt;
  auto scale = unit_in_ns(text.substr(digits));
  if (!scale)
    return std::nullopt;
  double ns = value * *scale;
  if (ns > 1e18) // about 31 years: anything larger is a typo, and would overflow
    return std::nullopt;
  return Duration(static_cast<int64_t>(std::llround(ns)));
}

std::string format_duration(Duration d) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms < 1000)
    return fmt::format("{}ms", ms);
  if (ms % 1000 != 0 && ms < 60'000)
    return fmt::format("{:g}s", static_cast<double>(ms) / 1000.0);
  auto s = ms / 1000;
  if (s < 60)
    return fmt::format("{}s", s);
  if (s < 3600)
    return s % 60 ? fmt::format("{}m{}s", s / 60, s % 60) : fmt::format("{}m", s / 60);
  return s % 3600 ? fmt::format("{}h{}m", s / 3600, (s % 3600) / 60) : fmt::format("{}h", s / 3600);
}

double to_seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

} // namespace ciperf
