#pragma once
// Whether a Docker Swarm stack has converged, as cc-ci defines it: every service has all its
// replicas running and no update in progress (a paused update counts as settled). Read from the
// output of the docker CLI, so it is tested with fixtures in that CLI's real output format.
#include <string>

namespace ciperf {

struct SwarmStatus {
  bool converged = false;
  int services = 0;
  int settled = 0;
  std::string reason; // what is not settled yet: "web_app 0/1, db_db updating"
};

// `ls_lines`: `docker service ls --format '{{json .}}'`, one JSON object a line.
// `inspect`: `docker service inspect ID…`, a JSON array. Throws std::runtime_error on output
// that is not in those formats.
SwarmStatus parse_swarm_status(const std::string& ls_lines, const std::string& inspect);

// The shell command that prints both, separated by a line `---ciperf---`. `stack` must be a
// valid stack name (letters, digits, `_`, `.`, `-`).
std::string swarm_status_command(const std::string& stack);
bool valid_stack_name(const std::string& stack);

} // namespace ciperf
