// libFuzzer target: `ciperf wait` target strings and status ranges (probes/target_parser), and
// the regex a target carries searched in the input itself. A UsageError is a correct answer to
// a bad target; anything else (a crash, a sanitizer report, another exception) is a bug.
#include "common/errors.hpp"
#include "probes/target_parser.hpp"
#include "probes/user_regex.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ciperf::parse_status_ranges(text);
  } catch (const ciperf::UsageError&) {
  }
  try {
    ciperf::ProbeTarget target = ciperf::parse_target(text);
    ciperf::validate_target(target);
    if (target.kind == ciperf::ProbeKind::Log)
      ciperf::UserRegex(target.regex).search(text);
  } catch (const ciperf::UsageError&) {
  }
  return 0;
}
