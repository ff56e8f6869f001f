#pragma once
// The subcommands, each a function of its parsed options returning the exit code.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct RunCommand {
  std::string file;
  std::string mode = "normal";
  std::string store;
  std::string out;
  std::vector<std::string> labels; // k=v
  bool verbose = false;
};

struct RunsCommand {
  std::string store;
  std::optional<std::string> pipeline;
  std::optional<std::string> mode;
  std::vector<std::string> labels;
  int limit = 50;
  bool json = false;
};

struct ShowCommand {
  std::string store;
  std::string run;
  bool json = false;
};

struct WaitCommand {
  std::vector<std::string> targets;
  std::vector<std::string> fail_if;
  bool any = false;
  std::string interval, timeout, attempt_timeout, connect_interval, max_interval;
  int successes = 1;
  double backoff = 1.0;
  // HTTP options, for every HTTP target
  std::string status, body, method = "GET", ca_file;
  std::vector<std::string> headers;
  bool insecure = false;
  int redirects = 5;
  std::string history, store;
  bool json = false;
  bool quiet = false;
};

int command_run(const RunCommand& c);
int command_wait(const WaitCommand& c);
int command_check(const std::string& file);
int command_runs(const RunsCommand& c);
int command_show(const ShowCommand& c);

// `k=v` strings into a map; throws UsageError on a malformed one.
std::map<std::string, std::string> parse_labels(const std::vector<std::string>& labels);

} // namespace ciperf
