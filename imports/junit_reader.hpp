#pragma once
// JUnit XML, as ctest, GoogleTest, Catch2, Boost.Test, pytest, unittest-xml-reporting, PHPUnit,
// RSpec, prove, jest-junit, mocha and Maven Surefire write it: a file is ONE run (however many
// suites, nested or not, it holds), each <testcase> a phase of kind test named `classname::name`
// (so TestA::test_x and TestB::test_x stay two), its classname the tier. ciperf's own JUnit
// export is the exception: each of its suites is the run it came from. Parsed by expat in
// chunks; a DOCTYPE or entity declaration is refused before anything could be expanded.
#include "imports/import_options.hpp"
#include "model/run_record.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

// `fallback_start_ns` dates suites without a timestamp (the file's modification time).
std::vector<RunRecord> read_junit(std::istream& in, const std::string& name,
                                  const std::string& identity, int64_t fallback_start_ns,
                                  const ImportOptions& options = {});

// The separator of a case's phase name: `classname::name`.
inline constexpr const char* kJunitIdentitySeparator = "::";

} // namespace ciperf
