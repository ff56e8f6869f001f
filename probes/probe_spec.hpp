#pragma once
// What to wait for (a `wait:` block, or `ciperf wait`): targets, fail-fast targets, policy.
#include "common/duration.hpp"
#include "model/enums.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct StatusRange {
  int low = 200;
  int high = 299;
};

struct ProbeTarget {
  ProbeKind kind = ProbeKind::Tcp;
  std::string text; // as the user wrote it, for messages
  // http / https
  std::string url;
  std::string method = "GET";       // GET or HEAD
  std::vector<std::string> headers; // "Name: value"
  std::vector<StatusRange> status = std::vector<StatusRange>(1, StatusRange{200, 399});
  std::optional<std::string> body_regex; // PCRE2, searched in the first kBodyCap bytes
  std::string ca_file;
  bool insecure = false;
  int max_redirects = 5;
  // tcp
  std::string host;
  int port = 0;
  // exec
  std::string command; // run by /bin/sh -c; ready when it exits 0
  // log
  std::string path;
  std::string regex; // PCRE2, searched in each appended line
  // swarm
  std::string stack;
};

struct WaitSpec {
  bool any = false; // any target ready ends the wait; otherwise all must be
  std::vector<ProbeTarget> targets;
  std::vector<ProbeTarget> fail_if; // any of these succeeding ends the wait as failed
  std::optional<Duration> interval; // per-kind defaults when unset (default_interval, waiter.hpp)
  Duration attempt_timeout = std::chrono::seconds(2);
  Duration timeout = std::chrono::minutes(2);
  int successes = 1;    // consecutive successes a target needs
  double backoff = 1.0; // interval multiplier after each failure; 1 keeps it fixed
  Duration max_interval = std::chrono::seconds(1);
  Duration connect_interval = std::chrono::milliseconds(2); // while nothing listens (see waiter)
  // For exec and swarm probes: the environment (NAME=value; empty: ciperf's own) and directory.
  std::vector<std::string> env;
  std::string workdir;
};

} // namespace ciperf
