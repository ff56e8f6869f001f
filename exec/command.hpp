#pragma once
// What a phase runs. A string runs under /bin/sh -c; a list is exec'd as argv with no shell.
#include <string>
#include <vector>

namespace ciperf {

struct Command {
  bool shell = true;
  std::string script;            // when shell
  std::vector<std::string> argv; // when !shell
};

} // namespace ciperf
