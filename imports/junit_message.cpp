#include "imports/junit_message.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace ciperf {
namespace {

constexpr size_t kMaxLine = 1000;
constexpr size_t kMaxContinued = 300;

std::string_view trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos)
    return {};
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// `t.cpp:5`, `at /src/t.cpp:8`, `/x/MathTest.php:7`, `unknown file`, Boost's `- file : t.cpp`.
bool is_location(std::string_view line) {
  if (line.starts_with("- file") || line.starts_with("- line") || iequals(line, "unknown file") ||
      iequals(line, "unknown location"))
    return true;
  if (line.starts_with("at "))
    line.remove_prefix(3);
  if (line.find(' ') != std::string_view::npos)
    return false;
  if (line.ends_with(':'))
    line.remove_suffix(1);
  size_t colon = line.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == line.size())
    return false;
  return std::all_of(line.begin() + static_cast<long>(colon) + 1, line.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// `FAILED:`, `ASSERTION FAILURE:`, `EXCEPTION STACK TRACE: -----`: capitals and a colon.
bool is_heading(std::string_view line) {
  int upper = 0;
  for (char c : line) {
    if (std::islower(static_cast<unsigned char>(c)))
      return false;
    upper += std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  return upper >= 3 && line.find(':') != std::string_view::npos;
}

bool says_nothing(std::string_view line) {
  constexpr std::array<std::string_view, 6> kWords = {
      "failure", "error", "failed", "skipped", "unexpected exception", "assertion error"};
  return std::any_of(kWords.begin(), kWords.end(), [&](auto w) { return iequals(line, w); });
}

} // namespace

std::string useful_line(std::string_view text, std::string_view test) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = std::min(text.find('\n', pos), text.size());
    lines.push_back(trim(text.substr(pos, end - pos)));
    pos = end + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty() || is_location(line) || is_heading(line) || says_nothing(line) ||
        (!test.empty() && line.starts_with(test)))
      continue;
    if (line.starts_with("- message: ")) // Boost.Test
      line.remove_prefix(11);
    std::string out(line.substr(0, kMaxLine));
    bool continued = out.ends_with(':');
    for (size_t j = i + 1; continued && j < lines.size() && out.size() < kMaxContinued; ++j)
      if (!lines[j].empty() && !is_location(lines[j])) {
        // Two appends rather than " " + std::string(…): GCC 12 at -O3 warns falsely about the
        // inlined concatenation (-Wrestrict), and CI builds Release with warnings as errors.
        out += ' ';
        out.append(lines[j].substr(0, kMaxContinued));
      }
    return out;
  }
  return {};
}

} // namespace ciperf
