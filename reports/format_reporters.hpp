#pragma once
// The factories of the individual formats, one per file; reporter.cpp picks among them.
#include "reports/reporter.hpp"

namespace ciperf {

std::unique_ptr<Reporter> make_markdown_reporter();
std::unique_ptr<Reporter> make_html_reporter();
std::unique_ptr<Reporter> make_junit_reporter();
std::unique_ptr<Reporter> make_trace_reporter();
std::unique_ptr<Reporter> make_otlp_reporter();
std::unique_ptr<Reporter> make_csv_reporter();
std::unique_ptr<Reporter> make_hyperfine_reporter();

} // namespace ciperf
