#pragma once

namespace ciperf {

// The whole command line: parses, dispatches to a command, and is the one place where errors
// become `ciperf: error: …` and an exit code.
int cli_main(int argc, char** argv);

} // namespace ciperf
