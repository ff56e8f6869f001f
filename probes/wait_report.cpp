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

std::string describe_wait(const WaitReport& report, Duration timeout) {
  const WaitRecord& r = report.record;
  std::string out;
  switch (r.outcome) {
  case WaitOutcome::Ready:
    out =
        "ready after " + elapsed_text(r.elapsed_s) + " (" + attempts_text(r.attempts) +
        (r.attempts_saved > 0 ? ", about " + std::to_string(r.attempts_saved) + " saved by history"
                              : "") +
        ")";
    break;
  case WaitOutcome::Failed:
    out = "failed fast after " + elapsed_text(r.elapsed_s) + ": " + report.fail_fast_target +
          " succeeded";
    break;
  case WaitOutcome::Interrupted:
    out = "interrupted after " + elapsed_text(r.elapsed_s);
    break;
  case WaitOutcome::Timeout:
    for (size_t i = 0; i < r.targets.size(); ++i) {
      const WaitTargetRecord& t = r.targets[i];
      if (t.fail_if || report.ready[i]) // only what kept the wait from ending
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
