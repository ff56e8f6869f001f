#pragma once
// What `ciperf import` lets a user say about files whose writers left something out.
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct ImportOptions {
  std::string pipeline; // the runs' pipeline, over the file's own (xmlrunner's datestamped names)
  // The zone of JUnit timestamps written without one; unset: the host's (TZ, /etc/localtime), or
  // UTC for the JavaScript reporters that write UTC without its Z (jest-junit,
  // mocha-junit-reporter).
  std::optional<std::string> zone;
  std::vector<std::string>* warnings = nullptr; // where problems short of an error are told
};

} // namespace ciperf
