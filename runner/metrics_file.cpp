#include "runner/metrics_file.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace ciperf {
namespace {

constexpr size_t kMaxLines = 10'000; // a runaway phase must not fill the store

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 128)
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
          c == '/'))
      return false;
  return true;
}

std::optional<double> number(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

} // namespace

ParsedMetrics parse_metrics_file(const std::string& path) {
  ParsedMetrics out;
  std::ifstream in(path);
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line) && line_no < kMaxLines) {
    ++line_no;
    std::istringstream fields(line);
    std::string name, value, unit, extra;
    if (!(fields >> name) || name[0] == '#')
      continue;
    fields >> value >> unit >> extra;
    auto parsed = number(value);
    if (!valid_name(name) || !parsed || !extra.empty()) {
      out.errors.push_back(fmt::format("{}:{}: expected 'name value [unit]', got '{}'", path,
                                       line_no, line.substr(0, 80)));
      continue;
    }
    std::erase_if(out.metrics, [&](const Metric& m) { return m.name == name; });
    out.metrics.push_back({name, *parsed, unit});
  }
  return out;
}

} // namespace ciperf
