#pragma once
// JUnit XML (pytest --junitxml, Maven Surefire, …): each <testsuite> that holds test cases is a
// run, each <testcase> a phase of kind test, its classname the tier. Parsed by expat in chunks;
// a DOCTYPE or entity declaration is refused before anything could be expanded.
#include "model/run_record.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

// `fallback_start_ns` dates suites without a timestamp (the file's modification time).
std::vector<RunRecord> read_junit(std::istream& in, const std::string& name,
                                  const std::string& identity, int64_t fallback_start_ns);

} // namespace ciperf
