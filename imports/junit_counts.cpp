#include "imports/junit_counts.hpp"

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <vector>

namespace ciperf {
namespace {

std::optional<int> count_attribute(const XML_Char** attrs, const char* key) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (std::strcmp(attrs[i], key) == 0) {
      char* end = nullptr;
      long v = std::strtol(attrs[i + 1], &end, 10);
      if (end == attrs[i + 1] || *end != '\0' || v < 0 || v > 1'000'000'000)
        return std::nullopt; // not a count: nothing to compare with
      return static_cast<int>(v);
    }
  return std::nullopt;
}

} // namespace

JunitCountsSaid counts_said(const XML_Char** attrs) {
  return {count_attribute(attrs, "tests"), count_attribute(attrs, "failures"),
          count_attribute(attrs, "errors"), count_attribute(attrs, "skipped"),
          count_attribute(attrs, "disabled")};
}

void count_case(JunitCounts& c, PhaseStatus status, bool had_skipped, bool had_failure,
                bool had_error) {
  ++c.tests;
  if (status == PhaseStatus::Skipped) {
    ++(had_skipped ? c.skipped : c.disabled);
    return;
  }
  c.errors += had_error;
  c.failures += had_failure && !had_error;
}

std::string disagreement_of(const JunitCountsSaid& said, const JunitCounts& seen) {
  std::vector<std::string> says, gives;
  auto compare = [&](const char* what, std::optional<int> s, int g, bool ok) {
    if (s && !ok) {
      says.push_back(fmt::format("{}={}", what, *s));
      gives.push_back(fmt::format("{}", g));
    }
  };
  int not_run = seen.skipped + seen.disabled;
  compare("tests", said.tests, seen.tests,
          !said.tests || *said.tests == seen.tests || *said.tests == seen.tests - not_run ||
              *said.tests == seen.tests - seen.disabled);
  if (said.failures || said.errors) {
    int s = said.failures.value_or(0) + said.errors.value_or(0);
    int g = seen.failures + seen.errors;
    compare("failures+errors", s, g, s == g);
  }
  if (said.disabled) {
    compare("skipped", said.skipped, seen.skipped, !said.skipped || *said.skipped == seen.skipped);
    compare("disabled", said.disabled, seen.disabled, *said.disabled == seen.disabled);
  } else {
    compare("skipped", said.skipped, not_run, !said.skipped || *said.skipped == not_run);
  }
  if (says.empty())
    return {};
  std::string a, b;
  for (size_t i = 0; i < says.size(); ++i) {
    a += (i ? " " : "") + says[i];
    b += (i ? ", " : "") + gives[i];
  }
  return fmt::format("says {}, but its test cases give {}", a, b);
}

} // namespace ciperf
