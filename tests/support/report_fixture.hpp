#pragma once
// A fixed Report for the golden-output tests: one failed run whose names and log carry
// everything hostile (markup, quotes, control characters, invalid UTF-8), a probe with attempt
// marks, a baseline with cold and warm samples, trends and verdicts. The analyses are computed
// by the real analysis code from fixed samples, so the output only changes when code does.
#include "reports/report.hpp"

#include <string>
#include <vector>

namespace ciperf::test {

Report fixture_report();
RunRecord fixture_run();

// The classes of `page`'s <style> that get a colour in the light scheme but no rule inside its
// `@media (prefers-color-scheme:dark)` block (all of them when it has none).
std::vector<std::string> dark_scheme_gaps(const std::string& page);

} // namespace ciperf::test
