#include "probes/wait_report.hpp"

#include <cmath>

namespace ciperf {
namespace {

std::string attempts_text(int n) {
  return std::to_string(n) + (n == 1 ? " attempt" : " attempts");
}

std::string elapsed_text(double s) {
  return format_duration(Duration(static_cast<int64_t>(std::llround(s * 1e9))));
}

} // namespace

std::string describe_wait(const WaitReport& r, Duration timeout) {
  std::string out;
  switch (r.outcome) {
  case WaitReport::Outcome::Ready:
    out =
        "ready after " + elapsed_text(r.elapsed_s) + " (" + attempts_text(r.attempts) +
        (r.attempts_saved > 0 ? ", about " + std::to_string(r.attempts_saved) + " saved by history"
                              : "") +
        ")";
    break;
  case WaitReport::Outcome::FailFast:
    out =
        "failed fast after " + elapsed_text(r.elapsed_s) + ": " + r.fail_fast_target + " succeeded";
    break;
  case WaitReport::Outcome::Interrupted:
    out = "interrupted after " + elapsed_text(r.elapsed_s);
    break;
  case WaitReport::Outcome::TimedOut:
    for (const auto& t : r.targets) {
      if (t.fail_if || t.ready) // only what kept the wait from ending
        continue;
      if (!out.empty())
        out += "\n";
      out += "not ready after " + format_duration(timeout) + ": " + t.target + " — " +
             t.last_failure + " (" + attempts_text(t.attempts) + ")";
    }
    break;
  }
  return out;
}

} // namespace ciperf
